// Capacity planning arithmetic: the simple estimate and the month-by-month plan.
#include "core/quota/capacity.hpp"
#include "core/scenario/sample.hpp"

#include "sample_fixture.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace terrane;
using namespace terrane::quota;

namespace {
CapacityInputs base() {
    CapacityInputs in;
    in.target = 1200000000;      // $12M
    in.productivity = 100000000; // $1M per fully ramped rep
    in.ramp = {1.0};
    in.rampStepMonths = 3;
    in.attrition = 0.0;
    in.timeToHireMonths = 0;
    return in;
}
} // namespace

TEST_CASE("capacity: no ramp, no attrition, instant hires -> target / productivity reps") {
    CapacityInputs in = base();
    CapacityResult r = planCapacity(in);
    REQUIRE(r.ok);
    CHECK(r.repsNeeded == 12);
    CHECK(r.hiresAtStart == 12);
    CHECK(r.repsNeededFormula == doctest::Approx(12.0));
    CHECK(r.annualCapacity == 1200000000);
    for (const auto& m : r.months) {
        CHECK(m.headcount == doctest::Approx(12.0));
        CHECK(m.capacity == 100000000);
        CHECK(m.target == 100000000);
    }
    CHECK(r.months[0].hiresWhole == 12);
    CHECK(r.months[0].label == "M1");
    in.target = 1200000001; // a cent more needs a 13th rep
    CHECK(planCapacity(in).repsNeeded == 13);
}

TEST_CASE(
    "capacity: a 25/50/75/100 quarterly ramp makes a new hire worth 62.5% of a ramped rep in year one") {
    CapacityInputs in = base();
    in.ramp = {0.25, 0.5, 0.75, 1.0};
    CapacityResult r = planCapacity(in);
    REQUIRE(r.ok);
    CHECK(r.averageRamp == doctest::Approx(0.625));
    CHECK(r.marginalRep == doctest::Approx(0.625 * 100000000));
    CHECK(r.repsNeeded == 20); // 12M / 0.625M = 19.2
    CHECK(r.repsNeededFormula == doctest::Approx(19.2));
    // Existing fully ramped reps count in full.
    in.tenureMonths.assign(10, 120);
    r = planCapacity(in);
    CHECK(r.startingHeadcount == 10);
    CHECK(r.hiresAtStart == 4); // 10M from the team, 2M / 0.625M = 3.2 -> 4 hires
    CHECK(r.repsNeeded == 14);
    CHECK(r.months[0].rampedFte == doctest::Approx(10 + 4 * 0.25));
    CHECK(r.months[3].rampedFte == doctest::Approx(10 + 4 * 0.5));
}

TEST_CASE("capacity: attrition is a monthly hazard, leavers are backfilled after the time to hire") {
    CapacityInputs in = base();
    in.attrition = 0.2;
    in.timeToHireMonths = 2;
    in.tenureMonths.assign(20, 120);
    in.target = 100000000; // the team covers it easily: no hires beyond backfills
    CapacityResult r = planCapacity(in);
    REQUIRE(r.ok);
    CHECK(r.hiresAtStart == 0);
    const double q = std::pow(0.8, 1.0 / 12.0);
    CHECK(r.months[0].departures == doctest::Approx(20 * (1 - q)));
    CHECK(r.months[1].headcount == doctest::Approx(20 * q));
    // Backfills of month-1 leavers start in month 4 (1 + 2 months to hire).
    CHECK(r.months[0].hiresStarting == doctest::Approx(0));
    CHECK(r.months[3].hiresStarting == doctest::Approx(20 * (1 - q)));
    double starts = 0;
    int whole = 0;
    for (const auto& m : r.months) starts += m.hiresStarting, whole += m.hiresWhole;
    CHECK(whole == static_cast<int>(std::floor(starts + 0.5)));
    CHECK(r.surplus == r.annualCapacity - in.target);
    // The simple estimate divides by (1 - attrition).
    in.tenureMonths.clear();
    in.target = 1200000000;
    r = planCapacity(in);
    CHECK(r.repsNeededFormula == doctest::Approx(12.0 / 0.8));
    // Hires start in month 3 and leavers are replaced 2 months later: each hire is worth about
    // 0.81 of a rep in the year, so 15 are needed (14.8); one fewer falls short.
    CHECK(r.repsNeeded == 15);
    CHECK(r.marginalRep == doctest::Approx(0.81 * 100000000).epsilon(0.02));
    CHECK(r.annualCapacity >= in.target);
    CHECK(static_cast<double>(r.annualCapacity) - r.marginalRep < static_cast<double>(in.target));
}

TEST_CASE("capacity: unreachable when hires cannot start inside the year - bad inputs are refused") {
    CapacityInputs in = base();
    in.timeToHireMonths = 12;
    CapacityResult r = planCapacity(in);
    CHECK(r.ok);
    CHECK_FALSE(r.reachable);
    CHECK(r.error.find("cannot start and ramp inside the plan year") != std::string::npos);
    in = base();
    in.productivity = 0;
    CHECK_FALSE(planCapacity(in).ok);
    in = base();
    in.attrition = 1.0;
    CHECK(planCapacity(in).error.find("attrition") != std::string::npos);
}

TEST_CASE("capacity inputs from the sample: existing reps' tenure and historical productivity") {
    Workspace ws = fixture::sampleWorkspace(3000, 20);
    ws.baseline().quota.target = 500000000;
    const QuotaResult q = computeQuotas(ws, ws.baseline());
    const CapacityInputs in = capacityInputsFrom(ws, ws.baseline().quota, ws.baseline().capacity, q);
    CHECK(in.target == 500000000);
    CHECK(in.productivity > 0);
    CHECK(in.productivity % 100000 == 0);
    CHECK(in.tenureMonths.size() == 18); // 20 seats, 2 vacant
    CHECK(in.planYear == 2027);
    const CapacityResult r = planCapacity(in);
    CHECK(r.ok);
    CHECK(r.months[0].label == "Jan 2027");
}

TEST_CASE("capacity: an implausible hiring plan is flagged, a plausible one is not") {
    CapacityInputs in = base();
    in.timeToHireMonths = 2;
    in.tenureMonths.assign(10, 120); // ten ramped reps, $1M each
    SUBCASE("eight hires starting in one month: more than half of ten") {
        in.target = 1800000000; // $18M: the gap is hired at once
        const CapacityResult r = planCapacity(in);
        REQUIRE(r.ok);
        REQUIRE(r.hiresAtStart > 5);
        REQUIRE_FALSE(r.warnings.empty());
        CHECK(r.warnings[0].find("more than half of today's team of 10") != std::string::npos);
        CHECK(r.warnings[0].find("M3") != std::string::npos); // they start after the two months to hire
    }
    SUBCASE("two hires: no warning") {
        in.target = 1150000000;
        const CapacityResult r = planCapacity(in);
        REQUIRE(r.ok);
        CHECK(r.hiresAtStart >= 1);
        CHECK(r.hiresAtStart <= 3);
        CHECK(r.warnings.empty());
    }
    SUBCASE("the team more than doubles") {
        in.target = 4000000000;
        const CapacityResult r = planCapacity(in);
        REQUIRE(r.ok);
        bool doubles = false;
        for (const auto& w : r.warnings) doubles |= w.find("more than doubles the team (10 now") != std::string::npos;
        CHECK(doubles);
    }
    SUBCASE("nobody today") {
        in.tenureMonths.clear();
        const CapacityResult r = planCapacity(in);
        REQUIRE(r.ok);
        REQUIRE(r.warnings.size() == 1);
        CHECK(r.warnings[0].find("no reps today") != std::string::npos);
    }
}
