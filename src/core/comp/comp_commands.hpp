// The compensation set-up's commands (Scenario::comp): add, change and remove commission plans,
// and the default target incentive and budget. `previous` is filled when applied. See
// core/scenario/command.hpp for what every command provides.
#pragma once

#include "core/comp/comp_setup.hpp"
#include "core/scenario/command.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace terrane::comp {

// Replaces plan `index`; `index` equal to the number of plans adds the plan at the end (a new or
// duplicated plan).
struct SetCompPlan {
    TERRANE_COMMAND(SetCompPlan, "set_comp_plan", CommandDomain::Comp);
    std::size_t index = 0;
    Plan plan;
    std::optional<Plan> previous; // none: the command added the plan
};
struct RemoveCompPlan {
    TERRANE_COMMAND(RemoveCompPlan, "remove_comp_plan", CommandDomain::Comp);
    std::size_t index = 0;
    Plan previous;
};
struct SetCompSettings {
    TERRANE_COMMAND(SetCompSettings, "set_comp_settings", CommandDomain::Comp);
    Money defaultTargetIncentive = 0;
    Money budget = 0;
    Money previousTargetIncentive = 0;
    Money previousBudget = 0;
};

// What changed from `a` to `b`, in words ("tier 3 multiplier 1.5× → 1.8×"); "" when equal.
std::string describePlanChange(const Plan& a, const Plan& b);

} // namespace terrane::comp
