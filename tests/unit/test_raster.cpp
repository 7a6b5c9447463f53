#include "core/geo/raster.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <vector>

using namespace terrane;

namespace {

float centreDistance2(int x, int y, double sx, double sy) {
    const double dx = x + 0.5 - sx, dy = y + 0.5 - sy;
    return static_cast<float>(dx * dx + dy * dy);
}

} // namespace

TEST_CASE("nearest seeds split a grid at the perpendicular bisector") {
    // Seeds at the centres of cells (4, 10) and (15, 10): the bisector is x = 10.
    NearestSeedRaster r(20, 20);
    r.seed(4.5, 10.5, 1.0f, 7);
    r.seed(15.5, 10.5, 1.0f, 9);
    r.propagate();
    CHECK(r.label(4, 10) == 7);
    CHECK(r.label(15, 10) == 9);
    CHECK(r.distance2(4, 10) == 0.0f);
    CHECK(r.label(9, 0) == 7);   // centre x = 9.5: nearer the first seed
    CHECK(r.label(10, 19) == 9); // centre x = 10.5: nearer the second
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 20; ++x) REQUIRE(r.label(x, y) == (x < 10 ? 7 : 9));
    // Every cell has the exact squared distance from its centre to its seed's point.
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 20; ++x) {
            if ((x == 4 || x == 15) && y == 10) continue; // seeded cells: 0
            const bool first = r.label(x, y) == 7;
            CHECK(r.distance2(x, y) ==
                  doctest::Approx(centreDistance2(x, y, first ? 4.5 : 15.5, 10.5)).epsilon(1e-6));
        }
}

TEST_CASE("nearest seeds: the heaviest seed of a cell decides, the first of equals wins") {
    NearestSeedRaster r(8, 8);
    r.seed(3.2, 3.2, 2.0f, 1);
    r.seed(3.7, 3.7, 5.0f, 2);  // same cell, heavier
    r.seed(3.5, 3.5, 5.0f, 3);  // same cell, not heavier
    r.seed(-0.1, 2.0, 9.0f, 4); // off the grid
    r.seed(8.0, 2.0, 9.0f, 5);  // off the grid (x == w)
    r.propagate();
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) REQUIRE(r.label(x, y) == 2);
    // Distances are measured to the winning seed's point, not the cell's centre.
    CHECK(r.distance2(0, 0) == doctest::Approx(centreDistance2(0, 0, 3.7, 3.7)));
}

TEST_CASE("nearest seeds: cells beyond a distance stay unlabelled, and a grid without seeds has none") {
    NearestSeedRaster r(30, 5);
    r.seed(0.5, 2.5, 1.0f, -1); // an unassigned account is a label like any other
    r.propagate();
    CHECK(r.label(29, 2) == -1);
    CHECK(r.distance2(29, 2) == doctest::Approx(29.0f * 29.0f));
    const float max2 = 10.0f * 10.0f;
    CHECK(r.labelWithin(10, 2, max2) == -1); // 10 cells away
    CHECK(r.labelWithin(11, 2, max2) == NearestSeedRaster::kNone);
    CHECK(r.labelWithin(29, 0, max2) == NearestSeedRaster::kNone);

    NearestSeedRaster empty(6, 4);
    empty.propagate();
    for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 6; ++x) {
            CHECK(empty.label(x, y) == NearestSeedRaster::kNone);
            CHECK(empty.labelWithin(x, y, 1e20f) == NearestSeedRaster::kNone);
        }
}

TEST_CASE("box blur keeps the mass of a centred impulse and spreads it symmetrically") {
    const int w = 41, h = 41, c = 20;
    std::vector<double> g(static_cast<std::size_t>(w) * h, 0.0);
    g[static_cast<std::size_t>(c) * w + c] = 1000.0;
    boxBlur3(g, w, h, 3);
    const auto at = [&](int x, int y) { return g[static_cast<std::size_t>(y) * w + x]; };
    CHECK(std::accumulate(g.begin(), g.end(), 0.0) == doctest::Approx(1000.0).epsilon(1e-12));
    CHECK(at(c, c) < 1000.0 * 0.05); // spread: three passes of a 7-wide box
    CHECK(at(c, c) > at(c + 1, c));
    CHECK(at(c + 10, c) == doctest::Approx(0.0)); // beyond 3r
    CHECK(at(c + 9, c + 9) > 0.0);                // the corner of the 3r box: 1/7^6 of the mass
    for (int dy = 0; dy <= 10; ++dy)
        for (int dx = 0; dx <= 10; ++dx) {
            const double v = at(c + dx, c + dy);
            CHECK(at(c - dx, c + dy) == doctest::Approx(v));
            CHECK(at(c + dx, c - dy) == doctest::Approx(v));
            CHECK(at(c - dx, c - dy) == doctest::Approx(v));
            CHECK(at(c + dy, c + dx) == doctest::Approx(v)); // across the diagonal too
        }
}

TEST_CASE("box blur of radius 1 keeps a constant field constant away from the borders") {
    const int w = 16, h = 12;
    std::vector<double> g(static_cast<std::size_t>(w) * h, 2.5);
    boxBlur3(g, w, h, 1);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const double v = g[static_cast<std::size_t>(y) * w + x];
            if (x >= 3 && y >= 3 && x < w - 3 && y < h - 3)
                CHECK(v == doctest::Approx(2.5));
            else
                CHECK(v < 2.5); // the zero beyond the border bleeds in
        }
    // A corner cell: the first pass across alone leaves 2/3 of it.
    CHECK(g[0] < 2.5 * 2.0 / 3.0);
}
