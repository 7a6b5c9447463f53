// Defaults a first-time user succeeds with: the built-in sample reaches the Optimise window's
// default tolerances; after a run the metrics panel shows the run's figures; a contiguous run that
// locked accounts make impossible names those accounts.
#include "core/scenario/metrics.hpp"
#include "core/territory/planning.hpp"

#include "sample_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace terrane;
using namespace terrane::territory;

namespace {
BalanceResult runOn(const Workspace& ws, const Scenario& sc, const BalanceOptions& o, std::shared_ptr<const BalanceProblem>* keep = nullptr) {
    auto p = std::make_shared<const BalanceProblem>(makeBalanceProblem(ws, sc, o));
    if (keep) *keep = p;
    Optimiser opt(p, o);
    while (!opt.step(1e9)) {
    }
    return opt.result();
}
} // namespace

TEST_CASE("the built-in sample reaches the Optimise window's default tolerances") {
    // The sample the page opens with (SampleOptions' defaults), from its baseline.
    const Workspace ws = fixture::sampleWorkspace(SampleOptions{}.accounts, SampleOptions{}.reps);
    const BalanceOptions o = firstRunOptions(ws);
    CHECK(o.maxMovedAccounts == doctest::Approx(0.2));
    const BalanceResult r = runOn(ws, ws.baseline(), o);
    INFO("reason: " << r.reason);
    // The headline figures, around the sample's one oversize account, inside both tolerances.
    CHECK(r.figures.maxDeviationBalanceable[0] <= kFirstRun.potentialTolerance + kToleranceSlack);
    CHECK(r.figures.maxDeviationBalanceable[1] <= kFirstRun.workloadTolerance + kToleranceSlack);
    CHECK(r.figures.unassigned == 0);
    CHECK(r.figures.movedAccountsShare <= 0.2 + 1e-9);
    if (o.contiguous) CHECK(r.figures.contiguous);
}

TEST_CASE("after a run the metrics panel shows the run's deviations for the new scenario") {
    Workspace ws = fixture::sampleWorkspace(1500, 15, 7);
    std::shared_ptr<const BalanceProblem> p;
    const BalanceResult r = runOn(ws, ws.baseline(), firstRunOptions(ws), &p);
    const std::size_t idx = addPlanScenario(ws, 0, *p, r, "Optimised");
    const AccountValues v = AccountValues::compute(ws);
    const PlanMetrics m = computePlanMetrics(ws, v, ws.scenarios[idx], &ws.baseline(), ws.settings.metrics);
    CHECK(m.balance.maxAbsDeviation[static_cast<int>(PlanMetric::Potential)] == doctest::Approx(r.figures.maxDeviation[0]).epsilon(1e-9));
    CHECK(m.balance.maxAbsDeviation[static_cast<int>(PlanMetric::Workload)] == doctest::Approx(r.figures.maxDeviation[1]).epsilon(1e-9));
    CHECK(m.disruption.accountsMovedShare == doctest::Approx(r.figures.movedAccountsShare).epsilon(1e-9));
}

TEST_CASE("a contiguous run that a locked account makes impossible names the account") {
    Workspace ws = fixture::sampleWorkspace(1200, 12, 3);
    BalanceOptions o = firstRunOptions(ws);
    o.contiguous = true;
    o.maxMovedAccounts = o.maxMovedValue = 1.0;
    std::shared_ptr<const BalanceProblem> p;
    const BalanceResult first = runOn(ws, ws.baseline(), o, &p);
    // Lock one placed account inside the territory farthest from its own.
    const std::size_t idx = addPlanScenario(ws, 0, *p, first, "Optimised");
    Scenario& sc = ws.scenarios[idx];
    std::size_t acc = 0;
    while (!p->geo.placed(acc) || first.assignment[acc] < 0) ++acc;
    const auto& X = p->geo.x();
    const auto& Y = p->geo.y();
    std::vector<double> cx(p->K(), 0), cy(p->K(), 0), n(p->K(), 0);
    for (std::size_t i = 0; i < p->accounts; ++i)
        if (first.assignment[i] >= 0 && p->geo.placed(i)) {
            const auto k = static_cast<std::size_t>(first.assignment[i]);
            cx[k] += X[i], cy[k] += Y[i], n[k] += 1;
        }
    std::size_t far = 0;
    double best = -1;
    for (std::size_t k = 0; k < p->K(); ++k) {
        if (n[k] == 0) continue;
        const double d = std::hypot(cx[k] / n[k] - X[acc], cy[k] / n[k] - Y[acc]);
        if (d > best) best = d, far = k;
    }
    std::fill(sc.locked.begin(), sc.locked.end(), 0); // only this one account is locked
    sc.assignment[acc] = p->territoryRow[far];
    sc.locked[acc] = 1;
    const BalanceResult r = runOn(ws, sc, o);
    CHECK_FALSE(r.feasible);
    CHECK_FALSE(r.figures.contiguous);
    REQUIRE(r.lockedInEnclaves.size() == 1);
    CHECK(r.lockedInEnclaves[0] == acc);
    bool named = false;
    for (const BlockingConstraint& b : r.blocking) named |= b.constraint == "contiguity";
    CHECK(named);
}
