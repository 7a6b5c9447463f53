// The commission cost simulation's deal-level estimates (SPIFFs scaled by simulated credit,
// clawbacks at the historical rate, draws) computed by hand, the fast evaluator equal to the
// baseline with them, and the page's solve job equal to solvePlan on the same simulation.
#include "core/comp/comp_setup.hpp"
#include "core/comp/model.hpp"
#include "core/comp/payout.hpp"
#include "core/quota/allocate.hpp"
#include "core/quota/quota_commands.hpp"
#include "core/quota/simulate.hpp"
#include "core/scenario/scenario.hpp"
#include "core/scenario/workspace.hpp"
#include "comp_fixture.hpp"
#include "sample_fixture.hpp"

#include <doctest/doctest.h>

using namespace terrane;
using namespace terrane::comp;

using fixture::deal;
using fixture::dollars;
using fixture::rep;

TEST_CASE("comp cost simulation: SPIFFs by simulated credit, clawbacks at the historical rate, draws (by hand)") {
    Plan p;
    p.start = daysFromCivil(2026, 1, 1);
    p.end = daysFromCivil(2026, 12, 31);
    p.spiffs.push_back({"Pro", "Pro Suite", "", kDateNull, kDateNull, dollars(1000), 0, 0});
    p.clawback.enabled = true;
    p.clawback.windowDays = 90;
    p.draw.perPeriod = dollars(5000);
    PayoutInputs in;
    in.reps = {rep("A", 1000000, 100000), rep("B", 1000000, 100000)};
    // A: 800,000 of Pro Suite kept, 200,000 of Core cancelled after 19 days; B: nothing.
    in.deals = {deal("o1", "A", 800000, daysFromCivil(2026, 3, 1), "Pro Suite"),
                deal("o2", "A", 200000, daysFromCivil(2026, 4, 1), "Core", daysFromCivil(2026, 4, 20))};
    const PlanPayouts actual = computePayouts(p, in);
    REQUIRE(actual.reps[0].credited == dollars(800000));
    const SimAssumptions as = simAssumptions(p, actual);
    // SPIFFs 1,000 on 800,000 credited; clawback 20,000 of 100,000 commission + 1,000 SPIFFs.
    CHECK(as.spiffRate == doctest::Approx(0.00125));
    CHECK(as.clawbackShare == doctest::Approx(20000.0 / 101000.0));
    CHECK(as.drawPerYear == dollars(5000));
    CHECK(as.text.find("clawbacks at the historical rate, 19.80%") != std::string::npos);

    quota::SimModel model;
    model.trials = 2;
    for (const char* id : {"A", "B"}) {
        quota::SimRep s;
        s.repId = id;
        s.quota = dollars(1000000);
        model.reps.push_back(s);
    }
    const std::vector<Money> bookings = {dollars(1000000), 0, dollars(400000), 0}; // rep-major
    // Trial 0: A 100,000 + SPIFFs 1,250 − 19.80% × 101,250 (20,049.50) = 81,200.50;
    //          B 40,000 + 500 − 19.80% × 40,500 (8,019.80) = 32,480.20. Trial 1: both paid the draw.
    for (const CostSimResult& r : {costFromBookings(p, model, in, bookings, 0, &actual), costFromBookingsNaive(p, model, in, bookings, 0, &actual),
                                   costFromBookings(p, model, in, bookings)}) {
        REQUIRE(r.trialPayout.size() == 2);
        CHECK(r.trialPayout[0] == dollars(81200.50 + 32480.20));
        CHECK(r.trialPayout[1] == dollars(10000));
        CHECK(r.spiffMean == doctest::Approx(static_cast<double>(dollars(1750)) / 2));
        CHECK(r.clawbackMean == doctest::Approx(-static_cast<double>(dollars(20049.50 + 8019.80)) / 2));
        CHECK(r.drawMean == doctest::Approx(static_cast<double>(dollars(10000)) / 2));
    }
    // Without clawback, SPIFFs or draw the simulation is commission only.
    Plan bare = p;
    bare.spiffs.clear();
    bare.clawback.enabled = false;
    bare.draw.perPeriod = 0;
    const CostSimResult b = costFromBookings(bare, model, in, bookings);
    CHECK(b.trialPayout == std::vector<Money>{dollars(140000), 0});
}

TEST_CASE("comp solve job: the page's sliced solve equals solvePlan on the same simulation") {
    Workspace ws = fixture::sampleWorkspace(400, 6, 3);
    Scenario& sc = ws.active();
    REQUIRE(execute(ws, sc, quota::SetQuotaTarget{200000000, 0, 0, 0}).ok);
    const quota::QuotaResult q = quota::computeQuotas(ws, sc);
    const CompSetup setup = starterSetup(ws, q);
    auto in = std::make_shared<const PayoutInputs>(scenarioInputs(setup.plans[0], ws, &q, setup));
    auto model = std::make_shared<const quota::SimModel>(quota::buildSimModel(ws, sc, q, 9, 300));
    quota::SimulationJob sim(model);
    sim.keepBookings(true);
    runToCompletion(sim);
    const CostSimResult now = costFromBookings(setup.plans[0], *model, *in, sim.keptBookings());
    REQUIRE(now.expectedCostOfSales > 0);
    const double target = now.expectedCostOfSales * 1.1;
    // The streaming job sees the same bookings as the kept ones.
    CHECK(simulateCost(setup.plans[0], *model, *in).trialPayout == now.trialPayout);
    for (SolveParameter param : {SolveParameter::Accelerators, SolveParameter::BaseRate}) {
        const SolveResult direct = solvePlan(setup.plans[0], param, target, *model, *in, sim.keptBookings());
        SolveJob job(setup.plans[0], param, target, model, in);
        while (!job.step(0.01)) {
        }
        REQUIRE(job.complete());
        INFO(direct.message);
        CHECK(direct.ok);
        CHECK(job.result().ok == direct.ok);
        CHECK(job.result().value == direct.value);
        CHECK(job.result().costOfSales == direct.costOfSales);
        CHECK(job.result().plan == direct.plan);
        CHECK(direct.costOfSales == doctest::Approx(target).epsilon(1e-3));
    }
}
