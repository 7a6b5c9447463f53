// terrane balance: optimise a territory plan (balanced, compact, optionally contiguous, within a
// disruption budget) and write account_id,territory.
#include "cli/args.hpp"
#include "cli/balance_common.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/base/job.hpp"
#include "core/scenario/scenario_file.hpp"
#include "core/territory/exact_diameter.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace terrane::cli {
namespace {

using namespace territory;

int run(int argc, char** argv) {
    Args a(argc, argv, 2, balanceFlags());
    a.allowOnly(balanceOptionNames({"by-rep", "method", "scenario", "scenario-name", "diameters"}));
    const bool byRep = a.has("by-rep");
    const bool fromFile = a.has("scenario");
    if (static_cast<int>(byRep) + static_cast<int>(a.has("territories")) + static_cast<int>(fromFile) != 1)
        throw UsageError("give one of --territories K, --by-rep or --scenario FILE.terrane");
    long long K = 0;
    if (!byRep && !fromFile) {
        K = a.integer("territories", 0);
        if (K < 1 || K > 1000000)
            throw UsageError("--territories must be a whole number of territories between 1 and 1000000");
    }
    const std::string out = a.required("out");
    const std::string method = a.get("method", "optimiser");
    if (method != "optimiser" && method != "kmeans" && method != "exact")
        throw UsageError("--method must be optimiser, kmeans (the baseline) or exact (small instances)");
    BalanceOptions options = balanceOptionsFrom(a);
    if (options.fixedCentres && !byRep && !fromFile)
        throw UsageError("--fixed-centres needs reps' home bases: use it with --by-rep or --scenario");
    if ((options.maxMovedAccounts < 1 || options.maxMovedValue < 1) && !byRep && !fromFile)
        throw UsageError("--max-disruption limits changes to an existing plan: use it with --by-rep or --scenario");

    Workspace ws;
    std::vector<std::string> scenarioWarnings;
    Scenario sc;
    if (fromFile) {
        // The plan as the page balances it: the file's datasets, the chosen scenario's territories,
        // assignment and locks, and the file's capacity settings unless given here.
        for (const char* o : {"accounts", "reps", "territories", "opportunities", "lock-column"})
            if (a.has(o)) throw UsageError(std::string("--") + o + " cannot be combined with --scenario (the file has the data)");
        const std::string path = a.get("scenario");
        ScenarioFileLoad f = loadScenarioFile(readFile(path));
        if (!f.ok) throw InputError(path + ": " + f.error);
        ws = std::move(f.ws);
        std::size_t index = ws.activeScenario;
        if (a.has("scenario-name")) {
            const std::string want = a.get("scenario-name");
            index = ws.scenarios.size();
            for (std::size_t i = 0; i < ws.scenarios.size(); ++i)
                if (ws.scenarios[i].name == want) index = i;
            if (index == ws.scenarios.size()) throw InputError(path + ": no scenario named '" + want + "'");
        }
        sc = ws.scenarios[index];
        if (!a.has("vacancy-factor")) options.vacancyFactor = ws.settings.metrics.vacantCapacity;
        options.capacityAdjusted = ws.settings.metrics.capacityAdjusted;
    } else if (byRep)
        loadDatasets(a, ws, {DatasetKind::Accounts, DatasetKind::Reps}, {DatasetKind::Territories});
    else
        loadDatasets(a, ws, {DatasetKind::Accounts}, {DatasetKind::Territories});
    if (!fromFile) {
        const std::vector<std::uint8_t> locks = locksFrom(a, ws);
        try {
            sc = byRep ? repScenario(ws, locks, scenarioWarnings)
                       : freshScenario(ws, static_cast<std::size_t>(K), locks);
        } catch (const BalanceInputError& e) {
            throw InputError(e.what());
        }
    }
    BalanceProblem built = problemFrom(ws, sc, options);
    // --diameters straight: the travel graph judges contiguity only; diameters are straight lines.
    const std::string diameters = a.get("diameters", "path");
    if (diameters != "path" && diameters != "straight") throw UsageError("--diameters must be path or straight");
    if (diameters == "straight" && built.travel) {
        auto t = std::make_shared<TravelGraph>(*built.travel);
        t->paths.clear();
        built.travel = std::move(t);
    }
    auto problem = std::make_shared<const BalanceProblem>(std::move(built));

    BalanceResult r;
    if (method == "optimiser") {
        Optimiser opt(problem, options);
        while (!opt.step(1e9)) {
        }
        r = opt.result();
    } else {
        Stopwatch clock;
        const SiteGraph g = contiguityGraph(*problem);
        if (method == "kmeans") {
            r.assignment = weightedKMeansBaseline(*problem, options.seed);
        } else {
            std::size_t movable = 0;
            for (std::size_t i = 0; i < problem->accounts; ++i)
                movable += problem->fixed[i] == Fixed::Free ? 1 : 0;
            if (movable > 40)
                throw UsageError("--method exact is limited to 40 movable accounts (this file has " +
                                 std::to_string(movable) + ")");
            bool optimal = true;
            if (options.compactness == Compactness::Diameter) {
                // The improver's plan is the first bound; the search proves it or beats it.
                BalanceOptions quick = options;
                quick.improveIterations = 20000;
                const BalanceResult start = optimise(problem, quick, std::make_shared<const SiteGraph>(g));
                const ExactDiameterResult ex = exactMinDiameter(*problem, g, options.contiguous, 500000000ULL, &start.assignment);
                r.assignment = ex.assignment.empty() ? problem->current : ex.assignment;
                if (ex.assignment.empty()) r.reason = "no plan keeps every metric inside its tolerance";
                optimal = ex.optimal;
            } else {
                const ExactResult ex = exactBalancedPartition(*problem);
                if (ex.assignment.empty()) {
                    r.assignment = problem->current;
                    r.reason = "no plan keeps every metric inside its tolerance";
                } else {
                    r.assignment = ex.assignment;
                }
                optimal = ex.optimal;
            }
            if (!optimal)
                r.warnings.push_back(
                    "the exact search stopped at its node limit; the plan may not be optimal");
        }
        r.figures = evaluatePlan(*problem, g, r.assignment, options.fixedCentres);
        r.feasible = r.figures.withinTolerance && (!options.contiguous || r.figures.contiguous);
        if (!r.feasible && r.reason.empty())
            r.reason = method == "kmeans" ? "k-means does not balance" : "tolerance not met";
        r.seed = options.seed;
        r.runtimeMs = clock.ms();
        reportObjective(*problem, options.compactness, r);
        r.firstObjective = r.objective;
    }
    writeFile(out, assignmentCsv(*problem, r.assignment));

    std::vector<std::string> warnings = scenarioWarnings;
    warnings.insert(warnings.end(), r.warnings.begin(), r.warnings.end());
    for (const std::string& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (!r.feasible) std::fprintf(stderr, "not feasible: %s\n", r.reason.c_str());
    if (a.has("json")) {
        nlohmann::ordered_json j;
        j["feasible"] = r.feasible;
        j["reason"] = r.reason;
        j["method"] = method;
        addFiguresJson(j, *problem, r.figures);
        j["compactness"] = compactnessName(r.compactness);
        j["objective"] = r.objective;
        j["first_objective"] = r.firstObjective;
        if (r.lowerBound.known) {
            j["lower_bound"] = r.lowerBound.value;
            j["gap_to_bound"] = r.lowerBound.value > 0 ? r.objective / r.lowerBound.value - 1 : 0.0;
        } else {
            j["lower_bound"] = nullptr;
            j["gap_to_bound"] = nullptr;
        }
        j["lower_bound_basis"] = r.lowerBound.basis;
        j["travel_graph"] = problem->travel ? nlohmann::ordered_json{{"edges", problem->travel->edges},
                                                                     {"shortest_paths", problem->travel->hasPaths()}}
                                            : nlohmann::ordered_json(nullptr);
        nlohmann::ordered_json hist = nlohmann::ordered_json::array();
        for (const ObjectivePoint& h : r.history) hist.push_back({h.ms, h.iteration, h.objective});
        j["improvement"] = {{"iterations", r.improveIterations}, {"moves", r.improveMoves}, {"ms", r.improveMs},
                            {"history", hist}};
        j["runtime_ms"] = r.runtimeMs;
        j["seed"] = r.seed;
        j["time_limited"] = r.timeLimited;
        nlohmann::ordered_json blocking = nlohmann::ordered_json::array();
        for (const BlockingConstraint& b : r.blocking)
            blocking.push_back({{"constraint", b.constraint},
                                {"territory", b.territory},
                                {"metric", b.metric},
                                {"detail", b.detail}});
        j["blocking"] = blocking;
        j["warnings"] = warnings;
        j["accounts"] = problem->accounts;
        j["territory_count"] = problem->K();
        j["coords"] = options.coords == CoordSystem::LatLon ? "latlon" : "xy";
        j["iterations"] = r.iterations;
        j["split_accounts"] = r.splitAccounts;
        j["flow_phases"] = r.flowPhases;
        j["assignment_arcs"] = r.assignmentArcs;
        j["search_moves"] = r.searchMoves;
        j["timings_ms"] = {
            {"triangulation", r.graphMs}, {"allocation", r.allocateMs}, {"local_search", r.polishMs}};
        j["out"] = out;
        std::printf("%s\n", j.dump(2).c_str());
    } else {
        std::fprintf(stderr, "%s: %zu accounts in %zu territories, %s; written to %s\n", method.c_str(),
                     problem->accounts, problem->K(),
                     r.feasible ? "every metric inside its tolerance" : "not feasible", out.c_str());
    }
    return 0;
}

const Command
    kCmd("balance",
         "(--accounts A.csv [--reps R.csv] [--opportunities O.csv] (--territories K | --by-rep) | --scenario "
         "PLAN.terrane [--scenario-name NAME]) --balance METRIC:TOL "
         "[--balance METRIC:TOL ...] [--coords latlon|xy] [--contiguous] [--max-disruption SHARE] "
         "[--lock-column COL] "
         "[--edges E.csv [--diameters path|straight]] [--compactness distance|diameter|home] [--iterations N] "
         "[--fixed-centres] [--move-customers] [--vacancy-factor F] [--seed S] [--time-limit SEC] [--map "
         "field=Header ...] "
         "[--method optimiser|kmeans|exact] --out assignment.csv [--json]",
         "Optimise territories: balanced on 1-5 metrics, compact, contiguous, within a disruption budget",
         &run);

} // namespace
} // namespace terrane::cli
