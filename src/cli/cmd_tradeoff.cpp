// terrane tradeoff: the optimiser over a range of disruption budgets (and tolerance scales):
// balance vs compactness vs disruption, one plan per point.
#include "cli/args.hpp"
#include "cli/balance_common.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/base/text.hpp"
#include "core/data/values.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>

namespace terrane::cli {
namespace {

using namespace territory;

int run(int argc, char** argv) {
    Args a(argc, argv, 2, balanceFlags());
    a.allowOnly(balanceOptionNames({"by-rep", "budgets", "tolerance-scales", "out-dir"}));
    if (!a.has("by-rep"))
        throw UsageError("tradeoff sweeps disruption budgets of an existing plan: use --by-rep with --reps");
    BalanceOptions options = balanceOptionsFrom(a);
    TradeoffOptions sweep;
    if (a.has("budgets")) sweep.budgets = parseNumberList("budgets", a.get("budgets"), 0.0, 1.0);
    if (a.has("tolerance-scales")) sweep.toleranceScales = parseNumberList("tolerance-scales", a.get("tolerance-scales"), 0.0, 50.0);
    Workspace ws;
    loadDatasets(a, ws, {DatasetKind::Accounts, DatasetKind::Reps}, {DatasetKind::Territories});
    const std::vector<std::uint8_t> locks = locksFrom(a, ws);
    std::vector<std::string> warnings;
    Scenario sc;
    try {
        sc = repScenario(ws, locks, warnings);
    } catch (const BalanceInputError& e) {
        throw InputError(e.what());
    }
    auto problem = std::make_shared<const BalanceProblem>(problemFrom(ws, sc, options));
    const std::vector<TradeoffPoint> points = tradeoffSweep(problem, options, sweep);
    const std::string dir = a.get("out-dir");
    if (!dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) throw InputError(dir + ": cannot create directory (" + ec.message() + ")");
    }
    nlohmann::ordered_json pts = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < points.size(); ++i) {
        const TradeoffPoint& pt = points[i];
        nlohmann::ordered_json j;
        j["budget"] = pt.budget;
        j["tolerance_scale"] = pt.toleranceScale;
        j["balance"] = pt.balance;
        j["feasible"] = pt.result.feasible;
        j["reason"] = pt.result.reason;
        addFiguresJson(j, *pt.problem, pt.result.figures, false);
        j["runtime_ms"] = pt.result.runtimeMs;
        if (!dir.empty()) {
            const std::string file =
                (std::filesystem::path(dir) / ("plan-" + std::to_string(i + 1) + ".csv")).string();
            writeFile(file, assignmentCsv(*pt.problem, pt.result.assignment));
            j["plan"] = file;
        }
        pts.push_back(std::move(j));
    }
    for (const std::string& s : warnings) std::fprintf(stderr, "warning: %s\n", s.c_str());
    if (a.has("json")) {
        nlohmann::ordered_json j;
        j["points"] = pts;
        j["seed"] = options.seed;
        std::printf("%s\n", j.dump(2).c_str());
    } else {
        std::printf("budget  tol-scale  balance   distance  moved\n");
        for (const TradeoffPoint& pt : points)
            std::printf("%6.2f  %9.2f  %7.4f  %9.3f  %5.3f\n", pt.budget, pt.toleranceScale, pt.balance,
                        pt.result.figures.weightedMeanDistance, pt.result.figures.movedAccountsShare);
    }
    return 0;
}

const Command kCmd(
    "tradeoff",
    "--accounts A.csv --reps R.csv --by-rep --balance METRIC:TOL [--balance ...] [--budgets 0,0.05,0.1,...] "
    "[--tolerance-scales 1,2] [--coords latlon|xy] [--contiguous] [--lock-column COL] [--seed S] [--out-dir "
    "DIR] [--json]",
    "Trade-off sweep: balance vs compactness vs disruption over disruption budgets, one plan per point",
    &run);

} // namespace
} // namespace terrane::cli
