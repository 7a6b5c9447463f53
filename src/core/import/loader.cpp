#include "core/import/loader.hpp"

namespace terrane {

void commitImport(Workspace& ws, ImportResult& res) {
    const ImportReport& report = res.report;
    const DatasetKind kind = report.kind;
    ws.table(kind) = std::move(res.table);
    res.table = Table(ws.pool);
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
    bool replaced = false;
    for (SourceFile& s : ws.sources)
        if (s.kind == kind) s = src, replaced = true;
    if (!replaced) ws.sources.push_back(std::move(src));
    if (kind == DatasetKind::Accounts || kind == DatasetKind::Territories) ws.rebuildBaseline();
    else ws.rebuildIndexes();
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
