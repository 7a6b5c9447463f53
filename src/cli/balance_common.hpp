// Options and output shared by the territory commands (balance, rebalance, size-territories,
// tradeoff): the same flags mean the same thing in each, and plans are reported the same way.
#pragma once

#include "cli/args.hpp"
#include "core/territory/planning.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <vector>

namespace terrane::cli {

// Option names understood by balanceOptionsFrom (plus the dataset options and `extra`).
std::vector<std::string> balanceOptionNames(std::initializer_list<std::string> extra);
// Flags (options without a value) of the territory commands.
std::vector<std::string> balanceFlags();

// --balance METRIC:TOL..., --coords, --contiguous, --fixed-centres, --max-disruption,
// --move-customers, --vacancy-factor, --seed, --time-limit, and --map x=/y= for planar columns.
// Throws UsageError.
territory::BalanceOptions balanceOptionsFrom(const Args& a, bool metricsRequired = true);
// Lock flags from --lock-column (default: the accounts' `locked` column). Throws InputError.
std::vector<std::uint8_t> locksFrom(const Args& a, const Workspace& ws);
// Runs a builder, turning BalanceInputError into InputError (exit code 1).
territory::BalanceProblem problemFrom(const Workspace& ws, const Scenario& sc,
                                      const territory::BalanceOptions& o);

// The plan's figures as JSON members (max_deviation, weighted_mean_distance, ...) added to `j`,
// with per-territory totals when `territories` is true.
void addFiguresJson(nlohmann::ordered_json& j, const territory::BalanceProblem& p,
                    const territory::PlanFigures& f, bool territories = true);
// account_id,territory for every account (blank territory when unassigned).
std::string assignmentCsv(const territory::BalanceProblem& p, std::span<const std::int32_t> plan);

} // namespace terrane::cli
