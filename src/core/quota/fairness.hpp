// Fairness of a quota plan: how evenly quota follows opportunity (potential) and track record
// (history) across territories. Reps accept quotas when quota ÷ potential is similar for all.
#pragma once

#include "core/quota/allocate.hpp"

#include <vector>

namespace terrane::quota {

struct RatioStats {
    std::size_t count = 0; // territories with a positive denominator
    double mean = 0, median = 0, min = 0, max = 0;
    double cv = 0;   // coefficient of variation: population standard deviation ÷ mean
    double gini = 0; // Gini coefficient of the ratios (0 = all equal)
};

struct FairnessRow {
    std::int32_t node = -1;        // territory node index in the quota result
    double quotaToPotential = 0;   // NaN when the territory has no potential
    double quotaToHistory = 0;     // NaN when it has no history
    double potentialDeviation = 0; // ratio ÷ median − 1 (NaN when undefined)
    double historyDeviation = 0;
    bool outlierPotential = false; // |deviation| > threshold
    bool outlierHistory = false;
};

struct Fairness {
    double threshold = 0.25;
    std::vector<FairnessRow> rows; // territories with a positive quota, in node order
    RatioStats potential, history;
    std::size_t outliers = 0; // rows flagged on either ratio
};

// Ratios per territory, their dispersion and Gini, and outliers: territories whose ratio differs
// from the median by more than `threshold` (0.25 = ±25%).
Fairness assessFairness(const QuotaResult& r, double threshold = 0.25);
// Statistics of the finite values in `v` (mean, median, CV, Gini).
RatioStats ratioStats(std::vector<double> v);

} // namespace terrane::quota
