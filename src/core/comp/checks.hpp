// Plan checks: the mistakes that cause disputes and overpayment, found before a plan is
// published (tier gaps and overlaps, a payout curve that falls as attainment rises, a cap below
// target incentive, payout at 100% not equal to target incentive, SPIFF windows outside the plan
// period, credited reps without a quota, deals of unknown owners, splits above 100%).
#pragma once

#include "core/comp/payout.hpp"

#include <string>
#include <vector>

namespace terrane::comp {

enum class CheckSeverity : std::uint8_t { Error, Warning, Info };

struct PlanCheck {
    CheckSeverity severity = CheckSeverity::Warning;
    std::string code;    // "tier_gap", "tier_overlap", "falling_curve", "cap_below_target", ...
    std::string field;   // the plan field ("commission.tiers[2]") or "" for data checks
    std::string message; // what is wrong, with numbers
};

const char* checkSeverityName(CheckSeverity s); // "error", "warning", "info"

// Checks of the plan alone.
std::vector<PlanCheck> checkPlan(const Plan& plan);
// Plan checks plus the data checks on `in` (reps credited without a quota, unknown owners,
// splits above 100%).
std::vector<PlanCheck> checkPlan(const Plan& plan, const PayoutInputs& in);

} // namespace terrane::comp
