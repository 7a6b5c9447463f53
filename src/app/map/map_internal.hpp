// Helpers shared by the map canvas's source files (map_view.cpp and its map_*.cpp parts).
#pragma once

#include "app/map/palette.hpp"
#include "app/ui_state.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace terrane {

// From this zoom (framebuffer pixels per world unit, per unit of pixel ratio: about three times
// the contiguous-US view) the map shows place names and, over the US, county borders.
inline constexpr double kDetailZoom = 20000;

// Sequential ramp for heat map and choropleth: pale yellow -> orange -> deep red.
inline Rgba8 ramp(double t, std::uint8_t alpha) {
    t = std::clamp(t, 0.0, 1.0);
    static constexpr double kStops[][3] = {{255, 237, 160}, {254, 178, 76}, {240, 59, 32}, {150, 0, 38}};
    const double s = t * 3.0;
    const int i = std::min(2, static_cast<int>(s));
    const double f = s - i;
    auto lerp = [&](int c) {
        return static_cast<std::uint8_t>(kStops[i][c] + (kStops[i + 1][c] - kStops[i][c]) * f);
    };
    return Rgba8{lerp(0), lerp(1), lerp(2), alpha};
}

// The layer settings that colours and instances depend on (besides selection and highlight).
inline std::string layersKey(const UiState& ui, std::size_t reference) {
    return std::to_string(static_cast<int>(ui.layers.coloring)) + "," +
           std::to_string(static_cast<int>(ui.layers.sizeBy)) + "," + (ui.layers.changesOnly ? "c" : "-") +
           "," + std::to_string(static_cast<int>(ui.theme)) + "," + std::to_string(reference);
}

} // namespace terrane
