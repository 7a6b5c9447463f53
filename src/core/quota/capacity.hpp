// Capacity planning: how many reps it takes to hit the number, month by month.
//
// The simple estimate (DOMAIN.md) is reps = target ÷ (productivity × average first-year ramp ×
// (1 − attrition)). The plan here works month by month instead: existing reps keep ramping from
// their start dates, reps leave at the monthly hazard implied by annual attrition (each leaver
// opens a backfill that starts `timeToHire` months later and ramps from zero), and the gap to the
// planned headcount is hired at the start of the year (starting `timeToHire` months later). Reps
// needed is the smallest headcount whose capacity over the year reaches the target.
#pragma once

#include "core/quota/allocate.hpp"

#include <string>
#include <vector>

namespace terrane::quota {

struct CapacityInputs {
    Money target = 0;       // annual bookings to cover
    Money productivity = 0; // annual bookings of one fully ramped rep
    std::vector<double> ramp{0.25, 0.5, 0.75, 1.0};
    int rampStepMonths = 3;
    double attrition = 0.15;
    int timeToHireMonths = 3;
    std::vector<double> seasonality{1, 1, 1, 1}; // shape of the target over the year
    // Existing reps: months of tenure at the plan start (a negative value: starts that many
    // months into the plan year). Vacant seats are not listed: they are part of the gap to hire.
    std::vector<int> tenureMonths;
    int planYear = 0; // for labels; 0: months are labelled M1..M12
};

struct CapacityMonth {
    std::string label;        // "Jan 2027" or "M1"
    double headcount = 0;     // reps employed at the start of the month (expected)
    double rampedFte = 0;     // headcount × ramp factor
    double departures = 0;    // expected leavers during the month
    double hiresStarting = 0; // expected starts (initial gap and backfills)
    int hiresWhole = 0;       // whole starts: rounded so the running total matches
    Money capacity = 0;       // rampedFte × productivity ÷ 12
    Money target = 0;         // the target's share of the month (seasonality)
    Money cumulativeCapacity = 0, cumulativeTarget = 0;
};

struct CapacityResult {
    bool ok = false;
    std::string error;
    int startingHeadcount = 0;
    int repsNeeded = 0;           // headcount to plan for (>= starting headcount)
    int hiresAtStart = 0;         // requisitions to open at the start of the year
    double repsNeededFormula = 0; // the simple estimate
    double averageRamp = 0;       // a new hire's average ramp over its first 12 months
    double marginalRep = 0;       // capacity of one more hire in the plan year, minor units
    bool reachable = true;        // false when new hires cannot close the gap inside the year
    Money annualCapacity = 0;
    Money surplus = 0; // annual capacity − target
    std::vector<CapacityMonth> months;
    std::string basis;
    // An implausible hiring plan, said plainly: more than half of today's team starting in one
    // month, the team more than doubling, or a team hired from nobody.
    std::vector<std::string> warnings;
};

CapacityResult planCapacity(const CapacityInputs& in);
// What is wrong with the inputs' plan settings (productivity, ramp, attrition, time to hire); "" when valid.
std::string validateCapacityInputs(const CapacityInputs& in);
// Inputs from a scenario's set-up: its capacity plan, the quota target (unless the capacity plan
// has its own), the reps' start dates (tenure at the plan start) and historical productivity
// when not set.
CapacityInputs capacityInputsFrom(const Workspace& ws, const QuotaPlan& quota, const CapacityPlan& capacity,
                                  const QuotaResult& quotas);
// Average won bookings per fully ramped rep over the 12 months before the as-of date (0 if none).
Money historicalProductivity(const Workspace& ws, const QuotaResult& quotas);

} // namespace terrane::quota
