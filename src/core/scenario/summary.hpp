// Headline counts and totals of a workspace (what `terrane summary` prints and the page shows).
#pragma once

#include "core/scenario/workspace.hpp"

#include <string>

namespace terrane {

struct WorkspaceSummary {
    std::uint64_t accounts = 0;
    std::uint64_t customers = 0;       // accounts with ARR > 0
    std::uint64_t locatedAccounts = 0; // accounts with lat and lon
    Money potential = 0;               // sum over accounts
    Money arr = 0;                     // sum over accounts
    std::uint64_t reps = 0;            // seats, vacant included
    std::uint64_t vacantSeats = 0;
    std::uint64_t territories = 0;     // leaf territories
    std::uint64_t assignedAccounts = 0; // in the active scenario
    std::uint64_t opportunities = 0;
    std::uint64_t openOpportunities = 0;
    Money openPipeline = 0; // sum of amounts of open opportunities
    Money wonAmount = 0;    // sum of amounts of won opportunities
    std::uint64_t won = 0, lost = 0;
};

WorkspaceSummary summarize(const Workspace& ws);
// The figures that follow the active scenario (territories, assigned accounts), recomputed in `s`;
// after a plan edit the rest of the summary stays as it was.
void updatePlanCounts(WorkspaceSummary& s, const Workspace& ws);
// One JSON object with snake_case keys; money in major units (two decimals).
std::string summaryToJson(const WorkspaceSummary& s);

} // namespace terrane
