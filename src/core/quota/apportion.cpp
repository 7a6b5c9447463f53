#include "core/quota/apportion.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace terrane::quota {

namespace {
using i128 = __int128;

// Largest-remainder split of `units` whole units by weights among `idx` (all weights >= 0,
// sum > 0). Writes unit counts into `out` (indexed like weights).
void largestRemainder(std::int64_t units, std::span<const std::int64_t> weights,
                      const std::vector<std::size_t>& idx, std::vector<std::int64_t>& out) {
    i128 W = 0;
    for (std::size_t i : idx) W += weights[i];
    std::int64_t given = 0;
    std::vector<std::pair<i128, std::size_t>> frac;
    frac.reserve(idx.size());
    for (std::size_t i : idx) {
        const i128 num = static_cast<i128>(units) * weights[i];
        const auto q = static_cast<std::int64_t>(num / W);
        out[i] = q;
        given += q;
        frac.emplace_back(num % W, i);
    }
    std::int64_t left = units - given; // < idx.size()
    std::stable_sort(frac.begin(), frac.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first > b.first;
        return a.second < b.second;
    });
    for (std::size_t k = 0; left > 0 && k < frac.size(); ++k, --left) ++out[frac[k].second];
}
} // namespace

Apportionment apportion(Money total, std::span<const std::int64_t> weights, std::span<const Money> locked,
                        Money unit) {
    const std::size_t n = weights.size();
    if (unit < 1) unit = 1;
    Apportionment r;
    r.amounts.assign(n, 0);
    if (n == 0) {
        r.locksIgnored = total != 0;
        return r;
    }
    auto isLocked = [&](std::size_t i) { return !locked.empty() && locked[i] != kMoneyNull; };
    Money lockedSum = 0;
    std::vector<std::size_t> freeIdx;
    for (std::size_t i = 0; i < n; ++i) {
        if (isLocked(i))
            lockedSum += locked[i];
        else
            freeIdx.push_back(i);
    }
    bool useLocks = freeIdx.size() < n;
    if (useLocks && (lockedSum > total || (freeIdx.empty() && lockedSum != total))) {
        r.locksIgnored = true;
        useLocks = false;
        freeIdx.resize(n);
        std::iota(freeIdx.begin(), freeIdx.end(), std::size_t{0});
        lockedSum = 0;
    }
    if (useLocks)
        for (std::size_t i = 0; i < n; ++i)
            if (isLocked(i)) r.amounts[i] = locked[i];
    r.free = total - lockedSum;
    if (freeIdx.empty()) return r; // all locked and they sum to the total
    std::vector<std::int64_t> w(weights.begin(), weights.end());
    i128 W = 0;
    for (std::size_t i : freeIdx) W += w[i] > 0 ? w[i] : 0;
    for (std::size_t i : freeIdx)
        if (w[i] < 0) w[i] = 0;
    if (W == 0) {
        r.equalFallback = true;
        for (std::size_t i : freeIdx) w[i] = 1;
    }
    const std::int64_t units = r.free / unit;
    r.remainder = r.free - units * unit;
    std::vector<std::int64_t> counts(n, 0);
    largestRemainder(units, w, freeIdx, counts);
    for (std::size_t i : freeIdx) r.amounts[i] = counts[i] * unit;
    if (r.remainder != 0) {
        std::size_t best = freeIdx[0];
        for (std::size_t i : freeIdx)
            if (r.amounts[i] > r.amounts[best] ||
                (r.amounts[i] == r.amounts[best] && units == 0 && w[i] > w[best]))
                best = i;
        r.amounts[best] += r.remainder;
        r.remainderAt = static_cast<int>(best);
    }
    return r;
}

std::vector<Money> roundMatrix(std::span<const Money> rows, std::span<const Money> cols, Money unit) {
    const std::size_t R = rows.size(), C = cols.size();
    std::vector<Money> x(R * C, 0);
    if (unit < 1) unit = 1;
    i128 T = 0;
    for (Money v : rows) T += v / unit;
    if (T == 0 || C == 0) return x;
    std::vector<std::int64_t> dr(R), dc(C);
    for (std::size_t j = 0; j < C; ++j) dc[j] = cols[j] / unit;
    struct Cell {
        i128 frac;
        std::uint32_t i, j;
    };
    std::vector<Cell> cells;
    for (std::size_t i = 0; i < R; ++i) {
        const std::int64_t ri = rows[i] / unit;
        dr[i] = ri;
        for (std::size_t j = 0; j < C; ++j) {
            const i128 num = static_cast<i128>(ri) * (cols[j] / unit);
            const auto q = static_cast<std::int64_t>(num / T);
            x[i * C + j] = q;
            dr[i] -= q;
            dc[j] -= q;
            const i128 f = num % T;
            if (f > 0) cells.push_back(Cell{f, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)});
        }
    }
    std::stable_sort(cells.begin(), cells.end(),
                     [](const Cell& a, const Cell& b) { return a.frac > b.frac; });
    for (const Cell& c : cells) {
        if (dr[c.i] > 0 && dc[c.j] > 0) {
            ++x[c.i * C + c.j];
            --dr[c.i];
            --dc[c.j];
        }
    }
    // Whatever is left (rare: the greedy pass can strand a deficit) goes north-west corner.
    std::size_t j = 0;
    for (std::size_t i = 0; i < R; ++i) {
        while (dr[i] > 0) {
            while (j < C && dc[j] <= 0) ++j;
            if (j >= C) break;
            const std::int64_t t = std::min(dr[i], dc[j]);
            x[i * C + j] += t;
            dr[i] -= t;
            dc[j] -= t;
        }
    }
    for (Money& v : x) v *= unit;
    return x;
}

Money commonUnit(Money preferred, std::span<const Money> values) {
    for (Money u : {preferred, Money{100}, Money{1}}) {
        if (u < 1) continue;
        bool ok = true;
        for (Money v : values)
            if (v % u != 0) {
                ok = false;
                break;
            }
        if (ok) return u;
    }
    return 1;
}

std::vector<std::int64_t> quantizeWeights(std::span<const double> weights) {
    double maxW = 0;
    for (double w : weights)
        if (std::isfinite(w) && w > maxW) maxW = w;
    std::vector<std::int64_t> out(weights.size(), 0);
    if (maxW <= 0) return out;
    constexpr double kScale = 1099511627776.0; // 2^40: sums of a million weights stay in int64
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double w = weights[i];
        if (!std::isfinite(w) || w <= 0) continue;
        out[i] = static_cast<std::int64_t>(std::floor(w / maxW * kScale + 0.5));
    }
    return out;
}

} // namespace terrane::quota
