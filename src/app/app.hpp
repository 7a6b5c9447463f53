// The studio: owns the workspace and the UI state, lays out the panels, renders the map.
#pragma once

#include "app/data/import_flow.hpp"
#include "app/map/map_view.hpp"
#include "app/theme.hpp"
#include "app/ui_state.hpp"
#include "core/base/job.hpp"
#include "core/geo/geocode.hpp"
#include "core/scenario/metrics.hpp"
#include "core/scenario/sample.hpp"
#include "core/scenario/scenario_file.hpp"
#include "core/scenario/summary.hpp"
#include "core/scenario/workspace.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace terrane {

class App;

// A workspace and what the app derives from it (summary, account values, metrics, map data),
// built in slices beside the open workspace so that a big import or sample is never built in one
// frame; App::adoptPrepared() then makes it the open workspace at once (app_prepare.cpp).
class PrepareJob : public Job {
  public:
    // Fills the new workspace; called with the slice's budget until it returns true. May throw:
    // the job then ends with error().
    using Source = std::function<bool(Workspace&, double budgetMs)>;
    PrepareJob(App& app, std::string title, Source source);
    std::string title() const override { return m_title; }
    bool step(double budgetMs) override;
    double progress() const override;
    std::string detail() const override;
    const std::string& error() const { return m_error; }

    Workspace ws;
    WorkspaceSummary summary;
    AccountValues values;
    PlanMetricsTracker tracker;
    MapData map;
    std::size_t reference = 0; // the reference scenario the metrics and the map compare with
    bool newWorkspace = false;  // replaces the open workspace: compare with its baseline (reference 0)
    // The app's data and datasets versions when the source started (to tell whether the open
    // workspace changed since).
    std::uint64_t dataVersion = 0, datasetsVersion = 0;

  private:
    bool advance(double budgetMs); // one part; false once finished
    App& m_app;
    std::string m_title, m_error;
    Source m_source;
    int m_stage = 0;
    std::size_t m_next = 0; // row of the stage's next chunk
};

class App {
  public:
    // Needs a current GL context and ImGui context; loads the built-in sample workspace.
    bool init(float pixelRatio, bool prefersDark);
    // Opens the sample workspace; the page calls it once the gazetteer (geo.tsv) is there, or
    // has failed to load (`placesLoaded` false: locations are not geocoded, and it says so).
    void start(bool placesLoaded);
    // Builds one frame of UI for a framebuffer of fbW x fbH and renders it.
    void frame(int fbW, int fbH);
    void setPixelRatio(float pixelRatio);
    // A JSON snapshot for tests and diagnostics (window.terrane.state()).
    std::string stateJson() const;
    // Where account `row` is drawn, in CSS pixels: {"x":..,"y":..,"visible":..} (for tests).
    std::string accountScreenJson(std::int64_t row) const;
    // The metrics panel's figures as JSON (the same document `terrane metrics --json` prints).
    std::string metricsJson() const;
    // Territory id -> colour on the map ("#rrggbb"), for the active scenario's territories.
    std::string territoryColorsJson() const;
    const std::string& error() const { return m_error; }
    // Forgets the slowest frame (state().slowest_frame), so a benchmark can time one action.
    void resetFrameStats();

    // For panels.
    Workspace& workspace() { return m_ws; }
    const Workspace& workspace() const { return m_ws; }
    UiState& ui() { return m_ui; }
    const UiState& ui() const { return m_ui; }
    const Fonts& fonts() const { return m_fonts; }
    MapView& map() { return m_map; }
    const WorkspaceSummary& summary() const { return m_summary; }
    const PlanMetrics& metrics() const { return m_tracker.metrics(); }
    // Figures of any scenario against the baseline (cached until that scenario changes).
    const PlanMetrics& metricsFor(std::size_t scenario);
    const AccountValues& accountValues() const { return m_values; }
    const SampleOptions& sampleOptions() const { return m_sample; }

    // Workspaces with at least this many accounts are prepared in slices (PrepareJob).
    static constexpr std::size_t kPrepareInSlicesAbove = 100000;
    void loadSample(const SampleOptions& opt);
    // Opens a .terrane file; on any problem the current workspace stays as it was and the
    // reason is shown. A file that opens starts in review mode.
    bool openScenarioFile(const std::string& name, std::string_view bytes);
    // The workspace as a .terrane document (with the review trail) and its download.
    std::string scenarioFileText(const SaveOptions& opt) const;
    // `fileName` names the download (the extension is added when missing; "" names it after the
    // title).
    void saveScenarioFile(const SaveOptions& opt, const std::string& fileName = {});
    // Adds a comment or approval to the review trail, sealed to the current plan content.
    void addReview(ReviewEntry entry);
    // The file the workspace came from, its integrity and review trail.
    struct OpenedFile {
        std::string name;
        ScenarioFileMeta meta;
        bool tampered = false, changedAfterApproval = false;
        std::string reviewProblem;
        int migratedFrom = 0;
        std::vector<std::string> warnings; // the load's warnings, results that differ included
        std::size_t resultsDifferences = 0; // saved results the plan does not give
    };
    const OpenedFile& openedFile() const { return m_file; }
    const std::vector<ReviewEntry>& review() const { return m_review; }
    std::string currentContentHash() const;
    // Autosave to browser storage: the datasets when they change, the rest after every edit.
    void restoreAutosave(std::string_view state, std::string_view datasets, std::string_view uiLayout);
    // Writes the plan part and the UI layout at once, without waiting for a pause (the page is
    // being hidden or closed). Only when the stored datasets are the open ones: the plan is
    // stored to go with them.
    void flushAutosave();
    // True while the plan has changes not yet handed to browser storage.
    bool planUnsaved() const;
    void onStorageResult(bool ok, const std::string& message);
    void clearLocalData();
    void exportStandalone(const SaveOptions& opt, const std::string& fileName = {});
    std::string uiLayoutJson() const;
    void applyUiLayout(std::string_view json);
    const std::string& storageStatus() const { return m_storageStatus; }
    bool storageOk() const { return m_storageOk; }
    bool isSampleWorkspace() const { return m_sampleWorkspace; } // the generated sample, not the user's data
    // Progress (0..1) of the datasets being written for this browser's storage; -1 when idle.
    double savingDatasets() const { return m_datasetsWriter ? m_datasetsWriter->progress() : -1.0; }
    // Scenario management.
    void renameScenario(std::size_t index, std::string name);
    void deleteScenario(std::size_t index);
    void setReferenceScenario(std::size_t index);
    // Applies a plan edit to the active scenario (the baseline is never edited: the first edit
    // makes a copy and switches to it). Shows the error in the status bar if core refuses it.
    bool runCommand(Command cmd, std::string note = {});
    // Undo and redo of plan edits and of data edits (location fixes) in the order they were made.
    void undo();
    void redo();
    bool canUndo() const;
    bool canRedo() const;
    std::string undoDescription() const; // "" when nothing to undo
    std::string redoDescription() const;
    // Location fixes (app_locations.cpp): suggestions for accounts that could not be placed or
    // whose postcode disagrees with their state or town; applying one is an undoable data edit.
    const std::vector<LocationFix>& locationFixes();
    void applyLocationFix(std::size_t index);
    void setActiveScenario(std::size_t index);
    void setMetricsOptions(const MetricsOptions& opt);

    // Selection of accounts.
    void select(const std::vector<std::uint32_t>& accounts, SelectMode mode);
    void toggleAccount(std::int64_t row);
    void clearSelection();
    std::vector<std::uint32_t> selectedAccounts() const;
    void selectTerritory(std::int32_t row);
    // Selects one account alone and shows it in the inspector (from a table or a finding).
    void focusAccount(std::int64_t row);
    // Plan edits on the selection.
    // Locked accounts in the selection stay where they are; the others move.
    void moveSelectionTo(std::int32_t territory, std::string note = {});
    std::size_t lockedInSelection() const;
    // Offers the active scenario's assignment as a CSV download for CRM re-import.
    void exportAssignment();
    // Renders the current map view at twice the resolution, with labels and legend, after this
    // frame, and offers it as a PNG download.
    void exportMapPng() { m_exportPng = true; }
    void lockSelection(bool locked);
    // Points the camera at the accounts of a territory (or a district/region: all leaves under it).
    void flyToTerritory(std::int32_t territoryRow);

    // Long work: runs in slices every frame with a progress bar and a cancel button.
    // `done` runs on the main loop when the job finishes or is cancelled.
    // `next`: ahead of the queued jobs (after the one running).
    void startJob(std::shared_ptr<Job> job, std::function<void(Job&)> done, bool next = false);
    // Runs a workspace preparation at once when `big` is false, otherwise in slices ahead of the
    // queued jobs; `done` runs either way (it adopts the result unless the job failed or was cancelled).
    void startPrepare(std::unique_ptr<PrepareJob> job, bool big, std::function<void(PrepareJob&)> done);
    // Makes a prepared workspace the open one, with its derived data (workspaceChanged() without
    // the recomputation).
    void adoptPrepared(PrepareJob& job);
    // True while a workspace is being prepared in slices (a big import's commit or sample).
    bool preparing() const;
    std::uint64_t datasetsVersion() const { return m_datasetsVersion; }
    const Job* currentJob() const { return m_jobs.empty() ? nullptr : m_jobs.front().job.get(); }
    void cancelJob();
    // True while something needs frames without input (a job running).
    bool wantsFrames() const { return !m_jobs.empty(); }

    void setTheme(Theme theme);
    void notify(std::string message);
    // Display name of a rep id ("R0001" -> "Priya Wilson"); the id itself when unknown.
    std::string repName(std::string_view repId) const;
    // Recomputes everything derived from the workspace (after a load or a structural edit).
    void workspaceChanged();
    // Recolours the map points (layer settings or selection changed).
    void refreshMap();

    // Import and data quality (app_import.cpp). Files from the picker or a drop are queued for
    // the mapping dialog; confirming starts an ImportJob whose result replaces that dataset.
    // `sha256` (hex) when the host computed it already, else empty.
    void onFileLoaded(std::string name, std::string bytes, std::string sha256 = {});
    ImportFlow& imports() { return m_imports; }
    const ImportFlow& imports() const { return m_imports; }
    void setPendingKind(DatasetKind kind);
    void setPendingField(std::size_t field, int column);
    void setPendingDateOrder(DateOrder order);
    void setPendingDelimiter(char delimiter); // 0: as detected
    void setPendingMultiplier(const std::string& field, double factor); // 1: as written
    // The user's meaning of a stage: in the pending file's stage table, or in the workspace's
    // (its opportunities' outcomes are re-derived; summary and data quality follow).
    void setPendingStage(const StageRow& row);
    void setWorkspaceStage(const StageRow& row);
    void confirmImport(); // the first queued file, as the dialog shows it
    void skipImport();    // drops the first queued file
    // A finished import into a dataset that already holds rows waits for the user's choice
    // (ImportFlow::awaitingMode): replace, add or update by id; cancel changes nothing.
    void chooseImportMode(ImportMode mode);
    void cancelImportMode();
    // Every data-quality finding with its rows, as a CSV download.
    void downloadFindings();
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
    void autosave(double nowMs);
    std::string autosaveSignature() const;
    std::string planSignature() const;
    // Stores the UI layout and, when it changed, the plan part; `sig` becomes the saved signature.
    void writeAutosave(const std::string& sig);
    void stepJobs();
    // The end of workspaceChanged() and adoptPrepared(): selection, map (`map`: adopted, else
    // rebuilt), highlight and tables follow the workspace.
    void derivedChanged(MapData* map);
    // Commits an import through a PrepareJob (again, from the workspace as it is then, when the
    // open workspace changed while it was prepared). Into a dataset that holds rows, without a
    // `mode`, it waits for the user's choice instead (ImportFlow::awaitingMode).
    void prepareImport(const std::string& name, std::shared_ptr<StringPool> pool,
                       std::shared_ptr<ImportResult> res, std::optional<ImportMode> mode = {});
    // Updates metrics and the map after `cmd` moved accounts, without a full pass.
    void afterCommand(const Command& cmd, bool undone);
    Workspace m_ws;
    UiState m_ui;
    Fonts m_fonts;
    MapView m_map;
    WorkspaceSummary m_summary;
    AccountValues m_values;
    PlanMetricsTracker m_tracker;
    SampleOptions m_sample;
    std::string m_error;
    bool m_fontsDirty = false;
    bool m_exportPng = false;
    struct PendingJob {
        std::shared_ptr<Job> job; // JobHandles watch it; it ends when it leaves the queue
        std::function<void(Job&)> done;
    };
    std::deque<PendingJob> m_jobs;
    double m_lastJobStepAt = 0, m_lastJobSlice = 0; // when the job last stepped, and for how long
    double m_frameStartedAt = 0;  // wall clock at the start of the previous frame
    bool m_frameDrewMap = false;  // the previous frame drew the map afresh
    int m_framesAfterDraw = 0;    // 1 while the frame after such a frame is still to be measured
    bool m_inJobDone = false;                       // in a finished job's done callback
    struct CachedMetrics {
        std::size_t scenario, cursor, logSize;
        std::string name;
        PlanMetrics metrics;
    };
    std::vector<CachedMetrics> m_metricsCache;
    OpenedFile m_file;
    std::uint64_t m_datasetsVersion = 1, m_savedDatasetsVersion = 0;
    // Autosave writes big datasets across frames; the writer belongs to m_writerVersion.
    std::unique_ptr<DatasetsJsonWriter> m_datasetsWriter;
    std::uint64_t m_writerVersion = 0;
    std::string m_savedSignature, m_lastSignature;
    double m_changedAt = 0;
    bool m_storageOk = true;
    std::string m_storageStatus;
    std::vector<ReviewEntry> m_review;
    ImportFlow m_imports;
    bool m_sampleWorkspace = true; // the workspace is the generated sample
    // Applied location fixes, undone and redone between plan edits: an entry counts while the
    // datasets are at its `version` (anything else that changes them makes the stacks stale).
    struct LocationEdits {
        struct Entry {
            LocationEdit edit;
            std::size_t cursor;     // the active scenario's edits in effect when it was made
            std::uint64_t version;  // m_datasetsVersion with it in effect (undo) or undone (redo)
            std::string description;
        };
        std::vector<Entry> undo, redo;
        std::vector<LocationFix> fixes;
        std::uint64_t fixesVersion = 0;
    } m_locations;
    // Which comes first for undo (redo): the top location fix rather than a plan edit.
    bool locationEditFirst(bool redo) const;
    void stepLocationEdit(bool redo);
};

// Adds the time until the end of the scope to the frame's profile under `name` (a literal).
class PartTimer {
  public:
    PartTimer(UiState& ui, const char* name);
    ~PartTimer();
    PartTimer(const PartTimer&) = delete;
    PartTimer& operator=(const PartTimer&) = delete;

  private:
    UiState& m_ui;
    const char* m_name;
    double m_start;
};

// Panels and dialogs: one file each (panel_*.cpp, dialog_*.cpp).
void drawMenuBar(App& app);
void drawSidebar(App& app, const ImVec2& pos, const ImVec2& size);
void drawInspector(App& app, const ImVec2& pos, const ImVec2& size);
void drawStatusBar(App& app, const ImVec2& pos, const ImVec2& size);
void drawBottomPanel(App& app, const ImVec2& pos, const ImVec2& size);
void drawMetricsPanel(App& app);
void drawChangesPanel(App& app);
void drawAuditPanel(App& app);
void drawComparePanel(App& app);
void drawReviewMode(App& app, const ImVec2& pos, const ImVec2& size);
void drawSaveDialog(App& app);
void drawClearDialog(App& app);
void drawScenarioDialogs(App& app);
void drawAboutDialog(App& app);
void drawShortcutsDialog(App& app);
void drawHelpDialog(App& app);
// A download's file name: `typed` (else `title`), without characters a file system refuses,
// ending in `ext` (".terrane").
std::string downloadName(const std::string& typed, const std::string& title, std::string_view ext);
void drawSampleDialog(App& app);
void drawMoveDialog(App& app);
void drawFilterDialog(App& app);
void drawLocationsDialog(App& app); // dialog_locations.cpp
void drawTerritoryDialogs(App& app);
void drawNewTerritoryDialog(App& app);
void drawQuotaPanel(App& app);    // panel_quota.cpp
void drawCapacityPanel(App& app); // panel_capacity.cpp
void drawCompPanel(App& app);     // comp/panel_comp.cpp
// The territory context menu (rename, recolour, owner, merge, delete); call inside a popup.
void territoryContextMenu(App& app, std::int32_t territory);
void drawImportDialog(App& app);
void drawImportModeDialog(App& app); // panel_import_mode.cpp
// The stage table (stage, deals, meaning, order, probability, where the meaning came from) with
// editable meaning, order and probability; true with `edited` when the user changed a row.
bool drawStageTable(App& app, const StageTable& t, const char* id, float height, StageRow& edited);
void drawOptimisePanel(App& app);
// The right data panel (panel_data_panel.cpp) with its two tabs' contents.
void drawDataPanel(App& app, const ImVec2& pos, const ImVec2& size);
void drawImportReports(App& app);
void drawDataQuality(App& app);
void drawDataTable(App& app, const ImVec2& pos, const ImVec2& size);

} // namespace terrane
