// Everything the UI remembers between frames that is not part of the model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace terrane {

enum class Theme : std::uint8_t { Dark, Light };

struct MapCamera {
    double centerX = 0.25, centerY = 0.4; // Web Mercator units
    double scale = 4000.0;                // framebuffer pixels per world unit
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
    std::string statusMessage;
    double statusUntil = 0; // ms
    // Frame statistics for the status bar and the test hook.
    std::uint64_t frames = 0;
    double lastFrameMs = 0;
    double avgFrameMs = 0;
};

} // namespace terrane
