// Payout exports shared by the page and `terrane comp`: the JSON of the CLI (money in major
// units), the payouts CSV (one row per rep, a column per component) and the XLSX statements (one
// sheet per rep whose rate lines and totals are live formulas Finance can audit).
#pragma once

#include "core/comp/checks.hpp"
#include "core/comp/payout.hpp"
#include "core/io/xlsx.hpp"

#include <string>
#include <vector>

namespace terrane::comp {

// {"plan", "currency", "periods", "reps": [{rep_id, name, quota, target_incentive, credited,
// attainment, payout, period_payouts, lines: [{component, label, period, amount, explain, deals}]}],
// "total_payout", "total_credited", "cost_of_sales", "reps_at_target", "notes"}.
Json payoutsJson(const Plan& plan, const PayoutInputs& in, const PlanPayouts& out, bool withDeals = true);
Json checksJson(const std::vector<PlanCheck>& checks);
// One row per rep: rep_id, name, quota, target_incentive, credited, attainment, payout, then the
// total of each component.
std::string payoutsCsv(const PlanPayouts& out);

// One rep's statement: the quota, target incentive and base rate (= target incentive ÷ quota, a
// formula), one row per line (rate lines as ROUND(credit × rate × multiplier, 2)), the total as a
// SUM, each formula with Terrane's value cached.
xlsx::Sheet statementSheet(const Plan& plan, const PayoutInputs& in, const PlanPayouts& out, std::size_t rep,
                           std::string sheetName);
// A workbook of the given reps' statements (one sheet each, after a Summary sheet whose figures
// refer to each statement's total).
std::string statementsWorkbook(const Plan& plan, const PayoutInputs& in, const PlanPayouts& out,
                               const std::vector<std::size_t>& reps);

} // namespace terrane::comp
