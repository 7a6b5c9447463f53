// Quota allocation: the company target flows down region > district > territory (> rep) by the
// scenario's method, with over-assignment per level, locked overrides that the rest re-flows
// around, rounding to a unit, and seasonality. Every split is exact integer arithmetic, so every
// node's children sum exactly to the node's pool and every node's periods sum to its quota.
//
// Reconciliation rules (what the numbers promise):
//  * company quota = target. A node's pool (what its children split) = its quota × (1 + the
//    over-assignment of its children's level). Pools of all nodes whose children are at one level
//    are apportioned together from round(sum of their quotas × (1 + over-assignment)), so that
//    level total is exact; with 0% over-assignment a pool equals the quota.
//  * Children split their parent's pool in proportion to their weights (which roll up from the
//    territories below them), in whole rounding units, by largest remainder. Locked overrides get
//    exactly their amount and the others split what is left.
//  * An amount that is not a whole number of rounding units (a target, an uplifted total or a
//    lock that is not a multiple of the unit) leaves a remainder below one unit: it goes to the
//    largest share (RemainderPolicy::Largest, noted in that node's basis) or makes the plan
//    invalid with a message (RemainderPolicy::Reject).
//  * Periods: each node's quota is split by seasonality; children's periods sum exactly to their
//    parent pool's periods (controlled rounding), so every period column reconciles too.
#pragma once

#include "core/quota/quota_plan.hpp"
#include "core/scenario/workspace.hpp"

#include <string>
#include <vector>

namespace terrane::quota {

struct QuotaIssue {
    enum class Severity : std::uint8_t { Info, Warning, Error };
    Severity severity = Severity::Info;
    std::string node; // node id, or "" for the whole plan
    std::string message;
    // What kind of problem: "remainder" (not whole rounding units), "locks" (overrides that do not
    // fit), "no_territories", "override" (names no node), "hierarchy", "data", "reconciliation".
    std::string code;
};

struct QuotaNode {
    std::string id, name;
    QuotaLevel level = QuotaLevel::Territory;
    std::int32_t parent = -1;
    std::vector<std::int32_t> children;
    std::int32_t territoryRow = -1; // row of the scenario's territories table (-1: the company)
    std::string owner;              // territories: the rep or seat id ("" none)
    bool vacant = false;            // territories: the owner is a vacant seat, unknown or missing
    // Inputs: territories hold their own, other nodes the sums over the territories below.
    Money potential = 0;
    Money history = 0;
    std::uint64_t accounts = 0;
    std::uint32_t territories = 0; // territories at or below this node
    double capacity = 1.0;         // territories: the owner's ramp factor over the plan year (0..)
    // Results.
    std::int64_t weight = 0; // split weight (integer, rolled up)
    Money quota = 0;
    Money pool = 0;             // what the children split (0 for territories)
    std::vector<Money> periods; // quota by period (quarters or months)
    std::vector<Money> poolPeriods;
    double share = 0; // share of the parent's pool split among unlocked siblings
    bool locked = false;
    bool held = false;   // vacant territory whose quota its parent's manager holds
    Money remainder = 0; // sub-unit remainder placed on this node
    std::string basis;   // "38.2% of district potential (West - Seattle) × 1.05"
};

struct QuotaTree {
    std::vector<QuotaNode> nodes; // [0] is the company; parents come before their children
    Date asOf = kDateNull;        // latest date in the history data
    int planYear = 0;
    Date planStart = kDateNull, planEnd = kDateNull; // [start, end)
    Date historyFrom = kDateNull, historyTo = kDateNull;
    HistorySource historyUsed = HistorySource::Opportunities;
    Money historyTotal = 0;
    Money historyUnattributed = 0; // history rows that map to no territory
    std::vector<QuotaIssue> issues;
};

// One row per rep or seat: the sum of the territories it owns (held territories excluded).
struct RepQuota {
    std::string repId; // "" for a territory without an owner
    std::string name;
    std::vector<std::int32_t> territories; // node indices
    Money quota = 0;
    std::vector<Money> periods;
    bool vacant = false;
    double capacity = 1.0;
    Money potential = 0, history = 0;
    std::string basis;
};

struct QuotaResult {
    bool ok = true; // false when an Error issue makes the plan unusable as is
    QuotaTree tree;
    std::vector<RepQuota> reps;
    std::vector<QuotaIssue> issues; // tree issues plus allocation issues
    int periods = 4;
    std::vector<std::string> periodLabels; // "Q1 2027" or "Jan 2027"
    Money target = 0;
    Money unit = 100;
    std::array<std::int64_t, kOverAssignLevels> overAssignPpm{0, 0, 0};
    // Sum of quotas by level (index QuotaLevel): company, regions, districts, territories.
    std::array<Money, 4> levelTotals{0, 0, 0, 0};
    Money repTotal = 0;          // sum over reps (excludes held)
    Money heldTotal = 0;         // held at managers for vacant seats
    Money leafTotal = 0;         // all territories (= repTotal + heldTotal)
    Money expectedLeafTotal = 0; // what the territories must sum to: the chain of uplifted totals
    bool reconciled = false;     // every node's children sum to its pool and periods to quotas

    const QuotaNode* find(std::string_view id) const;
    const RepQuota* findRep(std::string_view repId) const;
};

// The quota hierarchy of `sc` with its inputs: potential and accounts from the assignment,
// history from bookings or won opportunities in the window, each owner's ramp factor.
QuotaTree buildQuotaTree(const Workspace& ws, const Scenario& sc, const QuotaPlan& plan,
                         const CapacityPlan& capacity);
// Allocates `plan` over `tree` (see the rules at the top of this file).
QuotaResult allocateQuotas(QuotaTree tree, const QuotaPlan& plan);
// buildQuotaTree + allocateQuotas with the scenario's own set-up.
QuotaResult computeQuotas(const Workspace& ws, const Scenario& sc);

// Checks the reconciliation invariants of a result from scratch; "" when they hold, else the
// first violation (used by tests and as the `reconciled` flag).
std::string checkReconciliation(const QuotaResult& r);

// Month-by-month ramp factor of a rep starting on `start` over the 12 months from `planStart`
// (0 before the start). kDateNull start: fully ramped.
std::array<double, 12> monthlyRamp(Date start, Date planStart, const std::vector<double>& ramp,
                                   int stepMonths);
// 12 monthly weights from 4 quarterly or 12 monthly seasonality weights (sum 1).
std::array<double, 12> monthlyWeights(const std::vector<double>& seasonality);
// The latest date of the history data (opportunity created / closed dates, bookings dates).
Date dataAsOf(const Workspace& ws);

} // namespace terrane::quota
