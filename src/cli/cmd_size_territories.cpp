// terrane size-territories: how many territories keep every territory under a workload limit.
#include "cli/args.hpp"
#include "cli/balance_common.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/base/job.hpp"
#include "core/base/text.hpp"
#include "core/data/values.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace terrane::cli {
namespace {

using namespace territory;

int run(int argc, char** argv) {
    Args a(argc, argv, 2, balanceFlags());
    a.allowOnly(balanceOptionNames({"limit", "max-territories"}));
    BalanceOptions options = balanceOptionsFrom(a, false);
    if (!options.metrics.empty())
        throw UsageError("size-territories balances the --limit metrics; drop --balance");
    std::vector<SizingLimit> limits;
    for (const std::string& spec : a.all("limit")) {
        const std::size_t colon = spec.rfind(':');
        double v = 0;
        if (colon == std::string::npos || colon == 0 || !parseNumberText(trim(spec.substr(colon + 1)), v) ||
            !(v > 0))
            throw UsageError("--limit expects METRIC:LIMIT with a positive limit (e.g. accounts:120, "
                             "workload:1500), got '" +
                             spec + "'");
        limits.push_back({std::string(trim(spec.substr(0, colon))), v});
    }
    if (limits.empty())
        throw UsageError("name at least one --limit METRIC:LIMIT (accounts, workload hours, potential, ...)");
    const long long maxK = a.integer("max-territories", 100000);
    if (maxK < 1) throw UsageError("--max-territories must be at least 1");
    Workspace ws;
    loadDatasets(a, ws, {DatasetKind::Accounts}, {DatasetKind::Territories});
    const std::vector<std::uint8_t> locks = locksFrom(a, ws);
    Stopwatch clock;
    SizingResult r;
    try {
        r = sizeTerritories(ws, locks, limits, options, static_cast<std::size_t>(maxK));
    } catch (const BalanceInputError& e) {
        throw InputError(e.what());
    }
    const double ms = clock.ms();
    if (a.has("out") && r.problem) writeFile(a.get("out"), assignmentCsv(*r.problem, r.plan.assignment));
    if (a.has("json")) {
        nlohmann::ordered_json j;
        j["feasible"] = r.feasible;
        j["reason"] = r.reason;
        j["territory_count"] = r.territories;
        j["lower_bound"] = r.lowerBound;
        j["tried"] = r.tried;
        nlohmann::ordered_json lim = nlohmann::ordered_json::array();
        for (std::size_t l = 0; l < limits.size(); ++l)
            lim.push_back({{"metric", limits[l].metric},
                           {"limit", limits[l].limit},
                           {"max_load", l < r.maxLoad.size() ? r.maxLoad[l] : 0.0}});
        j["limits"] = lim;
        if (r.problem) addFiguresJson(j, *r.problem, r.plan.figures);
        j["runtime_ms"] = ms;
        j["seed"] = options.seed;
        std::printf("%s\n", j.dump(2).c_str());
    } else if (r.feasible) {
        std::printf("%zu territories keep every territory within the limits (lower bound %zu)\n",
                    r.territories, r.lowerBound);
    } else {
        std::printf("no count found: %s\n", r.reason.c_str());
    }
    return 0;
}

const Command
    kCmd("size-territories",
         "--accounts A.csv --limit METRIC:LIMIT [--limit ...] [--coords latlon|xy] [--contiguous] "
         "[--lock-column COL] "
         "[--seed S] [--max-territories N] [--map field=Header ...] [--out plan.csv] [--json]",
         "How many territories keep each under a workload limit (accounts, hours, potential), with the plan",
         &run);

} // namespace
} // namespace terrane::cli
