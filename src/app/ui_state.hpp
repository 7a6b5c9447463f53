// Everything the UI remembers between frames that is not part of the model.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace terrane {

enum class Theme : std::uint8_t { Dark, Light };

struct MapCamera {
    double centerX = 0.25, centerY = 0.4; // Web Mercator units
    double scale = 4000.0;                // framebuffer pixels per world unit
};

// One dataset's table view: sort, filter, and the visible rows in display order.
struct DataTableState {
    int sortColumn = -1; // table column index, -1 for file order
    bool descending = false;
    int filterColumn = -1; // -1: any text column
    char filterText[128] = {};
    int precisionFilter = -1; // accounts: GeoPrecision to show, -1 for all
    std::vector<std::uint32_t> rows; // visible rows in display order
    bool dirty = true;               // rows must be recomputed
    bool drivesMap = true;           // accounts: dim filtered-out accounts on the map
};

struct UiState {
    Theme theme = Theme::Dark;
    float pixelRatio = 1.0f;
    float fontSize = 15.0f; // CSS pixels
    bool showSidebar = true;
    bool showInspector = true;
    bool showAbout = false;
    bool showShortcuts = false;
    bool showSampleDialog = false;
    float pointScale = 1.0f;
    int sampleAccounts = 5000, sampleReps = 40, sampleSeed = 42; // sample dialog fields
    MapCamera camera;
    bool cameraFitted = false;
    std::int64_t hoveredAccount = -1;
    std::int64_t selectedAccount = -1;
    std::int32_t selectedTerritory = -1; // territories table row
    // Import and data quality.
    bool showImportDialog = false;  // the mapping dialog for the first queued file
    bool showDataPanel = false;     // the right column shows import reports and data quality
    int dataPanelTab = 0;           // 0: import report, 1: data quality
    bool dataPanelTabForced = false; // select dataPanelTab once (after an import or a check)
    bool showDataTable = false;     // the data table drawer under the map
    float dataTableHeight = 300.0f; // CSS pixels
    int dataTableKind = 0;          // DatasetKind shown in the drawer
    int selectedReport = -1;        // index into the app's import reports
    int selectedFinding = -1;       // index into the hygiene report's findings
    std::string highlightLabel;     // what the highlighted accounts on the map are
    std::array<DataTableState, 6> tables;
    // Screen rectangles (framebuffer pixels: x, y, w, h) of named controls drawn this frame, so
    // browser tests can click them (window.terrane.state().targets).
    std::vector<std::pair<std::string, std::array<float, 4>>> targets;
    std::string statusMessage;
    double statusUntil = 0; // ms
    // Frame statistics for the status bar and the test hook.
    std::uint64_t frames = 0;
    double lastFrameMs = 0;
    double avgFrameMs = 0;
};

} // namespace terrane
