#include "core/territory/transport.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

namespace terrane::territory {

namespace {
constexpr double kInfDist = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kNone = 0xffffffffu;

struct EntryGreater {
    template <class E> bool operator()(const E& a, const E& b) const {
        if (a.key != b.key) return a.key > b.key;
        return a.src > b.src;
    }
};
} // namespace

TransportSolver::TransportSolver(const TransportProblem& p, std::span<const double> warmPrice) {
    reset(p, warmPrice);
}

void TransportSolver::reset(const TransportProblem& p, std::span<const double> warmPrice) {
    m_pp = &p;
    m_taken = false;
    m_finished = false;
    m_stoppedEarly = false;
    m_blocked.clear();
    m_feasible = true;
    m_phases = m_augmentations = 0;
    const std::size_t n = p.sources(), K = p.sinks();
    m_price.assign(K, 0.0);
    if (warmPrice.size() == K) std::copy(warmPrice.begin(), warmPrice.end(), m_price.begin());
    double total = 0, maxCost = 0;
    for (double s : p.supply) total += s;
    for (double c : p.arcCost) maxCost = std::max(maxCost, std::fabs(c));
    m_epsExcess = 1e-12 * std::max(total, 1e-300);
    m_dust = 1e-15 * std::max(total, 1e-300);
    m_epsReduced = 1e-11 * std::max(maxCost, 1e-300);
    m_sink0.assign(n, kNone);
    m_amt0.assign(n, 0.0);
    m_extra.clear();
    m_excess.assign(K, 0.0);
    for (std::size_t k = 0; k < K; ++k) m_excess[k] = -p.demand[k];
    if (m_adj.size() < K) m_adj.resize(K);
    for (std::size_t k = 0; k < K; ++k) m_adj[k].clear();
    for (std::size_t h = 0; h < m_heapCount; ++h) m_heaps[h].clear();
    m_heapCount = 0;
    warmByGroups();
    coordinateAscent(6, 1e-2);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t best = kNone;
        double bestV = 0;
        for (std::uint32_t a = p.arcStart[i]; a < p.arcStart[i + 1]; ++a) {
            const std::uint32_t k = p.arcSink[a];
            const double v = p.arcCost[a] - m_price[k];
            if (best == kNone || v < bestV || (v == bestV && k < best)) best = k, bestV = v;
        }
        m_sink0[i] = best;
        if (best == kNone) {
            if (p.supply[i] > 0) m_feasible = false; // a source with nowhere to go
            continue;
        }
        m_amt0[i] = p.supply[i];
        m_excess[best] += p.supply[i];
    }
    // Entries are counted, placed, then each heap is built once.
    m_entryHeap.clear();
    for (std::size_t i = 0; i < n; ++i)
        if (m_sink0[i] != kNone && m_amt0[i] > 0) {
            const std::uint32_t k = m_sink0[i];
            for (std::uint32_t a = p.arcStart[i]; a < p.arcStart[i + 1]; ++a)
                if (p.arcSink[a] != k) m_entryHeap.push_back(heapOf(k, p.arcSink[a]));
        }
    m_heapFill.assign(m_heapCount, 0);
    for (std::uint32_t h : m_entryHeap) ++m_heapFill[h];
    for (std::size_t h = 0; h < m_heapCount; ++h) m_heaps[h].reserve(m_heapFill[h]);
    std::size_t e = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (m_sink0[i] != kNone && m_amt0[i] > 0) {
            const auto src = static_cast<std::uint32_t>(i);
            const std::uint32_t k = m_sink0[i];
            const double base = arcCost(src, k);
            for (std::uint32_t a = p.arcStart[i]; a < p.arcStart[i + 1]; ++a)
                if (p.arcSink[a] != k) m_heaps[m_entryHeap[e++]].push_back({p.arcCost[a] - base, src});
        }
    for (std::size_t h = 0; h < m_heapCount; ++h)
        std::make_heap(m_heaps[h].begin(), m_heaps[h].end(), EntryGreater{});
    m_dist.assign(K, kInfDist);
    m_done.assign(K, 0);
    m_onPath.assign(K, 0);
    m_dead.assign(K, 0);
    m_cur.assign(K, 0);
    m_touched.clear();
    m_phaseCap = 20 * (n + K) + 1000;
    if (!m_feasible) m_finished = true;
}

// Dual coordinate ascent (Gauss-Seidel over sinks): each sink's price is set so that the sources
// preferring it carry about its demand. A few linear-time sweeps remove most of a large imbalance,
// which the exact phases would otherwise shift one account per arc per phase.
void TransportSolver::coordinateAscent(int maxSweeps, double goal) {
    const TransportProblem& p = P();
    const std::size_t n = p.sources(), K = p.sinks();
    if (K < 2 || n == 0) return;
    double total = 0;
    for (double s : p.supply) total += s;
    if (!(total > 0)) return;
    auto less = [](double a, std::uint32_t ka, double b, std::uint32_t kb) {
        return a < b || (a == b && ka < kb);
    };
    // Per source, its best two (cost - price) and their sinks, in one record (one cache line
    // touched per source in the sweeps).
    m_best.assign(n, Best{kInfDist, kInfDist, kNone, kNone});
    auto recompute = [&](std::size_t i) {
        double b1 = kInfDist, b2 = kInfDist;
        std::uint32_t s1 = kNone, s2 = kNone;
        for (std::uint32_t a = p.arcStart[i]; a < p.arcStart[i + 1]; ++a) {
            const std::uint32_t k = p.arcSink[a];
            const double v = p.arcCost[a] - m_price[k];
            if (less(v, k, b1, s1))
                b2 = b1, s2 = s1, b1 = v, s1 = k;
            else if (less(v, k, b2, s2))
                b2 = v, s2 = k;
        }
        m_best[i] = Best{b1, b2, s1, s2};
    };
    for (std::size_t i = 0; i < n; ++i) recompute(i);
    std::vector<double> load(K, 0.0);
    auto imbalance = [&]() {
        std::fill(load.begin(), load.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i)
            if (m_best[i].k1 != kNone) load[m_best[i].k1] += p.supply[i];
        double d = 0;
        for (std::size_t k = 0; k < K; ++k) d += std::fabs(load[k] - p.demand[k]);
        return d / (2 * total);
    };
    double prev = imbalance();
    if (prev <= goal) return;
    m_revStart.assign(K + 1, 0);
    for (std::uint32_t k : p.arcSink) ++m_revStart[k + 1];
    for (std::size_t k = 0; k < K; ++k) m_revStart[k + 1] += m_revStart[k];
    // Arcs by sink, with their source, cost and the source's supply side by side (read in order).
    m_revSrc.resize(p.arcSink.size());
    m_revCost.resize(p.arcSink.size());
    m_revSupply.resize(p.arcSink.size());
    {
        std::vector<std::uint32_t> fill(m_revStart.begin(), m_revStart.end() - 1);
        for (std::size_t i = 0; i < n; ++i)
            for (std::uint32_t a = p.arcStart[i]; a < p.arcStart[i + 1]; ++a) {
                const std::uint32_t j = fill[p.arcSink[a]]++;
                m_revSrc[j] = static_cast<std::uint32_t>(i);
                m_revCost[j] = p.arcCost[a];
                m_revSupply[j] = p.supply[i];
            }
    }
    for (int sweep = 0; sweep < maxSweeps; ++sweep) {
        for (std::size_t kk = 0; kk < K; ++kk) {
            const auto k = static_cast<std::uint32_t>(kk);
            m_theta.clear();
            m_w.clear();
            // Weighted selection of the price: sources with theta < price move here. The demand
            // not met by sources that have no alternative is what the others must supply.
            double target = p.demand[k];
            for (std::uint32_t j = m_revStart[k]; j < m_revStart[k + 1]; ++j) {
                const double w = m_revSupply[j];
                if (!(w > 0)) continue;
                const Best& b = m_best[m_revSrc[j]];
                const double other = b.k1 == k ? b.v2 : b.v1;
                if (other == kInfDist) { // no alternative: always here
                    target -= w;
                    continue;
                }
                m_theta.push_back(m_revCost[j] - other);
                m_w.push_back(w);
            }
            if (m_theta.empty()) continue;
            std::size_t lo = 0, hi = m_theta.size();
            double below = -kInfDist, above = kInfDist; // largest theta included, smallest excluded
            double price = 0;
            bool decided = false;
            if (target <= 0) {
                for (double t : m_theta) above = std::min(above, t);
                price = above - 1e-9 * (1.0 + std::fabs(above));
                decided = true;
            }
            while (!decided && hi - lo > 24) {
                // Median-of-three pivot by position, three-way partition (deterministic).
                const double a = m_theta[lo], b = m_theta[lo + (hi - lo) / 2], c = m_theta[hi - 1];
                const double pivot = std::max(std::min(a, b), std::min(std::max(a, b), c));
                std::size_t lt = lo, gt = hi, j = lo;
                while (j < gt) {
                    if (m_theta[j] < pivot) {
                        std::swap(m_theta[j], m_theta[lt]), std::swap(m_w[j], m_w[lt]);
                        ++lt, ++j;
                    } else if (m_theta[j] > pivot) {
                        --gt;
                        std::swap(m_theta[j], m_theta[gt]), std::swap(m_w[j], m_w[gt]);
                    } else {
                        ++j;
                    }
                }
                double wl = 0, we = 0;
                for (std::size_t q = lo; q < lt; ++q) wl += m_w[q];
                for (std::size_t q = lt; q < gt; ++q) we += m_w[q];
                if (wl >= target) {
                    above = std::min(above, pivot);
                    hi = lt;
                } else if (wl + we >= target) {
                    price = pivot; // the crossing lies among equal thresholds
                    decided = true;
                } else {
                    target -= wl + we;
                    below = std::max(below, pivot);
                    lo = gt;
                }
            }
            if (!decided) {
                // Small remainder: sort and scan.
                std::vector<std::pair<double, double>> rest;
                for (std::size_t q = lo; q < hi; ++q) rest.push_back({m_theta[q], m_w[q]});
                std::sort(rest.begin(), rest.end());
                double cum = 0;
                std::size_t j = 0;
                for (; j < rest.size(); ++j) {
                    if (cum + rest[j].second >= target) break;
                    cum += rest[j].second;
                }
                if (j == rest.size()) {
                    const double last = rest.empty() ? below : rest.back().first;
                    price = above < kInfDist ? 0.5 * (last + above) : last + 1e-9 * (1.0 + std::fabs(last));
                } else {
                    const bool include = cum + rest[j].second - target <= target - cum;
                    const double lower = j > 0 ? rest[j - 1].first : below;
                    const double upper = j + 1 < rest.size() ? rest[j + 1].first : above;
                    const double t = rest[j].first;
                    if (include)
                        price = upper < kInfDist ? 0.5 * (t + upper) : t + 1e-9 * (1.0 + std::fabs(t));
                    else
                        price = lower > -kInfDist ? 0.5 * (lower + t) : t - 1e-9 * (1.0 + std::fabs(t));
                }
            }
            if (!(std::fabs(price) < 1e299) || price == m_price[k]) continue;
            const bool worse = price < m_price[k]; // sink k got less attractive
            m_price[k] = price;
            for (std::uint32_t j = m_revStart[k]; j < m_revStart[k + 1]; ++j) {
                const std::uint32_t i = m_revSrc[j];
                Best& b = m_best[i];
                const double v = m_revCost[j] - price;
                if (b.k1 == k || b.k2 == k) {
                    if (worse && b.k1 == k && less(v, k, b.v2, b.k2))
                        b.v1 = v; // still the best: the second best is unchanged
                    else if (worse)
                        recompute(i);
                    else if (b.k2 == k && less(v, k, b.v1, b.k1)) {
                        b.v2 = b.v1, b.k2 = b.k1, b.v1 = v, b.k1 = k;
                    } else if (b.k1 == k) {
                        b.v1 = v;
                    } else {
                        b.v2 = v;
                    }
                } else if (less(v, k, b.v1, b.k1)) {
                    b.v2 = b.v1, b.k2 = b.k1, b.v1 = v, b.k1 = k;
                } else if (less(v, k, b.v2, b.k2)) {
                    b.v2 = v, b.k2 = k;
                }
            }
        }
        const double now = imbalance();
        if (now <= goal || now > 0.9 * prev) break;
        prev = now;
    }
}

// A two-level start for many sinks (512 or more: with 200 or 500 territories over 100k accounts
// it saved nothing, the phases there being cheap and local). Sinks are gathered into groups of
// about sqrt(K) neighbours (sinks that are among a source's three cheapest arcs are neighbours;
// groups grow breadth-first in index order), and the problem between sources and groups, each
// source reaching a group at its cheapest (cost - price) there, is solved exactly. Adding a
// group's dual price to its sinks' prices moves supply between regions in one solve with
// K/sqrt(K) nodes, where the phases on all K sinks would shift it one account per arc per phase.
// Any prices are a valid start, so the solve stays exact; the grouped solve only decides how far
// it starts from the answer. 1M accounts on 9,348 cells into 1,000 territories, the first two
// rounds: 19.7 s -> 8.4 s and 11.1 s -> 4.0 s natively, the same optimal cost.
void TransportSolver::warmByGroups() {
    const TransportProblem& p = P();
    const std::size_t n = p.sources(), K = p.sinks();
    if (!m_grouping || K < 512 || n < 2 * K) return;
    const auto groupSize = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(K))));
    // Neighbours: pairs among each source's three cheapest arcs (by cost alone).
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    pairs.reserve(3 * n);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t best[3] = {kNone, kNone, kNone};
        double bestC[3] = {kInfDist, kInfDist, kInfDist};
        for (std::uint32_t a = p.arcStart[i]; a < p.arcStart[i + 1]; ++a) {
            double c = p.arcCost[a];
            std::uint32_t k = p.arcSink[a];
            for (int j = 0; j < 3; ++j)
                if (c < bestC[j] || (c == bestC[j] && k < best[j])) {
                    std::swap(c, bestC[j]);
                    std::swap(k, best[j]);
                }
        }
        for (int a = 0; a < 3; ++a)
            for (int b = a + 1; b < 3; ++b)
                if (best[a] != kNone && best[b] != kNone && best[a] != best[b])
                    pairs.push_back({best[a], best[b]}), pairs.push_back({best[b], best[a]});
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    std::vector<std::uint32_t> start(K + 1, 0);
    for (const auto& pr : pairs) ++start[pr.first + 1];
    for (std::size_t k = 0; k < K; ++k) start[k + 1] += start[k];
    std::vector<std::uint32_t> group(K, kNone), queue;
    std::uint32_t G = 0;
    for (std::size_t k0 = 0; k0 < K; ++k0) {
        if (group[k0] != kNone) continue;
        queue.assign(1, static_cast<std::uint32_t>(k0));
        group[k0] = G;
        std::size_t size = 1;
        for (std::size_t q = 0; q < queue.size() && size < groupSize; ++q)
            for (std::uint32_t j = start[queue[q]]; j < start[queue[q] + 1] && size < groupSize; ++j) {
                const std::uint32_t l = pairs[j].second;
                if (group[l] != kNone) continue;
                group[l] = G, ++size;
                queue.push_back(l);
            }
        ++G;
    }
    if (G < 2 || G * 2 > K) return;
    TransportProblem gp;
    gp.supply = p.supply;
    gp.demand.assign(G, 0.0);
    for (std::size_t k = 0; k < K; ++k) gp.demand[group[k]] += p.demand[k];
    gp.arcStart.reserve(n + 1);
    gp.arcStart.push_back(0);
    std::vector<double> cheapest(G, kInfDist);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t first = gp.arcSink.size();
        for (std::uint32_t a = p.arcStart[i]; a < p.arcStart[i + 1]; ++a) {
            const std::uint32_t g = group[p.arcSink[a]];
            const double v = p.arcCost[a] - m_price[p.arcSink[a]];
            if (cheapest[g] == kInfDist) gp.arcSink.push_back(g);
            cheapest[g] = std::min(cheapest[g], v);
        }
        for (std::size_t a = first; a < gp.arcSink.size(); ++a) {
            gp.arcCost.push_back(cheapest[gp.arcSink[a]]);
            cheapest[gp.arcSink[a]] = kInfDist;
        }
        gp.arcStart.push_back(static_cast<std::uint32_t>(gp.arcSink.size()));
    }
    TransportSolver inner;
    inner.m_grouping = false;
    inner.reset(gp);
    while (!inner.step(64)) {
    }
    if (!inner.m_feasible) return;
    for (std::size_t k = 0; k < K; ++k) m_price[k] += inner.m_price[group[k]];
}

double TransportSolver::arcCost(std::uint32_t i, std::uint32_t k) const {
    for (std::uint32_t a = P().arcStart[i]; a < P().arcStart[i + 1]; ++a)
        if (P().arcSink[a] == k) return P().arcCost[a];
    return kInfDist;
}

double TransportSolver::flowAt(std::uint32_t i, std::uint32_t k) const {
    if (m_sink0[i] == k) return m_amt0[i];
    if (m_extra.empty()) return 0.0;
    auto it = m_extra.find(i);
    if (it == m_extra.end()) return 0.0;
    for (const SplitShare& s : it->second)
        if (s.sink == k) return s.amount;
    return 0.0;
}

void TransportSolver::addFlow(std::uint32_t i, std::uint32_t k, double amount) {
    if (m_sink0[i] == k) {
        m_amt0[i] += amount;
        return;
    }
    if (m_amt0[i] == 0.0) {
        m_sink0[i] = k;
        m_amt0[i] = amount;
        return;
    }
    auto& extra = m_extra[i];
    for (SplitShare& s : extra)
        if (s.sink == k) {
            s.amount += amount;
            return;
        }
    extra.push_back({k, amount});
}

void TransportSolver::removeFlow(std::uint32_t i, std::uint32_t k, double amount) {
    if (m_sink0[i] == k) {
        m_amt0[i] -= amount;
        if (m_amt0[i] <= m_dust) {
            m_amt0[i] = 0.0;
            auto it = m_extra.find(i);
            if (it != m_extra.end() && !it->second.empty()) {
                // Promote the largest remaining share (ties: lower sink).
                auto best = std::max_element(
                    it->second.begin(), it->second.end(), [](const SplitShare& a, const SplitShare& b) {
                        return a.amount != b.amount ? a.amount < b.amount : a.sink > b.sink;
                    });
                m_sink0[i] = best->sink;
                m_amt0[i] = best->amount;
                it->second.erase(best);
                if (it->second.empty()) m_extra.erase(it);
            }
        }
        return;
    }
    auto it = m_extra.find(i);
    if (it == m_extra.end()) return;
    auto& extra = it->second;
    for (std::size_t j = 0; j < extra.size(); ++j)
        if (extra[j].sink == k) {
            extra[j].amount -= amount;
            if (extra[j].amount <= m_dust) extra.erase(extra.begin() + static_cast<std::ptrdiff_t>(j));
            break;
        }
    if (extra.empty()) m_extra.erase(it);
}

std::uint32_t TransportSolver::heapOf(std::uint32_t k, std::uint32_t l) {
    for (const Link& e : m_adj[k])
        if (e.to == l) return e.heap;
    const auto h = static_cast<std::uint32_t>(m_heapCount++);
    if (m_heaps.size() < m_heapCount) m_heaps.emplace_back();
    m_adj[k].push_back({l, h});
    return h;
}

void TransportSolver::pushEntries(std::uint32_t i, std::uint32_t k) {
    const double base = arcCost(i, k);
    for (std::uint32_t a = P().arcStart[i]; a < P().arcStart[i + 1]; ++a) {
        const std::uint32_t l = P().arcSink[a];
        if (l == k) continue;
        auto& h = m_heaps[heapOf(k, l)];
        h.push_back({P().arcCost[a] - base, i});
        std::push_heap(h.begin(), h.end(), EntryGreater{});
    }
}

const TransportSolver::Entry* TransportSolver::top(std::uint32_t heap, std::uint32_t from) {
    auto& h = m_heaps[heap];
    while (!h.empty()) {
        if (flowAt(h.front().src, from) > 0.0) return &h.front();
        std::pop_heap(h.begin(), h.end(), EntryGreater{});
        h.pop_back();
    }
    return nullptr;
}

bool TransportSolver::phase() {
    const std::size_t K = P().sinks();
    std::vector<std::uint32_t>& sources = m_sources;
    sources.clear();
    for (std::size_t k = 0; k < K; ++k)
        if (m_excess[k] > m_epsExcess) sources.push_back(static_cast<std::uint32_t>(k));
    if (sources.empty()) return true;
    if (++m_phases > m_phaseCap) {
        m_feasible = false;
        return true;
    }
    // Dijkstra on reduced costs from every overloaded sink.
    for (std::uint32_t k : m_touched) m_dist[k] = kInfDist, m_done[k] = 0;
    m_touched.clear();
    auto& pq = m_pq;
    pq.clear();
    auto& predNode = m_predNode;
    auto& predHeap = m_predHeap;
    auto& finalized = m_finalized;
    finalized.clear();
    predNode.assign(K, kNone);
    predHeap.assign(K, kNone);
    for (std::uint32_t s : sources) {
        m_dist[s] = 0.0;
        m_touched.push_back(s);
        pq.push_back({0.0, s});
    }
    std::make_heap(pq.begin(), pq.end(), std::greater<>{});
    // A full Dijkstra: afterwards every shortest-path-tree arc is tight, so the blocking flow can
    // reach many underloaded sinks in one phase. (Optimality needs only non-negative reduced
    // costs on every residual arc, which any potentials from shortest distances keep.)
    std::uint32_t target = kNone;
    double maxDist = 0;
    double maxPrice = 0;
    while (!pq.empty()) {
        std::pop_heap(pq.begin(), pq.end(), std::greater<>{});
        const auto [d, k] = pq.back();
        pq.pop_back();
        if (m_done[k] || d > m_dist[k]) continue;
        m_done[k] = 1;
        finalized.push_back(k);
        maxDist = d;
        if (m_excess[k] < -m_epsExcess && target == kNone) target = k;
        for (const Link& link : m_adj[k]) {
            if (m_done[link.to]) continue;
            const Entry* e = top(link.heap, k);
            if (!e) continue;
            double rho = e->key + m_price[k] - m_price[link.to];
            if (rho < 0) rho = 0;
            const double nd = d + rho;
            if (nd < m_dist[link.to]) {
                if (m_dist[link.to] == kInfDist) m_touched.push_back(link.to);
                m_dist[link.to] = nd;
                predNode[link.to] = k;
                predHeap[link.to] = link.heap;
                pq.push_back({nd, link.to});
                std::push_heap(pq.begin(), pq.end(), std::greater<>{});
            }
        }
    }
    if (target == kNone) {
        // Every sink reached and none short: what is left over is rounding in the sums.
        double left = 0, total = 0;
        for (std::uint32_t k : sources) left += m_excess[k];
        for (double d : P().demand) total += d;
        if (finalized.size() == K && left <= 1e-9 * total) return true;
        m_blocked = finalized;
        m_short.clear();
        for (std::size_t k = 0; k < K; ++k)
            if (m_excess[k] < -m_epsExcess) m_short.push_back(static_cast<std::uint32_t>(k));
        m_feasible = false;
        return true;
    }
    for (std::uint32_t k : finalized) m_price[k] += m_dist[k] - maxDist;
    for (double p : m_price) maxPrice = std::max(maxPrice, std::fabs(p));
    const double epsRho = m_epsReduced + 1e-12 * maxPrice;

    // Moves `amount` of the top account of `heap` from node `from` to node `to`.
    auto moveTop = [&](std::uint32_t heap, std::uint32_t from, std::uint32_t to, double amount) {
        const Entry* e = top(heap, from);
        const std::uint32_t src = e->src;
        const double f = flowAt(src, from);
        const double amt = (f - amount <= m_dust) ? f : amount;
        const bool fresh = flowAt(src, to) == 0.0;
        removeFlow(src, from, amt);
        addFlow(src, to, amt);
        if (fresh) pushEntries(src, to);
        m_excess[from] -= amt;
        m_excess[to] += amt;
    };
    // Augment along the Dijkstra path first: every phase makes progress.
    {
        std::vector<std::uint32_t> nodes{target};
        while (predNode[nodes.back()] != kNone) nodes.push_back(predNode[nodes.back()]);
        std::reverse(nodes.begin(), nodes.end());
        const std::uint32_t s = nodes.front();
        double delta = std::min(m_excess[s], -m_excess[target]);
        for (std::size_t j = 1; j < nodes.size(); ++j) {
            const Entry* e = top(predHeap[nodes[j]], nodes[j - 1]);
            delta = std::min(delta, flowAt(e->src, nodes[j - 1]));
        }
        for (std::size_t j = 1; j < nodes.size(); ++j)
            moveTop(predHeap[nodes[j]], nodes[j - 1], nodes[j], delta);
        ++m_augmentations;
    }
    // Blocking flow over tight arcs (depth-first, current-arc pointers).
    std::fill(m_cur.begin(), m_cur.end(), 0u);
    std::fill(m_dead.begin(), m_dead.end(), 0);
    auto& stack = m_stack;
    auto& viaHeap = m_viaHeap;
    for (std::uint32_t s : sources) {
        while (m_excess[s] > m_epsExcess && !m_dead[s]) {
            stack.assign(1, s);
            viaHeap.clear();
            m_onPath[s] = 1;
            bool found = false;
            while (!stack.empty()) {
                const std::uint32_t k = stack.back();
                if (k != s && m_excess[k] < -m_epsExcess) {
                    found = true;
                    break;
                }
                bool advanced = false;
                while (m_cur[k] < m_adj[k].size()) {
                    const Link link = m_adj[k][m_cur[k]];
                    if (!m_onPath[link.to] && !m_dead[link.to]) {
                        const Entry* e = top(link.heap, k);
                        if (e && e->key + m_price[k] - m_price[link.to] <= epsRho) {
                            stack.push_back(link.to);
                            viaHeap.push_back(link.heap);
                            m_onPath[link.to] = 1;
                            advanced = true;
                            break;
                        }
                    }
                    ++m_cur[k];
                }
                if (advanced) continue;
                m_dead[k] = 1;
                m_onPath[k] = 0;
                stack.pop_back();
                if (!viaHeap.empty()) viaHeap.pop_back();
                if (!stack.empty()) ++m_cur[stack.back()];
            }
            for (std::uint32_t k : stack) m_onPath[k] = 0;
            if (!found) break;
            const std::uint32_t t = stack.back();
            double delta = std::min(m_excess[s], -m_excess[t]);
            for (std::size_t j = 1; j < stack.size(); ++j) {
                const Entry* e = top(viaHeap[j - 1], stack[j - 1]);
                delta = std::min(delta, flowAt(e->src, stack[j - 1]));
            }
            for (std::size_t j = 1; j < stack.size(); ++j)
                moveTop(viaHeap[j - 1], stack[j - 1], stack[j], delta);
            ++m_augmentations;
        }
    }
    return false;
}

bool TransportSolver::step(std::size_t maxPhases) {
    for (std::size_t i = 0; i < maxPhases && !m_finished; ++i)
        if (phase()) m_finished = true;
    return m_finished;
}

void TransportSolver::cancelSplitCycles() {
    // The split sources and their shares form a bipartite graph with sinks; while it has a
    // cycle, shift flow around it (cost-neutral: every arc on it is tight) until an arc empties.
    const std::size_t K = P().sinks();
    for (std::size_t guard = 0; guard < 100000; ++guard) {
        std::vector<std::uint32_t> split;
        for (const auto& [i, extra] : m_extra)
            if (!extra.empty()) split.push_back(i);
        std::sort(split.begin(), split.end());
        if (split.empty()) return;
        // Union-find over sinks [0, K) and split sources [K, K + |split|).
        const std::size_t nodes = K + split.size();
        std::vector<std::uint32_t> parent(nodes);
        std::iota(parent.begin(), parent.end(), 0u);
        std::function<std::uint32_t(std::uint32_t)> find = [&](std::uint32_t v) {
            while (parent[v] != v) v = parent[v] = parent[parent[v]];
            return v;
        };
        std::vector<std::vector<std::uint32_t>> tree(nodes);
        bool cycle = false;
        std::uint32_t cu = 0, cv = 0;
        for (std::size_t j = 0; j < split.size() && !cycle; ++j) {
            const auto node = static_cast<std::uint32_t>(K + j);
            std::vector<std::uint32_t> sinks{m_sink0[split[j]]};
            for (const SplitShare& s : m_extra[split[j]]) sinks.push_back(s.sink);
            std::sort(sinks.begin(), sinks.end());
            for (std::uint32_t k : sinks) {
                const std::uint32_t a = find(node), b = find(k);
                if (a == b) {
                    cycle = true, cu = node, cv = k;
                    break;
                }
                parent[a] = b;
                tree[node].push_back(k);
                tree[k].push_back(node);
            }
        }
        if (!cycle) return;
        // Path cv -> cu in the forest, closed by the edge (cu, cv).
        std::vector<std::uint32_t> prev(nodes, kNone), queue{cv};
        prev[cv] = cv;
        for (std::size_t q = 0; q < queue.size(); ++q)
            for (std::uint32_t w : tree[queue[q]])
                if (prev[w] == kNone) prev[w] = queue[q], queue.push_back(w);
        std::vector<std::uint32_t> path{cu};
        while (path.back() != cv) path.push_back(prev[path.back()]);
        // path: cu (source) ... cv (sink); the cycle continues cv -> cu. Walk it as
        // (source, sink-before, sink-after) triples; direction +: gain on sink-after.
        const std::size_t L = path.size();
        struct Step {
            std::uint32_t src, lose, gain;
        };
        std::vector<Step> steps;
        for (std::size_t j = 0; j < L; ++j)
            if (path[j] >= K) {
                const std::uint32_t src = split[path[j] - K];
                const std::uint32_t before = path[(j + L - 1) % L], after = path[(j + 1) % L];
                steps.push_back({src, before, after});
            }
        double dc = 0;
        for (const Step& s : steps) dc += arcCost(s.src, s.gain) - arcCost(s.src, s.lose);
        if (dc > 0)
            for (Step& s : steps) std::swap(s.lose, s.gain);
        double theta = kInfDist;
        for (const Step& s : steps) theta = std::min(theta, flowAt(s.src, s.lose));
        for (const Step& s : steps) {
            const double f = flowAt(s.src, s.lose);
            const double amt = f - theta <= m_dust ? f : theta;
            removeFlow(s.src, s.lose, amt);
            addFlow(s.src, s.gain, amt);
        }
    }
}

TransportSolution TransportSolver::take() {
    m_taken = true;
    TransportSolution out;
    const std::size_t n = P().sources();
    if (m_feasible) cancelSplitCycles();
    out.feasible = m_feasible;
    out.complete = !m_stoppedEarly;
    out.blocked = m_blocked;
    out.shortSinks = m_short;
    out.phases = m_phases;
    out.augmentations = m_augmentations;
    out.price = m_price;
    out.sink.assign(n, kNone);
    std::vector<std::uint32_t> split;
    for (const auto& [i, extra] : m_extra)
        if (!extra.empty()) split.push_back(i);
    std::sort(split.begin(), split.end());
    for (std::size_t i = 0; i < n; ++i) {
        const auto src = static_cast<std::uint32_t>(i);
        if (P().supply[i] > 0 || m_sink0[i] == kNone) {
            out.sink[i] = m_sink0[i];
            out.cost += m_amt0[i] * (m_sink0[i] == kNone ? 0.0 : arcCost(src, m_sink0[i]));
            continue;
        }
        // Weightless sources follow the final prices.
        std::uint32_t best = kNone;
        double bestV = 0;
        for (std::uint32_t a = P().arcStart[i]; a < P().arcStart[i + 1]; ++a) {
            const double v = P().arcCost[a] - m_price[P().arcSink[a]];
            if (best == kNone || v < bestV || (v == bestV && P().arcSink[a] < best))
                best = P().arcSink[a], bestV = v;
        }
        out.sink[i] = best;
    }
    for (std::uint32_t i : split) {
        std::vector<SplitShare> shares{{m_sink0[i], m_amt0[i]}};
        for (const SplitShare& s : m_extra[i]) {
            shares.push_back(s);
            out.cost += s.amount * arcCost(i, s.sink);
        }
        std::sort(shares.begin(), shares.end(),
                  [](const SplitShare& a, const SplitShare& b) { return a.sink < b.sink; });
        const SplitShare* best = &shares[0];
        for (const SplitShare& s : shares)
            if (s.amount > best->amount) best = &s;
        out.sink[i] = best->sink;
        out.splitSources.push_back(i);
        out.splitShares.push_back(std::move(shares));
    }
    return out;
}

namespace {
// The maximum flow behind checkTransportFeasible, on the problem as given.
TransportFeasibility maxFlowFeasible(const TransportProblem& p) {
    TransportFeasibility out;
    const std::size_t n = p.sources(), K = p.sinks();
    double total = 0, want = 0;
    for (double v : p.supply) total += std::max(0.0, v);
    for (double v : p.demand) want += std::max(0.0, v);
    const double eps = 1e-12 * std::max({total, want, 1e-300});
    // Feasible when every source's supply can be shipped (demands may add up to a little more
    // than the supply, from rounding or from sinks already full of fixed accounts).
    const double goal = std::min(total, want) - 1e-9 * std::max(total, want);
    // Greedy start: each source fills its arcs' sinks in order (nearest first) while they have
    // room. That often ships everything, and then no network is needed.
    const std::size_t arcs = p.arcSink.size();
    std::vector<double> room(K), arcFlow(arcs, 0.0), unsent(n, 0.0);
    for (std::size_t k = 0; k < K; ++k) room[k] = std::max(0.0, p.demand[k]);
    double flow = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double left = std::max(0.0, p.supply[i]);
        for (std::uint32_t a = p.arcStart[i]; a < p.arcStart[i + 1] && left > 0; ++a) {
            const double f = std::min(left, room[p.arcSink[a]]);
            if (f > 0) arcFlow[a] = f, left -= f, room[p.arcSink[a]] -= f, flow += f;
        }
        unsent[i] = left;
    }
    if (flow >= goal) return out;
    // Nodes: 0 the supply, 1..n sources, n+1..n+K sinks, n+K+1 the demand. Edges in pairs (e, mate).
    const std::size_t S = 0, T = n + K + 1, nodes = n + K + 2;
    std::vector<std::uint32_t> head(nodes + 1, 0), to;
    std::vector<double> cap;
    const std::size_t edges = 2 * (n + arcs + K);
    to.resize(edges), cap.resize(edges);
    // Count the edges of each node, then place them (CSR by tail).
    std::vector<std::uint32_t> deg(nodes, 0);
    deg[S] += static_cast<std::uint32_t>(n);
    for (std::size_t i = 0; i < n; ++i) deg[1 + i] += 1 + (p.arcStart[i + 1] - p.arcStart[i]);
    for (std::uint32_t k : p.arcSink) ++deg[1 + n + k];
    for (std::size_t k = 0; k < K; ++k) ++deg[1 + n + k], ++deg[T];
    for (std::size_t v = 0; v < nodes; ++v) head[v + 1] = head[v] + deg[v];
    std::vector<std::uint32_t> fill(head.begin(), head.end() - 1), mate(edges);
    // An edge a -> b with residual capacity `c` forwards and `back` backwards (the greedy flow).
    auto addEdge = [&](std::size_t a, std::size_t b, double c, double back) {
        const std::uint32_t e = fill[a]++, r = fill[b]++;
        to[e] = static_cast<std::uint32_t>(b), cap[e] = c, mate[e] = r;
        to[r] = static_cast<std::uint32_t>(a), cap[r] = back, mate[r] = e;
    };
    const double inf = 2 * std::max(total, want) + 1;
    for (std::size_t i = 0; i < n; ++i) {
        const double s = std::max(0.0, p.supply[i]);
        addEdge(S, 1 + i, unsent[i], s - unsent[i]);
        for (std::uint32_t a = p.arcStart[i]; a < p.arcStart[i + 1]; ++a)
            addEdge(1 + i, 1 + n + p.arcSink[a], inf - arcFlow[a], arcFlow[a]);
    }
    // Each sink's edge to the demand comes last among its edges (sources' arcs were placed first).
    for (std::size_t k = 0; k < K; ++k) addEdge(1 + n + k, T, room[k], std::max(0.0, p.demand[k]) - room[k]);
    std::vector<int> levelOf(nodes);
    std::vector<std::uint32_t> cur(nodes), queue, stack, via;
    queue.reserve(nodes);
    auto bfs = [&]() {
        std::fill(levelOf.begin(), levelOf.end(), -1);
        queue.assign(1, static_cast<std::uint32_t>(S));
        levelOf[S] = 0;
        for (std::size_t q = 0; q < queue.size(); ++q) {
            const std::uint32_t v = queue[q];
            for (std::uint32_t e = head[v]; e < head[v + 1]; ++e)
                if (cap[e] > eps && levelOf[to[e]] < 0) {
                    levelOf[to[e]] = levelOf[v] + 1;
                    queue.push_back(to[e]);
                }
        }
        return levelOf[T] >= 0;
    };
    while (flow < goal && bfs()) {
        for (std::size_t v = 0; v < nodes; ++v) cur[v] = head[v];
        // Blocking flow: depth-first along the levels, with current-edge pointers.
        for (;;) {
            stack.assign(1, static_cast<std::uint32_t>(S));
            via.clear();
            bool found = false;
            while (!stack.empty()) {
                const std::uint32_t v = stack.back();
                if (v == T) {
                    found = true;
                    break;
                }
                bool advanced = false;
                for (; cur[v] < head[v + 1]; ++cur[v]) {
                    const std::uint32_t e = cur[v];
                    if (cap[e] > eps && levelOf[to[e]] == levelOf[v] + 1) {
                        stack.push_back(to[e]);
                        via.push_back(e);
                        advanced = true;
                        break;
                    }
                }
                if (advanced) continue;
                levelOf[v] = -1; // dead end for this level graph
                stack.pop_back();
                if (!via.empty()) {
                    via.pop_back();
                    ++cur[stack.back()];
                }
            }
            if (!found) break;
            double d = inf;
            for (std::uint32_t e : via) d = std::min(d, cap[e]);
            for (std::uint32_t e : via) cap[e] -= d, cap[mate[e]] += d;
            flow += d;
        }
    }
    if (flow >= goal) return out;
    out.feasible = false;
    // The region the unplaced supply cannot leave: what the supply still reaches.
    bfs();
    out.trapped.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) out.trapped[i] = levelOf[1 + i] >= 0 ? 1 : 0;
    for (std::size_t k = 0; k < K; ++k) {
        if (levelOf[1 + n + k] >= 0) out.blocked.push_back(static_cast<std::uint32_t>(k));
        const std::uint32_t e = head[1 + n + k + 1] - 1; // the sink's edge to the demand (placed last)
        if (to[e] == T && cap[e] > eps) out.shortSinks.push_back(static_cast<std::uint32_t>(k));
    }
    return out;
}

} // namespace

// Sources with the same set of sinks are interchangeable for feasibility (flows split freely), so
// the maximum flow runs on one source per set, carrying their summed supply: with a few nearest
// territories per account, a hundred thousand accounts fall into a few thousand sets.
TransportFeasibility checkTransportFeasible(const TransportProblem& p) {
    const std::size_t n = p.sources();
    std::vector<std::uint32_t> group(n, 0), sorted, setStart(1, 0), setSinks;
    TransportProblem q;
    q.demand = p.demand;
    q.arcStart.assign(1, 0);
    // Open addressing on a hash of the sorted sink list; at most half full.
    int bits = 4;
    while ((std::size_t{1} << bits) < 2 * n + 2) ++bits;
    const std::size_t mask = (std::size_t{1} << bits) - 1;
    std::vector<std::uint32_t> table(mask + 1, 0); // group + 1; 0 = empty
    for (std::size_t i = 0; i < n; ++i) {
        sorted.assign(p.arcSink.begin() + p.arcStart[i], p.arcSink.begin() + p.arcStart[i + 1]);
        std::sort(sorted.begin(), sorted.end());
        sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
        std::uint64_t h = 0x9E3779B97F4A7C15ull ^ sorted.size();
        for (std::uint32_t k : sorted) h = (h ^ k) * 0x100000001B3ull, h ^= h >> 29;
        std::size_t slot = static_cast<std::size_t>((h * 0x9E3779B97F4A7C15ull) >> (64 - bits));
        for (;; slot = (slot + 1) & mask) {
            if (!table[slot]) {
                const auto g = static_cast<std::uint32_t>(q.supply.size());
                table[slot] = g + 1;
                q.supply.push_back(0.0);
                setSinks.insert(setSinks.end(), sorted.begin(), sorted.end());
                setStart.push_back(static_cast<std::uint32_t>(setSinks.size()));
                // The group's arcs in its first source's order (nearest first for the greedy start).
                for (std::uint32_t a = p.arcStart[i]; a < p.arcStart[i + 1]; ++a) {
                    const std::uint32_t k = p.arcSink[a];
                    if (std::find(q.arcSink.begin() + q.arcStart.back(), q.arcSink.end(), k) == q.arcSink.end())
                        q.arcSink.push_back(k), q.arcCost.push_back(0.0);
                }
                q.arcStart.push_back(static_cast<std::uint32_t>(q.arcSink.size()));
                break;
            }
            const std::uint32_t g = table[slot] - 1;
            if (setStart[g + 1] - setStart[g] == sorted.size() &&
                std::equal(sorted.begin(), sorted.end(), setSinks.begin() + setStart[g]))
                break;
        }
        group[i] = table[slot] - 1;
        q.supply[group[i]] += p.supply[i];
    }
    TransportFeasibility f = maxFlowFeasible(q);
    if (!f.feasible) {
        std::vector<std::uint8_t> trapped(n, 0);
        for (std::size_t i = 0; i < n; ++i) trapped[i] = f.trapped[group[i]];
        f.trapped = std::move(trapped);
    }
    return f;
}

TransportSolution solveTransport(const TransportProblem& problem, std::span<const double> warmPrice) {
    TransportSolver s(problem, warmPrice);
    while (!s.step(1 << 20)) {
    }
    return s.take();
}

} // namespace terrane::territory
