#include "cli/load.hpp"

#include "core/import/loader.hpp"

#include <algorithm>
#include <cstdio>

namespace terrane::cli {

namespace {
// Option name for each dataset kind ("stage_history" is spelled --stage-history).
std::string optionOf(DatasetKind k) {
    if (k == DatasetKind::Adjacency) return "edges"; // --edges E.csv: the travel graph
    std::string n = datasetKindName(k);
    for (char& c : n)
        if (c == '_') c = '-';
    return n;
}
} // namespace

std::vector<std::string> datasetOptionNames(std::initializer_list<std::string> extra) {
    std::vector<std::string> out(extra);
    for (int k = 0; k < kDatasetKindCount; ++k) out.push_back(optionOf(static_cast<DatasetKind>(k)));
    out.push_back("date-order");
    out.push_back("map");
    out.push_back("stage");
    return out;
}

namespace {
// --map entries as (kind, field, header); "field=Header" is for accounts.
struct MapEntry {
    DatasetKind kind;
    std::string field, header;
};
std::vector<MapEntry> mapEntries(const Args& a) {
    std::vector<MapEntry> out;
    for (const std::string& m : a.all("map")) {
        const std::size_t eq = m.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 >= m.size())
            throw UsageError("--map expects field=Header (or kind.field=Header), got '" + m + "'");
        std::string field = m.substr(0, eq);
        DatasetKind kind = DatasetKind::Accounts;
        if (const std::size_t dot = field.find('.'); dot != std::string::npos) {
            std::string kn = field.substr(0, dot);
            for (char& ch : kn)
                if (ch == '-') ch = '_';
            if (!parseDatasetKind(kn, kind))
                throw UsageError("--map: unknown dataset '" + field.substr(0, dot) + "' in '" + m + "'");
            field = field.substr(dot + 1);
        }
        out.push_back({kind, field, m.substr(eq + 1)});
    }
    return out;
}
} // namespace

std::string mappedHeader(const Args& a, DatasetKind kind, const std::string& field) {
    for (const MapEntry& e : mapEntries(a))
        if (e.kind == kind && e.field == field) return e.header;
    return {};
}

void loadDatasets(const Args& a, Workspace& ws, std::initializer_list<DatasetKind> required,
                  std::initializer_list<DatasetKind> skip) {
    for (DatasetKind k : required)
        if (!a.has(optionOf(k))) throw UsageError("missing required option --" + optionOf(k));
    DateOrder order = DateOrder::Auto;
    const std::string d = a.get("date-order", "auto");
    if (d == "dmy") order = DateOrder::DMY;
    else if (d == "mdy") order = DateOrder::MDY;
    else if (d == "ymd") order = DateOrder::YMD;
    else if (d != "auto") throw UsageError("--date-order must be dmy, mdy, ymd or auto");
    // Territories before accounts so the baseline resolves names against the full hierarchy.
    static constexpr DatasetKind kOrder[] = {DatasetKind::Territories, DatasetKind::Reps, DatasetKind::Accounts,
                                             DatasetKind::Opportunities, DatasetKind::StageHistory, DatasetKind::Bookings,
                                             DatasetKind::Products, DatasetKind::Adjacency};
    const std::vector<MapEntry> maps = mapEntries(a);
    // --stage "Signed=won": the user's meaning of a stage, read by every opportunities import.
    for (const std::string& c : a.all("stage")) {
        StageRow r;
        std::string err;
        if (!parseStageChoice(c, r, err)) throw UsageError("--stage: " + err);
        setUserStage(ws.settings.stages.stages, std::move(r));
    }
    for (DatasetKind k : kOrder) {
        const std::string opt = optionOf(k);
        if (!a.has(opt) || std::find(skip.begin(), skip.end(), k) != skip.end()) continue;
        const std::string path = a.get(opt);
        const std::string bytes = readFile(path);
        ImportOptions io;
        io.kind = k;
        io.fileName = path;
        io.dateOrder = order;
        for (const MapEntry& e : maps)
            if (e.kind == k && findField(k, e.field)) io.mapping.push_back({e.field, e.header});
        ImportReport rep;
        std::string error;
        io.ambiguousDateOrder = ws.settings.ambiguousDateOrder;
        if (!importInto(ws, bytes, io, rep, error)) throw InputError(error);
        if (rep.encoding != "utf-8" && rep.encoding != "utf-8-bom")
            std::fprintf(stderr, "%s: read as %s\n", path.c_str(), rep.encoding.c_str());
        for (std::size_t i = 0; i < rep.rejects.size() && i < 5; ++i) {
            const auto& r = rep.rejects[i];
            std::fprintf(stderr, "%s: row %llu (line %llu)%s%s: expected %s\n", path.c_str(), (unsigned long long)r.record,
                         (unsigned long long)r.line, r.column.empty() ? "" : ", column ", r.column.c_str(), r.expected.c_str());
        }
        if (k == DatasetKind::Adjacency && !rep.rejects.empty()) { // a graph with holes would mislead
            const auto& r = rep.rejects.front();
            throw InputError(path + ": row " + std::to_string(r.record) + (r.column.empty() ? "" : ", column '" + r.column + "'") +
                             ": expected " + r.expected);
        }
        if (rep.rowsRejected > 0)
            std::fprintf(stderr, "%s: %llu of %llu rows rejected\n", path.c_str(), (unsigned long long)rep.rowsRejected,
                         (unsigned long long)rep.rowsRead);
    }
}

} // namespace terrane::cli
