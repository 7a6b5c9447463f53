// App: the import flow (queue, mapping choices, jobs, commit), data quality and data tables.
//
// Index
//  [SECTION] preview       building the dialog's preview from the user's choices
//  [SECTION] queue         files in, kind/field/date choices, confirm and skip
//  [SECTION] hygiene       background checks, merges, map highlight
//  [SECTION] tables        filter and sort of the data tables
//  [SECTION] state         JSON for the test hook
#include "app/app.hpp"
#include "core/base/format.hpp"
#include "core/import/loader.hpp"
#include "core/import/other_kinds.hpp"
#include "core/base/text.hpp"
#include "platform/platform.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace terrane {

namespace {
constexpr const char* kMappingsKey = "terrane.mappings";
constexpr const char* kSettingsKey = "terrane.import-settings";
} // namespace

// [SECTION] preview
void refreshPreview(PendingFile& file, const MappingMemory& memory, DateOrder ambiguous, bool useChoices) {
    ImportOptions opt;
    opt.fileName = file.name;
    opt.kind = file.kind;
    opt.dateOrder = file.dateOrder;
    opt.ambiguousDateOrder = ambiguous;
    opt.memory = &memory;
    opt.delimiter = file.delimiter;
    opt.stages = file.stageChoices;
    opt.multipliers = file.multipliers;
    if (useChoices) {
        const auto fields = fieldsOf(file.kind);
        for (std::size_t f = 0; f < fields.size() && f < file.fieldColumn.size(); ++f) {
            const int c = file.fieldColumn[f];
            const bool valid = c >= 0 && static_cast<std::size_t>(c) < file.preview.header.size();
            opt.mapping.emplace_back(std::string(fields[f].name), valid ? file.preview.header[static_cast<std::size_t>(c)] : std::string());
        }
    }
    file.preview = previewImport(file.bytes, opt);
    const auto fields = fieldsOf(file.kind);
    file.fieldColumn.assign(fields.size(), -1);
    for (const FieldMapping& m : file.preview.mapping) {
        if (m.extra) continue;
        for (std::size_t f = 0; f < fields.size(); ++f)
            if (fields[f].name == m.field) file.fieldColumn[f] = m.sourceColumn;
    }
}

ImportOptions importOptionsFor(const PendingFile& file, DateOrder ambiguous) {
    ImportOptions opt;
    opt.fileName = file.name;
    opt.kind = file.kind;
    opt.dateOrder = file.dateOrder;
    opt.ambiguousDateOrder = ambiguous;
    opt.delimiter = file.delimiter;
    opt.stages = file.stageChoices;
    opt.multipliers = file.multipliers;
    const auto fields = fieldsOf(file.kind);
    for (std::size_t f = 0; f < fields.size() && f < file.fieldColumn.size(); ++f) {
        const int c = file.fieldColumn[f];
        const bool valid = c >= 0 && static_cast<std::size_t>(c) < file.preview.header.size();
        opt.mapping.emplace_back(std::string(fields[f].name), valid ? file.preview.header[static_cast<std::size_t>(c)] : std::string());
    }
    return opt;
}

// [SECTION] queue
void App::onFileLoaded(std::string name, std::string bytes, std::string sha256) {
    // A scenario file (by extension, or JSON that says so near its start) opens as a plan.
    const bool scenarioExt = name.size() >= 8 && toLower(std::string_view(name).substr(name.size() - 8)) == ".terrane";
    std::string_view head(bytes.data(), std::min<std::size_t>(bytes.size(), 512));
    while (!head.empty() && (head.front() == ' ' || head.front() == '\n' || head.front() == '\r' || head.front() == '\t')) head.remove_prefix(1);
    if (scenarioExt || (!head.empty() && head.front() == '{' && head.find("terrane-scenario") != std::string_view::npos)) {
        openScenarioFile(name, bytes);
        return;
    }
    if (m_imports.memory.entries().empty()) {
        std::string err;
        const std::string saved = platform::loadSetting(kMappingsKey);
        if (!saved.empty() && !m_imports.memory.fromJson(saved, err)) notify("Remembered mappings could not be read: " + err);
        const std::string settings = platform::loadSetting(kSettingsKey);
        DateOrder o;
        if (parseDateOrder(settings, o) && (o == DateOrder::DMY || o == DateOrder::MDY)) m_ws.settings.ambiguousDateOrder = o;
    }
    PendingFile file;
    file.name = std::move(name);
    file.bytes = std::move(bytes);
    file.sha256 = std::move(sha256);
    // Kind from the header (or the remembered mapping), then the preview for that kind.
    ImportOptions probe;
    probe.fileName = file.name;
    probe.detectKind = true;
    probe.memory = &m_imports.memory;
    probe.ambiguousDateOrder = m_ws.settings.ambiguousDateOrder;
    const ImportPreview guess = previewImport(file.bytes, probe, 50, 0);
    // A CRM file Terrane does not plan with (contacts, leads, ...) is skipped with its reason.
    if (guess.readable && !guess.rememberedMapping) {
        if (const OtherKind other = recogniseOtherKind(guess.header); other.recognised) {
            ImportRecord rec;
            rec.fileName = file.name;
            rec.skipped = true;
            rec.reason = otherKindSkipLine(file.name, other);
            rec.report.fileName = file.name;
            rec.report.bytes = file.bytes.size();
            rec.report.header = guess.header;
            notify(rec.reason);
            m_imports.records.push_back(std::move(rec));
            m_ui.data.selectedReport = static_cast<int>(m_imports.records.size()) - 1;
            m_ui.data.showPanel = true;
            m_ui.data.panelTab = 0;
            m_ui.data.panelTabForced = true;
            platform::requestFrame();
            return;
        }
    }
    file.kind = guess.kind;
    refreshPreview(file, m_imports.memory, m_ws.settings.ambiguousDateOrder, false);
    m_imports.pending.push_back(std::move(file));
    m_ui.data.showImportDialog = true;
    platform::requestFrame();
}

void App::setPendingKind(DatasetKind kind) {
    if (m_imports.pending.empty()) return;
    PendingFile& f = m_imports.pending.front();
    if (f.kind == kind) return;
    f.kind = kind;
    refreshPreview(f, m_imports.memory, m_ws.settings.ambiguousDateOrder, false);
}

void App::setPendingField(std::size_t field, int column) {
    if (m_imports.pending.empty()) return;
    PendingFile& f = m_imports.pending.front();
    if (field >= f.fieldColumn.size()) return;
    // One column may feed two fields (an account name as id and name).
    f.fieldColumn[field] = column;
    refreshPreview(f, m_imports.memory, m_ws.settings.ambiguousDateOrder, true);
}

void App::setPendingDateOrder(DateOrder order) {
    if (m_imports.pending.empty()) return;
    PendingFile& f = m_imports.pending.front();
    f.dateOrder = order;
    refreshPreview(f, m_imports.memory, m_ws.settings.ambiguousDateOrder, true);
}

void App::setPendingDelimiter(char delimiter) {
    if (m_imports.pending.empty()) return;
    PendingFile& f = m_imports.pending.front();
    f.delimiter = delimiter;
    // Another separator gives another header: the mapping starts again from it.
    refreshPreview(f, m_imports.memory, m_ws.settings.ambiguousDateOrder, false);
}

void App::setPendingMultiplier(const std::string& field, double factor) {
    if (m_imports.pending.empty()) return;
    PendingFile& f = m_imports.pending.front();
    std::erase_if(f.multipliers, [&](const auto& p) { return p.first == field; });
    if (factor != 1) f.multipliers.emplace_back(field, factor);
    refreshPreview(f, m_imports.memory, m_ws.settings.ambiguousDateOrder, true);
}

void App::setPendingStage(const StageRow& row) {
    if (m_imports.pending.empty()) return;
    PendingFile& f = m_imports.pending.front();
    setUserStage(f.stageChoices, row);
    refreshPreview(f, m_imports.memory, m_ws.settings.ambiguousDateOrder, true);
}

void App::setWorkspaceStage(const StageRow& row) {
    if (m_ws.settings.stages.empty()) return;
    const std::uint64_t changed = restage(m_ws, {row}, hygieneAsOf());
    StageRow* r = m_ws.settings.stages.find(row.name);
    notify("Stage '" + row.name + "' is " + (r ? stageOutcomeName(r->outcome) : "?") + ": " + fmt::count(changed) + " cells of the opportunities re-derived");
    ++m_datasetsVersion;
    workspaceChanged();
    runHygiene();
}

void App::skipImport() {
    if (m_imports.pending.empty()) return;
    notify("Skipped " + m_imports.pending.front().name);
    m_imports.pending.pop_front();
    m_ui.data.showImportDialog = !m_imports.pending.empty();
}

void App::confirmImport() {
    if (m_imports.pending.empty()) return;
    PendingFile file = std::move(m_imports.pending.front());
    m_imports.pending.pop_front();
    m_ui.data.showImportDialog = !m_imports.pending.empty();
    if (!file.preview.readable) {
        ImportRecord rec;
        rec.fileName = file.name;
        rec.error = file.preview.error;
        rec.report.fileName = file.name;
        rec.report.bytes = file.bytes.size();
        m_imports.records.push_back(std::move(rec));
        m_ui.data.selectedReport = static_cast<int>(m_imports.records.size()) - 1;
        m_ui.data.showPanel = true;
        m_ui.data.panelTab = 0;
        m_ui.data.panelTabForced = true;
        notify("Not imported: " + file.preview.error);
        return;
    }
    // Remember the confirmed mapping for files with the same header.
    RememberedMapping rm;
    rm.signature = file.preview.signature;
    rm.kind = file.kind;
    rm.dateOrder = file.dateOrder;
    rm.header = file.preview.header;
    ImportOptions opt = importOptionsFor(file, m_ws.settings.ambiguousDateOrder);
    opt.knownSha256 = file.sha256;
    rm.fields = opt.mapping;
    rm.stages = file.stageChoices;
    m_imports.memory.remember(std::move(rm));
    platform::saveSetting(kMappingsKey, m_imports.memory.toJson());

    // While the workspace is the sample, imports go into a fresh pool and the first one that
    // succeeds replaces the sample; a file that fails leaves the sample as it was.
    if (m_sampleWorkspace && !m_imports.freshPool) m_imports.freshPool = std::make_shared<StringPool>();
    std::shared_ptr<StringPool> pool = m_sampleWorkspace ? m_imports.freshPool : m_ws.pool;
    const std::string name = file.name;
    startJob(std::make_unique<ImportJob>(std::move(file.bytes), opt, pool), [this, pool, name](Job& j) {
        auto& job = static_cast<ImportJob&>(j);
        ImportResult& res = job.result();
        ImportRecord rec;
        rec.fileName = name;
        rec.ok = res.ok;
        rec.error = res.error;
        if (!res.ok) {
            rec.report = std::move(res.report);
            m_imports.records.push_back(std::move(rec));
            m_ui.data.selectedReport = static_cast<int>(m_imports.records.size()) - 1;
            m_ui.data.showPanel = true;
            m_ui.data.panelTab = 0;
            m_ui.data.panelTabForced = true;
            notify(job.cancelled() ? "Import of " + name + " cancelled; nothing changed" : "Not imported: " + res.error);
            return;
        }
        if (pool != m_ws.pool && (!m_sampleWorkspace || pool != m_imports.freshPool)) {
            notify("Not imported: the workspace changed while " + name + " was being read");
            return;
        }
        prepareImport(name, pool, std::make_shared<ImportResult>(std::move(res)));
    });
}

void App::prepareImport(const std::string& name, std::shared_ptr<StringPool> pool,
                        std::shared_ptr<ImportResult> res, std::optional<ImportMode> mode) {
    // Into the open workspace (a copy of it, prepared beside it), or, while the workspace is the
    // sample, into an empty workspace over the import's pool that replaces the sample.
    const bool fresh = pool != m_ws.pool;
    const DatasetKind kind = res->report.kind;
    // Nothing is replaced without asking: rows already there wait for replace / add / update.
    if (!fresh && !mode && m_ws.table(kind).rows() > 0) {
        AwaitingMode w;
        w.name = name;
        w.pool = pool;
        w.result = res;
        w.canUpdate = canUpdateById(kind);
        for (ImportMode m : {ImportMode::Replace, ImportMode::Add, ImportMode::UpdateById})
            if (m != ImportMode::UpdateById || w.canUpdate)
                w.counts[static_cast<std::size_t>(m)] = mergeCounts(m_ws.table(kind), res->table, kind, m);
        m_imports.awaitingMode = std::move(w);
        platform::requestFrame();
        return;
    }
    const ImportMode how = mode.value_or(ImportMode::Replace);
    auto counts = std::make_shared<MergeCounts>();
    auto source = [this, pool, res, fresh, how, counts](Workspace& ws, double) {
        PartTimer t(m_ui, "import.commit");
        if (fresh) {
            ws = Workspace();
            ws.pool = pool;
            for (auto& tab : ws.tables) tab = Table(pool);
            ws.ensureSchemas();
            ws.rebuildBaseline();
            ws.name = "Imported workspace";
            ws.settings = m_ws.settings;
        } else {
            ws = m_ws;
        }
        *counts = commitImport(ws, *res, how); // replace moves the table; add and update copy from it
        return true;
    };
    const bool big = std::max(m_ws.accounts().rows(), res->table.rows()) >= kPrepareInSlicesAbove;
    auto job = std::make_unique<PrepareJob>(*this, "Preparing " + name, std::move(source));
    job->newWorkspace = fresh;
    startPrepare(std::move(job), big, [this, name, pool, res, fresh, mode, how, counts](PrepareJob& job) {
        if (job.cancelled() || !job.error().empty()) {
            notify(job.cancelled() ? "Import of " + name + " cancelled; nothing changed"
                                   : "Not imported: " + job.error());
            return;
        }
        const bool stillFresh = fresh && m_sampleWorkspace && pool == m_imports.freshPool;
        const bool current = !fresh && pool == m_ws.pool && job.dataVersion == m_ui.dataVersion &&
                             job.datasetsVersion == m_datasetsVersion;
        if (!stillFresh && !current) {
            if (pool != m_ws.pool) {
                notify("Not imported: the workspace changed while " + name + " was being prepared");
                return;
            }
            // The open workspace changed meanwhile: again, into the workspace as it is now.
            if (how == ImportMode::Replace) res->table = std::move(job.ws.table(res->report.kind));
            prepareImport(name, pool, res, mode);
            return;
        }
        if (fresh) {
            m_sampleWorkspace = false;
            m_imports.freshPool.reset();
            m_ui.selectedTerritory = -1;
            m_file = OpenedFile{};
            m_review.clear();
            m_ui.reviewMode = false;
            m_ui.compareSet.clear();
        }
        ImportRecord rec;
        rec.fileName = name;
        rec.ok = true;
        rec.report = res->report;
        rec.merged = mode.has_value();
        rec.mode = how;
        rec.counts = *counts;
        ++m_datasetsVersion;
        m_imports.records.push_back(std::move(rec));
        const ImportReport& r = m_imports.records.back().report;
        m_ui.data.selectedReport = static_cast<int>(m_imports.records.size()) - 1;
        m_ui.data.showPanel = true;
        m_ui.data.panelTab = 0;
        m_ui.data.panelTabForced = true;
        if (r.kind == DatasetKind::Accounts) m_ui.cameraFitted = false;
        adoptPrepared(job);
        const ImportRecord& done = m_imports.records.back();
        if (done.merged)
            notify("Imported " + name + " (" + importModeName(how) + "): " + datasetKindName(r.kind) + " " + fmt::count(done.counts.before) +
                   " \xE2\x86\x92 " + fmt::count(done.counts.after) + " rows");
        else
            notify("Imported " + name + " as " + datasetKindName(r.kind) + ": " + fmt::count(r.rowsAccepted) + " rows, " +
                   fmt::count(r.rowsRejected) + " rejected");
        runHygiene();
    });
}

void App::chooseImportMode(ImportMode mode) {
    if (!m_imports.awaitingMode || (mode == ImportMode::UpdateById && !m_imports.awaitingMode->canUpdate)) return;
    AwaitingMode w = std::move(*m_imports.awaitingMode);
    m_imports.awaitingMode.reset();
    if (w.pool != m_ws.pool) {
        notify("Not imported: the workspace changed while " + w.name + " was waiting");
        return;
    }
    prepareImport(w.name, w.pool, w.result, mode);
}

void App::cancelImportMode() {
    if (!m_imports.awaitingMode) return;
    const AwaitingMode& w = *m_imports.awaitingMode;
    notify("Not imported: " + w.name + "; the " + fmt::count(w.counts[0].before) + " " + datasetKindName(w.result->report.kind) +
           " already there are unchanged");
    m_imports.awaitingMode.reset();
}

void App::downloadFindings() {
    if (!m_imports.hygieneValid) return;
    std::size_t rows = 0;
    for (const Finding& f : m_imports.hygiene.findings) rows += f.rows.size();
    platform::downloadFile("data-quality-findings.csv", findingsToCsv(m_ws, m_imports.hygiene), "text/csv");
    notify("Downloaded " + fmt::count(rows) + " rows of " + fmt::count(m_imports.hygiene.problems()) + " data-quality findings");
}

void App::downloadRejects(std::size_t record) {
    if (record >= m_imports.records.size()) return;
    const ImportReport& r = m_imports.records[record].report;
    std::string base = r.fileName;
    if (const std::size_t dot = base.rfind('.'); dot != std::string::npos && dot > 0) base.resize(dot);
    platform::downloadFile(base + "-rejected.csv", rejectsToCsv(r), "text/csv");
    notify("Downloaded " + fmt::count(r.rejects.size()) + " rejected rows of " + r.fileName);
}

void App::setAmbiguousDateOrder(DateOrder order) {
    m_ws.settings.ambiguousDateOrder = order;
    platform::saveSetting(kSettingsKey, dateOrderName(order));
    for (PendingFile& f : m_imports.pending) refreshPreview(f, m_imports.memory, order, true);
}

void App::setStaleDays(int days) {
    m_ws.settings.staleDays = std::clamp(days, 1, 3650);
    runHygiene();
}

// [SECTION] hygiene
Date App::hygieneAsOf() const {
    if (m_sampleWorkspace) return m_sample.asOf;
    return todayUtc();
}

void App::runHygiene() {
    m_imports.hygieneValid = false;
    if (m_imports.hygieneQueued) return; // the queued run will see the latest data
    m_imports.hygieneQueued = true;
    // Created when it starts, so it checks the workspace as it is then.
    struct Deferred : Job {
        App& app;
        std::unique_ptr<HygieneJob> job;
        explicit Deferred(App& a) : app(a) {}
        std::string title() const override { return "Checking data quality"; }
        bool step(double budgetMs) override {
            if (!job) {
                PartTimer t(app.ui(), "hygiene.start");
                HygieneOptions o;
                o.asOf = app.hygieneAsOf();
                o.staleDays = app.workspace().settings.staleDays;
                job = std::make_unique<HygieneJob>(app.workspace(), o);
            }
            if (m_cancelled) job->cancel();
            return job->step(budgetMs);
        }
        double progress() const override { return job ? job->progress() : 0.0; }
        std::string detail() const override { return job ? job->detail() : std::string(); }
    };
    startJob(std::make_unique<Deferred>(*this), [this](Job& j) {
        auto& d = static_cast<Deferred&>(j);
        m_imports.hygieneQueued = false;
        if (j.cancelled() || !d.job) return;
        m_imports.hygiene = std::move(d.job->report());
        m_imports.hygieneValid = true;
        m_ui.data.selectedFinding = -1;
        if (m_imports.hygiene.problems() > 0) m_ui.data.showPanel = true;
    });
}

void App::mergeSpelling(std::size_t finding, std::size_t group) {
    if (!m_imports.hygieneValid || finding >= m_imports.hygiene.findings.size()) return;
    const Finding& f = m_imports.hygiene.findings[finding];
    if (group >= f.spellings.size()) return;
    const SpellingGroup g = f.spellings[group];
    const DatasetKind kind = f.dataset;
    const std::string column = f.column;
    try {
        const std::uint64_t n = isProductNameFinding(f) ? mergeProductNames(m_ws, g.variants, g.canonical)
                                                        : mergeSpellings(m_ws, kind, column, g.variants, g.canonical);
        notify(m_ws.dataEdits.empty() ? "Nothing to merge" : m_ws.dataEdits.back().description);
        if (n > 0) {
            ++m_datasetsVersion;
            workspaceChanged();
            runHygiene();
        }
    } catch (const std::exception& e) {
        notify(std::string("Not merged: ") + e.what());
    }
}

void App::highlightAccounts(std::vector<std::uint32_t> rows, std::string label) {
    m_ui.data.highlightLabel = rows.empty() ? std::string() : std::move(label);
    m_map.setHighlight(*this, std::move(rows));
    m_map.fitHighlight(m_ui);
}

void App::highlightFinding(int finding) {
    m_ui.data.selectedFinding = finding;
    if (finding < 0 || !m_imports.hygieneValid || static_cast<std::size_t>(finding) >= m_imports.hygiene.findings.size()) {
        highlightAccounts({}, {});
        return;
    }
    const Finding& f = m_imports.hygiene.findings[static_cast<std::size_t>(finding)];
    highlightAccounts(f.accountRows, f.title);
}

// [SECTION] tables
namespace {

// A numeric filter: ">100", "<= 5", "=3", "10..20", or a plain number (equality).
bool parseNumericFilter(std::string_view text, double& lo, double& hi) {
    text = trim(text);
    auto num = [](std::string_view s, double& v) { return parseNumberText(trim(s), v); };
    if (const std::size_t dots = text.find(".."); dots != std::string_view::npos)
        return num(text.substr(0, dots), lo) && num(text.substr(dots + 2), hi);
    double v = 0;
    lo = -1e300, hi = 1e300;
    if (startsWith(text, ">=") && num(text.substr(2), v)) return lo = v, true;
    if (startsWith(text, "<=") && num(text.substr(2), v)) return hi = v, true;
    if (startsWith(text, ">") && num(text.substr(1), v)) return lo = std::nextafter(v, 1e300), true;
    if (startsWith(text, "<") && num(text.substr(1), v)) return hi = std::nextafter(v, -1e300), true;
    if (startsWith(text, "=") && num(text.substr(1), v)) return lo = hi = v, true;
    if (num(text, v)) return lo = hi = v, true;
    return false;
}

bool containsIgnoreCase(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return true;
    if (needle.size() > hay.size()) return false;
    auto low = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && low(hay[i + k]) == low(needle[k])) ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

} // namespace

void App::refreshTable(DatasetKind kind) {
    PartTimer timer(m_ui, "table.refresh");
    DataTableState& st = m_ui.data.tables[static_cast<std::size_t>(kind)];
    const Table& t = m_ws.table(kind);
    const std::size_t n = t.rows();
    st.dirty = false;
    std::vector<std::uint8_t> keep(n, 1);
    const std::string_view text = trim(std::string_view(st.filterText));
    bool filtered = false;
    if (!text.empty()) {
        filtered = true;
        std::vector<int> cols;
        if (st.filterColumn >= 0 && static_cast<std::size_t>(st.filterColumn) < t.columnCount()) cols.push_back(st.filterColumn);
        else
            for (std::size_t c = 0; c < t.columnCount(); ++c)
                if (t.column(c).type() == ColumnType::String) cols.push_back(static_cast<int>(c));
        const StringPool& pool = t.pool();
        std::vector<std::int8_t> match; // by string id: -1 unknown, 0 no, 1 yes
        double lo = 0, hi = 0;
        const bool numeric = cols.size() == 1 && t.column(static_cast<std::size_t>(cols[0])).type() != ColumnType::String &&
                             parseNumericFilter(text, lo, hi);
        for (std::size_t r = 0; r < n; ++r) {
            bool any = false;
            for (int ci : cols) {
                const Column& c = t.column(static_cast<std::size_t>(ci));
                if (c.type() == ColumnType::String) {
                    const std::uint32_t id = c.ids()[r];
                    if (id >= match.size()) match.resize(pool.size(), -1);
                    if (match[id] < 0) match[id] = containsIgnoreCase(pool.view(id), text) ? 1 : 0;
                    any = match[id] == 1;
                } else if (numeric) {
                    const double v = c.number(r);
                    any = !std::isnan(v) && v >= lo && v <= hi;
                } else {
                    any = containsIgnoreCase(c.format(r, pool), text);
                }
                if (any) break;
            }
            keep[r] = any ? 1 : 0;
        }
    }
    if (kind == DatasetKind::Accounts && st.precisionFilter >= 0) {
        filtered = true;
        for (std::size_t r = 0; r < n; ++r)
            if (keep[r] && static_cast<int>(accountPrecision(t, r)) != st.precisionFilter) keep[r] = 0;
    }
    st.rows.clear();
    for (std::size_t r = 0; r < n; ++r)
        if (keep[r]) st.rows.push_back(static_cast<std::uint32_t>(r));
    if (st.sortColumn >= 0 && static_cast<std::size_t>(st.sortColumn) < t.columnCount()) {
        const Column& c = t.column(static_cast<std::size_t>(st.sortColumn));
        const bool desc = st.descending;
        if (c.type() == ColumnType::String) {
            // Rank the distinct strings once, then sort rows by rank (nulls last).
            std::vector<std::uint32_t> distinct;
            std::vector<std::uint8_t> seen(t.pool().size(), 0);
            for (std::uint32_t r : st.rows) {
                const std::uint32_t id = c.ids()[r];
                if (id < seen.size() && !seen[id]) seen[id] = 1, distinct.push_back(id);
            }
            const StringPool& pool = t.pool();
            std::sort(distinct.begin(), distinct.end(), [&](std::uint32_t a, std::uint32_t b) { return pool.view(a) < pool.view(b); });
            std::vector<std::uint32_t> rank(pool.size(), 0);
            for (std::size_t i = 0; i < distinct.size(); ++i) rank[distinct[i]] = static_cast<std::uint32_t>(i);
            std::stable_sort(st.rows.begin(), st.rows.end(), [&](std::uint32_t a, std::uint32_t b) {
                const std::uint32_t ia = c.ids()[a], ib = c.ids()[b];
                if ((ia == 0) != (ib == 0)) return ib == 0;
                return desc ? rank[ia] > rank[ib] : rank[ia] < rank[ib];
            });
        } else {
            std::stable_sort(st.rows.begin(), st.rows.end(), [&](std::uint32_t a, std::uint32_t b) {
                const double va = c.number(a), vb = c.number(b);
                if (std::isnan(va) != std::isnan(vb)) return std::isnan(vb);
                return desc ? va > vb : va < vb;
            });
        }
    }
    if (kind == DatasetKind::Accounts) {
        if (filtered && st.drivesMap) m_map.setFilterMask(*this, std::move(keep));
        else m_map.setFilterMask(*this, {});
    }
}

// [SECTION] state
std::string App::importStateJson() const {
    nlohmann::ordered_json j;
    nlohmann::ordered_json recs = nlohmann::ordered_json::array();
    for (const ImportRecord& r : m_imports.records) {
        nlohmann::ordered_json o;
        o["file"] = r.fileName;
        o["ok"] = r.ok;
        if (!r.error.empty()) o["error"] = r.error;
        if (r.skipped) o["skipped"] = r.reason;
        if (r.merged)
            o["merge"] = {{"mode", importModeName(r.mode)}, {"before", r.counts.before}, {"incoming", r.counts.incoming}, {"after", r.counts.after},
                          {"added", r.counts.added}, {"updated", r.counts.updated}, {"removed", r.counts.removed}};
        o["kind"] = datasetKindName(r.report.kind);
        o["encoding"] = r.report.encoding;
        o["delimiter"] = std::string(1, r.report.delimiter);
        o["bytes"] = r.report.bytes;
        o["sha256"] = r.report.sha256;
        o["rows_read"] = r.report.rowsRead;
        o["rows_accepted"] = r.report.rowsAccepted;
        o["rows_rejected"] = r.report.rowsRejected;
        o["remembered_mapping"] = r.report.rememberedMapping;
        nlohmann::ordered_json m = nlohmann::ordered_json::object();
        for (const FieldMapping& fm : r.report.mapping)
            if (!fm.extra && fm.sourceColumn >= 0) m[fm.field] = fm.header;
        o["mapping"] = m;
        o["warnings"] = r.report.warnings;
        if (r.report.geocode.ran) {
            nlohmann::ordered_json g = nlohmann::ordered_json::object();
            for (int p = 0; p < kGeoPrecisionCount; ++p) g[geoPrecisionName(static_cast<GeoPrecision>(p))] = r.report.geocode.counts[static_cast<std::size_t>(p)];
            o["geocode"] = g;
        }
        recs.push_back(o);
    }
    j["records"] = recs;
    if (!m_imports.pending.empty()) {
        const PendingFile& p = m_imports.pending.front();
        nlohmann::ordered_json o;
        o["file"] = p.name;
        o["kind"] = datasetKindName(p.kind);
        o["kind_confident"] = p.preview.kindConfident;
        o["remembered_mapping"] = p.preview.rememberedMapping;
        o["readable"] = p.preview.readable;
        o["error"] = p.preview.error;
        o["encoding"] = p.preview.encoding;
        o["delimiter"] = std::string(1, p.preview.delimiter);
        nlohmann::ordered_json m = nlohmann::ordered_json::object();
        const auto fields = fieldsOf(p.kind);
        for (std::size_t f = 0; f < fields.size() && f < p.fieldColumn.size(); ++f)
            if (p.fieldColumn[f] >= 0) m[std::string(fields[f].name)] = p.preview.header[static_cast<std::size_t>(p.fieldColumn[f])];
        o["mapping"] = m;
        nlohmann::ordered_json fails = nlohmann::ordered_json::object();
        for (const ColumnProfile& c : p.preview.columns)
            if (c.failures > 0) fails[c.header] = c.failSamples;
        o["failures"] = fails;
        o["warnings"] = p.preview.warnings;
        o["stages"] = nlohmann::ordered_json::parse(stageTableToJson(p.preview.stages));
        j["pending"] = o;
    } else {
        j["pending"] = nullptr;
    }
    if (m_imports.awaitingMode) {
        const AwaitingMode& w = *m_imports.awaitingMode;
        nlohmann::ordered_json o;
        o["file"] = w.name;
        o["kind"] = datasetKindName(w.result->report.kind);
        o["can_update"] = w.canUpdate;
        for (ImportMode m : {ImportMode::Replace, ImportMode::Add, ImportMode::UpdateById}) {
            if (m == ImportMode::UpdateById && !w.canUpdate) continue;
            const MergeCounts& c = w.counts[static_cast<std::size_t>(m)];
            o[importModeName(m)] = {{"before", c.before}, {"incoming", c.incoming}, {"after", c.after}, {"added", c.added},
                                    {"updated", c.updated}, {"removed", c.removed}};
        }
        j["awaiting_mode"] = o;
    } else {
        j["awaiting_mode"] = nullptr;
    }
    j["findings_large"] = m_ui.data.findingsLarge;
    j["queued"] = m_imports.pending.size();
    j["remembered"] = m_imports.memory.entries().size();
    j["stages"] = nlohmann::ordered_json::parse(stageTableToJson(m_ws.settings.stages));
    j["sample_workspace"] = m_sampleWorkspace;
    nlohmann::ordered_json h;
    h["valid"] = m_imports.hygieneValid;
    h["queued"] = m_imports.hygieneQueued;
    nlohmann::ordered_json counts = nlohmann::ordered_json::object();
    if (m_imports.hygieneValid)
        for (const Finding& f : m_imports.hygiene.findings) counts[f.id] = f.count;
    h["counts"] = counts;
    nlohmann::ordered_json spell = nlohmann::ordered_json::object();
    if (m_imports.hygieneValid)
        for (const Finding& f : m_imports.hygiene.findings)
            if (!f.spellings.empty()) {
                nlohmann::ordered_json groups = nlohmann::ordered_json::array();
                for (const SpellingGroup& g : f.spellings) groups.push_back({{"canonical", g.canonical}, {"variants", g.variants}, {"cells", g.cells}});
                spell[f.id] = groups;
            }
    h["spellings"] = spell;
    nlohmann::ordered_json comp = nlohmann::ordered_json::object();
    if (m_imports.hygieneValid)
        for (const FileCompleteness& c : m_imports.hygiene.completeness) comp[datasetKindName(c.kind)] = c.score;
    h["completeness"] = comp;
    j["hygiene"] = h;
    j["highlighted"] = m_map.highlight().size();
    j["filtered_out"] = m_map.filteredOut();
    const DataTableState& at = m_ui.data.tables[static_cast<std::size_t>(m_ui.data.tableKind)];
    j["table"] = {{"kind", datasetKindName(static_cast<DatasetKind>(m_ui.data.tableKind))}, {"visible_rows", at.rows.size()}, {"shown", m_ui.data.showTable}};
    nlohmann::ordered_json sources = nlohmann::ordered_json::array();
    for (const SourceFile& s : m_ws.sources)
        sources.push_back({{"kind", datasetKindName(s.kind)}, {"file", s.name}, {"bytes", s.bytes}, {"sha256", s.sha256}, {"encoding", s.encoding},
                           {"rows_accepted", s.rowsAccepted}, {"rows_rejected", s.rowsRejected}});
    j["sources"] = sources;
    return j.dump();
}

} // namespace terrane
