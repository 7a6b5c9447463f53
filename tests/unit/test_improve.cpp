// Compactness objectives, the anytime improver, its lower bound, the exact diameter search and the
// travel graph (adjacency dataset) on generated planar territory-design instances.
#include "core/territory/design_instance.hpp"
#include "core/territory/exact_diameter.hpp"
#include "core/territory/improve.hpp"
#include "core/territory/optimiser.hpp"
#include "core/territory/planning.hpp"
#include "core/territory/travel_graph.hpp"
#include "core/scenario/workspace.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

using namespace terrane;
using namespace terrane::territory;

// The instance as a workspace: accounts with x, y, a1..a3 and the Delaunay edges as the adjacency
// dataset (`dropEdges` leaves that many edges out, `unplaced` accounts lose their coordinates).
Workspace designWorkspace(const DesignInstance& d, std::size_t unplaced = 0) {
    Workspace ws;
    Table& acc = ws.accounts();
    const std::size_t n = d.x.size();
    acc.resize(n);
    Column& x = acc.addColumn("x", ColumnType::F64);
    Column& y = acc.addColumn("y", ColumnType::F64);
    Column* a[3] = {&acc.addColumn("a1", ColumnType::F64), &acc.addColumn("a2", ColumnType::F64),
                    &acc.addColumn("a3", ColumnType::F64)};
    Column& id = *acc.find("account_id");
    for (std::size_t i = 0; i < n; ++i) {
        char b[16];
        std::snprintf(b, sizeof b, "U%04zu", i + 1);
        id.ids()[i] = ws.pool->intern(b);
        x.f64()[i] = i < unplaced ? std::nan("") : d.x[i];
        y.f64()[i] = i < unplaced ? std::nan("") : d.y[i];
        a[0]->f64()[i] = d.a1[i], a[1]->f64()[i] = d.a2[i], a[2]->f64()[i] = d.a3[i];
    }
    Table& e = ws.table(DatasetKind::Adjacency);
    e.resize(d.edgeA.size());
    const int ca = e.indexOf("a"), cb = e.indexOf("b"), cd = e.indexOf("distance");
    for (std::size_t r = 0; r < d.edgeA.size(); ++r) {
        e.column(static_cast<std::size_t>(ca)).ids()[r] = id.ids()[d.edgeA[r]];
        e.column(static_cast<std::size_t>(cb)).ids()[r] = id.ids()[d.edgeB[r]];
        e.column(static_cast<std::size_t>(cd)).f64()[r] = d.length[r];
    }
    ws.rebuildBaseline();
    return ws;
}

BalanceOptions designOptions(double tol = 0.05) {
    BalanceOptions o;
    o.coords = CoordSystem::Planar;
    o.contiguous = true;
    o.compactness = Compactness::Diameter;
    o.metrics = {{"a1", tol}, {"a2", tol}, {"a3", tol}};
    return o;
}

std::shared_ptr<const BalanceProblem> problemOf(const Workspace& ws, std::size_t K, const BalanceOptions& o) {
    const Scenario sc = freshScenario(ws, K, std::vector<std::uint8_t>(ws.accounts().rows(), 0));
    return std::make_shared<const BalanceProblem>(makeBalanceProblem(ws, sc, o));
}

// The instance as `terrane instance` writes it (3 decimals for coordinates, 6 for distances) and
// `terrane balance` reads it back: the plan below is then the one the CLI gives on those files.
DesignInstance asWritten(const DesignInstance& d) {
    DesignInstance r;
    const std::string acc = designAccountsCsv(d), edges = designEdgesCsv(d);
    for (std::size_t at = acc.find('\n') + 1; at < acc.size(); at = acc.find('\n', at) + 1) {
        char* q = const_cast<char*>(acc.c_str()) + acc.find(',', at) + 1;
        for (std::vector<double>* v : {&r.x, &r.y, &r.a1, &r.a2, &r.a3}) v->push_back(std::strtod(q, &q)), ++q;
    }
    for (std::size_t at = edges.find('\n') + 1; at < edges.size(); at = edges.find('\n', at) + 1) {
        char* q = const_cast<char*>(edges.c_str()) + at + 1; // after the 'U'
        r.edgeA.push_back(static_cast<std::uint32_t>(std::strtoul(q, &q, 10) - 1)), q += 2;
        r.edgeB.push_back(static_cast<std::uint32_t>(std::strtoul(q, &q, 10) - 1)), ++q;
        r.length.push_back(std::strtod(q, &q));
    }
    return r;
}

// FNV-1a (32 bits) over the plan's "account_id,territory" lines: tests/browser/optimise.test.mjs
// checks the same value for the plan the CLI writes, natively and in WebAssembly.
std::uint32_t planHash(const BalanceProblem& p, const std::vector<std::int32_t>& a) {
    std::uint32_t h = 2166136261u;
    for (std::size_t i = 0; i < p.accounts; ++i) {
        const std::string line = std::string(p.accountName(i)) + "," + (a[i] >= 0 ? p.territoryId[static_cast<std::size_t>(a[i])] : "") + "\n";
        for (unsigned char c : line) h = (h ^ c) * 16777619u;
    }
    return h;
}

bool insideBands(const BalanceProblem& p, const std::vector<std::int32_t>& a) {
    std::vector<double> load(p.K() * p.M(), 0);
    for (std::size_t i = 0; i < p.accounts; ++i)
        if (a[i] >= 0)
            for (std::size_t m = 0; m < p.M(); ++m) load[static_cast<std::size_t>(a[i]) * p.M() + m] += p.balanceValue(i, m);
    for (std::size_t k = 0; k < p.K(); ++k)
        for (std::size_t m = 0; m < p.M(); ++m)
            if (std::fabs(load[k * p.M() + m] - p.targetOf(k, m)) > p.tolerance[m] * p.targetOf(k, m) + 1e-9) return false;
    return true;
}

} // namespace

TEST_CASE("improver: feasible, contiguous plans whose diameter does not grow with iterations") {
    const Workspace ws = designWorkspace(generateDesignInstance(300, 5));
    BalanceOptions o = designOptions();
    const auto p = problemOf(ws, 6, o);
    REQUIRE(p->travel);
    CHECK(p->travel->hasPaths());
    double last = 1e300, first = 0;
    for (std::uint64_t it : {0ULL, 20000ULL, 80000ULL}) {
        o.improveIterations = it;
        const BalanceResult r = optimise(p, o);
        CHECK(r.feasible);
        CHECK(r.figures.contiguous);
        CHECK(insideBands(*p, r.assignment));
        if (it == 0) first = r.objective;
        CHECK(r.objective <= last + 1e-9);
        CHECK(r.objective >= r.lowerBound.value - 1e-9);
        last = r.objective;
    }
    CHECK(last < first); // 80k moves shorten the widest territory
}

TEST_CASE("improver: the same seed and iteration budget give the same plan") {
    const Workspace ws = designWorkspace(generateDesignInstance(200, 9));
    BalanceOptions o = designOptions();
    o.improveIterations = 15000;
    const auto p = problemOf(ws, 5, o);
    const BalanceResult a = optimise(p, o), b = optimise(p, o);
    CHECK(a.assignment == b.assignment);
    CHECK(a.objective == b.objective);
    o.compactness = Compactness::Distance;
    const BalanceResult c = optimise(p, o), d = optimise(p, o);
    CHECK(c.assignment == d.assignment);
    CHECK(c.figures.weightedMeanDistance <= c.firstObjective + 1e-9);
    CHECK_FALSE(c.lowerBound.known); // no cheap bound for the centroid distance
}

// `terrane instance --units 200 --seed 4`, then `terrane balance ... --territories 5 --contiguous
// --compactness diameter --balance a1:0.05 --balance a2:0.05 --balance a3:0.05 --seed 5
// --iterations 30000`: any change of the improver's moves changes this pin (update it here and in
// tests/browser/optimise.test.mjs together, after checking that native and wasm still agree).
TEST_CASE("improver: the pinned plan for a seed and iteration budget (same in wasm)") {
    const Workspace ws = designWorkspace(asWritten(generateDesignInstance(200, 4)));
    BalanceOptions o = designOptions();
    o.seed = 5;
    o.improveIterations = 30000;
    const auto p = problemOf(ws, 5, o);
    const BalanceResult r = optimise(p, o);
    CHECK(r.feasible);
    CHECK(r.objective < r.firstObjective);
    CHECK(planHash(*p, r.assignment) == 0xa2802ba0u);
}

TEST_CASE("exact diameter search agrees with the improver on tiny instances and never loses to it") {
    for (std::uint64_t seed : {1ULL, 2ULL, 3ULL}) {
        const Workspace ws = designWorkspace(generateDesignInstance(14, seed));
        BalanceOptions o = designOptions(0.25);
        o.improveIterations = 20000;
        const auto p = problemOf(ws, 2, o);
        const SiteGraph g = contiguityGraph(*p);
        const BalanceResult h = optimise(p, o);
        const ExactDiameterResult plain = exactMinDiameter(*p, g, true);
        const ExactDiameterResult warm = exactMinDiameter(*p, g, true, 500000000ULL, &h.assignment);
        CHECK(plain.optimal);
        CHECK(warm.optimal);
        if (plain.assignment.empty()) continue;
        CHECK(plain.diameter == doctest::Approx(warm.diameter));
        CHECK(insideBands(*p, plain.assignment));
        if (h.feasible) {
            CHECK(plain.diameter <= h.objective + 1e-9);
            CHECK(h.objective <= plain.diameter * 1.05 + 1e-9); // the improver finds (nearly) the optimum
        }
        CHECK(plain.diameter >= h.lowerBound.value - 1e-9);
    }
}

TEST_CASE("travel graph: contiguity and diameters follow it, accounts without coordinates join") {
    const DesignInstance d = generateDesignInstance(120, 4);
    const Workspace ws = designWorkspace(d, 3);
    BalanceOptions o = designOptions(0.1);
    const auto p = problemOf(ws, 4, o);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(p->geo.placed(i)); // placed by their graph neighbours
        CHECK(p->fixed[i] == Fixed::Free);
    }
    const SiteGraph g = contiguityGraph(*p);
    CHECK_FALSE(g.ccwRings);
    CHECK(g.edgeCount() == d.edgeA.size());
    // A path is never shorter than the straight line between its ends (edges are Euclidean).
    CHECK(p->travel->path(10, 50) >= std::hypot(d.x[10] - d.x[50], d.y[10] - d.y[50]) - 1e-3);
    o.improveIterations = 5000;
    const BalanceResult r = optimise(p, o);
    CHECK(r.feasible);
    CHECK(r.assignment[0] >= 0);
}

TEST_CASE("travel graph: errors name the file, row and column") {
    Workspace ws = designWorkspace(generateDesignInstance(10, 1));
    ws.sources.push_back({DatasetKind::Adjacency, "roads.csv"});
    Table& e = ws.table(DatasetKind::Adjacency);
    auto& b = e.column(static_cast<std::size_t>(e.indexOf("b")));
    const std::uint32_t keep = b.ids()[2];
    b.ids()[2] = ws.pool->intern("NOPE");
    CHECK_THROWS_WITH_AS(travelGraphOf(ws), "roads.csv: row 3, column 'b': expected an account id, got 'NOPE' (not in the accounts)",
                         BalanceInputError);
    b.ids()[2] = keep;
    auto& dist = e.column(static_cast<std::size_t>(e.indexOf("distance")));
    dist.f64()[4] = -2;
    CHECK_THROWS_WITH_AS(travelGraphOf(ws), "roads.csv: row 5, column 'distance': expected a distance of 0 or more",
                         BalanceInputError);
    dist.f64()[4] = 1;
    b.ids()[0] = e.column(static_cast<std::size_t>(e.indexOf("a"))).ids()[0];
    CHECK_THROWS_WITH_AS(travelGraphOf(ws), doctest::Contains("row 1, column 'b'"), BalanceInputError);
}
