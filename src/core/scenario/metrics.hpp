// Territory plan figures: per territory, rolled up per district and region, the balance summary
// and the disruption against the baseline. The metrics panel and `terrane metrics` print these.
//
// Index
//  [SECTION] inputs     per-account values (potential, workload, ARR, pipeline, customers)
//  [SECTION] figures    per territory / district / region, totals, balance, disruption
//  [SECTION] compute    full computation and the incremental tracker used while editing
//  [SECTION] output     JSON, the assignment CSV for CRM re-import, the audit log CSV
#pragma once

#include "core/scenario/workspace.hpp"

#include <array>
#include <string>
#include <vector>

namespace terrane {

// [SECTION] inputs
// The metrics a plan is balanced and reported on.
enum class PlanMetric : std::uint8_t { Accounts, Customers, Potential, Workload, Arr, Pipeline, Whitespace };
inline constexpr int kPlanMetricCount = 7;
const char* planMetricName(PlanMetric m);  // "accounts", "customers", "potential", ...
const char* planMetricLabel(PlanMetric m); // "Accounts", "Customers", "Potential", ...
bool parsePlanMetric(std::string_view name, PlanMetric& out);
inline bool isMoneyMetric(PlanMetric m) {
    return m == PlanMetric::Potential || m == PlanMetric::Arr || m == PlanMetric::Pipeline || m == PlanMetric::Whitespace;
}

// Per-account values, computed once per workspace load. Money metrics in minor units.
struct AccountValues {
    std::vector<std::array<double, kPlanMetricCount>> values; // [account][metric]
    // Open pipeline per account: sum of amounts of open opportunities whose account_id matches.
    // Whitespace: potential not yet won, max(0, potential - ARR).
    static AccountValues compute(const Workspace& ws);
    // compute() in parts, for slicing: start() sizes the table, then every account row and every
    // opportunity row is added once, in ranges [from, to), accounts and pipeline in either order.
    void start(const Workspace& ws);
    void addAccounts(const Workspace& ws, std::size_t from, std::size_t to);
    void addPipeline(const Workspace& ws, std::size_t from, std::size_t to);
    double value(std::size_t account, PlanMetric m) const { return values[account][static_cast<int>(m)]; }
};


// [SECTION] figures
struct Figures {
    std::array<double, kPlanMetricCount> sum{}; // money metrics in minor units
    double capacity = 0;                         // sum of effective capacity (1 per full-time rep)
    double targetShare = 0;                      // capacity / total capacity
    std::array<double, kPlanMetricCount> deviation{}; // (sum - target) / target, per metric
};

struct TerritoryFigures {
    std::int32_t territory = -1; // scenario territories row
    std::string id, name, ownerId, ownerName;
    std::int32_t district = -1, region = -1; // scenario territories rows, -1 when none
    bool vacant = false;
    Figures f;
    // Against the baseline: accounts that arrived / left, and the ARR they carry.
    std::uint64_t movedIn = 0, movedOut = 0;
    double arrIn = 0, arrOut = 0;
};

struct RollupFigures {
    std::int32_t node = -1; // district or region row
    std::string id, name;
    std::uint32_t territories = 0;
    Figures f;
};

struct BalanceSummary {
    std::array<double, kPlanMetricCount> maxAbsDeviation{}; // over territories with target > 0
    std::array<double, kPlanMetricCount> gini{};            // of sum / targetShare over territories
    std::uint32_t outsideTolerance = 0;                      // territories outside the band on potential or workload
};

struct Disruption {
    std::uint64_t accountsMoved = 0;   // territory differs from the baseline's
    std::uint64_t ownerChanged = 0;    // owner differs from the baseline's
    std::uint64_t customersMoved = 0;
    double arrMoved = 0, potentialMoved = 0; // minor units
    double accountsMovedShare = 0, arrMovedShare = 0, customersMovedShare = 0, potentialMovedShare = 0;
};

struct PlanMetrics {
    std::vector<TerritoryFigures> territories; // scenario.leaves() order
    std::vector<RollupFigures> districts, regions;
    Figures total;
    Figures unassigned; // accounts with no territory
    BalanceSummary balance;
    Disruption disruption;
    MetricsOptions options;
};

// [SECTION] compute
// Everything for `sc`; disruption against `baseline` when given (else zero).
PlanMetrics computePlanMetrics(const Workspace& ws, const AccountValues& values, const Scenario& sc, const Scenario* baseline,
                               const MetricsOptions& opt = {});

// Keeps PlanMetrics current while accounts move: O(1) per moved account plus O(K) to finalise,
// instead of a pass over every account.
class PlanMetricsTracker {
  public:
    void reset(const Workspace& ws, const AccountValues& values, const Scenario& sc, const Scenario* baseline,
               const MetricsOptions& opt);
    // Account `a` moved from territory row `from` to `to` (either may be -1).
    void move(std::size_t a, std::int32_t from, std::int32_t to);
    // Recomputes targets, deviations, roll-ups and the balance summary.
    void finalize();
    // Follows the data it was reset with to new addresses (a workspace and its values moved
    // whole); the figures stay as they are.
    void rebind(const Workspace& ws, const AccountValues& values, const Scenario& sc,
                const Scenario* baseline);
    const PlanMetrics& metrics() const { return m_m; }

  private:
    const Workspace* m_ws = nullptr;
    const AccountValues* m_values = nullptr;
    const Scenario* m_sc = nullptr;
    const Scenario* m_baseline = nullptr;
    std::vector<std::int32_t> m_slot; // territories row -> index in m_m.territories, -1 none
    std::vector<std::int32_t> m_refRow; // reference (baseline) row -> scenario row with the same id, -1 none
    std::int32_t refToScenario(std::int32_t b) const {
        return (b >= 0 && static_cast<std::size_t>(b) < m_refRow.size()) ? m_refRow[static_cast<std::size_t>(b)] : -1;
    }
    PlanMetrics m_m;
};

// [SECTION] output
std::string planMetricsToJson(const PlanMetrics& m);
// The assignment for CRM re-import: account_id, account_name, owner_id, owner_name, territory,
// territory_name, district, region, changed, previous_territory, previous_owner_id,
// previous_owner_name. `baseline` gives the "previous" columns.
std::string assignmentCsv(const Workspace& ws, const Scenario& sc, const Scenario& baseline);
// The scenario's edit log for download: step, time_utc, action, command, accounts,
// potential_moved, arr_moved, note, in_effect (false for undone edits).
std::string auditCsv(const Scenario& sc);

} // namespace terrane
