// The territory-planning API the page and the CLI call: build the problem, run the optimiser as a
// sliced Job with a live preview, turn a plan into a new scenario (the baseline is never
// overwritten), propose an incremental rebalance, sweep disruption budgets for the trade-off
// chart, and size the number of territories.
//
// Page flow (Optimise dialog):
//   BalanceOptions options = balanceOptionsFor(ws);                  // panel's capacity settings
//   options.metrics = {{"potential", 0.02}, {"workload", 0.05}};     // + contiguous, budget, seed...
//   auto problem = std::make_shared<BalanceProblem>(makeBalanceProblem(ws, ws.active(), options));
//   auto job = std::make_shared<BalanceJob>(problem, options);      // App::startJob(job)
//   ... each frame: job->progress(), job->detail(), job->preview() (scenario rows per account)
//   when finished: addPlanScenario(ws, ws.activeScenario, *problem, job->result(), name)
// makeBalanceProblem throws BalanceInputError with a sentence for the dialog (no coordinates, ...).
//
// Index
//  [SECTION] scenarios   territories of a plan: the reps' (--by-rep) or K fresh ones (--territories K)
//  [SECTION] job         BalanceJob: progress, cancel, live preview
//  [SECTION] apply       plan -> ApplyAssignment -> a new scenario
//  [SECTION] rebalance   the fewest moves back inside tolerance after hand edits
//  [SECTION] trade-off   sweep over disruption budgets (and tolerance scales)
//  [SECTION] sizing      how many territories keep every territory under a workload limit
#pragma once

#include "core/base/job.hpp"
#include "core/scenario/scenario.hpp"
#include "core/territory/optimiser.hpp"
#include "core/territory/search.hpp"

#include <memory>
#include <string>
#include <vector>

namespace terrane::territory {

// [SECTION] scenarios
// Per-account flags from a column (Bool, or text read as true/false/yes/no/1/0); a missing column
// gives all 0. Throws BalanceInputError naming the row of an unreadable cell.
std::vector<std::uint8_t> accountFlags(const Workspace& ws, std::string_view column);

// Territories for a new plan and where each account starts in them. The CLI makes a scenario of
// it (repScenario, freshScenario); the page adds it to a scenario as one CreateTerritories command.
struct TerritoryDraft {
    std::vector<NewTerritory> territories;
    std::vector<std::int32_t> start; // per account row: index into `territories`, -1 none
    std::vector<std::string> warnings;
};
// One territory per rep or seat: id = the rep's territory (its rep_id when blank), owner = the rep,
// name from the territories table when loaded. Accounts start in the territory their `territory`
// column names, else their owner's. Reps that share a territory id share one territory (warning).
TerritoryDraft repDraft(const Workspace& ws);
// K territories T01..TK (zero-padded); accounts whose territory column names one start there.
TerritoryDraft numberedDraft(const Workspace& ws, std::size_t territories);
// One territory per distinct (trimmed, non-blank) value of an accounts text column, in sorted
// order, each with the accounts holding that value. Throws BalanceInputError for an unknown or
// non-text column, a column with no values, or more than `maxValues` distinct values.
TerritoryDraft columnDraft(const Workspace& ws, std::string_view column, std::size_t maxValues = 2000);
// The command that adds a draft's territories to `sc` and places the unlocked accounts where the
// draft starts them (locked accounts stay where they are). `source` says where they came from.
CreateTerritories draftCommand(const Scenario& sc, const TerritoryDraft& draft, std::string source);

// repDraft as a scenario named "By rep".
Scenario repScenario(const Workspace& ws, std::span<const std::uint8_t> locked,
                     std::vector<std::string>& warnings);
// numberedDraft as a scenario: K new territories T01..TK, the other accounts unassigned.
Scenario freshScenario(const Workspace& ws, std::size_t territories, std::span<const std::uint8_t> locked);

// The Optimise window's starting settings, what a first-time user runs: potential within 5% and
// workload within 10%, at most a fifth of the accounts moved (a new plan, with no territories
// before, has no budget), customers included. The unit tests check the built-in sample reaches
// them. Contiguity is an option, not the default: customers kept with their rep and locked
// accounts pin enclaves that no budget joins (the sample's historical plan has them).
struct FirstRunDefaults {
    double potentialTolerance = 0.05, workloadTolerance = 0.10;
    bool contiguous = false;
    bool moveCustomers = true;
    double maxMovedAccounts = 0.20, maxMovedValue = 1.0;
};
inline constexpr FirstRunDefaults kFirstRun{};
// balanceOptionsFor(ws) with kFirstRun's metrics, contiguity and budget.
BalanceOptions firstRunOptions(const Workspace& ws);

// [SECTION] job
class BalanceJob : public Job {
  public:
    BalanceJob(std::shared_ptr<const BalanceProblem> problem, BalanceOptions options,
               std::shared_ptr<const SiteGraph> graph = nullptr);
    std::string title() const override { return "Balancing territories"; }
    double sliceMs() const override { return 40.0; }
    bool step(double budgetMs) override;
    double progress() const override { return m_opt.progress(); }
    std::string detail() const override { return m_opt.detail(); }
    // The plan as it stands, as scenario territory rows per account (-1 unassigned): the preview.
    std::vector<std::int32_t> preview() const;
    bool hasPlan() const { return m_opt.hasPlan(); } // preview() differs from the start
    bool finished() const { return m_opt.done(); }
    const BalanceResult& result() const { return m_opt.result(); }
    const BalanceProblem& problem() const { return *m_problem; }
    std::shared_ptr<const SiteGraph> graph() const { return m_opt.graph(); }

  private:
    std::shared_ptr<const BalanceProblem> m_problem;
    Optimiser m_opt;
};

// Keeps improving a finished plan (Plan > Optimise > Keep improving): the improver (improve.hpp)
// from the problem's current assignment for `seconds`; cancelling keeps the best plan so far.
class ImproveJob : public Job {
  public:
    ImproveJob(std::shared_ptr<const BalanceProblem> problem, BalanceOptions options, double seconds);
    std::string title() const override { return "Improving territories"; }
    double sliceMs() const override { return 40.0; }
    bool step(double budgetMs) override;
    double progress() const override { return m_improver ? m_improver->progress() : 0.0; }
    std::string detail() const override;
    std::vector<std::int32_t> preview() const;
    bool hasPlan() const { return m_improver != nullptr; }
    const Improver* improver() const { return m_improver.get(); }
    const BalanceProblem& problem() const { return *m_problem; }
    const SiteGraph& graph() const { return m_graph; }
    const BalanceOptions& options() const { return m_options; }

  private:
    std::shared_ptr<const BalanceProblem> m_problem;
    BalanceOptions m_options;
    double m_seconds;
    SiteGraph m_graph;
    std::unique_ptr<Improver> m_improver;
};

// [SECTION] apply
// Scenario territory rows per account for a plan (territory indices), -1 where unassigned.
std::vector<std::int32_t> toScenarioRows(const BalanceProblem& p, std::span<const std::int32_t> plan);
// The accounts whose territory differs from the problem's starting assignment, as one command.
ApplyAssignment planCommand(const BalanceProblem& p, std::span<const std::int32_t> plan, std::string source);
// Copies scenario `base` into a new scenario named `name` (origin "optimiser", seed saved) and
// applies the plan to it; returns its index. Throws std::runtime_error if the command is refused.
std::size_t addPlanScenario(Workspace& ws, std::size_t base, const BalanceProblem& p,
                            std::span<const std::int32_t> plan, std::string name, std::string source,
                            std::uint64_t seed);
std::size_t addPlanScenario(Workspace& ws, std::size_t base, const BalanceProblem& p, const BalanceResult& r,
                            std::string name);

// [SECTION] rebalance
struct RebalanceProposal {
    std::vector<RebalanceMove> moves;     // net moves, ascending by account
    std::vector<std::int32_t> assignment; // the plan after the moves (territory indices)
    PlanFigures before, after;
    bool feasible = false; // every territory back inside tolerance
    std::string reason;
};
// The smallest set of moves (greedy by penalty reduction, pruned to be 1-minimal) that brings every
// territory back inside tolerance from the problem's current assignment; honours locks, kept
// customers and, when options.contiguous, contiguity. Nothing is applied.
RebalanceProposal proposeRebalance(const BalanceProblem& p, const SiteGraph& g, const BalanceOptions& options,
                                   std::size_t maxMoves = 100000);

// [SECTION] trade-off
struct TradeoffOptions {
    std::vector<double> budgets = {0.0, 0.02, 0.05, 0.1,
                                   0.2, 0.35, 1.0}; // max moved share (accounts and value)
    std::vector<double> toleranceScales = {1.0};    // multiplies every tolerance
};
struct TradeoffPoint {
    double budget = 1.0;
    double toleranceScale = 1.0;
    double balance = 0; // the largest max deviation over the metrics (fraction of target)
    std::shared_ptr<const BalanceProblem> problem; // the problem this point solved (tolerances scaled)
    BalanceResult result;                          // figures and the plan
};
class TradeoffJob : public Job {
  public:
    TradeoffJob(std::shared_ptr<const BalanceProblem> problem, BalanceOptions options, TradeoffOptions sweep,
                std::shared_ptr<const SiteGraph> graph = nullptr);
    std::string title() const override { return "Trade-off sweep"; }
    double sliceMs() const override { return 40.0; }
    bool step(double budgetMs) override;
    double progress() const override;
    std::string detail() const override;
    const std::vector<TradeoffPoint>& points() const { return m_points; }
    bool finished() const { return m_next >= m_plan.size(); }

  private:
    void startPoint();
    std::shared_ptr<const BalanceProblem> m_problem;
    BalanceOptions m_options;
    std::shared_ptr<const SiteGraph> m_graph;
    std::vector<std::pair<double, double>> m_plan; // (budget, tolerance scale)
    std::size_t m_next = 0;
    std::unique_ptr<Optimiser> m_run;
    std::shared_ptr<const BalanceProblem> m_runProblem;
    std::vector<TradeoffPoint> m_points;
};
std::vector<TradeoffPoint> tradeoffSweep(std::shared_ptr<const BalanceProblem> problem,
                                         const BalanceOptions& options, const TradeoffOptions& sweep,
                                         std::shared_ptr<const SiteGraph> graph = nullptr);

// [SECTION] sizing
struct SizingLimit {
    std::string metric; // accounts, workload (hours), potential, ... per territory
    double limit = 0;
};
struct SizingResult {
    bool feasible = false;
    std::string reason;
    std::size_t territories = 0; // the count found
    std::size_t lowerBound = 0;  // ceil(total / limit) over the limits
    std::vector<std::size_t> tried;
    std::vector<double> maxLoad; // per limit, in the plan found
    std::shared_ptr<const BalanceProblem> problem;
    BalanceResult plan;
};
// The smallest number of equal territories (from the lower bound up, at most `maxTerritories`)
// whose optimised plan keeps every territory at or under every limit, with that plan.
SizingResult sizeTerritories(const Workspace& ws, std::span<const std::uint8_t> locked,
                             const std::vector<SizingLimit>& limits, BalanceOptions options,
                             std::size_t maxTerritories = 100000);

} // namespace terrane::territory
