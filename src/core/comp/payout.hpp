// The payout engine: from a plan and its inputs (reps with quota and target incentive, credited
// deals) to every rep's payout lines. Money is integer minor units end to end; each line is an
// exact rational (credit × target incentive × multiplier ÷ quota, in 128-bit integers) rounded
// once, half away from zero; a rep's payout is the sum of its lines and the plan's total the sum
// of its reps. Every line explains itself in words with its numbers and lists its deals.
//
// Index
//  [SECTION] inputs
//  [SECTION] payouts
//  [SECTION] exact arithmetic
#pragma once

#include "core/comp/plan.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace terrane {
class Workspace;
struct Scenario;
class Table;
} // namespace terrane
namespace terrane::quota {
struct QuotaResult;
}

namespace terrane::comp {

// [SECTION] inputs
struct RepInput {
    std::string repId, name, role, region, district;
    Money quota = 0;           // annual quota (before ramp relief)
    Money targetIncentive = 0; // variable pay at 100% attainment
    Money ote = 0;             // on-target earnings (base + variable); 0 when unknown
    Date start = kDateNull;    // start date (ramp)
    Date rampEnd = kDateNull;  // explicit end of ramp (reps.ramp_end), else start + plan months
    bool hasQuota = false;     // a quota was given (checks: credited reps without one)
};

struct Deal {
    std::string id, owner, product, segment;
    Money measure = 0; // the credit measure (minor units)
    Date date = kDateNull;       // the credit date
    Date cancelDate = kDateNull; // cancellation date (clawbacks)
    bool won = true;
};

// A share of a deal credited to a rep (splits dataset: opportunity_id, rep_id, percent).
struct Split {
    std::string dealId, repId;
    std::int64_t sharePpm = kPpm;
};

struct PayoutInputs {
    std::vector<RepInput> reps;
    std::vector<Deal> deals;
    std::vector<Split> splits;
    std::vector<std::string> notes; // how inputs were found ("target incentive from reps.ote × ...")
};

// Inputs from a workspace: reps (quota from `quotas` when given, else 0; target incentive from
// reps.target_incentive, or reps.ote − reps.base_salary, or reps.ote × the variable share of
// reps.pay_mix "60/40"), deals from the opportunities (measure and date columns of the plan,
// segment from the account, product, cancel_date). Errors (a measure column that is not numeric)
// throw std::runtime_error naming the column.
PayoutInputs inputsFromWorkspace(const Plan& plan, const Workspace& ws, const quota::QuotaResult* quotas);
// Quotas from CSV text with rep_id, quota, target_incentive (the CLI's Q.csv): sets the quota and
// target incentive of listed reps, adding reps not in `in`. Throws std::runtime_error naming the
// file, row, column and what was expected; `in` is unchanged then.
void applyQuotaCsv(PayoutInputs& in, std::string_view csvText, const std::string& fileName);
// Splits from CSV text with opportunity_id, rep_id, percent ("40" or "40%" = 40%, or 0.4).
void applySplitsCsv(PayoutInputs& in, std::string_view csvText, const std::string& fileName);

// [SECTION] payouts
enum class Component : std::uint8_t { Commission, Cap, Spiff, Bonus, Mbo, Clawback, Ramp, Draw, PriorPaid };
const char* componentName(Component c); // "commission", "cap", "spiff", "bonus", "mbo", ...

struct PayoutLine {
    Component component = Component::Commission;
    std::string label;   // "Tier 3, 100–150% of quota", "SPIFF Pro Suite push"
    int period = 0;      // statement index (0 for an annual plan)
    Money amount = 0;    // minor units, rounded once
    std::string explain; // "65,432.10 × 20.00% × 1.5 = 19,629.63"
    std::vector<std::uint32_t> deals; // indices into PayoutInputs::deals
    // Operands of a rate line (amount = round(credit × rate × multiplier)) so a statement can
    // show it as a live formula: the credit in major units (exact to 1e-8), the rate (flat lines;
    // base-rate lines use target incentive ÷ quota), the multiplier. rateLine false: no formula.
    bool rateLine = false, baseRate = false;
    double credit = 0, rate = 0, multiplier = 0;
};

struct RepPayout {
    std::size_t rep = 0; // index into PayoutInputs::reps
    std::string repId, name;
    Money quota = 0;            // effective annual quota (after ramp relief)
    Money targetIncentive = 0;
    Money credited = 0;         // net credit in the plan period
    double attainment = 0;      // credited ÷ quota (0 without a quota)
    Money payout = 0;           // sum of lines
    std::vector<PayoutLine> lines;
    std::vector<Money> periodPayout; // per statement (sum = payout)
    std::string note;                // how the quota and target incentive were found / adjusted
};

struct PlanPayouts {
    std::vector<RepPayout> reps; // PayoutInputs::reps order
    Money totalPayout = 0;       // sum of reps
    Money totalCredited = 0;
    double costOfSales = 0;      // totalPayout ÷ totalCredited (0 without credit)
    int periods = 1;
    std::vector<std::string> periodLabels; // "2026", "Q1 2026", "Jan 2026"
    std::vector<std::string> notes;
    std::size_t dealsCredited = 0;
    std::size_t repsAtTarget = 0; // reps whose payout reaches their target incentive
};

PlanPayouts computePayouts(const Plan& plan, const PayoutInputs& in);

// The commission alone (after gate and cap) for an annual credit, exactly as computePayouts
// rounds it: the payout curve and the cost simulation use it.
Money commissionFor(const Plan& plan, Money quota, Money targetIncentive, Money credited);

// [SECTION] exact arithmetic
// round(num / den) half away from zero; den > 0.
Money roundDiv(__int128 num, __int128 den);

} // namespace terrane::comp
