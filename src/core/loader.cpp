#include "core/loader.hpp"

namespace terrane {

bool importInto(Workspace& ws, std::string_view bytes, const ImportOptions& opt, ImportReport& report, std::string& error) {
    ImportResult res = importCsv(bytes, opt, ws.pool);
    report = std::move(res.report);
    if (!res.ok) {
        error = res.error;
        return false;
    }
    ws.table(opt.kind) = std::move(res.table);
    ws.ensureSchemas();
    SourceFile src{opt.kind, report.fileName, report.bytes, report.sha256, report.rowsAccepted, report.rowsRejected};
    bool replaced = false;
    for (SourceFile& s : ws.sources)
        if (s.kind == opt.kind) s = src, replaced = true;
    if (!replaced) ws.sources.push_back(std::move(src));
    if (opt.kind == DatasetKind::Accounts || opt.kind == DatasetKind::Territories) ws.rebuildBaseline();
    else ws.rebuildIndexes();
    return true;
}

} // namespace terrane
