// The quota and capacity set-up of a scenario: the settings a planner edits (through commands)
// and from which quotas, fairness figures, the attainment simulation and the capacity plan are
// computed. Plain values only; the computations live in allocate.hpp, simulate.hpp, capacity.hpp.
//
// Index
//  [SECTION] names and parsing
#pragma once

#include "core/base/types.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace terrane::quota {

// How a parent's quota pool is split among its children (by weights that roll up from the
// territories below each child).
enum class QuotaMethod : std::uint8_t { Equal, Potential, History, Blend, Capacity };
inline constexpr int kQuotaMethodCount = 5;
// Where "history" comes from: a bookings dataset, won opportunities, or the first available.
enum class HistorySource : std::uint8_t { Auto, Bookings, Opportunities };
// Vacant seats (and territories without an owner): their quota is held by the manager (the
// parent node) or allocated to the seat like any other.
enum class VacancyPolicy : std::uint8_t { Allocate, Hold };
// When an amount to split is not a whole number of rounding units: put the remainder on the
// largest share, or refuse the plan with a message.
enum class RemainderPolicy : std::uint8_t { Largest, Reject };

// Levels of the quota hierarchy. Over-assignment is set per level (the uplift from a parent to
// the children at that level).
enum class QuotaLevel : std::uint8_t { Company, Region, District, Territory };
inline constexpr int kOverAssignLevels = 3; // Region, District, Territory

// Blend of shares; weights need not sum to 1 (they are normalised), at least one is positive.
struct BlendWeights {
    double potential = 0.5;
    double history = 0.5;
    double equal = 0.0;
    bool operator==(const BlendWeights&) const = default;
};

struct AllocationSettings {
    QuotaMethod method = QuotaMethod::Potential;
    BlendWeights blend;
    QuotaMethod capacityBase = QuotaMethod::Potential; // the weights that Capacity scales by ramp
    HistorySource historySource = HistorySource::Auto;
    Date historyFrom = kDateNull; // [from, to); null: the 12 months up to the data's as-of date
    Date historyTo = kDateNull;
    bool operator==(const AllocationSettings&) const = default;
};

// A manual quota for one node (territory, district or region id), locked: siblings re-flow.
struct QuotaOverride {
    std::string node;
    Money amount = 0;
    bool operator==(const QuotaOverride&) const = default;
};

struct QuotaPlan {
    Money target = 0; // company annual target (minor units); 0 = not set yet
    int planYear = 0; // 0: the calendar year after the data's as-of date
    // Period weights: 4 (quarters) or 12 (months), non-negative, positive sum.
    std::vector<double> seasonality{1.0, 1.0, 1.0, 1.0};
    // Over-assignment per level in parts per million (100000 = +10%): Region, District, Territory.
    std::array<std::int64_t, kOverAssignLevels> overAssignPpm{0, 0, 0};
    AllocationSettings allocation;
    VacancyPolicy vacancy = VacancyPolicy::Allocate;
    Money roundingUnit = 100000; // $1,000.00
    RemainderPolicy remainder = RemainderPolicy::Largest;
    std::vector<QuotaOverride> overrides; // sorted by node id, one per node
    std::uint64_t seed = 1;               // attainment simulation
    std::uint32_t trials = 2000;
    bool operator==(const QuotaPlan&) const = default;

    const QuotaOverride* findOverride(std::string_view node) const;
};

// Capacity planning inputs (also the ramp used by the Capacity quota method).
struct CapacityPlan {
    Money productivity = 0; // annual bookings of one fully ramped rep; 0 = from history
    std::vector<double> ramp{0.25, 0.5, 0.75, 1.0}; // productivity factor per ramp step
    int rampStepMonths = 3;
    double attrition = 0.15;  // annual share of reps who leave
    int timeToHireMonths = 3; // from opening a requisition (or a vacancy) to the start date
    Money target = 0;         // 0: the quota plan's company target
    bool operator==(const CapacityPlan&) const = default;
};

// [SECTION] names and parsing
const char* quotaMethodName(QuotaMethod m);  // "equal", "potential", "history", "blend", "capacity"
const char* quotaMethodLabel(QuotaMethod m); // "Equal split", "Share of potential", ...
bool parseQuotaMethod(std::string_view s, QuotaMethod& out);
const char* quotaLevelName(QuotaLevel l); // "company", "region", "district", "territory"
const char* historySourceName(HistorySource s);
const char* vacancyPolicyName(VacancyPolicy v);     // "allocate", "hold"
const char* remainderPolicyName(RemainderPolicy r); // "largest", "reject"

// Exact decimal share ("0.1", "10%", "-0.05") to parts per million; false if not a number or
// finer than 1 ppm.
bool parseSharePpm(std::string_view s, std::int64_t& out);
// "+10%", "+12.5%", "-2%", "0%".
std::string formatPpm(std::int64_t ppm);
// amount × (1e6 + ppm) / 1e6, rounded half away from zero to minor units (exact integer math).
Money applyPpm(Money amount, std::int64_t ppm);


// Validation used by the commands; "" when valid, else what is wrong.
std::string validateSeasonality(const std::vector<double>& w);
std::string validateBlend(const BlendWeights& b);
std::string validateRamp(const std::vector<double>& ramp, int stepMonths);
std::string validateCapacityPlan(const CapacityPlan& c);

} // namespace terrane::quota
