// The App: the open workspace, the UI state, commands, autosave and jobs between frames.
//
// Index
//  [SECTION] lifecycle
//  [SECTION] scenario files
//  [SECTION] autosave
//  [SECTION] commands
//  [SECTION] selection
//  [SECTION] jobs
//  [SECTION] misc
//  [SECTION] frame
//  [SECTION] test hooks
#include "app/app.hpp"

#include "core/base/format.hpp"
#include "app/map/gl.hpp"
#include "core/geo/geo.hpp"
#include "core/geo/geocode.hpp"
#include "core/base/version.hpp"
#include "platform/platform.hpp"

#include <imgui_impl_opengl3.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstring>
#include <cmath>
#include <variant>

namespace terrane {
using namespace territory;

// [SECTION] lifecycle
bool App::init(float pixelRatio, bool prefersDark) {
    m_ui.pixelRatio = pixelRatio;
    m_ui.theme = prefersDark ? Theme::Dark : Theme::Light;
    m_ui.softwareRendering = platform::softwareRendering();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    m_fonts = loadFonts(m_ui.fontSize, m_ui.pixelRatio);
    applyStyle(m_ui.theme, m_ui.pixelRatio);
    if (!m_map.init()) {
        m_error = m_map.error();
        return false;
    }
    return true;
}

void App::start(bool placesLoaded) {
    if (!placesLoaded)
        notify("The place list (geo.tsv) did not load: postcodes and cities cannot be placed on the map. "
               "Reload the page when online.");
    loadSample(m_sample);
}

void App::setPixelRatio(float pixelRatio) {
    if (pixelRatio == m_ui.pixelRatio) return;
    const float ratio = pixelRatio / m_ui.pixelRatio;
    m_ui.camera.scale *= ratio;
    m_ui.pixelRatio = pixelRatio;
    m_fontsDirty = true;
}

void App::loadSample(const SampleOptions& opt) {
    // A big sample is generated and prepared in slices; the open workspace stays until it is ready.
    auto source = [this, opt](Workspace& ws, double) {
        PartTimer t(m_ui, "sample.generate");
        generateSample(opt, ws);
        return true;
    };
    auto job = std::make_unique<PrepareJob>(*this, "Creating the sample", std::move(source));
    job->newWorkspace = true;
    startPrepare(std::move(job), opt.accounts >= kPrepareInSlicesAbove, [this, opt](PrepareJob& job) {
        if (job.cancelled() || !job.error().empty()) {
            notify(job.cancelled() ? "Sample not created; nothing changed"
                                   : "Sample not created: " + job.error());
            return;
        }
        m_sample = opt;
        ++m_datasetsVersion;
        m_file = OpenedFile{};
        m_review.clear();
        m_ui.reviewMode = false;
        m_ui.compareSet.clear();
        m_sampleWorkspace = true;
        m_imports.freshPool.reset();
        m_ui.selectedTerritory = -1;
        m_ui.cameraFitted = false;
        adoptPrepared(job);
        notify("Loaded the sample workspace: " + std::to_string(opt.accounts) + " accounts, " +
               std::to_string(opt.reps) + " reps");
    });
}

void App::workspaceChanged() {
    {
        PartTimer t(m_ui, "ws.summary");
        m_summary = summarize(m_ws);
    }
    {
        PartTimer t(m_ui, "ws.values");
        m_values = AccountValues::compute(m_ws);
    }
    if (m_ui.referenceScenario >= m_ws.scenarios.size()) m_ui.referenceScenario = 0;
    {
        PartTimer t(m_ui, "ws.metrics");
        m_tracker.reset(m_ws, m_values, m_ws.active(), &m_ws.scenarios[m_ui.referenceScenario],
                        m_ws.settings.metrics);
        m_tracker.finalize();
    }
    derivedChanged(nullptr);
}

void App::derivedChanged(MapData* map) {
    ++m_ui.dataVersion;
    m_metricsCache.clear();
    if (m_ui.selection.flags.size() != m_ws.accounts().rows()) m_ui.selection.resize(m_ws.accounts().rows());
    if (m_ui.selectedTerritory >= 0 && (static_cast<std::size_t>(m_ui.selectedTerritory) >= m_ws.active().territories.rows() ||
                                        m_ws.active().isDeleted(m_ui.selectedTerritory)))
        m_ui.selectedTerritory = -1;
    if (map) {
        m_map.adopt(*this, std::move(*map));
    } else {
        PartTimer t(m_ui, "map.rebuild");
        m_map.rebuild(*this);
    }
    if (!m_map.highlight().empty()) m_map.setHighlight(*this, {}); // its label goes with it
    m_ui.data.highlightLabel.clear();
    m_ui.data.selectedFinding = -1;
    for (auto& t : m_ui.data.tables) t.dirty = true;
}

void App::refreshMap() { m_map.refreshColors(*this); }

const PlanMetrics& App::metricsFor(std::size_t scenario) {
    const Scenario& sc = m_ws.scenarios.at(scenario);
    for (CachedMetrics& c : m_metricsCache)
        if (c.scenario == scenario && c.cursor == sc.cursor && c.logSize == sc.log.size() && c.name == sc.name) return c.metrics;
    std::erase_if(m_metricsCache, [&](const CachedMetrics& c) { return c.scenario == scenario; });
    m_metricsCache.push_back({scenario, sc.cursor, sc.log.size(), sc.name, computePlanMetrics(m_ws, m_values, sc, &m_ws.baseline(), m_ws.settings.metrics)});
    return m_metricsCache.back().metrics;
}

void App::setMetricsOptions(const MetricsOptions& opt) {
    m_ws.settings.metrics = opt;
    m_metricsCache.clear();
    m_tracker.reset(m_ws, m_values, m_ws.active(), &m_ws.scenarios[m_ui.referenceScenario], opt);
    m_tracker.finalize();
}

// [SECTION] scenario files
bool App::openScenarioFile(const std::string& name, std::string_view bytes) {
    ScenarioFileLoad f = loadScenarioFile(bytes);
    if (!f.ok) {
        notify(name + " was not opened: " + f.error);
        return false;
    }
    m_ws = std::move(f.ws);
    ++m_datasetsVersion;
    m_sampleWorkspace = false;
    m_imports.freshPool.reset();
    m_file = OpenedFile{name, f.meta, f.tampered, f.changedAfterApproval, f.reviewProblem, f.migratedFrom,
                        f.warnings, f.resultsDifferences.size()};
    m_review = f.meta.review;
    m_ui.selectedTerritory = -1;
    m_ui.referenceScenario = 0;
    m_ui.compareSet.clear();
    m_ui.cameraFitted = false;
    m_ui.reviewMode = true;
    m_ui.layers.changesOnly = m_ws.activeScenario != 0;
    m_map.forgetTerritoryColors();
    workspaceChanged();
    std::string msg = "Opened " + name;
    if (f.migratedFrom) msg += " (converted from schema " + std::to_string(f.migratedFrom) + ")";
    if (f.tampered) msg += ": WARNING its content was changed outside Terrane";
    else if (f.changedAfterApproval) msg += ": WARNING the plan changed after it was approved";
    else if (!f.resultsDifferences.empty())
        msg += ": WARNING " + std::to_string(f.resultsDifferences.size()) +
               " of its saved results differ from the plan's (edited outside Terrane?)";
    notify(msg);
    return true;
}

std::string App::scenarioFileText(const SaveOptions& opt) const { return terrane::saveScenarioFile(m_ws, opt, m_review); }

// A download's file name: the name the user typed (else the title), without characters a file
// system refuses, ending in `ext`.
std::string downloadName(const std::string& typed, const std::string& title, std::string_view ext) {
    std::string base = typed;
    if (base.size() > ext.size() && base.compare(base.size() - ext.size(), ext.size(), ext) == 0) base.resize(base.size() - ext.size());
    const bool fromTitle = base.find_first_not_of(' ') == std::string::npos;
    if (fromTitle) base = title;
    for (char& c : base) {
        const auto u = static_cast<unsigned char>(c);
        if (fromTitle ? !std::isalnum(u) && c != '-' && c != '_' : u < 32 || std::strchr("/\\:*?\"<>|", c)) c = '-';
    }
    while (!base.empty() && (base.back() == ' ' || base.back() == '.')) base.pop_back();
    if (base.empty()) base = "workspace";
    return base + std::string(ext);
}

void App::saveScenarioFile(const SaveOptions& opt, const std::string& fileName) {
    const std::string doc = scenarioFileText(opt);
    const std::string name = downloadName(fileName, opt.title.empty() ? m_ws.name : opt.title, ".terrane");
    platform::downloadFile(name, doc, "application/json");
    notify("Saved " + name + " (" + std::to_string(doc.size() / 1024) + " KB" + (opt.redaction.any() ? ", redacted" : "") + ")");
}

std::string App::currentContentHash() const { return contentHashOf(terrane::saveScenarioFile(m_ws, SaveOptions{}, {})); }

void App::addReview(ReviewEntry entry) {
    appendReview(m_review, std::move(entry), currentContentHash());
    m_file.changedAfterApproval = false;
    notify(m_review.back().kind == ReviewEntry::Kind::Approval ? "Stamped: " + m_review.back().decision + " by " + m_review.back().author
                                                               : "Comment added by " + m_review.back().author);
}

void App::renameScenario(std::size_t index, std::string name) {
    if (index == 0 || index >= m_ws.scenarios.size() || name.empty()) return;
    for (const Scenario& s : m_ws.scenarios)
        if (s.name == name) {
            notify("Another scenario is already called " + name);
            return;
        }
    m_ws.scenarios[index].name = std::move(name);
}

void App::deleteScenario(std::size_t index) {
    if (index == 0 || index >= m_ws.scenarios.size()) return;
    const std::string name = m_ws.scenarios[index].name;
    m_ws.scenarios.erase(m_ws.scenarios.begin() + static_cast<std::ptrdiff_t>(index));
    if (m_ws.activeScenario >= index) m_ws.activeScenario = m_ws.activeScenario == index ? 0 : m_ws.activeScenario - 1;
    if (m_ui.referenceScenario >= index) m_ui.referenceScenario = m_ui.referenceScenario == index ? 0 : m_ui.referenceScenario - 1;
    std::vector<std::size_t> kept;
    for (std::size_t s : m_ui.compareSet)
        if (s != index) kept.push_back(s > index ? s - 1 : s);
    m_ui.compareSet = kept;
    workspaceChanged();
    notify("Deleted scenario " + name);
}

void App::setReferenceScenario(std::size_t index) {
    if (index >= m_ws.scenarios.size()) return;
    m_ui.referenceScenario = index;
    workspaceChanged();
}

// [SECTION] autosave
// Cheap fingerprint of what autosave writes: the plan part (datasets version, scenarios, logs,
// settings, review), and after a tab the UI layout.
std::string App::autosaveSignature() const {
    return planSignature() + "\t" + uiLayoutJson();
}

std::string App::planSignature() const {
    std::string s = std::to_string(m_datasetsVersion) + "|" + std::to_string(m_ws.activeScenario) + "|" + std::to_string(m_review.size());
    for (const Scenario& sc : m_ws.scenarios) s += "|" + sc.name + ":" + std::to_string(sc.log.size()) + ":" + std::to_string(sc.cursor);
    const MetricsOptions& m = m_ws.settings.metrics;
    s += "|" + std::to_string(m.tolerance) + std::to_string(m.vacantCapacity) + (m.capacityAdjusted ? "c" : "n");
    return s;
}

bool App::planUnsaved() const {
    if (!platform::storeAvailable()) return false;
    const std::string_view saved = m_savedSignature;
    return saved.substr(0, saved.find('\t')) != planSignature();
}

void App::flushAutosave() {
    if (!platform::storeAvailable() || m_savedDatasetsVersion != m_datasetsVersion) return;
    const std::string sig = autosaveSignature();
    if (sig != m_savedSignature) writeAutosave(sig);
}

void App::autosave(double nowMs) {
    if (!platform::storeAvailable()) return;
    const std::string sig = autosaveSignature();
    if (sig == m_savedSignature) {
        m_changedAt = 0;
        return;
    }
    // Wait for a pause of a second and a half after the last change.
    if (m_changedAt == 0 || m_lastSignature != sig) {
        m_changedAt = nowMs;
        m_lastSignature = sig;
        platform::requestFrameAfter(1600);
        return;
    }
    if (nowMs - m_changedAt < 1500) {
        platform::requestFrameAfter(1600 - (nowMs - m_changedAt));
        return;
    }
    if (m_savedDatasetsVersion != m_datasetsVersion) {
        // Written a slice per frame (about 8 ms): at 1M accounts the text is ~100 MB and one
        // frame would hold the page for seconds. Datasets that change meanwhile start it again.
        PartTimer t(m_ui, "autosave.datasets");
        // The text goes to the browser in parts of about 8 MB as it is written, so neither the
        // whole text nor one long copy of it is needed.
        bool first = false;
        if (!m_datasetsWriter || m_writerVersion != m_datasetsVersion) {
            m_datasetsWriter = std::make_unique<DatasetsJsonWriter>(m_ws);
            m_writerVersion = m_datasetsVersion;
            first = true;
        }
        const double t0 = platform::nowMs();
        bool done = false;
        while (!(done = m_datasetsWriter->step(20000))) {
            if (m_datasetsWriter->pendingBytes() >= (std::size_t{8} << 20)) {
                platform::storeAppend("datasets", m_datasetsWriter->takeChunk(), first);
                first = false;
            }
            if (platform::nowMs() - t0 > 8) break;
        }
        if (!done) {
            // The parts written this frame stay pending until the next one; `first` was used
            // only if a part went out.
            if (first) platform::storeAppend("datasets", m_datasetsWriter->takeChunk(), true);
            platform::requestFrame();
            return;
        }
        platform::storeAppend("datasets", m_datasetsWriter->takeChunk(), first);
        platform::storeCommit("datasets");
        m_datasetsWriter.reset();
        m_savedDatasetsVersion = m_datasetsVersion;
        // The plan part next frame: each frame keeps to one piece of the work.
        platform::requestFrame();
        return;
    }
    writeAutosave(sig);
}

void App::writeAutosave(const std::string& sig) {
    const bool planChanged = sig.substr(0, sig.find('\t')) != m_savedSignature.substr(0, m_savedSignature.find('\t'));
    platform::storePut("ui", uiLayoutJson());
    m_savedSignature = sig;
    m_changedAt = 0;
    if (!planChanged) return;
    SaveOptions opt;
    opt.includeDatasets = false;
    opt.includeResults = false;
    opt.title = m_file.meta.title;
    opt.author = m_file.meta.author;
    opt.description = m_file.meta.description;
    PartTimer s(m_ui, "autosave.state");
    platform::storePut("state", terrane::saveScenarioFile(m_ws, opt, m_review));
}

void App::restoreAutosave(std::string_view state, std::string_view datasets, std::string_view uiLayout) {
    const std::string doc = withDatasets(state, datasets);
    ScenarioFileLoad f = doc.empty() ? ScenarioFileLoad{} : loadScenarioFile(doc);
    if (!f.ok) {
        notify("Your saved workspace in this browser could not be restored (" + (doc.empty() ? std::string("damaged") : f.error) +
               "); the sample is open instead.");
        return;
    }
    m_ws = std::move(f.ws);
    m_sampleWorkspace = false;
    m_imports.freshPool.reset();
    m_review = f.meta.review;
    m_file = OpenedFile{};
    m_file.meta = f.meta;
    m_file.changedAfterApproval = f.changedAfterApproval;
    m_file.reviewProblem = f.reviewProblem;
    ++m_datasetsVersion;
    m_savedDatasetsVersion = m_datasetsVersion; // the stored datasets are these
    applyUiLayout(uiLayout);
    m_map.forgetTerritoryColors();
    workspaceChanged();
    m_savedSignature = autosaveSignature();
    notify("Restored your workspace from this browser's storage");
}

void App::onStorageResult(bool ok, const std::string& message) {
    m_storageOk = ok;
    m_storageStatus = message;
    if (!ok) {
        m_savedSignature.clear();
        m_savedDatasetsVersion = 0;
        notify("Not saved in this browser: " + message + ". Your work is still open here; use File > Save scenario file to keep it.");
    }
}

void App::clearLocalData() {
    platform::storeClear();
    m_savedSignature.clear();
    m_savedDatasetsVersion = 0;
    loadSample(SampleOptions{});
    m_savedSignature = autosaveSignature();
    notify("Cleared the data this browser kept for Terrane; the sample workspace is open");
}

void App::exportStandalone(const SaveOptions& opt, const std::string& fileName) {
    const std::string name = downloadName(fileName, opt.title.empty() ? m_ws.name : opt.title, ".html");
    platform::exportStandalonePage(name, scenarioFileText(opt));
    notify("Building " + name + ": one file with the app and this plan, to open from disk");
}

// [SECTION] commands
bool App::runCommand(Command cmd, std::string note) {
    const double t0 = platform::nowMs();
    if (m_ws.activeScenario == 0) {
        const std::size_t s = m_ws.addScenarioCopy(0, m_ws.freshScenarioName());
        m_ws.activeScenario = s;
        notify("The baseline stays as imported: your edits go to " + m_ws.scenarios[s].name);
        // The copy equals the baseline it replaces as the active scenario: summary, values, metrics
        // and map stay as they are; only the addresses move (the scenario list may have grown).
        m_tracker.rebind(m_ws, m_values, m_ws.active(), &m_ws.scenarios[m_ui.referenceScenario]);
        ++m_ui.dataVersion;
        m_metricsCache.clear();
        for (auto& t : m_ui.data.tables) t.dirty = true;
    }
    const CommandResult r = execute(m_ws, m_ws.active(), std::move(cmd), std::move(note));
    if (!r.ok) {
        notify("Not done: " + r.error);
        return false;
    }
    afterCommand(m_ws.active().log.back().command, false);
    m_ui.lastEditMs = platform::nowMs() - t0;
    return true;
}

void App::afterCommand(const Command& cmd, bool undone) {
    ++m_ui.dataVersion;
    // Pure reassignments update the metrics incrementally and recolour only what moved.
    auto moveAll = [&](const std::vector<std::uint32_t>& accounts, const std::vector<std::int32_t>& previous,
                       auto&& target) {
        {
            PartTimer t(m_ui, "metrics.update");
            for (std::size_t i = 0; i < accounts.size(); ++i) {
                const std::int32_t to = target(i);
                if (previous[i] == to) continue;
                if (undone) m_tracker.move(accounts[i], to, previous[i]);
                else m_tracker.move(accounts[i], previous[i], to);
            }
            m_tracker.finalize();
        }
        m_map.accountsMoved(*this, accounts);
    };
    if (const auto* c = std::get_if<ReassignAccounts>(&cmd)) {
        moveAll(c->accounts, c->previous, [&](std::size_t) { return c->to; });
    } else if (const auto* c2 = std::get_if<ApplyAssignment>(&cmd)) {
        moveAll(c2->accounts, c2->previous, [&](std::size_t i) { return c2->to[i]; });
    } else if (std::holds_alternative<SetLocked>(cmd)) {
        m_map.refreshColors(*this);
    } else if (isQuotaCommand(cmd) || isCompCommand(cmd) || commandDomain(cmd) == CommandDomain::Forecast) {
        // Quota, capacity, compensation set-up or saved forecast: no account moved; their panels
        // recompute from dataVersion.
    } else {
        workspaceChanged();
    }
    // Plan edits change no dataset: only the counts that follow the scenario are recomputed.
    updatePlanCounts(m_summary, m_ws);
}

void App::undo() {
    if (locationEditFirst(false)) return stepLocationEdit(false);
    Scenario& sc = m_ws.active();
    if (!sc.canUndo()) return;
    const double t0 = platform::nowMs();
    terrane::undo(m_ws, sc);
    notify("Undid: " + sc.log[sc.cursor].audit.description);
    afterCommand(sc.log[sc.cursor].command, true);
    m_ui.lastEditMs = platform::nowMs() - t0;
}

void App::redo() {
    if (locationEditFirst(true)) return stepLocationEdit(true);
    Scenario& sc = m_ws.active();
    if (!sc.canRedo()) return;
    const double t0 = platform::nowMs();
    terrane::redo(m_ws, sc);
    notify("Redid: " + sc.log[sc.cursor - 1].audit.description);
    afterCommand(sc.log[sc.cursor - 1].command, false);
    m_ui.lastEditMs = platform::nowMs() - t0;
}

void App::setActiveScenario(std::size_t index) {
    if (index >= m_ws.scenarios.size() || index == m_ws.activeScenario) return;
    m_ws.activeScenario = index;
    workspaceChanged();
}

// [SECTION] selection
void App::select(const std::vector<std::uint32_t>& accounts, SelectMode mode) {
    Selection& s = m_ui.selection;
    std::vector<std::uint32_t> changed; // accounts whose flag flips (a few listed twice is harmless)
    if (mode == SelectMode::Replace) {
        for (std::size_t a = 0; a < s.flags.size(); ++a)
            if (s.flags[a]) s.flags[a] = 0, changed.push_back(static_cast<std::uint32_t>(a));
        s.count = 0;
    }
    for (std::uint32_t a : accounts) {
        if (a >= s.flags.size()) continue;
        const std::uint8_t want = mode == SelectMode::Remove ? 0 : 1;
        if (s.flags[a] != want) {
            s.flags[a] = want;
            s.count += want ? 1 : static_cast<std::size_t>(-1);
            changed.push_back(a);
        }
    }
    if (!accounts.empty() && mode != SelectMode::Remove) s.focus = accounts.back();
    if (s.focus >= 0 && !s.flags[static_cast<std::size_t>(s.focus)]) s.focus = -1;
    m_map.selectionChanged(*this, changed);
}

void App::toggleAccount(std::int64_t row) {
    if (row < 0 || static_cast<std::size_t>(row) >= m_ui.selection.flags.size()) return;
    const auto a = static_cast<std::uint32_t>(row);
    select({a}, m_ui.selection.flags[a] ? SelectMode::Remove : SelectMode::Add);
}

void App::clearSelection() {
    select({}, SelectMode::Replace);
    if (m_ui.selectedTerritory >= 0) {
        m_ui.selectedTerritory = -1;
        m_map.refreshColors(*this);
    }
}

std::vector<std::uint32_t> App::selectedAccounts() const {
    std::vector<std::uint32_t> out;
    out.reserve(m_ui.selection.count);
    for (std::size_t a = 0; a < m_ui.selection.flags.size(); ++a)
        if (m_ui.selection.flags[a]) out.push_back(static_cast<std::uint32_t>(a));
    return out;
}

void App::focusAccount(std::int64_t row) {
    if (row < 0 || static_cast<std::size_t>(row) >= m_ui.selection.flags.size()) return;
    m_ui.selectedTerritory = -1;
    select({static_cast<std::uint32_t>(row)}, SelectMode::Replace);
}

void App::selectTerritory(std::int32_t row) {
    m_ui.selectedTerritory = row;
    m_map.refreshColors(*this);
}

void App::moveSelectionTo(std::int32_t territory, std::string note) {
    auto accounts = selectedAccounts();
    if (accounts.empty()) {
        notify("Select accounts first (click, Shift+click, box or lasso)");
        return;
    }
    // Locked accounts stay where they are; the rest of the selection moves.
    const std::vector<std::uint8_t>& locked = m_ws.active().locked;
    const std::size_t selected = accounts.size();
    std::erase_if(accounts, [&](std::uint32_t a) { return a < locked.size() && locked[a]; });
    const std::size_t stay = selected - accounts.size();
    if (accounts.empty()) {
        notify("Not moved: " + std::string(stay == 1 ? "the selected account is" : "all selected accounts are") +
               " locked (Shift+K unlocks)");
        return;
    }
    if (!runCommand(ReassignAccounts{accounts, territory, {}}, std::move(note))) return;
    std::string done = m_ws.active().log.back().audit.description;
    if (stay > 0) done += "; " + fmt::count(stay) + (stay == 1 ? " locked account stayed" : " locked accounts stayed");
    notify(done);
}

std::size_t App::lockedInSelection() const {
    const std::vector<std::uint8_t>& locked = m_ws.active().locked;
    const std::vector<std::uint8_t>& flags = m_ui.selection.flags;
    std::size_t n = 0;
    for (std::size_t a = 0; a < flags.size() && a < locked.size(); ++a) n += flags[a] && locked[a] ? 1 : 0;
    return n;
}

void App::exportAssignment() {
    const std::string csv = assignmentCsv(m_ws, m_ws.active(), m_ws.baseline());
    platform::downloadFile(m_ws.active().name + "-assignment.csv", csv, "text/csv");
    notify("Exported the assignment of " + m_ws.active().name + " (" + std::to_string(m_ws.accounts().rows()) + " accounts)");
}

void App::lockSelection(bool locked) {
    const auto accounts = selectedAccounts();
    if (accounts.empty()) return;
    if (runCommand(SetLocked{accounts, locked, {}})) notify(m_ws.active().log.back().audit.description);
}

void App::flyToTerritory(std::int32_t territory) {
    const Scenario& sc = m_ws.active();
    const Table& ter = sc.territories;
    // The territory itself and every leaf below it.
    std::vector<std::uint8_t> inside(ter.rows(), 0);
    if (territory < 0 || static_cast<std::size_t>(territory) >= ter.rows()) return;
    inside[static_cast<std::size_t>(territory)] = 1;
    for (int pass = 0; pass < 3; ++pass)
        for (std::size_t r = 0; r < ter.rows(); ++r) {
            auto p = ter.rowOf(ter.str(ter.indexOf("parent_id"), r));
            if (p && inside[*p]) inside[r] = 1;
        }
    const Table& acc = m_ws.accounts();
    const Column* lat = acc.find("lat");
    const Column* lon = acc.find("lon");
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    for (std::size_t a = 0; a < sc.assignment.size(); ++a) {
        const std::int32_t t = sc.assignment[a];
        if (t < 0 || !inside[static_cast<std::size_t>(t)] || std::isnan(lat->f64()[a]) || std::isnan(lon->f64()[a])) continue;
        const double x = mercatorX(lon->f64()[a]), y = mercatorY(lat->f64()[a]);
        x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
    if (x0 > x1) return;
    const MapRect& rect = m_map.rect();
    m_ui.camera.centerX = (x0 + x1) / 2;
    m_ui.camera.centerY = (y0 + y1) / 2;
    const double w = std::max(x1 - x0, 2e-4), h = std::max(y1 - y0, 2e-4);
    m_ui.camera.scale = std::min(rect.w / (w * 1.3), rect.h / (h * 1.3));
}

// [SECTION] jobs
void App::startJob(std::shared_ptr<Job> job, std::function<void(Job&)> done, bool next) {
    PendingJob pj{std::move(job), std::move(done)};
    // The front job may have started; it keeps running unless this comes from a finished job's
    // callback (the finished job already left the queue and the front one has not started).
    if (next && !m_jobs.empty() && !m_inJobDone)
        m_jobs.insert(m_jobs.begin() + 1, std::move(pj));
    else if (next)
        m_jobs.push_front(std::move(pj));
    else
        m_jobs.push_back(std::move(pj));
    platform::requestFrame();
}

void App::cancelJob() {
    if (!m_jobs.empty()) m_jobs.front().job->cancel();
}

void App::stepJobs() {
    if (m_jobs.empty()) return;
    PendingJob& pj = m_jobs.front();
    // The job's slice of the frame: 10 ms (about 60% of a 60 Hz frame) for background work, more
    // for work the user is waiting on. When drawing and presenting a frame is slow (a big map in
    // software rendering) a waited-on job gets nine times the rest of the frame, up to 900 ms, so
    // it keeps about nine tenths of the time while the page still redraws about once a second
    // (a million accounts without a GPU: ~100 ms of panels per frame; with a GPU the rest of a
    // frame is a few ms and the slice stays at the job's own).
    const double now = platform::nowMs();
    double slice = pj.job->sliceMs();
    if (slice > 10.0 && m_lastJobStepAt > 0) {
        const double rest = std::max(0.0, (now - m_lastJobStepAt) - m_lastJobSlice);
        slice = std::clamp(9.0 * rest, slice, 900.0);
    }
    const bool done = pj.job->step(slice);
    m_lastJobStepAt = now;
    m_lastJobSlice = platform::nowMs() - now; // what the step took
    if (done || pj.job->cancelled()) {
        m_lastJobStepAt = 0;
        PendingJob finished = std::move(pj);
        m_jobs.pop_front();
        m_inJobDone = true;
        if (finished.done) finished.done(*finished.job);
        m_inJobDone = false;
    }
    platform::requestFrame();
}

// [SECTION] misc
void App::setTheme(Theme theme) {
    if (theme == m_ui.theme) return;
    m_ui.theme = theme;
    applyStyle(theme, m_ui.pixelRatio);
    m_map.rebuild(*this);
}

void App::notify(std::string message) {
    m_ui.statusMessage = std::move(message);
    m_ui.statusUntil = platform::nowMs() + 6000.0;
}

std::string App::repName(std::string_view repId) const {
    if (repId.empty()) return "(no owner)";
    const Table& reps = m_ws.reps();
    if (auto r = reps.rowOf(repId)) {
        const std::string_view n = reps.str(reps.indexOf("name"), *r);
        if (!n.empty()) return std::string(n);
    }
    return std::string(repId);
}

// [SECTION] frame
void App::layout(int fbW, int fbH) {
    const float pr = m_ui.pixelRatio;
    drawMenuBar(*this);
    if (m_ui.reviewMode) {
        const float top = ImGui::GetFrameHeight();
        const float W = static_cast<float>(fbW), H = static_cast<float>(fbH);
        const float panelW = std::min(560.0f * pr, W * 0.45f);
        drawReviewMode(*this, ImVec2(0, top), ImVec2(panelW, H - top));
        m_map.drawUi(*this, ImVec2(panelW, top), ImVec2(W - panelW, H - top));
        drawAboutDialog(*this);
        drawShortcutsDialog(*this);
        drawHelpDialog(*this);
        drawSaveDialog(*this);
        return;
    }
    const float top = ImGui::GetFrameHeight();
    const float statusH = ImGui::GetFrameHeight() + 6 * pr;
    const float W = static_cast<float>(fbW), H = static_cast<float>(fbH);
    const float sideW = m_ui.showSidebar ? std::min(300.0f * pr, W * 0.3f) : 0.0f;
    // The right column holds the inspector, or the data-quality panel while that is open.
    const bool rightColumn = m_ui.showInspector || m_ui.data.showPanel;
    // The data panel spans most of the page while its findings are enlarged.
    const bool wideData = m_ui.data.showPanel && m_ui.data.findingsLarge;
    const float inspW = !rightColumn ? 0.0f
                        : wideData   ? W * 0.72f
                                     : std::min((m_ui.data.showPanel ? 460.0f : 310.0f) * pr, W * (m_ui.data.showPanel ? 0.38f : 0.3f));
    const float bodyH = std::max(0.0f, H - top - statusH);
    const float centreW = std::max(0.0f, W - sideW - inspW);
    // The bottom panel spans under the map and the inspector: its tables need the width.
    const float bottomH = m_ui.showBottom ? std::clamp(bodyH * m_ui.bottomShare, 120.0f * pr, bodyH * 0.7f) : 0.0f;
    if (m_ui.forecast.show) {
        // The Forecast workspace (Analyse > Forecast) beside the map its deals select on.
        const float fw = std::min(W * 0.66f, std::max(W * 0.5f, W - 420.0f * pr));
        drawForecastWorkspace(*this, 0, top, fw, bodyH);
        m_map.drawUi(*this, ImVec2(fw, top), ImVec2(W - fw, bodyH));
    } else {
        if (m_ui.showSidebar) drawSidebar(*this, ImVec2(0, top), ImVec2(sideW, bodyH));
        // The right column holds the inspector, or the data-quality panel while that is open.
        if (m_ui.data.showPanel) {
            if (!wideData) drawDataPanel(*this, ImVec2(W - inspW, top), ImVec2(inspW, bodyH - bottomH)); // enlarged: below, over the bottom panel
        } else if (m_ui.showInspector) drawInspector(*this, ImVec2(W - inspW, top), ImVec2(inspW, bodyH - bottomH));
        const float tableH = m_ui.data.showTable ? std::clamp(m_ui.data.tableHeight * pr, 120.0f * pr, (bodyH - bottomH) * 0.7f) : 0.0f;
        m_map.drawUi(*this, ImVec2(sideW, top), ImVec2(centreW, bodyH - bottomH - tableH));
        if (m_ui.data.showTable) drawDataTable(*this, ImVec2(sideW, top + bodyH - bottomH - tableH), ImVec2(centreW, tableH));
        if (m_ui.showBottom) drawBottomPanel(*this, ImVec2(sideW, top + bodyH - bottomH), ImVec2(wideData ? centreW : W - sideW, bottomH));
        if (wideData) drawDataPanel(*this, ImVec2(W - inspW, top), ImVec2(inspW, bodyH)); // enlarged findings: the full height
    }
    drawStatusBar(*this, ImVec2(0, H - statusH), ImVec2(W, statusH));
    drawAboutDialog(*this);
    drawShortcutsDialog(*this);
    drawHelpDialog(*this);
    drawSampleDialog(*this);
    drawMoveDialog(*this);
    drawFilterDialog(*this);
    drawLocationsDialog(*this);
    drawTerritoryDialogs(*this);
    drawNewTerritoryDialog(*this);
    drawSaveDialog(*this);
    drawClearDialog(*this);
    drawScenarioDialogs(*this);
    drawImportDialog(*this);
    drawImportModeDialog(*this);
    drawOptimisePanel(*this);
    drawQuotaPanel(*this);
    drawCapacityPanel(*this);
    drawCompPanel(*this);
}

void App::frame(int fbW, int fbH) {
    if (m_fontsDirty) {
        m_fonts = loadFonts(m_ui.fontSize, m_ui.pixelRatio);
        applyStyle(m_ui.theme, m_ui.pixelRatio);
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
        m_fontsDirty = false;
    }
    const double workStart = platform::nowMs();
    // The browser pipelines a frame: a slow draw may hold up the frame after it instead.
    if (m_frameStartedAt > 0) {
        const double period = std::max(0.0, workStart - m_frameStartedAt - m_ui.lastWorkMs);
        if (m_frameDrewMap) {
            m_ui.fullDrawFrameMs = period;
            m_framesAfterDraw = 1;
        } else if (m_framesAfterDraw == 1) {
            m_ui.fullDrawFrameMs = std::max(m_ui.fullDrawFrameMs, period);
            m_framesAfterDraw = 0;
        }
    }
    m_frameStartedAt = workStart;
    const std::uint64_t fullDrawsBefore = m_map.fullDraws();
    {
        PartTimer t(m_ui, "jobs");
        stepJobs();
    }
    {
        PartTimer t(m_ui, "autosave");
        autosave(platform::nowMs());
    }
    const double start = platform::nowMs();
    m_ui.lastWorkMs = start - workStart;
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(fbW), static_cast<float>(fbH));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    layout(fbW, fbH);
    ImGui::Render();

    {
        // GL calls only queue commands: the browser draws them after the frame (where it composites
        // in software, as headless Chromium without a GPU does, it waits for that drawing).
        PartTimer renderTimer(m_ui, "render");
        glViewport(0, 0, fbW, fbH);
        const float* bg = mapColors(m_ui.theme).background;
        glClearColor(bg[0], bg[1], bg[2], 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        m_map.render(m_ui, fbH);
        glViewport(0, 0, fbW, fbH);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (m_exportPng) {
            m_exportPng = false;
            const std::string png = m_map.exportPng(*this, 2.0f);
            if (png.empty()) {
                notify("The map image could not be rendered (the browser refused an offscreen buffer of that size)");
            } else {
                platform::downloadFile(m_ws.active().name + "-map.png", png, "image/png");
                notify("Exported the map view as PNG (" + std::to_string(png.size() / 1024) + " KB)");
            }
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            glViewport(0, 0, fbW, fbH);
        }
    }
    ++m_ui.frames;
    m_frameDrewMap = m_map.fullDraws() != fullDrawsBefore;
    m_ui.lastFrameMs = platform::nowMs() - start;
    m_ui.avgFrameMs = m_ui.frames == 1 ? m_ui.lastFrameMs : m_ui.avgFrameMs * 0.9 + m_ui.lastFrameMs * 0.1;
    FrameProfile& prof = m_ui.profile;
    prof.add("ui", m_ui.lastFrameMs);
    if (m_ui.lastWorkMs + m_ui.lastFrameMs > prof.slowestMs) {
        prof.slowestMs = m_ui.lastWorkMs + m_ui.lastFrameMs;
        prof.slowestFrame = m_ui.frames;
        prof.slowestParts = prof.parts;
    }
    prof.lastParts.swap(prof.parts);
    prof.parts.clear();
}

void App::resetFrameStats() {
    m_ui.profile.slowestMs = 0;
    m_ui.profile.slowestFrame = 0;
    m_ui.profile.slowestParts.clear();
}

PartTimer::PartTimer(UiState& ui, const char* name) : m_ui(ui), m_name(name), m_start(platform::nowMs()) {}
PartTimer::~PartTimer() {
    m_ui.profile.add(m_name, platform::nowMs() - m_start);
}

// [SECTION] test hooks
std::string App::stateJson() const {
    nlohmann::ordered_json j;
    j["version"] = kVersion;
    j["summary"] = nlohmann::json::parse(summaryToJson(m_summary));
    j["workspace"] = m_ws.name;
    j["scenario"] = m_ws.active().name;
    j["scenario_index"] = m_ws.activeScenario;
    j["scenarios"] = m_ws.scenarios.size();
    j["can_undo"] = canUndo();
    j["can_redo"] = canRedo();
    j["log"] = m_ws.active().cursor;
    j["theme"] = m_ui.theme == Theme::Dark ? "dark" : "light";
    j["frames"] = m_ui.frames;
    j["last_frame_ms"] = m_ui.lastFrameMs;
    j["avg_frame_ms"] = m_ui.avgFrameMs;
    j["last_edit_ms"] = m_ui.lastEditMs;
    j["last_work_ms"] = m_ui.lastWorkMs;
    j["full_draw_frame_ms"] = m_ui.fullDrawFrameMs;
    nlohmann::ordered_json parts = nlohmann::ordered_json::object();
    for (const auto& [name, ms] : m_ui.profile.slowestParts) parts[name] = ms;
    j["slowest_frame"] = {
        {"ms", m_ui.profile.slowestMs}, {"frame", m_ui.profile.slowestFrame}, {"parts", parts}};
    nlohmann::ordered_json lastParts = nlohmann::ordered_json::object();
    for (const auto& [name, ms] : m_ui.profile.lastParts) lastParts[name] = ms;
    j["last_frame_parts"] = lastParts;
    j["pixel_ratio"] = m_ui.pixelRatio;
    const MapRect& r = m_map.rect();
    j["map"] = {{"points", m_map.pointCount()},
                {"drawn", m_map.drawnCount()},
                {"full_draws", m_map.fullDraws()},
                {"cached_draws", m_map.cachedDraws()},
                {"interim_draws", m_map.interimDraws()},
                {"software_rendering", m_ui.softwareRendering},
                {"rect", {r.x, r.y, r.w, r.h}},
                {"center", {m_ui.camera.centerX, m_ui.camera.centerY}},
                {"scale", m_ui.camera.scale},
                {"tool", static_cast<int>(m_ui.tool)},
                {"area", static_cast<int>(m_ui.layers.area)},
                {"labels", m_ui.layers.labels},
                {"place_names", m_ui.layers.placeNames}};
    nlohmann::ordered_json placed = nlohmann::ordered_json::object();
    for (int p = 0; p < kGeoPrecisionCount; ++p)
        if (const std::size_t c = m_map.precisionCounts()[static_cast<std::size_t>(p)])
            placed[geoPrecisionName(static_cast<GeoPrecision>(p))] = c;
    j["map"]["placed"] = placed;
    j["map"]["place_labels"] = m_map.placeLabels();
    // CSS pixels, x0 y0 x1 y1.
    auto box = [&](const ImVec4& b) {
        const float pr = m_ui.pixelRatio;
        return nlohmann::ordered_json::array({b.x / pr, b.y / pr, b.z / pr, b.w / pr});
    };
    j["map"]["legend_box"] = box(m_map.legendBox());
    j["map"]["toolbar_box"] = box(m_map.toolbarBox());
    j["map"]["label_boxes"] = nlohmann::ordered_json::array();
    for (const ImVec4& b : m_map.labelBoxes()) j["map"]["label_boxes"].push_back(box(b));
    j["hovered_account"] = m_ui.hoveredAccount;
    // The owners the tooltip and the inspector show for the hovered (else the focused) account.
    const std::int64_t shown = m_ui.hoveredAccount >= 0 ? m_ui.hoveredAccount : m_ui.selection.focus;
    if (shown >= 0 && static_cast<std::size_t>(shown) < m_ws.accounts().rows()) {
        const AccountOwners o = accountOwners(*this, static_cast<std::size_t>(shown));
        const Scenario& sc = m_ws.active();
        const std::int32_t t = static_cast<std::size_t>(shown) < sc.assignment.size() ? sc.assignment[static_cast<std::size_t>(shown)] : -1;
        j["account_owners"] = {{"account", shown}, {"territory", std::string(sc.territoryName(t))},
                               {AccountOwners::kCrmLabel, o.crm}, {AccountOwners::kPlanLabel, o.plan}};
    }
    j["selected_account"] = m_ui.selection.focus;
    j["selected_count"] = m_ui.selection.count;
    j["selected_territory"] = m_ui.selectedTerritory;
    j["status"] = m_ui.statusMessage;
    j["review_mode"] = m_ui.reviewMode;
    j["autosave"] = {{"available", platform::storeAvailable()}, {"pending", autosaveSignature() != m_savedSignature},
                     {"waiting_since", m_changedAt}, {"storage_ok", m_storageOk},
                     {"writing_datasets", savingDatasets()}};
    j["reference_scenario"] = m_ui.referenceScenario;
    j["file"] = {{"name", m_file.name}, {"tampered", m_file.tampered}, {"changed_after_approval", m_file.changedAfterApproval},
                 {"review_problem", m_file.reviewProblem}, {"review_entries", m_review.size()}, {"migrated_from", m_file.migratedFrom},
                 {"warnings", m_file.warnings}, {"results_differences", m_file.resultsDifferences}};
    j["preparing"] = preparing();
    j["job"] = m_jobs.empty() ? nlohmann::ordered_json(nullptr)
                              : nlohmann::ordered_json({{"title", m_jobs.front().job->title()}, {"progress", m_jobs.front().job->progress()}});
    j["import"] = nlohmann::ordered_json::parse(importStateJson());
    nlohmann::ordered_json targets = nlohmann::ordered_json::object();
    // Controls drawn in the last frame (a closed menu's items drop out).
    for (const auto& [id, r] : m_ui.targets.rects)
        if (r.frame + 1 >= m_ui.frames) targets[id] = {r.x, r.y, r.w, r.h};
    j["targets"] = targets;
    j["quota"] = nlohmann::json::parse(quotaStateJson(*this));
    j["optimise"] = nlohmann::json::parse(optimiseStateJson(*this));
    j["comp"] = nlohmann::json::parse(compStateJson(*this));
    j["forecast"] = nlohmann::json::parse(forecastStateJson(*this));
    return j.dump();
}

std::string App::metricsJson() const { return planMetricsToJson(m_tracker.metrics()); }

std::string App::territoryColorsJson() const {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    const Scenario& sc = m_ws.active();
    for (std::int32_t t : sc.leaves()) {
        const ImU32 c = m_map.territoryColor(t);
        char hex[8];
        std::snprintf(hex, sizeof hex, "#%02x%02x%02x", static_cast<unsigned>(c & 0xFF), static_cast<unsigned>((c >> 8) & 0xFF),
                      static_cast<unsigned>((c >> 16) & 0xFF));
        j[std::string(sc.territoryId(t))] = hex;
    }
    return j.dump();
}

std::string App::accountScreenJson(std::int64_t row) const {
    nlohmann::ordered_json j;
    const Table& acc = m_ws.accounts();
    if (row < 0 || static_cast<std::size_t>(row) >= acc.rows()) return "{\"visible\":false}";
    const double lat = acc.f64(acc.indexOf("lat"), static_cast<std::size_t>(row));
    const double lon = acc.f64(acc.indexOf("lon"), static_cast<std::size_t>(row));
    if (std::isnan(lat) || std::isnan(lon)) return "{\"visible\":false}";
    const ImVec2 p = m_map.worldToScreen(m_ui.camera, mercatorX(lon), mercatorY(lat));
    const MapRect& r = m_map.rect();
    j["x"] = p.x / m_ui.pixelRatio;
    j["y"] = p.y / m_ui.pixelRatio;
    j["visible"] = p.x >= r.x && p.y >= r.y && p.x < r.x + r.w && p.y < r.y + r.h;
    return j.dump();
}

} // namespace terrane
