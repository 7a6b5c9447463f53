// Territory figures for a scenario: per-territory totals and the balance summary.
#pragma once

#include "core/workspace.hpp"

#include <string>
#include <vector>

namespace terrane {

struct TerritoryTotals {
    std::int32_t territory = -1; // row in the territories table
    std::uint64_t accounts = 0;
    std::uint64_t customers = 0;
    Money potential = 0;
    Money arr = 0;
    double workload = 0;
};

// Totals for every leaf territory (in scenario.leaves() order) of `scenario`, plus the
// unassigned accounts in `unassigned`.
std::vector<TerritoryTotals> territoryTotals(const Workspace& ws, const Scenario& scenario, TerritoryTotals* unassigned = nullptr);

} // namespace terrane
