#include "core/import/loader.hpp"

#include <algorithm>

namespace terrane {

MergeCounts commitImport(Workspace& ws, ImportResult& res, ImportMode mode) {
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
    commitImport(ws, res);
    report = std::move(res.report);
    return true;
}

} // namespace terrane
