// The compensation set-up a scenario carries (Scenario::comp): its commission plans, the target
// incentive for reps whose data has none, and the budget the plan's cost is measured against;
// its JSON (the scenario file's `start.comp`), the payout inputs a scenario gives a plan, and the
// starting plan built from the scenario's quotas.
#pragma once

#include "core/comp/payout.hpp"

#include <string>
#include <vector>

namespace terrane::quota {
struct QuotaResult;
}

namespace terrane::comp {

struct CompSetup {
    std::vector<Plan> plans;
    Money defaultTargetIncentive = 0; // for reps without target_incentive / OTE data (0: none)
    Money budget = 0;                 // the cost simulation's budget (0: none)
    bool operator==(const CompSetup&) const = default;
};

inline constexpr Money kMaxCompMoney = 1000000000000000LL; // 10 trillion major units

// {"plans": [plan file JSON...], "default_target_incentive": minor units, "budget": minor units}.
Json compSetupToJson(const CompSetup& s);
// Throws JsonFieldError naming the path ("scenarios[1].start.comp.plans[0].commission...").
CompSetup compSetupFromJson(const Json& j, const std::string& where);
// "" or why the set-up's amounts are out of range.
std::string validateCompSettings(Money defaultTargetIncentive, Money budget);

// The payout inputs of `plan` in a workspace with the scenario's quotas (inputsFromWorkspace),
// with `setup.defaultTargetIncentive` for reps whose data gives none (noted in `notes`).
PayoutInputs scenarioInputs(const Plan& plan, const Workspace& ws, const quota::QuotaResult* quotas,
                            const CompSetup& setup);

// The example AE plan (PLAN_FORMAT.md) fitted to a workspace: its period is the quotas' history
// window (12 months of actual deals), its SPIFF is on the most common won product in the window's
// third quarter, and reps without incentive data get 10% of the median rep quota (to $1,000).
CompSetup starterSetup(const Workspace& ws, const quota::QuotaResult& quotas);

} // namespace terrane::comp
