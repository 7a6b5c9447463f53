#include "core/territory/figures.hpp"

#include <algorithm>
#include <cmath>

namespace terrane::territory {

void territoryCentres(const BalanceProblem& p, std::span<const std::int32_t> assign, bool fixedCentres,
                      std::vector<double>& cx, std::vector<double>& cy) {
    const std::size_t K = p.K();
    std::vector<double> sw(K, 0), sx(K, 0), sy(K, 0), cnt(K, 0), ux(K, 0), uy(K, 0);
    const auto& X = p.geo.x();
    const auto& Y = p.geo.y();
    for (std::size_t i = 0; i < p.accounts; ++i) {
        const std::int32_t k = assign[i];
        if (k < 0 || !p.geo.placed(i)) continue;
        const auto ks = static_cast<std::size_t>(k);
        sw[ks] += p.weight[i];
        sx[ks] += p.weight[i] * X[i];
        sy[ks] += p.weight[i] * Y[i];
        cnt[ks] += 1;
        ux[ks] += X[i];
        uy[ks] += Y[i];
    }
    cx.assign(K, std::nan(""));
    cy.assign(K, std::nan(""));
    for (std::size_t k = 0; k < K; ++k) {
        if (fixedCentres && !std::isnan(p.homeX[k])) {
            cx[k] = p.homeX[k], cy[k] = p.homeY[k];
        } else if (sw[k] > 0) {
            cx[k] = sx[k] / sw[k], cy[k] = sy[k] / sw[k];
        } else if (cnt[k] > 0) {
            cx[k] = ux[k] / cnt[k], cy[k] = uy[k] / cnt[k];
        } else if (!std::isnan(p.homeX[k])) {
            cx[k] = p.homeX[k], cy[k] = p.homeY[k];
        }
    }
}

PlanFigures evaluatePlan(const BalanceProblem& p, const SiteGraph& g, std::span<const std::int32_t> assign,
                         bool fixedCentres) {
    PlanFigures f;
    const std::size_t K = p.K(), M = p.M(), n = p.accounts;
    f.territories.assign(K, {});
    for (auto& t : f.territories) t.totals.assign(M, 0.0), t.deviation.assign(M, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        if (!p.inPlan(i)) continue;
        const std::int32_t k = assign[i];
        if (k < 0) {
            ++f.unassigned;
            continue;
        }
        TerritoryFigures& t = f.territories[static_cast<std::size_t>(k)];
        ++t.accounts;
        for (std::size_t m = 0; m < M; ++m) t.totals[m] += p.value(i, m);
    }
    f.maxDeviation.assign(M, 0.0);
    f.maxDeviationBalanceable.assign(M, 0.0);
    std::vector<double> balanceLoad(K * M, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        if (p.inPlan(i) && assign[i] >= 0)
            for (std::size_t m = 0; m < M; ++m)
                balanceLoad[static_cast<std::size_t>(assign[i]) * M + m] += p.balanceValue(i, m);
    f.withinTolerance = f.unassigned == 0;
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t m = 0; m < M; ++m) {
            const double T = p.reportTargetOf(k, m);
            if (T > 0) {
                const double d = (f.territories[k].totals[m] - T) / T;
                f.territories[k].deviation[m] = d;
                f.maxDeviation[m] = std::max(f.maxDeviation[m], std::fabs(d));
            }
            const double B = p.targetOf(k, m);
            if (B > 0)
                f.maxDeviationBalanceable[m] =
                    std::max(f.maxDeviationBalanceable[m], std::fabs(balanceLoad[k * M + m] - B) / B);
        }
    for (std::size_t m = 0; m < M; ++m)
        f.withinTolerance &= f.maxDeviation[m] <= p.tolerance[m] + kToleranceSlack;

    // Compactness.
    std::vector<double> cx, cy;
    territoryCentres(p, assign, fixedCentres, cx, cy);
    std::vector<PlanGeometry::Anchor> anchors(K);
    for (std::size_t k = 0; k < K; ++k) {
        f.territories[k].centreX = cx[k], f.territories[k].centreY = cy[k];
        if (!std::isnan(cx[k])) anchors[k] = p.geo.anchor(cx[k], cy[k]);
    }
    double sw = 0, sd = 0, sd2 = 0, cnt = 0, cd = 0, cd2 = 0;
    const auto& X = p.geo.x();
    const auto& Y = p.geo.y();
    for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t k = assign[i];
        if (k < 0 || !p.geo.placed(i) || !p.inPlan(i)) continue;
        const auto ks = static_cast<std::size_t>(k);
        if (std::isnan(cx[ks])) continue;
        const double d = p.geo.distance(i, anchors[ks]);
        const double dx = X[i] - cx[ks], dy = Y[i] - cy[ks];
        const double d2 = dx * dx + dy * dy;
        sw += p.weight[i], sd += p.weight[i] * d, sd2 += p.weight[i] * d2;
        cnt += 1, cd += d, cd2 += d2;
    }
    if (sw > 0)
        f.weightedMeanDistance = sd / sw, f.inertia = sd2 / sw;
    else if (cnt > 0)
        f.weightedMeanDistance = cd / cnt, f.inertia = cd2 / cnt;

    // Accounts per territory (for diameters) and territories per site (for contiguity).
    std::vector<std::uint32_t> start(K + 1, 0), members;
    for (std::size_t i = 0; i < n; ++i)
        if (assign[i] >= 0 && p.geo.placed(i) && p.inPlan(i))
            ++start[static_cast<std::size_t>(assign[i]) + 1];
    for (std::size_t k = 0; k < K; ++k) start[k + 1] += start[k];
    members.resize(start[K]);
    {
        std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
        for (std::size_t i = 0; i < n; ++i)
            if (assign[i] >= 0 && p.geo.placed(i) && p.inPlan(i))
                members[fill[static_cast<std::size_t>(assign[i])]++] = static_cast<std::uint32_t>(i);
    }
    for (std::size_t k = 0; k < K; ++k) {
        const std::span<const std::uint32_t> mk(members.data() + start[k], start[k + 1] - start[k]);
        if (mk.size() < 2) continue;
        double best = 0;
        if (p.travel && p.travel->hasPaths()) { // shortest paths on the travel graph
            for (std::size_t a = 0; a < mk.size(); ++a)
                for (std::size_t b = a + 1; b < mk.size(); ++b) best = std::max(best, p.travel->path(mk[a], mk[b]));
        } else {
            const auto hull = convexHull(X, Y, mk);
            for (std::size_t a = 0; a < hull.size(); ++a)
                for (std::size_t b = a + 1; b < hull.size(); ++b)
                    best = std::max(best, p.geo.distanceBetween(hull[a], hull[b]));
        }
        f.territories[k].diameter = best;
        f.maxDiameter = std::max(f.maxDiameter, best);
    }

    const std::size_t S = g.siteCount();
    std::vector<std::uint32_t> stStart(S + 1, 0);
    std::vector<std::int32_t> stTerr;
    stTerr.reserve(S);
    std::vector<std::int32_t> scratch;
    for (std::size_t s = 0; s < S; ++s) {
        scratch.clear();
        for (std::uint32_t i : g.accountsAt(static_cast<std::uint32_t>(s)))
            if (assign[i] >= 0 && p.inPlan(i)) scratch.push_back(assign[i]);
        std::sort(scratch.begin(), scratch.end());
        scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
        stTerr.insert(stTerr.end(), scratch.begin(), scratch.end());
        stStart[s + 1] = static_cast<std::uint32_t>(stTerr.size());
    }
    auto has = [&](std::uint32_t s, std::int32_t k) {
        return std::binary_search(stTerr.begin() + stStart[s], stTerr.begin() + stStart[s + 1], k);
    };
    // Sites of each territory.
    std::vector<std::uint32_t> tsStart(K + 1, 0), tsSites(stTerr.size());
    for (std::int32_t k : stTerr) ++tsStart[static_cast<std::size_t>(k) + 1];
    for (std::size_t k = 0; k < K; ++k) tsStart[k + 1] += tsStart[k];
    {
        std::vector<std::uint32_t> fill(tsStart.begin(), tsStart.end() - 1);
        for (std::size_t s = 0; s < S; ++s)
            for (std::uint32_t j = stStart[s]; j < stStart[s + 1]; ++j)
                tsSites[fill[static_cast<std::size_t>(stTerr[j])]++] = static_cast<std::uint32_t>(s);
    }
    std::vector<std::uint32_t> seen(S, 0), queue;
    for (std::size_t k = 0; k < K; ++k) {
        const auto stamp = static_cast<std::uint32_t>(k + 1);
        std::uint32_t pieces = 0;
        for (std::uint32_t j = tsStart[k]; j < tsStart[k + 1]; ++j) {
            const std::uint32_t s0 = tsSites[j];
            if (seen[s0] == stamp) continue;
            ++pieces;
            queue.assign(1, s0);
            seen[s0] = stamp;
            for (std::size_t q = 0; q < queue.size(); ++q)
                for (std::uint32_t nb : g.neighbours(queue[q]))
                    if (seen[nb] != stamp && has(nb, static_cast<std::int32_t>(k))) {
                        seen[nb] = stamp;
                        queue.push_back(nb);
                    }
        }
        f.territories[k].pieces = pieces;
        if (pieces > 1) f.extraPieces += pieces - 1;
    }
    f.contiguous = f.extraPieces == 0;
    std::uint64_t edges = 0, cut = 0;
    for (std::uint32_t s = 0; s < S; ++s) {
        if (stStart[s] == stStart[s + 1]) continue;
        for (std::uint32_t t : g.neighbours(s)) {
            if (t < s || stStart[t] == stStart[t + 1]) continue;
            ++edges;
            bool common = false;
            for (std::uint32_t j = stStart[s]; j < stStart[s + 1] && !common; ++j) common = has(t, stTerr[j]);
            cut += common ? 0 : 1;
        }
    }
    f.cutEdgeShare = edges ? static_cast<double>(cut) / static_cast<double>(edges) : 0.0;

    // Disruption.
    double inPlan = 0, value = 0, movedValue = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!p.inPlan(i)) continue;
        inPlan += 1;
        value += p.moveValue[i];
        if (p.current[i] >= 0 && assign[i] != p.current[i]) {
            ++f.movedAccounts;
            movedValue += p.moveValue[i];
        }
    }
    f.movedAccountsShare = inPlan > 0 ? static_cast<double>(f.movedAccounts) / inPlan : 0.0;
    f.movedValueShare = value > 0 ? movedValue / value : 0.0;
    return f;
}

} // namespace terrane::territory
