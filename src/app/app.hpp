// The studio: owns the workspace and the UI state, lays out the panels, renders the map.
#pragma once

#include "app/import_flow.hpp"
#include "app/map_view.hpp"
#include "app/theme.hpp"
#include "app/ui_state.hpp"
#include "core/job.hpp"
#include "core/metrics.hpp"
#include "core/sample.hpp"
#include "core/summary.hpp"
#include "core/workspace.hpp"

#include <deque>
#include <functional>
#include <memory>
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
    // Applies a plan edit to the active scenario (the baseline is never edited: the first edit
    // makes a copy and switches to it). Shows the error in the status bar if core refuses it.
    bool runCommand(Command cmd, std::string note = {});
    void undo();
    void redo();
    void setActiveScenario(std::size_t index);
    // Long work: runs in slices every frame with a progress bar and a cancel button.
    // `done` runs on the main loop when the job finishes or is cancelled.
    void startJob(std::unique_ptr<Job> job, std::function<void(Job&)> done);
    const Job* currentJob() const { return m_jobs.empty() ? nullptr : m_jobs.front().job.get(); }
    void cancelJob();
    // True while something needs frames without input (a job running).
    bool wantsFrames() const { return !m_jobs.empty(); }
    void selectAccount(std::int64_t row);
    void selectTerritory(std::int32_t row);
    void setTheme(Theme theme);
    void notify(std::string message);
    // Records the last drawn item under `id` for the test hook (state().targets).
    void markTarget(std::string id);
    // Display name of a rep id ("R0001" -> "Priya Wilson"); the id itself when unknown.
    std::string repName(std::string_view repId) const;
    // Recomputes everything derived from the workspace (after any data change).
    void workspaceChanged();

    // Import and data quality (app_import.cpp). Files from the picker or a drop are queued for
    // the mapping dialog; confirming starts an ImportJob whose result replaces that dataset.
    // `sha256` (hex) when the host computed it already, else empty.
    void onFileLoaded(std::string name, std::string bytes, std::string sha256 = {});
    ImportFlow& imports() { return m_imports; }
    const ImportFlow& imports() const { return m_imports; }
    void setPendingKind(DatasetKind kind);
    void setPendingField(std::size_t field, int column);
    void setPendingDateOrder(DateOrder order);
    void confirmImport(); // the first queued file, as the dialog shows it
    void skipImport();    // drops the first queued file
    void downloadRejects(std::size_t record);
    void setAmbiguousDateOrder(DateOrder order);
    void setStaleDays(int days);
    // Re-runs the data-quality checks in the background.
    void runHygiene();
    void mergeSpelling(std::size_t finding, std::size_t group);
    // Highlights the accounts of a finding on the map (-1 clears).
    void highlightFinding(int finding);
    void highlightAccounts(std::vector<std::uint32_t> rows, std::string label);
    // Recomputes a data table's visible rows; the accounts table's filter dims the map.
    void refreshTable(DatasetKind kind);
    // The date the checks treat as today: the sample's as-of date, else the calendar date.
    Date hygieneAsOf() const;
    // JSON of the import state for the test hook.
    std::string importStateJson() const;

  private:
    void layout(int fbW, int fbH);
    void stepJobs();
    struct PendingJob {
        std::unique_ptr<Job> job;
        std::function<void(Job&)> done;
    };
    std::deque<PendingJob> m_jobs;
    Workspace m_ws;
    UiState m_ui;
    Fonts m_fonts;
    MapView m_map;
    WorkspaceSummary m_summary;
    std::vector<TerritoryTotals> m_totals;
    SampleOptions m_sample;
    std::string m_error;
    bool m_fontsDirty = false;
    ImportFlow m_imports;
    bool m_sampleWorkspace = true; // the workspace is the generated sample
};

// Panels: one file each (panel_*.cpp).
void drawMenuBar(App& app);
void drawSidebar(App& app, const ImVec2& pos, const ImVec2& size);
void drawInspector(App& app, const ImVec2& pos, const ImVec2& size);
void drawStatusBar(App& app, const ImVec2& pos, const ImVec2& size);
void drawAboutWindow(App& app);
void drawSampleDialog(App& app);
void drawImportDialog(App& app);
// The right data panel (panel_data_panel.cpp) with its two tabs' contents.
void drawDataPanel(App& app, const ImVec2& pos, const ImVec2& size);
void drawImportReports(App& app);
void drawDataQuality(App& app);
void drawDataTable(App& app, const ImVec2& pos, const ImVec2& size);

} // namespace terrane
