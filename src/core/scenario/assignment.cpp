#include "core/scenario/assignment.hpp"

#include "core/io/csv.hpp"
#include "core/import/import.hpp"
#include "core/base/text.hpp"

namespace terrane {

bool parseAssignment(const Workspace& ws, std::string_view csv, const std::string& fileName, AssignmentFile& out, std::string& error) {
    out = AssignmentFile{};
    if (startsWith(csv, "\xEF\xBB\xBF")) csv.remove_prefix(3);
    CsvReader r(csv, detectDelimiter(csv));
    CsvRecord rec;
    if (!r.next(rec)) {
        error = fileName + ": the file is empty (expected a header with account_id and territory)";
        return false;
    }
    int cAcc = -1, cTer = -1;
    for (std::size_t i = 0; i < rec.fields.size(); ++i) {
        const std::string h = normalizeHeader(rec.fields[i]);
        if (h == "accountid" && cAcc < 0) cAcc = static_cast<int>(i);
        if ((h == "territory" || h == "territoryid") && cTer < 0) cTer = static_cast<int>(i);
    }
    if (cAcc < 0 || cTer < 0) {
        error = fileName + ": the header needs account_id and territory columns";
        return false;
    }
    const Table& acc = ws.accounts();
    while (r.next(rec)) {
        ++out.rowsRead;
        const auto need = static_cast<std::size_t>(std::max(cAcc, cTer));
        if (rec.fields.size() <= need) {
            out.errors.push_back(fileName + " line " + std::to_string(rec.line) + ": expected at least " + std::to_string(need + 1) + " fields");
            continue;
        }
        const std::string_view id = trim(rec.fields[static_cast<std::size_t>(cAcc)]);
        auto row = acc.rowOf(id);
        if (!row) {
            out.errors.push_back(fileName + " line " + std::to_string(rec.line) + ", column account_id: '" + std::string(id) +
                                 "' is not in the accounts file");
            continue;
        }
        out.accounts.push_back(static_cast<std::uint32_t>(*row));
        out.territoryIds.emplace_back(trim(rec.fields[static_cast<std::size_t>(cTer)]));
    }
    return true;
}

CommandResult applyAssignmentFile(const Workspace& ws, Scenario& sc, const AssignmentFile& file, const std::string& source) {
    for (const std::string& id : file.territoryIds) {
        if (id.empty() || sc.territoryRow(id)) continue;
        CommandResult r = execute(ws, sc, territory::CreateTerritory{id, id, "", "", "territory", -1});
        if (!r.ok) return r;
    }
    territory::ApplyAssignment cmd;
    cmd.accounts = file.accounts;
    cmd.source = source;
    cmd.to.reserve(file.accounts.size());
    for (const std::string& id : file.territoryIds) cmd.to.push_back(id.empty() ? -1 : *sc.territoryRow(id));
    return execute(ws, sc, std::move(cmd), {}, true);
}

} // namespace terrane
