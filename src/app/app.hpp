// The studio: owns the workspace and the UI state, lays out the panels, renders the map.
#pragma once

#include "app/map_view.hpp"
#include "app/theme.hpp"
#include "app/ui_state.hpp"
#include "core/metrics.hpp"
#include "core/sample.hpp"
#include "core/summary.hpp"
#include "core/workspace.hpp"

#include <string>
#include <string_view>
#include <unordered_map>

namespace terrane {

class App {
  public:
    // Needs a current GL context and ImGui context; loads the built-in sample workspace.
    bool init(float pixelRatio, bool prefersDark);
    // Builds one frame of UI for a framebuffer of fbW x fbH and renders it.
    void frame(int fbW, int fbH, double nowMs);
    void setPixelRatio(float pixelRatio);
    // A JSON snapshot for tests and diagnostics (window.terrane.state()).
    std::string stateJson() const;
    // Where account `row` is drawn, in CSS pixels: {"x":..,"y":..,"visible":..} (for tests).
    std::string accountScreenJson(std::int64_t row) const;
    const std::string& error() const { return m_error; }

    // For panels.
    Workspace& workspace() { return m_ws; }
    const Workspace& workspace() const { return m_ws; }
    UiState& ui() { return m_ui; }
    const Fonts& fonts() const { return m_fonts; }
    MapView& map() { return m_map; }
    const WorkspaceSummary& summary() const { return m_summary; }
    const std::vector<TerritoryTotals>& territoryTotals() const { return m_totals; }
    const SampleOptions& sampleOptions() const { return m_sample; }

    void loadSample(const SampleOptions& opt);
    void selectAccount(std::int64_t row);
    void selectTerritory(std::int32_t row);
    void setTheme(Theme theme);
    void notify(std::string message);
    // Display name of a rep id ("R0001" -> "Priya Wilson"); the id itself when unknown.
    std::string repName(std::string_view repId) const;
    // Recomputes everything derived from the workspace (after any data change).
    void workspaceChanged();

  private:
    void layout(int fbW, int fbH);
    Workspace m_ws;
    UiState m_ui;
    Fonts m_fonts;
    MapView m_map;
    WorkspaceSummary m_summary;
    std::vector<TerritoryTotals> m_totals;
    SampleOptions m_sample;
    std::string m_error;
    bool m_fontsDirty = false;
};

// Panels: one file each (panel_*.cpp).
void drawMenuBar(App& app);
void drawSidebar(App& app, const ImVec2& pos, const ImVec2& size);
void drawInspector(App& app, const ImVec2& pos, const ImVec2& size);
void drawStatusBar(App& app, const ImVec2& pos, const ImVec2& size);
void drawAboutWindow(App& app);
void drawSampleDialog(App& app);

} // namespace terrane
