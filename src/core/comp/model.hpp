// Modelling a plan: the payout curve (attainment → payout, for drawing), comparison of plans on
// the same data, the cost under uncertainty (the attainment Monte Carlo of quota/simulate.hpp fed
// through the plan), solving for the plan parameter that gives a target expected cost of sales,
// and "why did my pay change" (per rep, a difference between two plans attributed to each
// changed component).
//
// Index
//  [SECTION] curve
//  [SECTION] compare
//  [SECTION] cost simulation
//  [SECTION] solve
//  [SECTION] attribution
#pragma once

#include "core/base/job.hpp"
#include "core/comp/payout.hpp"

#include <memory>
#include <span>
#include <string>
#include <vector>
#include <utility>

namespace terrane::quota {
struct SimModel;
}

namespace terrane::comp {

// [SECTION] curve
struct CurvePoint {
    double attainment = 0; // 1.0 = 100%
    Money payout = 0;      // commission (after gate and cap) plus annual attainment bonuses
};
struct PayoutCurve {
    std::vector<CurvePoint> points;
    Money quota = 0, targetIncentive = 0;
    Money atTarget = 0;        // payout at exactly 100%
    double capAttainment = -1; // where the cap starts to bind (-1: no cap)
    bool falls = false;        // the payout falls somewhere as attainment rises
};
// `samples` points from 0 to `maxAttainment` (plus the tier breakpoints, gate and cap) for a rep
// with `quota` and `targetIncentive` (a typical rep: pass the medians).
PayoutCurve payoutCurve(const Plan& plan, Money quota, Money targetIncentive, double maxAttainment = 2.0,
                        int samples = 81);

// [SECTION] compare
struct RepDelta {
    std::string repId, name;
    Money a = 0, b = 0, delta = 0; // delta = b − a
};
struct PlanComparison {
    Money totalA = 0, totalB = 0;
    double costOfSalesA = 0, costOfSalesB = 0;
    std::vector<RepDelta> reps; // inputs order
    std::size_t winners = 0, losers = 0, unchanged = 0;
};
PlanComparison comparePlans(const PlanPayouts& a, const PlanPayouts& b);
PlanComparison comparePlans(const Plan& a, const Plan& b, const PayoutInputs& in);

// [SECTION] cost simulation
// Per simulated trial, each rep's payout from its simulated bookings (B): commission (tiers, gate,
// cap), annual attainment bonuses (quarterly ones ×4 at the annual attainment) and MBOs (assumed
// earned), plus the deal-level components estimated from the plan's payouts on the actual deals:
//  - SPIFFs: B × the rep's SPIFFs ÷ its credit on actual deals (reps without credit: the plan's
//    SPIFFs ÷ all credit), i.e. SPIFFs scale with credited volume at the rep's own deal mix;
//  - clawbacks: the historical share of commission + SPIFFs recovered by clawbacks on actual deals,
//    taken off each rep-trial's commission + SPIFFs;
//  - draws: earnings assumed spread evenly over the statements, so a rep earning less than
//    statements × draw in a trial is paid statements × draw (recoverable or not: nothing is
//    recovered within the year when every statement falls short).
// Each estimate is rounded once to the minor unit. Reps of the simulation are matched to the
// inputs by rep id (their target incentive); the quota is the simulation's.
struct SimAssumptions {
    double spiffRate = 0;     // plan-wide SPIFFs ÷ credit on actual deals
    double clawbackShare = 0; // share of commission + SPIFFs recovered on actual deals
    Money drawPerYear = 0;    // draw per statement × statements
    std::vector<std::pair<std::string, double>> repSpiffRate; // per rep with credit (rep id, rate)
    std::string text;         // the assumptions in words, for the page and the CLI
};
// From the plan's payouts on the actual deals (`actual` = computePayouts(plan, in)).
SimAssumptions simAssumptions(const Plan& plan, const PlanPayouts& actual);

struct CostSimResult {
    bool complete = false;
    std::uint32_t trials = 0;
    std::size_t reps = 0;
    Money payoutP10 = 0, payoutP50 = 0, payoutP90 = 0;
    double payoutMean = 0;                               // minor units
    double cosP10 = 0, cosP50 = 0, cosP90 = 0, cosMean = 0; // cost of sales per trial
    double expectedCostOfSales = 0; // E[payout] ÷ E[bookings]
    Money budget = 0;               // 0: no budget given
    double probExceedBudget = 0;
    double shareAtOte = 0;          // mean share of reps whose payout reaches target incentive
    // Mean per trial of the deal-level estimates (minor units; clawbacks negative).
    double spiffMean = 0, clawbackMean = 0, drawMean = 0;
    SimAssumptions assumptions;
    std::vector<Money> trialPayout;   // per trial (for the histogram)
    std::vector<Money> trialBookings; // per trial
};

// Streams the attainment simulation rep by rep into per-trial sums (nothing reps × trials is
// kept); runs in slices like every job. `actual`: the plan's payouts on the inputs (computed when
// null).
class CostSimulationJob : public Job {
  public:
    CostSimulationJob(Plan plan, std::shared_ptr<const quota::SimModel> model, const PayoutInputs& in,
                      Money budget = 0, const PlanPayouts* actual = nullptr);
    ~CostSimulationJob() override;
    std::string title() const override { return "Simulating plan cost"; }
    double sliceMs() const override { return 30.0; } // the user waits on its charts
    bool step(double budgetMs) override;
    double progress() const override;
    std::string detail() const override;
    const CostSimResult& result() const { return m_result; }
    // Milliseconds spent in step() (the compute time, however the job was sliced).
    double computeMs() const { return m_computeMs; }

  private:
    struct State;
    std::unique_ptr<State> m_state;
    CostSimResult m_result;
    double m_computeMs = 0;
};

CostSimResult simulateCost(const Plan& plan, const quota::SimModel& model, const PayoutInputs& in, Money budget = 0,
                           const PlanPayouts* actual = nullptr);
// The same cost from bookings already simulated (reps × trials, SimulationJob::keptBookings).
CostSimResult costFromBookings(const Plan& plan, const quota::SimModel& model, const PayoutInputs& in,
                               std::span<const Money> bookings, Money budget = 0, const PlanPayouts* actual = nullptr);
// A straightforward implementation (one rep-trial at a time through the exact per-line
// commission, bonuses and MBOs looked up per rep-trial, sorting for percentiles), the benchmark
// baseline.
CostSimResult costFromBookingsNaive(const Plan& plan, const quota::SimModel& model, const PayoutInputs& in,
                                    std::span<const Money> bookings, Money budget = 0,
                                    const PlanPayouts* actual = nullptr);

// [SECTION] solve
enum class SolveParameter : std::uint8_t {
    Accelerators, // multipliers above 100%: m → 1 + s·(m − 1), s ≥ 0
    BaseRate,     // commission.rateScalePpm
};
const char* solveParameterName(SolveParameter p); // "accelerators", "base_rate"
struct SolveResult {
    bool ok = false;
    std::string message; // how it ended ("expected cost of sales 11.98% at scale 0.84 after 31 steps")
    double value = 0;    // the scale found
    double costOfSales = 0;
    int iterations = 0;
    Plan plan; // the plan with the value applied
};
// Bisection on the monotone parameter so the expected cost of sales over the simulated bookings
// (reps × trials) equals `targetCostOfSales`: one cost evaluation per step().
class PlanSolver {
  public:
    PlanSolver(const Plan& plan, SolveParameter param, double targetCostOfSales, const quota::SimModel& model,
               const PayoutInputs& in, std::span<const Money> bookings);
    bool step(); // true when finished
    bool done() const { return m_done; }
    int evaluations() const { return m_evaluations; }
    const SolveResult& result() const { return m_out; }

  private:
    double cost(double v);
    void finish(bool ok, double value, double cos, std::string message);
    Plan m_plan;
    SolveParameter m_param;
    double m_target;
    const quota::SimModel& m_model;
    const PayoutInputs& m_in;
    std::span<const Money> m_bookings;
    int m_stage = 0, m_evaluations = 0;
    double m_lo = 0, m_hi = 1;
    bool m_done = false;
    SolveResult m_out;
};
SolveResult solvePlan(const Plan& plan, SolveParameter param, double targetCostOfSales,
                      const quota::SimModel& model, const PayoutInputs& in, std::span<const Money> bookings);
Plan applySolveValue(const Plan& plan, SolveParameter param, double value);

// The page's solve: the attainment simulation with every rep-trial kept, then the solver, in
// slices.
class SolveJob : public Job {
  public:
    SolveJob(Plan plan, SolveParameter param, double targetCostOfSales, std::shared_ptr<const quota::SimModel> model,
             std::shared_ptr<const PayoutInputs> in);
    ~SolveJob() override;
    std::string title() const override { return "Solving for the plan"; }
    double sliceMs() const override { return 30.0; } // the user waits on its progress bar
    bool step(double budgetMs) override;
    double progress() const override;
    std::string detail() const override;
    const SolveResult& result() const;
    bool complete() const;

  private:
    struct State;
    std::unique_ptr<State> m_state;
};

// [SECTION] attribution
struct ComponentDelta {
    std::string component; // "credit", "commission", "spiffs", "bonuses", "mbos", "clawback", "draw", "ramp", "period"
    Money delta = 0;
};
struct RepAttribution {
    std::string repId, name;
    Money before = 0, after = 0; // delta = after − before = sum of parts
    std::vector<ComponentDelta> parts; // changed components only, in the fixed order
    std::string explain;
};
struct Attribution {
    std::vector<std::string> order; // the changed components in the order applied
    std::string method;             // the words saying how it was attributed
    std::vector<RepAttribution> reps;
};
// Applies the changes from `before` to `after` one component at a time in a fixed order
// (period, credit, commission, spiffs, bonuses, mbos, clawback, draw, ramp); each component's
// part is the payout change of that step, so the parts sum to the difference exactly.
Attribution attributeChange(const Plan& before, const Plan& after, const PayoutInputs& in);

} // namespace terrane::comp
