#include "core/quota/quota_results.hpp"

#include "core/quota/allocate.hpp"
#include "core/quota/compare.hpp"
#include "core/scenario/workspace.hpp"

#include <nlohmann/json.hpp>

namespace terrane::quota {

Json quotaResultsJson(const Workspace& ws, const Scenario& sc) {
    if (sc.quota.target <= 0) return nullptr;
    const QuotaResult q = computeQuotas(ws, sc);
    return {{"target", moneyToMajor(q.target)}, {"reps", moneyToMajor(q.repTotal)}, {"held", moneyToMajor(q.heldTotal)},
            {"method", quotaMethodName(sc.quota.allocation.method)}, {"reconciled", q.reconciled}};
}

Json quotaDiffJson(const Workspace& a, const Scenario& sa, const Workspace& b, const Scenario& sb) {
    if (!(sa.quota.target > 0 || sb.quota.target > 0 || !(sa.quota == sb.quota))) return nullptr;
    const QuotaComparison qc = compareQuotas(computeQuotas(a, sa), computeQuotas(b, sb));
    Json reps = Json::array(), regions = Json::array();
    for (const QuotaDelta& d : qc.reps)
        if (d.a != d.b || d.inA != d.inB) reps.push_back({{"rep", d.key}, {"name", d.name}, {"a", moneyToMajor(d.a)}, {"b", moneyToMajor(d.b)}});
    for (const QuotaDelta& d : qc.regions)
        if (d.a != d.b || d.inA != d.inB) regions.push_back({{"node", d.key}, {"name", d.name}, {"a", moneyToMajor(d.a)}, {"b", moneyToMajor(d.b)}});
    return {{"target", {{"a", moneyToMajor(qc.targetA)}, {"b", moneyToMajor(qc.targetB)}}},
            {"reps_total", {{"a", moneyToMajor(qc.totalA)}, {"b", moneyToMajor(qc.totalB)}}},
            {"reps_changed", qc.repsChanged},
            {"regions", std::move(regions)},
            {"reps", std::move(reps)}};
}

} // namespace terrane::quota
