// Everything the UI remembers between frames that is not part of the model, grouped per dialog
// and panel (QuotaUi, OptimiseUi and CompUi live beside their panels).
//
// Index
//  [SECTION] map          camera, tools, layers, selection
//  [SECTION] tables       one dataset's table view; the frame profile
//  [SECTION] dialogs      one struct each
//  [SECTION] UiState
#pragma once

#include "app/widgets.hpp"

#include "app/comp/comp_ui.hpp"
#include "app/analyse/forecast_ui.hpp"
#include "app/plan/optimise_ui.hpp"
#include "app/plan/quota_ui.hpp"
#include "core/scenario/metrics.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace terrane {

enum class Theme : std::uint8_t { Dark, Light };

// [SECTION] map
struct MapCamera {
    double centerX = 0.25, centerY = 0.4; // Web Mercator units
    double scale = 4000.0;                // framebuffer pixels per world unit
};

// What a drag on the map does.
enum class MapTool : std::uint8_t { Pan, Box, Lasso };
// What colours the account points.
enum class PointColoring : std::uint8_t { Territory, Segment, Tier, Customer };
// Area layers under the points.
enum class AreaLayer : std::uint8_t { None, Territories, HeatMap, StateChoropleth, CountyChoropleth };

// The account selection: a flag per account plus the count, and the account last clicked.
struct Selection {
    std::vector<std::uint8_t> flags;
    std::size_t count = 0;
    std::int64_t focus = -1; // shown in the inspector
    void resize(std::size_t n) {
        flags.assign(n, 0);
        count = 0;
        focus = -1;
    }
};
enum class SelectMode : std::uint8_t { Replace, Add, Remove };

struct MapLayers {
    PointColoring coloring = PointColoring::Territory;
    PlanMetric sizeBy = PlanMetric::Potential;
    AreaLayer area = AreaLayer::Territories;
    PlanMetric areaMetric = PlanMetric::Potential; // heat map and choropleth metric
    bool homeBases = true;
    bool labels = true;
    bool placeNames = true;   // city names from the gazetteer when zoomed in
    bool changesOnly = false; // disruption view: highlight accounts moved against the baseline
    float areaOpacity = 0.35f;
};

// A territory action chosen in a context menu, completed in its dialog.
struct TerritoryAction {
    enum Kind { None, Rename, Recolour, Owner, Merge, Delete } kind = None;
    std::int32_t territory = -1;
};

// [SECTION] tables
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

// Where the app's time went in a frame, by named part (ms; parts may nest), and the slowest
// frame since the last reset: for the test hook and benchmarks (state().slowest_frame).
struct FrameProfile {
    std::vector<std::pair<const char*, double>> parts;     // this frame so far; names are literals
    std::vector<std::pair<const char*, double>> lastParts; // the last frame's
    double slowestMs = 0;                                  // work + UI of the slowest frame
    std::uint64_t slowestFrame = 0;
    std::vector<std::pair<const char*, double>> slowestParts;
    void add(const char* name, double ms) {
        for (auto& p : parts)
            if (p.first == name) {
                p.second += ms;
                return;
            }
        parts.emplace_back(name, ms);
    }
};

// [SECTION] dialogs
struct SaveDialogUi { // File > Save scenario file
    bool show = false;
    bool asStandalone = false;
    char title[128] = {};
    char fileName[128] = {}; // "" names the file after the title
    char author[96] = {};
    char description[256] = {};
    int repNames = 0; // Redaction::RepNames
    bool hideAccountNames = false;
    bool bandMoney = false;
    bool omitNextSteps = false;
};
struct ScenarioRenameUi {
    bool show = false;
    std::size_t scenario = 0;
    char name[96] = {};
};
struct ReviewUi { // a review entry being written
    char author[96] = {};
    char text[512] = {};
    int decision = 0; // 0 approved, 1 changes requested, 2 rejected
};
struct SmallDialogsUi { // requests to open the dialogs that keep no fields
    bool about = false;
    bool help = false; // getting started and glossary
    bool shortcuts = false;
    bool clear = false;
};
struct SampleDialogUi {
    bool show = false;
    int accounts = 5000, reps = 40, seed = 42;
};
struct MoveDialogUi { // move the selection to a territory
    bool show = false;
    char search[64] = {};
    char note[128] = {};
    std::size_t locked = 0; // locked accounts in the selection, counted when the dialog opens
};
struct FilterDialogUi { // select accounts by a column condition
    bool show = false;
    int column = 0;
    int op = 0;
    char value[128] = {};
    char value2[64] = {};
    int mode = 0; // SelectMode
};
struct LocationsDialogUi { // suggestions for accounts that could not be placed
    bool show = false;
};
struct TerritoryDialogUi { // rename, recolour, owner, merge, delete
    TerritoryAction action;
    char rename[96] = {};
};
struct NewTerritoryUi {
    bool show = false;
    char name[96] = {};
    int parent = -1;
    int owner = -1;
    bool fromSelection = false;
};
struct DataUi { // import, data quality and the data table
    bool showImportDialog = false; // the mapping dialog for the first queued file
    bool showPanel = false;        // the right column shows import reports and data quality
    int panelTab = 0;              // 0: import report, 1: data quality
    bool panelTabForced = false;   // select panelTab once (after an import or a check)
    bool showTable = false;        // the data table drawer under the map
    float tableHeight = 300.0f;    // CSS pixels
    int tableKind = 0;             // DatasetKind shown in the drawer
    int selectedReport = -1;       // index into the app's import reports
    int selectedFinding = -1;      // index into the hygiene report's findings
    std::string highlightLabel;    // what the highlighted accounts on the map are
    bool findingsLarge = false;    // the data panel spans most of the page for the findings
    std::array<DataTableState, kDatasetKindCount> tables;
};

// [SECTION] UiState
struct UiState {
    Theme theme = Theme::Dark;
    float pixelRatio = 1.0f;
    float fontSize = 15.0f; // CSS pixels
    bool showSidebar = true;
    bool showInspector = true;
    bool showBottom = true;
    float bottomShare = 0.34f; // of the body height
    int bottomTab = 0;         // 0 metrics, 1 changes, 2 audit log
    int bottomTabRequest = -1; // a tab to bring forward next frame
    bool reviewMode = false;   // the leadership presentation of an opened scenario file
    std::size_t referenceScenario = 0; // what "changes" and disruption compare against
    std::vector<std::size_t> compareSet; // scenarios shown side by side (up to 4)
    SaveDialogUi save;
    ScenarioRenameUi scenarioRename;
    ReviewUi review;
    SmallDialogsUi dialogs;
    SampleDialogUi sample;
    MoveDialogUi move;
    FilterDialogUi filter;
    LocationsDialogUi locations;
    TerritoryDialogUi territoryDialog;
    NewTerritoryUi newTerritory;
    float pointScale = 1.0f;
    MapCamera camera;
    bool cameraFitted = false;
    MapTool tool = MapTool::Pan;
    MapLayers layers;
    PlanMetric balanceMetric = PlanMetric::Potential; // the deviation bars of the metrics panel
    int metricsLevel = 0;                               // 0 territories, 1 districts, 2 regions
    std::int64_t hoveredAccount = -1;
    Selection selection;
    std::int32_t selectedTerritory = -1; // active scenario territories row
    DataUi data; // import, data quality and the data table
    TestTargets targets; // named controls as drawn, for the test hook (app/widgets.hpp)
    std::string statusMessage;
    double statusUntil = 0; // ms
    // Frame statistics for the status bar and the test hook.
    std::uint64_t frames = 0;
    double lastFrameMs = 0; // building and rendering the UI
    double avgFrameMs = 0;
    double lastWorkMs = 0; // the frame's work before the UI: job slices (and their results), autosave
    // Wall time of the last frame that drew the map afresh (from its start to the next frame's,
    // less its work; the longer of it and the frame after, which a pipelined draw may hold up):
    // what a changed map costs, GPU and presentation included (seconds for a big map drawn in
    // software). Live previews are spaced by it.
    double fullDrawFrameMs = 0;
    // WebGL is drawn without a GPU (platform::softwareRendering()): the map groups accounts from a
    // lower count, and while the camera moves it shows its last image moved instead of drawing.
    bool softwareRendering = false;
    FrameProfile profile;
    double lastEditMs = 0; // core time of the last edit (command + metrics update)
    std::uint64_t dataVersion = 0; // bumped whenever the workspace or the active scenario changes
    QuotaUi quota;                 // quota and capacity panels (app/quota_ui.hpp)
    OptimiseUi optimise;           // the territory optimiser window (app/optimise_ui.hpp)
    CompUi comp;                   // the compensation panel (app/comp/comp_ui.hpp)
    ForecastUi forecast;           // the Forecast workspace (app/analyse/forecast_ui.hpp)
};

} // namespace terrane
