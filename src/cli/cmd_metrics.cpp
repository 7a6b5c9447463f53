// terrane metrics: the territory plan figures the metrics panel shows.
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/scenario/assignment.hpp"
#include "core/scenario/metrics.hpp"

#include <cstdio>

namespace terrane::cli {
namespace {

// Reads an assignment file into `sc`, reporting unknown accounts on stderr.
void applyFile(const Workspace& ws, Scenario& sc, const std::string& path) {
    AssignmentFile f;
    std::string error;
    if (!parseAssignment(ws, readFile(path), path, f, error)) throw InputError(error);
    for (std::size_t i = 0; i < f.errors.size() && i < 5; ++i) std::fprintf(stderr, "%s\n", f.errors[i].c_str());
    if (f.errors.size() > 5) std::fprintf(stderr, "%s: %zu rows rejected in all\n", path.c_str(), f.errors.size());
    const CommandResult r = applyAssignmentFile(ws, sc, f, path);
    if (!r.ok) throw InputError(path + ": " + r.error);
}

int run(int argc, char** argv) {
    Args a(argc, argv, 2, {"json", "no-capacity"});
    a.allowOnly(datasetOptionNames({"json", "assignment", "baseline", "tolerance", "vacant-capacity", "no-capacity"}));
    Workspace ws;
    loadDatasets(a, ws, {DatasetKind::Accounts});
    MetricsOptions opt;
    opt.tolerance = a.number("tolerance", opt.tolerance);
    opt.vacantCapacity = a.number("vacant-capacity", opt.vacantCapacity);
    opt.capacityAdjusted = !a.has("no-capacity");
    if (opt.tolerance < 0 || opt.vacantCapacity < 0 || opt.vacantCapacity > 1)
        throw UsageError("--tolerance must be >= 0 and --vacant-capacity between 0 and 1");
    if (a.has("baseline")) {
        applyFile(ws, ws.baseline(), a.get("baseline"));
        // The baseline is what the file says; its edit history is not part of it.
        ws.baseline().log.clear();
        ws.baseline().cursor = 0;
    }
    std::size_t s = 0;
    if (a.has("assignment")) {
        s = ws.addScenarioCopy(0, "assignment");
        applyFile(ws, ws.scenarios[s], a.get("assignment"));
    }
    const AccountValues values = AccountValues::compute(ws);
    const PlanMetrics m = computePlanMetrics(ws, values, ws.scenarios[s], &ws.baseline(), opt);
    if (a.has("json")) {
        std::printf("%s\n", planMetricsToJson(m).c_str());
        return 0;
    }
    std::printf("%-28s %8s %14s %10s %9s\n", "territory", "accounts", "potential", "workload", "dev(pot)");
    for (const TerritoryFigures& t : m.territories)
        std::printf("%-28.28s %8.0f %14.2f %10.1f %8.1f%%\n", t.name.c_str(), t.f.sum[0], t.f.sum[2] / 100.0, t.f.sum[3],
                    t.f.deviation[2] * 100.0);
    std::printf("max deviation: potential %.1f%%, workload %.1f%%; moved accounts %.1f%%\n", m.balance.maxAbsDeviation[2] * 100,
                m.balance.maxAbsDeviation[3] * 100, m.disruption.accountsMovedShare * 100);
    return 0;
}

const Command kCmd("metrics",
                   "--accounts A.csv [--reps R.csv] [--territories T.csv] [--opportunities O.csv] [--assignment X.csv] "
                   "[--baseline B.csv] [--tolerance 0.05] [--vacant-capacity 0.5] [--no-capacity] [--json]",
                   "Territory plan figures: per territory, district and region; balance; disruption against the baseline", &run);

} // namespace
} // namespace terrane::cli
