// The map canvas: account points coloured by territory (or segment, tier, customer status),
// territory areas, heat map and state choropleth, labels, home bases, legend; camera, hover,
// selection tools (click, Shift+click, box, lasso) and the selection's edit actions.
#pragma once

#include "app/map/county_layer.hpp"
#include "app/map/map_renderer.hpp"
#include "app/ui_state.hpp"
#include "core/geo/spatial.hpp"
#include "core/scenario/workspace.hpp"

#include <imgui.h>
#include <array>
#include <string>
#include <unordered_map>
#include <vector>

namespace terrane {

class App;

// A workspace's per-account map data: positions, sizes, draw order, spatial index, territory
// shapes, home bases, and the colours and point instances. Built in parts (MapView::buildStep)
// beside the open workspace, with the colours and instances as drawn with nothing selected or
// highlighted; then adopted at once by the view, which keeps them as drawn from there on.
struct MapData {
    struct TerritoryShape {
        double cx = 0, cy = 0;                           // centre (mean of member positions)
        double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9; // bounding box
        double n = 0;
    };
    struct HomeBase {
        double x, y;
        std::int32_t territory;
        std::string label;
    };
    std::vector<double> x, y;             // Web Mercator (NaN when unplaced)
    std::vector<float> size;              // CSS pixels
    std::vector<std::uint32_t> sizeOrder; // placed accounts, biggest disc first
    PointGrid grid;                       // views x and y: it stays valid when they are moved
    std::array<std::size_t, 6> precisionCounts{}; // by GeoPrecision
    bool hasPrecision = false;                    // the accounts carry geo_precision
    std::vector<std::uint8_t> coarse; // per account: placed at a region or country centre (drawn hollow)
    std::vector<HomeBase> homes;
    std::vector<TerritoryShape> shapes; // territories row -> shape
    std::array<double, 4> fitBox{0.17, 0.36, 0.36, 0.44}; // what fit() frames: x0, y0, x1, y1 (contiguous US)
    // Colours and instances (complete when `colored`), for the layer settings in `layers`.
    std::vector<Rgba8> palette;                // [0] unassigned; territory colours or category colours
    std::vector<Rgba8> territoryColors;        // territories row -> colour (always the territory colours)
    std::vector<std::int32_t> slotOfTerritory; // territories row -> palette slot (territory colouring)
    std::unordered_map<std::string, int> colorSlots; // territory id -> palette entry
    std::vector<std::uint16_t> color;                // per account: palette index
    std::vector<PointInstance> instances;            // in draw order
    bool colored = false;
    std::string layers;
    int stage = 0; // next part to build
};

struct PointFlags; // what the points' flags show (map_data.cpp)

// An account's two owners, as the inspector and the map tooltip both name them: the CRM's
// account owner (the accounts file's owner column) and the plan's territory owner (the rep who
// owns the account's territory in the active scenario). Rep names where known.
struct AccountOwners {
    static constexpr const char* kCrmLabel = "Account owner (CRM)";
    static constexpr const char* kPlanLabel = "Territory owner (plan)";
    std::string crm, plan;
};
AccountOwners accountOwners(const App& app, std::size_t row);

class MapView {
  public:
    bool init(); // GL resources; false with error() on failure
    const std::string& error() const { return m_renderer.error(); }

    // Recomputes positions, sizes and colours from the workspace (after loads and structural edits).
    void rebuild(App& app);
    // Builds the next part of `d` for `ws` (its reference scenario `reference`, `ui`'s layers);
    // true when `d` is complete. Touches no GL state and nothing of the open workspace.
    static bool buildStep(MapData& d, const Workspace& ws, const AccountValues& values, const UiState& ui,
                          std::size_t reference);
    // Takes complete data built for the workspace that is now open; clears the highlight, table
    // filter and preview. Uses its colours and instances when nothing is selected and the layer
    // settings are still those it was built for.
    void adopt(App& app, MapData&& d);
    // Recomputes colours and flags (selection, dimming, changes, locks) and re-uploads points.
    // `areas`: also redraw the territory areas and choropleths (not for a passing preview).
    void refreshColors(App& app, bool areas = true);
    // A new workspace: territories are coloured afresh (the colours kept by id are forgotten).
    void forgetTerritoryColors() { m_data.colorSlots.clear(); }
    // After accounts changed territory: updates territory centres and colours.
    void accountsMoved(App& app, const std::vector<std::uint32_t>& accounts);
    // After these accounts were selected or deselected: redraws their points only.
    void selectionChanged(App& app, const std::vector<std::uint32_t>& changed);
    // Builds the ImGui side of the canvas inside the rect (framebuffer pixels): input, overlays.
    void drawUi(App& app, const ImVec2& pos, const ImVec2& size);
    // Draws the GL layers into the rect recorded by the last drawUi().
    void render(const UiState& ui, int framebufferHeight);
    void fit(UiState& ui) const;
    // The current view rendered offscreen at `k` times the resolution with labels, home bases,
    // legend and a title, encoded as PNG; empty on failure.
    std::string exportPng(App& app, float k);

    // Emphasises these accounts (amber ring, drawn on top) and dims the others; empty clears.
    void setHighlight(App& app, std::vector<std::uint32_t> accountRows);
    const std::vector<std::uint32_t>& highlight() const { return m_highlight; }
    // Moves the camera to show the highlighted accounts (no change when none is placed).
    void fitHighlight(UiState& ui) const;
    // Dims accounts whose entry is 0 (a data-table filter); an empty mask shows all.
    void setFilterMask(App& app, std::vector<std::uint8_t> visible);
    std::size_t filteredOut() const { return m_filteredOut; }
    // Colours the accounts by this assignment (scenario territory rows) instead of the active
    // scenario's: the optimiser's live preview and the rebalance proposal. Empty returns to it.
    void setPreview(App& app, std::vector<std::int32_t> rows);
    bool previewing() const { return !m_preview.empty(); }

    std::size_t pointCount() const { return m_drawOrder.size(); }
    std::size_t drawnCount() const { return m_drawn; }
    // Frames where the map was drawn in full, and where its cached image was copied.
    std::uint64_t fullDraws() const { return m_renderer.fullDraws(); }
    std::uint64_t cachedDraws() const { return m_renderer.cachedDraws(); }
    std::uint64_t interimDraws() const { return m_renderer.interimDraws(); }
    const MapRect& rect() const { return m_rect; }
    std::size_t placeLabels() const { return m_placeLabels; }
    // Boxes (screen pixels, x0 y0 x1 y1) of the labels and place names drawn in the last frame,
    // and of the legend and the toolbar they keep clear of.
    const std::vector<ImVec4>& labelBoxes() const { return m_labelBoxes; }
    ImVec4 legendBox() const { return m_legendBox; }
    ImVec4 toolbarBox() const { return m_toolbarBox; }
    // Accounts by GeoPrecision (all zero when the accounts carry no geo_precision).
    const std::array<std::size_t, 6>& precisionCounts() const { return m_data.precisionCounts; }
    // Colour of a territory (scenario territories row) as drawn, for lists and legends.
    ImU32 territoryColor(std::int32_t territoryRow) const;
    ImVec2 worldToScreen(const MapCamera& cam, double wx, double wy) const;

  private:
    using TerritoryShape = MapData::TerritoryShape;
    using HomeBase = MapData::HomeBase;
    void computeShapes(const Scenario& sc);
    void computePalette(App& app);
    void uploadInstances(App& app);
    // After m_data.instances changed: groups them (large workspaces) and uploads what is drawn.
    void pointsChanged(UiState& ui);
    // The per-account arrays match the workspace, so single points can be rebuilt in place.
    bool canPatch(const App& app) const;
    // Rebuilds these accounts' points (colour from m_data.color, flags), then pointsChanged().
    void patchPoints(App& app, const std::vector<std::uint32_t>& accounts);
    PointFlags pointFlags(const UiState& ui) const;
    // For very large workspaces, draws one disc per (cell, colour) at low zoom.
    void updateAggregation(UiState& ui);
    void updateRaster(App& app);
    // Full draws are slow here (software rendering, or a measured frame over kSlowFullDrawMs).
    static bool slowDraws(const UiState& ui);
    void updateChoropleth(App& app);
    void handleInput(App& app, const ImVec2& pos, const ImVec2& size);
    void drawOverlays(App& app, const ImVec2& pos, const ImVec2& size);
    void drawToolbar(App& app, const ImVec2& pos);
    void drawSelectionBar(App& app, const ImVec2& pos, const ImVec2& size);
    // Legend in the rect's bottom-left corner; `k` scales sizes (2 for a 2x export).
    void drawLegend(App& app, ImDrawList* dl, const ImVec2& pos, const ImVec2& size, float k);
    // Home bases and territory labels for `cam` in `rect`; returns the hovered home base (interactive).
    std::int64_t drawAnnotations(App& app, ImDrawList* dl, const MapCamera& cam, const MapRect& rect, float k, bool interactive);
    // City names from the gazetteer when zoomed in, largest first, clear of the boxes in `placed`
    // (which they join); `interactive` records the count for placeLabels().
    void drawPlaceNames(App& app, ImDrawList* dl, const MapCamera& cam, const MapRect& rect, float k,
                        std::vector<ImVec4>& placed, bool interactive);
    void contextMenu(App& app);

    MapRenderer m_renderer;
    CountyLayer m_counties;
    bool m_countiesColored = false; // the county choropleth's colours are set
    std::uint64_t m_framesShown = 0; // frames drawUi has drawn
    MapRect m_rect{0, 0, 0, 0};
    // The open workspace's map data, its colours and instances as drawn; its colour slots are
    // kept by territory id through edits and rebuilds until forgetTerritoryColors().
    MapData m_data;
    std::vector<std::uint32_t> m_drawOrder; // instance -> account (placed accounts, big first)
    std::vector<PointInstance> m_aggregate; // low-zoom aggregation for very large workspaces
    int m_aggregateLevel = -1;
    bool m_aggregated = false;
    std::size_t m_drawn = 0;
    MapCamera m_lastCamera;      // the camera at the previous drawUi()
    bool m_cameraMoving = false; // it changed in this frame
    static constexpr std::uint32_t kNoInstance = 0xFFFFFFFFu;
    std::vector<std::uint32_t> m_instanceOf;     // account -> index in m_drawOrder (kNoInstance: not placed)
    std::vector<std::uint32_t> m_highlight;      // account rows
    std::vector<std::uint8_t> m_isHighlighted;   // per account
    std::vector<std::uint8_t> m_visible;         // per account; empty = no filter
    std::size_t m_filteredOut = 0;
    std::vector<std::int32_t> m_preview; // per account, or empty
    void orderInstances();
    // Area raster state.
    bool m_rasterDirty = true;
    double m_rasterScale = 0, m_rasterRect[4] = {0, 0, 0, 0};
    AreaLayer m_rasterLayer = AreaLayer::None;
    std::vector<double> m_stateValues; // per renderer state feature, for the legend
    double m_areaMax = 0;
    // Interaction.
    bool m_dragging = false, m_boxing = false, m_lassoing = false;
    ImVec2 m_dragStart{0, 0};
    std::vector<ImVec2> m_lasso;
    std::int64_t m_contextAccount = -1;
    // Where the toolbar and the legend were drawn (screen pixels, x0 y0 x1 y1): labels keep clear.
    ImVec4 m_toolbarBox{0, 0, 0, 0}, m_legendBox{0, 0, 0, 0};
    std::vector<std::uint32_t> m_placeOrder; // gazetteer cities, most populous first
    std::size_t m_placeLabels = 0;           // place names on screen in the last frame
    std::vector<ImVec4> m_labelBoxes;        // territory labels and place names on screen (x0 y0 x1 y1)
};

} // namespace terrane
