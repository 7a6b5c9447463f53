#include "core/import/loader.hpp"

#include <algorithm>

namespace terrane {

namespace {
bool mappedField(const ImportReport& r, std::string_view field) {
    for (const FieldMapping& m : r.mapping)
        if (!m.extra && m.sourceColumn >= 0 && m.field == field) return true;
    return false;
}
} // namespace

std::uint64_t restage(Workspace& ws, const std::vector<StageRow>& choices, Date asOf) {
    StageTable& st = ws.settings.stages;
    StageInputs in;
    in.outcomeColumns = !st.outcomesFromStages;
    in.probabilityColumn = !st.probabilityFromStages;
    in.asOf = asOf != kDateNull ? asOf : todayUtc();
    in.history = &ws.table(DatasetKind::StageHistory);
    in.user = userStageRows(st);
    for (const StageRow& c : choices) setUserStage(in.user, c);
    st = inferStages(ws.opportunities(), in);
    return applyStageOutcomes(ws.opportunities(), st);
}

MergeCounts commitImport(Workspace& ws, ImportResult& res, ImportMode mode, Date asOf) {
    const ImportReport& report = res.report;
    const DatasetKind kind = report.kind;
    MergeCounts counts;
    if (mode == ImportMode::Replace) {
        counts = mergeCounts(ws.table(kind), res.table, kind, mode);
        ws.table(kind) = std::move(res.table);
        res.table = Table(ws.pool);
    } else {
        counts = mergeTables(ws.table(kind), res.table, kind, mode);
    }
    ws.ensureSchemas();
    SourceFile src;
    src.kind = kind;
    src.name = report.fileName;
    src.bytes = report.bytes;
    src.sha256 = report.sha256;
    src.rowsAccepted = report.rowsAccepted;
    src.rowsRejected = report.rowsRejected;
    src.rowsRead = report.rowsRead;
    src.encoding = report.encoding;
    src.delimiter = report.delimiter;
    for (const FieldMapping& m : report.mapping)
        if (!m.extra && m.sourceColumn >= 0) src.fields.push_back(m.field);
    // Replace: the file takes the place of the earlier ones of its kind; otherwise it joins them.
    auto same = std::find_if(ws.sources.begin(), ws.sources.end(), [&](const SourceFile& s) { return s.kind == kind; });
    if (mode == ImportMode::Replace && same != ws.sources.end()) {
        *same = std::move(src);
        std::erase_if(ws.sources, [&](const SourceFile& s) { return s.kind == kind && &s != &*same; });
    } else {
        ws.sources.push_back(std::move(src));
    }
    if (kind == DatasetKind::Opportunities) {
        // A new opportunities file: a new stage table, with the user's earlier choices for stages
        // of the same name and this import's over them.
        std::vector<StageRow> user = userStageRows(ws.settings.stages);
        for (const StageRow& c : report.stageChoices) setUserStage(user, c);
        ws.settings.stages = StageTable{};
        // Outcomes: the file's closed / won columns, else its status column, else the stages.
        const bool outcomeColumns = (mappedField(report, "is_closed") && mappedField(report, "is_won")) ||
                                    (mappedField(report, "status") && applyStatusOutcomes(ws.opportunities()));
        if (mappedField(report, "stage")) {
            ws.settings.stages.outcomesFromStages = !outcomeColumns;
            ws.settings.stages.probabilityFromStages = !mappedField(report, "probability");
            for (StageRow& u : user) u.source = StageSource::User;
            ws.settings.stages.stages = user; // read back as the user's choices by restage
            restage(ws, {}, asOf);
        }
    } else if (kind == DatasetKind::StageHistory && !ws.settings.stages.empty()) {
        restage(ws, {}, asOf); // the history orders the stages
    }
    if (kind == DatasetKind::Accounts || kind == DatasetKind::Territories) ws.rebuildBaseline();
    else ws.rebuildIndexes();
    return counts;
}

bool importInto(Workspace& ws, std::string_view bytes, const ImportOptions& opt, ImportReport& report, std::string& error) {
    ImportOptions o = opt;
    if (o.dateOrder == DateOrder::Auto) o.ambiguousDateOrder = ws.settings.ambiguousDateOrder;
    ImportResult res = importCsv(bytes, o, ws.pool);
    if (!res.ok) {
        report = std::move(res.report);
        error = res.error;
        return false;
    }
    commitImport(ws, res, ImportMode::Replace, o.asOf);
    report = std::move(res.report);
    return true;
}

} // namespace terrane
