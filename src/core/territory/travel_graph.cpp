// The travel graph from the adjacency dataset, shortest paths, placement of accounts without
// coordinates, and the contiguity graph the optimiser uses.
//
//  [SECTION] paths        all-pairs shortest paths (Dijkstra per account)
//  [SECTION] reading      adjacency rows -> arcs, with row/column errors
//  [SECTION] placing      coordinates for accounts known only through the graph
//  [SECTION] site graph   the graph as the optimiser's SiteGraph
#include "core/territory/travel_graph.hpp"

#include "core/scenario/workspace.hpp"
#include "core/territory/problem.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

namespace terrane::territory {

// [SECTION] paths
namespace {

std::string sourceName(const Workspace& ws) {
    for (auto it = ws.sources.rbegin(); it != ws.sources.rend(); ++it)
        if (it->kind == DatasetKind::Adjacency) return it->name;
    return "adjacency";
}

void computePaths(TravelGraph& g) {
    const std::size_t n = g.accounts;
    g.paths.assign(n * n, std::numeric_limits<float>::infinity());
    std::vector<double> d(n);
    using Item = std::pair<double, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
    for (std::size_t s = 0; s < n; ++s) {
        float* row = g.paths.data() + s * n;
        row[s] = 0;
        if (!g.onGraph[s]) continue;
        std::fill(d.begin(), d.end(), std::numeric_limits<double>::infinity());
        d[s] = 0;
        q.push({0.0, static_cast<std::uint32_t>(s)});
        while (!q.empty()) {
            const auto [du, u] = q.top();
            q.pop();
            if (du > d[u]) continue;
            for (std::uint32_t e = g.start[u]; e < g.start[u + 1]; ++e) {
                const double nd = du + g.length[e];
                if (nd < d[g.to[e]]) d[g.to[e]] = nd, q.push({nd, g.to[e]});
            }
        }
        for (std::size_t j = 0; j < n; ++j) row[j] = static_cast<float>(d[j]);
    }
}

} // namespace

// [SECTION] reading
std::shared_ptr<const TravelGraph> travelGraphOf(const Workspace& ws) {
    const Table& t = ws.table(DatasetKind::Adjacency);
    if (t.rows() == 0) return nullptr;
    const Table& acc = ws.accounts();
    const std::string src = sourceName(ws);
    const int ca = t.indexOf("a"), cb = t.indexOf("b"), cd = t.indexOf("distance");
    if (ca < 0 || cb < 0) throw BalanceInputError(src + ": expected columns 'a' and 'b' (account ids)");
    auto g = std::make_shared<TravelGraph>();
    const std::size_t n = acc.rows();
    g->accounts = n;
    struct Arc {
        std::uint32_t a, b;
        double len;
    };
    std::vector<Arc> arcs;
    arcs.reserve(t.rows() * 2);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const std::string where = src + ": row " + std::to_string(r + 1) + ", column ";
        std::uint32_t ends[2];
        for (int side = 0; side < 2; ++side) {
            const int c = side == 0 ? ca : cb;
            const std::string_view id = t.str(c, r);
            const auto row = acc.rowOf(id);
            if (!row)
                throw BalanceInputError(where + "'" + (side == 0 ? "a" : "b") + "': expected an account id, got '" +
                                        std::string(id) + "' (not in the accounts)");
            ends[side] = static_cast<std::uint32_t>(*row);
        }
        double len = 1.0;
        if (cd >= 0 && !t.column(static_cast<std::size_t>(cd)).isNull(r)) {
            len = t.f64(cd, r);
            if (!(len >= 0) || !std::isfinite(len))
                throw BalanceInputError(where + "'distance': expected a distance of 0 or more");
        }
        if (ends[0] == ends[1])
            throw BalanceInputError(where + "'b': expected another account than column 'a' (an edge joins two accounts)");
        arcs.push_back({ends[0], ends[1], len});
        arcs.push_back({ends[1], ends[0], len});
    }
    // Parallel edges keep the shortest length.
    std::sort(arcs.begin(), arcs.end(), [](const Arc& x, const Arc& y) {
        return x.a != y.a ? x.a < y.a : x.b != y.b ? x.b < y.b : x.len < y.len;
    });
    arcs.erase(std::unique(arcs.begin(), arcs.end(), [](const Arc& x, const Arc& y) { return x.a == y.a && x.b == y.b; }),
               arcs.end());
    g->start.assign(n + 1, 0);
    g->onGraph.assign(n, 0);
    for (const Arc& e : arcs) ++g->start[e.a + 1], g->onGraph[e.a] = 1;
    for (std::size_t i = 0; i < n; ++i) g->start[i + 1] += g->start[i];
    for (const Arc& e : arcs) g->to.push_back(e.b), g->length.push_back(e.len);
    g->edges = arcs.size() / 2;
    std::size_t on = 0;
    for (std::uint8_t o : g->onGraph) on += o;
    if (on <= kMaxPathAccounts) computePaths(*g);
    return g;
}

// [SECTION] placing
std::size_t placeOnGraph(const TravelGraph& g, std::vector<double>& x, std::vector<double>& y) {
    std::size_t placed = 0;
    std::vector<std::uint32_t> unplaced;
    for (std::uint32_t i = 0; i < g.accounts; ++i)
        if (g.onGraph[i] && std::isnan(x[i])) unplaced.push_back(i);
    while (!unplaced.empty()) {
        std::vector<std::uint32_t> rest;
        std::vector<std::pair<std::uint32_t, std::pair<double, double>>> found;
        for (std::uint32_t i : unplaced) {
            double sx = 0, sy = 0;
            int c = 0;
            for (std::uint32_t e = g.start[i]; e < g.start[i + 1]; ++e)
                if (!std::isnan(x[g.to[e]])) sx += x[g.to[e]], sy += y[g.to[e]], ++c;
            if (c > 0) found.push_back({i, {sx / c, sy / c}});
            else rest.push_back(i);
        }
        if (found.empty()) break; // a part of the graph with no located account
        for (const auto& [i, p] : found) x[i] = p.first, y[i] = p.second;
        placed += found.size();
        unplaced.swap(rest);
    }
    return placed;
}

// [SECTION] site graph
SiteGraph contiguityGraph(const BalanceProblem& p) {
    if (!p.travel) return buildSiteGraph(p.geo.x(), p.geo.y());
    const TravelGraph& t = *p.travel;
    SiteGraph g;
    g.ccwRings = false;
    const std::size_t n = p.accounts;
    g.siteOf.assign(n, kNoSite);
    g.accountStart.push_back(0);
    for (std::uint32_t i = 0; i < n; ++i)
        if (p.geo.placed(i)) {
            g.siteOf[i] = static_cast<std::uint32_t>(g.accounts.size());
            g.accounts.push_back(i);
            g.accountStart.push_back(static_cast<std::uint32_t>(g.accounts.size()));
        }
    g.adjStart.push_back(0);
    for (std::uint32_t i : g.accounts) {
        for (std::uint32_t e = t.start[i]; e < t.start[i + 1]; ++e)
            if (g.siteOf[t.to[e]] != kNoSite) g.adj.push_back(g.siteOf[t.to[e]]);
        g.adjStart.push_back(static_cast<std::uint32_t>(g.adj.size()));
    }
    g.ringClosed.assign(g.accounts.size(), 0);
    return g;
}

double accountDistance(const BalanceProblem& p, std::size_t i, std::size_t j) {
    if (p.travel && p.travel->hasPaths()) return p.travel->path(i, j);
    return p.geo.distanceBetween(i, j);
}

} // namespace terrane::territory
