// The map canvas: account points coloured by territory, camera, hover and selection.
#pragma once

#include "app/map_renderer.hpp"
#include "app/ui_state.hpp"
#include "core/spatial.hpp"
#include "core/workspace.hpp"

#include <imgui.h>

#include <array>
#include <vector>

namespace terrane {

class App;

class MapView {
  public:
    bool init(); // GL resources; false with error() on failure
    const std::string& error() const { return m_renderer.error(); }

    // Recomputes positions, colours and sizes from the workspace (after any data change).
    void rebuild(const Workspace& ws, const Scenario& scenario, Theme theme);
    // Re-uploads selection flags only.
    void refreshFlags(const UiState& ui);
    // Builds the ImGui side of the canvas inside `rect` (screen pixels): input, tooltip, legend.
    void drawUi(App& app, const ImVec2& pos, const ImVec2& size);
    // Draws the GL layers into the rect recorded by the last drawUi().
    void render(const UiState& ui, int framebufferHeight);
    void fit(UiState& ui) const;

    // Emphasises these accounts (amber ring, drawn on top) and dims the others; empty clears.
    void setHighlight(std::vector<std::uint32_t> accountRows, const UiState& ui);
    const std::vector<std::uint32_t>& highlight() const { return m_highlight; }
    // Moves the camera to show the highlighted accounts (no change when none is placed).
    void fitHighlight(UiState& ui) const;
    // Dims accounts whose entry is 0 (a data-table filter); an empty mask shows all.
    void setFilterMask(std::vector<std::uint8_t> visible, const UiState& ui);
    std::size_t filteredOut() const { return m_filteredOut; }

    std::size_t pointCount() const { return m_x.size(); }
    const MapRect& rect() const { return m_rect; }
    // Territory colour (palette entry) of a territories-table row, for legends and lists.
    ImU32 territoryColor(std::int32_t territoryRow) const;
    // World <-> screen (framebuffer pixels) for the current camera.
    ImVec2 worldToScreen(const MapCamera& cam, double wx, double wy) const;

  private:
    MapRenderer m_renderer;
    MapRect m_rect{0, 0, 0, 0};
    std::vector<double> m_x, m_y;            // per account, Web Mercator (NaN when unplaced)
    std::vector<float> m_size;               // per account, CSS pixels
    std::vector<std::uint16_t> m_color;      // per account, palette index
    std::vector<std::uint32_t> m_sizeOrder;  // placed accounts, biggest disc first
    std::vector<std::uint32_t> m_drawOrder;  // instance -> account
    std::vector<PointInstance> m_instances;
    std::vector<Rgba8> m_palette;            // [0] unassigned, [1 + leaf index] territories
    std::vector<std::int32_t> m_paletteOfTerritory; // territories row -> palette index
    PointGrid m_grid;
    bool m_dragging = false;
    std::vector<std::uint32_t> m_highlight;  // account rows
    std::vector<std::uint8_t> m_isHighlighted; // per account
    std::vector<std::uint8_t> m_visible;       // per account; empty = no filter
    std::size_t m_filteredOut = 0;
    std::array<std::size_t, 6> m_precisionCounts{}; // by GeoPrecision
    bool m_hasPrecision = false;                     // the accounts carry geo_precision
    void orderInstances();
};

} // namespace terrane
