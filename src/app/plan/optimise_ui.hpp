// UI state of the territory optimiser window (Plan > Optimise territories...): the settings the
// four tabs share, the optimiser job with its live preview, the rebalance proposal, the trade-off
// sweep and the sizing answer. The work itself is core/territory/planning.hpp.
#pragma once

#include "app/job_handle.hpp"

#include "core/territory/planning.hpp"

#include <array>
#include <functional>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace terrane {

class App;

// Time between live previews of a running optimisation: 250 ms, or nine times what a frame that
// draws the map afresh costs (so previews take at most a tenth of the wall time).
inline double previewIntervalMs(double fullDrawFrameMs) {
    return fullDrawFrameMs * 9.0 > 250.0 ? fullDrawFrameMs * 9.0 : 250.0;
}

struct OptimiseUi {
    bool show = false;
    int tabRequest = -1; // 0 optimise, 1 rebalance, 2 trade-off, 3 sizing
    int tab = 0;
    // Settings shared by every tab.
    struct MetricRow {
        bool on = false;
        int metric = 0;          // index into optimiseMetricChoices()
        float tolerancePct = 5;  // allowed deviation from target, percent
    };
    MetricRow rows[3] = {{true, 0, static_cast<float>(territory::kFirstRun.potentialTolerance * 100)},
                         {true, 1, static_cast<float>(territory::kFirstRun.workloadTolerance * 100)},
                         {false, 2, 20.0f}};
    bool contiguous = territory::kFirstRun.contiguous;
    bool fixedCentres = false; // compactness to the rep's home base instead of the centroid
    int compactness = 0;       // territory::Compactness: 0 distance, 1 diameter, 2 home
    int improveSeconds = 0;    // time after the first plan spent improving the compactness
    bool moveCustomers = territory::kFirstRun.moveCustomers;
    // A first-time run changes at most a fifth of the accounts (a new plan has no budget).
    float maxMovedAccountsPct = static_cast<float>(territory::kFirstRun.maxMovedAccounts * 100),
          maxMovedValuePct = static_cast<float>(territory::kFirstRun.maxMovedValue * 100);
    int seed = 1;
    char name[96] = {};
    // A scenario with no territories: what the run creates first (0 one per rep, 1 numbered).
    int startFrom = -1;       // -1: by rep when the workspace has reps, else numbered
    int startTerritories = 10; // how many numbered territories
    // Optimiser run, and "Keep improving" on the plan it made.
    JobHandle<territory::BalanceJob> job;
    JobHandle<territory::ImproveJob> improveJob;
    std::shared_ptr<const territory::BalanceProblem> problem;
    double jobStartedMs = 0, previewAtMs = 0;
    int progressFrames = 0, previewUpdates = 0; // frames that showed the run's progress bar; map previews drawn
    std::string error; // why the last run could not start (no coordinates, ...)
    struct Outcome {
        bool valid = false;
        bool feasible = false, cancelled = false;
        std::string scenario, reason;
        std::string created; // the territories the run created first ("Created 8 territories (one per rep), ...")
        std::size_t oversize = 0; // accounts larger than any territory's band, left out of the headline deviation
        std::vector<std::uint32_t> lockedInEnclaves; // contiguity asked for: locked accounts that keep pieces apart
        bool askedContiguous = false;
        bool inside = false; // every metric inside its tolerance around the oversize accounts (and contiguous when asked)
        std::vector<territory::BlockingConstraint> blocking;
        std::vector<std::string> warnings, metricNames;
        std::vector<double> maxDeviation, maxDeviationBalanceable, tolerance;
        double weightedMeanDistance = 0, movedAccountsShare = 0, movedValueShare = 0, runtimeMs = 0, wallMs = 0;
        bool contiguous = true;
        std::size_t accounts = 0, territories = 0;
        std::uint64_t seed = 1;
        std::string distanceUnit = "km";
        // Compactness objective, its lower bound and its fall over time (improvement runs appended).
        std::string compactness = "distance";
        double objective = 0, firstObjective = 0, maxDiameter = 0, lowerBound = 0;
        bool boundKnown = false;
        std::string boundBasis;
        std::vector<territory::ObjectivePoint> history; // seconds are cumulative over the runs
        std::uint64_t improveIterations = 0;
    } outcome;
    // Rebalance proposal for the active scenario (valid while dataVersion is `rebalanceVersion`).
    std::shared_ptr<const territory::BalanceProblem> rebalanceProblem;
    std::shared_ptr<territory::RebalanceProposal> proposal;
    std::uint64_t rebalanceVersion = ~0ull;
    std::size_t rebalanceScenario = 0;
    // Trade-off sweep.
    JobHandle<territory::TradeoffJob> sweepJob;
    std::vector<territory::TradeoffPoint> points;
    std::size_t sweepScenario = 0;
    std::string sweepBase; // name of the scenario the sweep started from
    int hoveredPoint = -1;
    std::vector<std::array<float, 2>> pointScreen; // where each dot was drawn (CSS pixels), for tests
    // Sizing.
    struct LimitRow {
        bool on = false;
        int metric = 0;
        float limit = 0;
    };
    LimitRow limits[2] = {{true, 2, 150.0f}, {false, 1, 1500.0f}};
    int maxTerritories = 400;
    bool sizingRunning = false;
    std::shared_ptr<territory::SizingResult> sizing;
    std::string sizingError;
};

// The metrics the optimiser can balance: the built-in ones, then numeric account columns.
struct MetricChoice {
    std::string name;  // as core names it ("potential", or a column name)
    std::string label; // "Potential ($)"
};
std::vector<MetricChoice> optimiseMetricChoices(const App& app);
// The optimiser options the window's settings describe (with the workspace's capacity settings).
territory::BalanceOptions optimiseOptions(const App& app);
// Adds the territories `draft` makes to the active scenario as one CreateTerritories command
// (undoable, in the scenario log); a draft that cannot be made or a refused command is notified and
// gives false. `source` says where they came from ("one per rep").
bool createTerritories(App& app, const std::function<territory::TerritoryDraft()>& draft, const std::string& source);
// JSON of the optimiser window's state for the test hook (window.terrane.state().optimise).
std::string optimiseStateJson(const App& app);

} // namespace terrane
