// Side-by-side comparison of two scenarios' quota plans: deltas per rep, region and in total.
#pragma once

#include "core/quota/allocate.hpp"

#include <string>
#include <vector>

namespace terrane::quota {

struct QuotaDelta {
    std::string key; // rep id (or "territory:<id>" for a territory without an owner), node id
    std::string name;
    Money a = 0, b = 0; // quota in scenario A and B (0 when absent)
    bool inA = false, inB = false;
    Money delta() const { return b - a; }
};

struct QuotaComparison {
    std::vector<QuotaDelta> reps;    // union of both plans' reps, by key
    std::vector<QuotaDelta> regions; // region-level nodes (or top-level nodes), by id
    std::vector<QuotaDelta> territories;
    Money totalA = 0, totalB = 0; // sum of rep quotas
    Money heldA = 0, heldB = 0;
    Money targetA = 0, targetB = 0;
    std::size_t repsChanged = 0; // reps whose quota differs
};

QuotaComparison compareQuotas(const QuotaResult& a, const QuotaResult& b);

} // namespace terrane::quota
