#include "core/base/rng.hpp"
#include "core/territory/delaunay.hpp"
#include "core/territory/geometry.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace terrane;
using namespace terrane::territory;

namespace {

// Checks a triangulation of distinct integer points: counter-clockwise triangles, the empty
// circumcircle property against every point, every edge shared by at most two triangles, and
// Euler's count 2n - 2 - h.
void checkDelaunay(const std::vector<std::int64_t>& x, const std::vector<std::int64_t>& y) {
    const Triangulation t = delaunay(x, y);
    REQUIRE_FALSE(t.collinear);
    const std::size_t n = x.size(), T = t.triangles.size() / 3;
    std::map<std::pair<std::uint32_t, std::uint32_t>, int> edges;
    for (std::size_t j = 0; j < T; ++j) {
        const std::uint32_t a = t.triangles[3 * j], b = t.triangles[3 * j + 1], c = t.triangles[3 * j + 2];
        REQUIRE(orient2d(x[a], y[a], x[b], y[b], x[c], y[c]) > 0);
        for (std::size_t q = 0; q < n; ++q) {
            if (q == a || q == b || q == c) continue;
            REQUIRE(inCircle(x[a], y[a], x[b], y[b], x[c], y[c], x[q], y[q]) <= 0);
        }
        ++edges[{a, b}], ++edges[{b, c}], ++edges[{c, a}];
    }
    std::size_t hullEdges = 0;
    for (const auto& [e, count] : edges) {
        CHECK(count == 1); // each directed edge once
        if (!edges.count({e.second, e.first})) ++hullEdges;
    }
    // Hull vertices = hull edges (with collinear hull points kept as vertices).
    CHECK(T == 2 * n - 2 - hullEdges);
}

} // namespace

TEST_CASE("exact predicates decide collinear and cocircular points") {
    CHECK(orient2d(0, 0, 10, 0, 5, 5) == 1);
    CHECK(orient2d(0, 0, 10, 0, 5, -5) == -1);
    CHECK(orient2d(0, 0, 10, 10, 100000000, 100000000) == 0);
    // The four corners of a square are cocircular.
    CHECK(inCircle(0, 0, 10, 0, 10, 10, 0, 10) == 0);
    CHECK(inCircle(0, 0, 10, 0, 10, 10, 5, 5) == 1);
    CHECK(inCircle(0, 0, 10, 0, 10, 10, 20, 20) == -1);
    // Large coordinates near the limit stay exact.
    const std::int64_t B = (std::int64_t(1) << 27) - 1;
    CHECK(inCircle(-B, -B, B, -B, B, B, -B, B) == 0);
    CHECK(inCircle(-B, -B, B, -B, B, B, -B, B - 1) == 1);
}

TEST_CASE("Delaunay triangulation of random points has empty circumcircles") {
    Rng rng(11);
    std::vector<std::int64_t> x, y;
    std::set<std::pair<std::int64_t, std::int64_t>> seen;
    while (x.size() < 700) {
        const auto px = static_cast<std::int64_t>(rng.below(1 << 20)),
                   py = static_cast<std::int64_t>(rng.below(1 << 20));
        if (seen.insert({px, py}).second) x.push_back(px), y.push_back(py);
    }
    checkDelaunay(x, y);
}

TEST_CASE("Delaunay triangulation of degenerate inputs: lattice, circle with centre, collinear runs") {
    SUBCASE("lattice (every square cocircular)") {
        std::vector<std::int64_t> x, y;
        for (int i = 0; i < 18; ++i)
            for (int j = 0; j < 18; ++j) x.push_back(i * 1000), y.push_back(j * 1000);
        checkDelaunay(x, y);
    }
    SUBCASE("points on a circle plus its centre") {
        // Pythagorean points on the circle of radius 5^4 = 625 are exactly cocircular.
        std::vector<std::int64_t> x{0}, y{0};
        for (std::int64_t a = -625; a <= 625; ++a)
            for (std::int64_t b : {-625, 625}) {
                const std::int64_t r2 = 625 * 625 - a * a;
                const auto s = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(r2))));
                if (s * s == r2) {
                    x.push_back(a), y.push_back(b > 0 ? s : -s);
                    if (s == 0) break;
                }
            }
        std::set<std::pair<std::int64_t, std::int64_t>> uniq;
        std::vector<std::int64_t> ux, uy;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (uniq.insert({x[i], y[i]}).second) ux.push_back(x[i]), uy.push_back(y[i]);
        REQUIRE(ux.size() > 10);
        checkDelaunay(ux, uy);
    }
    SUBCASE("collinear runs on the hull and inside") {
        std::vector<std::int64_t> x, y;
        for (int i = 0; i < 40; ++i) x.push_back(i * 7), y.push_back(0);
        for (int i = 0; i < 40; ++i) x.push_back(i * 7), y.push_back(300);
        for (int i = 1; i < 30; ++i) x.push_back(140), y.push_back(i * 10);
        checkDelaunay(x, y);
    }
    SUBCASE("all on one line") {
        std::vector<std::int64_t> x{0, 5, 10, 15}, y{0, 5, 10, 15};
        CHECK(delaunay(x, y).collinear);
    }
}

TEST_CASE("the site graph merges duplicate locations and orders neighbours counter-clockwise") {
    Rng rng(5);
    std::vector<double> x, y;
    for (int i = 0; i < 400; ++i) {
        x.push_back(rng.uniform(0, 100));
        y.push_back(rng.uniform(0, 100));
    }
    // Many accounts at a few shared centroids (a ZIP code each).
    for (int i = 0; i < 300; ++i) {
        x.push_back(x[static_cast<std::size_t>(i % 7)]);
        y.push_back(y[static_cast<std::size_t>(i % 7)]);
    }
    x.push_back(std::nan(""));
    y.push_back(5);
    const SiteGraph g = buildSiteGraph(x, y);
    CHECK(g.siteCount() == 400);
    CHECK(g.siteOf.back() == kNoSite);
    for (int i = 0; i < 300; ++i)
        CHECK(g.siteOf[400 + static_cast<std::size_t>(i)] == g.siteOf[static_cast<std::size_t>(i % 7)]);
    CHECK(g.accountsAt(g.siteOf[0]).size() == 1 + 300 / 7 + (300 % 7 > 0 ? 1 : 0));
    std::size_t closed = 0;
    for (std::uint32_t s = 0; s < g.siteCount(); ++s) {
        const auto nb = g.neighbours(s);
        REQUIRE(nb.size() >= 2);
        const std::uint32_t a0 = g.accountsAt(s)[0];
        for (std::size_t j = 0; j + 1 < nb.size() + (g.ringClosed[s] ? 1 : 0); ++j) {
            const std::uint32_t b = g.accountsAt(nb[j])[0], c = g.accountsAt(nb[(j + 1) % nb.size()])[0];
            const double o = (x[b] - x[a0]) * (y[c] - y[a0]) - (y[b] - y[a0]) * (x[c] - x[a0]);
            CHECK(o > 0);
        }
        // Symmetric adjacency.
        for (std::uint32_t t : nb) {
            const auto back = g.neighbours(t);
            CHECK(std::find(back.begin(), back.end(), s) != back.end());
        }
        closed += g.ringClosed[s];
    }
    CHECK(closed > 300);
}

TEST_CASE("portable great-circle distance matches the haversine formula") {
    CHECK(detGreatCircleKm(40.7128, -74.0060, 51.5074, -0.1278) == doctest::Approx(5570.2).epsilon(0.001));
    CHECK(detGreatCircleKm(0, 0, 0, 1) == doctest::Approx(111.195).epsilon(1e-4));
    CHECK(detGreatCircleKm(10, 10, 10, 10) == 0.0);
    CHECK(detAtan(1.0) == doctest::Approx(0.7853981633974483).epsilon(1e-15));
    CHECK(detAsin(0.5) == doctest::Approx(0.5235987755982989).epsilon(1e-15));
}
