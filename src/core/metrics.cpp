#include "core/metrics.hpp"

#include <cmath>

namespace terrane {

std::vector<TerritoryTotals> territoryTotals(const Workspace& ws, const Scenario& scenario, TerritoryTotals* unassigned) {
    const auto leaves = scenario.leaves();
    std::vector<int> slot(scenario.territories.rows(), -1);
    std::vector<TerritoryTotals> out(leaves.size());
    for (std::size_t i = 0; i < leaves.size(); ++i) {
        slot[static_cast<std::size_t>(leaves[i])] = static_cast<int>(i);
        out[i].territory = leaves[i];
    }
    TerritoryTotals none;
    const Table& acc = ws.accounts();
    const Column* pot = acc.find("potential");
    const Column* arr = acc.find("arr");
    const Column* work = acc.find("workload");
    for (std::size_t r = 0; r < acc.rows() && r < scenario.assignment.size(); ++r) {
        const std::int32_t t = scenario.assignment[r];
        TerritoryTotals& tt = (t >= 0 && slot[static_cast<std::size_t>(t)] >= 0) ? out[static_cast<std::size_t>(slot[static_cast<std::size_t>(t)])] : none;
        ++tt.accounts;
        if (pot && !pot->isNull(r)) tt.potential += pot->i64()[r];
        if (arr && !arr->isNull(r)) {
            tt.arr += arr->i64()[r];
            tt.customers += arr->i64()[r] > 0 ? 1 : 0;
        }
        if (work && !std::isnan(work->f64()[r])) tt.workload += work->f64()[r];
    }
    if (unassigned) *unassigned = none;
    return out;
}

} // namespace terrane
