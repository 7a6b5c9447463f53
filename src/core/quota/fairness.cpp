#include "core/quota/fairness.hpp"

#include <algorithm>
#include <cmath>

namespace terrane::quota {

RatioStats ratioStats(std::vector<double> v) {
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    RatioStats s;
    s.count = v.size();
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    const double n = static_cast<double>(v.size());
    double sum = 0, weighted = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        sum += v[i];
        weighted += static_cast<double>(i + 1) * v[i];
    }
    s.mean = sum / n;
    s.min = v.front();
    s.max = v.back();
    s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2.0;
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.cv = s.mean > 0 ? std::sqrt(ss / n) / s.mean : 0;
    s.gini = sum > 0 ? (2.0 * weighted) / (n * sum) - (n + 1.0) / n : 0;
    if (s.gini < 0) s.gini = 0;
    return s;
}

Fairness assessFairness(const QuotaResult& r, double threshold) {
    Fairness f;
    f.threshold = threshold;
    const auto& N = r.tree.nodes;
    std::vector<double> pot, hist;
    for (std::size_t i = 0; i < N.size(); ++i) {
        const QuotaNode& n = N[i];
        if (n.level != QuotaLevel::Territory || n.quota <= 0) continue;
        FairnessRow row;
        row.node = static_cast<std::int32_t>(i);
        row.quotaToPotential =
            n.potential > 0 ? static_cast<double>(n.quota) / static_cast<double>(n.potential) : std::nan("");
        row.quotaToHistory =
            n.history > 0 ? static_cast<double>(n.quota) / static_cast<double>(n.history) : std::nan("");
        pot.push_back(row.quotaToPotential);
        hist.push_back(row.quotaToHistory);
        f.rows.push_back(row);
    }
    f.potential = ratioStats(pot);
    f.history = ratioStats(hist);
    for (FairnessRow& row : f.rows) {
        row.potentialDeviation = std::isfinite(row.quotaToPotential) && f.potential.median > 0
                                     ? row.quotaToPotential / f.potential.median - 1.0
                                     : std::nan("");
        row.historyDeviation = std::isfinite(row.quotaToHistory) && f.history.median > 0
                                   ? row.quotaToHistory / f.history.median - 1.0
                                   : std::nan("");
        row.outlierPotential =
            std::isfinite(row.potentialDeviation) && std::fabs(row.potentialDeviation) > threshold;
        row.outlierHistory =
            std::isfinite(row.historyDeviation) && std::fabs(row.historyDeviation) > threshold;
        f.outliers += row.outlierPotential || row.outlierHistory ? 1 : 0;
    }
    return f;
}

} // namespace terrane::quota
