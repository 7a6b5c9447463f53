// terrane rebalance: after hand edits, propose the fewest moves that bring every territory back
// inside tolerance. Nothing changes unless --apply writes the resulting plan.
#include "cli/args.hpp"
#include "cli/balance_common.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/io/csv.hpp"
#include "core/base/job.hpp"
#include "core/base/text.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <unordered_map>

namespace terrane::cli {
namespace {

using namespace territory;

// Overrides the scenario's assignment with an account_id,territory file (e.g. an edited plan).
void applyAssignmentFile(const std::string& path, const Workspace& ws, Scenario& sc) {
    const std::string text = readFile(path);
    const auto rows = parseCsv(text);
    if (rows.empty()) throw InputError(path + ": the file is empty (expected account_id,territory)");
    int idCol = -1, terCol = -1;
    for (std::size_t c = 0; c < rows[0].size(); ++c) {
        const std::string h = toLower(trim(rows[0][c]));
        if (h == "account_id") idCol = static_cast<int>(c);
        if (h == "territory") terCol = static_cast<int>(c);
    }
    if (idCol < 0 || terCol < 0)
        throw InputError(path + ": expected columns account_id and territory in the header");
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        if (row.size() <= static_cast<std::size_t>(std::max(idCol, terCol)))
            throw InputError(path + ": row " + std::to_string(r) + " has too few fields");
        const auto acc = ws.accounts().rowOf(trim(row[static_cast<std::size_t>(idCol)]));
        if (!acc)
            throw InputError(path + ": row " + std::to_string(r) + ", column account_id: '" +
                             row[static_cast<std::size_t>(idCol)] + "' is not a known account");
        const std::string_view tid = trim(row[static_cast<std::size_t>(terCol)]);
        if (tid.empty()) {
            sc.assignment[*acc] = -1;
            continue;
        }
        const auto t = sc.territoryRow(tid);
        if (!t)
            throw InputError(path + ": row " + std::to_string(r) + ", column territory: '" +
                             std::string(tid) + "' is not a territory of the plan");
        sc.assignment[*acc] = *t;
    }
}

int run(int argc, char** argv) {
    Args a(argc, argv, 2, balanceFlags());
    a.allowOnly(balanceOptionNames({"by-rep", "assignment", "apply"}));
    BalanceOptions options = balanceOptionsFrom(a);
    const bool byRep = a.has("by-rep");
    Workspace ws;
    loadDatasets(a, ws,
                 byRep ? std::initializer_list<DatasetKind>{DatasetKind::Accounts, DatasetKind::Reps}
                       : std::initializer_list<DatasetKind>{DatasetKind::Accounts});
    const std::vector<std::uint8_t> locks = locksFrom(a, ws);
    std::vector<std::string> warnings;
    Scenario sc;
    try {
        if (byRep) {
            sc = repScenario(ws, locks, warnings);
        } else {
            sc = ws.baseline();
            for (std::size_t r = 0; r < sc.locked.size() && r < locks.size(); ++r) sc.locked[r] = locks[r];
        }
    } catch (const BalanceInputError& e) {
        throw InputError(e.what());
    }
    if (a.has("assignment")) applyAssignmentFile(a.get("assignment"), ws, sc);
    Stopwatch clock;
    const BalanceProblem problem = problemFrom(ws, sc, options);
    const SiteGraph g = contiguityGraph(problem);
    const RebalanceProposal prop = proposeRebalance(problem, g, options);
    const double ms = clock.ms();

    std::string moves;
    CsvWriter w(moves);
    w.field("account_id").field("from").field("to");
    w.endRow();
    auto tid = [&](std::int32_t k) {
        return k >= 0 ? std::string_view(problem.territoryId[static_cast<std::size_t>(k)])
                      : std::string_view();
    };
    for (const RebalanceMove& m : prop.moves) {
        w.field(problem.accountName(m.account)).field(tid(m.from)).field(tid(m.to));
        w.endRow();
    }
    if (a.has("out")) writeFile(a.get("out"), moves);
    if (a.has("apply")) writeFile(a.get("apply"), assignmentCsv(problem, prop.assignment));
    warnings.insert(warnings.end(), problem.warnings.begin(), problem.warnings.end());
    for (const std::string& s : warnings) std::fprintf(stderr, "warning: %s\n", s.c_str());
    if (a.has("json")) {
        nlohmann::ordered_json j;
        j["feasible"] = prop.feasible;
        j["reason"] = prop.reason;
        j["move_count"] = prop.moves.size();
        nlohmann::ordered_json mv = nlohmann::ordered_json::array();
        for (const RebalanceMove& m : prop.moves)
            mv.push_back(
                {{"account_id", problem.accountName(m.account)}, {"from", tid(m.from)}, {"to", tid(m.to)}});
        j["moves"] = mv;
        nlohmann::ordered_json before, after;
        for (std::size_t m = 0; m < problem.M(); ++m) {
            before[problem.metricName[m]] = prop.before.maxDeviation[m];
            after[problem.metricName[m]] = prop.after.maxDeviation[m];
        }
        j["max_deviation_before"] = before;
        j["before_within_tolerance"] = prop.before.withinTolerance;
        addFiguresJson(j, problem, prop.after);
        j["applied"] = a.has("apply");
        j["runtime_ms"] = ms;
        j["seed"] = options.seed;
        j["warnings"] = warnings;
        std::printf("%s\n", j.dump(2).c_str());
    } else {
        std::fprintf(stderr, "%zu moves proposed%s%s\n", prop.moves.size(),
                     prop.feasible ? "" : " (tolerance not reached: ",
                     prop.feasible ? "" : (prop.reason + ")").c_str());
        if (!a.has("out")) std::printf("%s", moves.c_str());
    }
    return 0;
}

const Command kCmd("rebalance",
                   "--accounts A.csv [--reps R.csv --by-rep] [--territories T.csv] [--assignment plan.csv] "
                   "--balance METRIC:TOL "
                   "[--balance ...] [--coords latlon|xy] [--contiguous] [--lock-column COL] "
                   "[--move-customers] [--map field=Header ...] "
                   "[--out moves.csv] [--apply plan.csv] [--json]",
                   "Fewest moves that bring every territory back inside tolerance after hand edits", &run);

} // namespace
} // namespace terrane::cli
