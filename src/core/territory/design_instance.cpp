// Generator of planar territory-design instances (see design_instance.hpp).
#include "core/territory/design_instance.hpp"

#include "core/base/rng.hpp"
#include "core/territory/delaunay.hpp"

#include <cmath>
#include <cstdio>

namespace terrane::territory {

DesignInstance generateDesignInstance(std::size_t units, std::uint64_t seed) {
    DesignInstance d;
    Rng r(seed, 0x7e1a2b3c4d5e6f70ULL);
    for (std::size_t i = 0; i < units; ++i) {
        d.x.push_back(std::floor(r.uniform(0, 1000) * 1000) / 1000);
        d.y.push_back(std::floor(r.uniform(0, 1000) * 1000) / 1000);
        d.a1.push_back(std::floor(r.uniform(4, 21)));
        d.a2.push_back(std::floor(r.uniform(15, 401)));
        d.a3.push_back(std::floor(r.uniform(15, 101)));
    }
    const SiteGraph g = buildSiteGraph(d.x, d.y);
    for (std::uint32_t s = 0; s < g.siteCount(); ++s)
        for (std::uint32_t t : g.neighbours(s))
            if (s < t)
                for (std::uint32_t i : g.accountsAt(s))
                    for (std::uint32_t j : g.accountsAt(t)) {
                        d.edgeA.push_back(std::min(i, j)), d.edgeB.push_back(std::max(i, j));
                        const double dx = d.x[i] - d.x[j], dy = d.y[i] - d.y[j];
                        d.length.push_back(std::sqrt(dx * dx + dy * dy));
                    }
    return d;
}

namespace {
std::string unitId(std::size_t i) {
    char b[16];
    std::snprintf(b, sizeof b, "U%04zu", i + 1);
    return b;
}
} // namespace

std::string designAccountsCsv(const DesignInstance& d) {
    std::string out = "account_id,x,y,a1,a2,a3\n";
    char b[160];
    for (std::size_t i = 0; i < d.x.size(); ++i) {
        std::snprintf(b, sizeof b, "%s,%.3f,%.3f,%.0f,%.0f,%.0f\n", unitId(i).c_str(), d.x[i], d.y[i], d.a1[i], d.a2[i], d.a3[i]);
        out += b;
    }
    return out;
}

std::string designEdgesCsv(const DesignInstance& d) {
    std::string out = "a,b,distance\n";
    char b[96];
    for (std::size_t e = 0; e < d.edgeA.size(); ++e) {
        std::snprintf(b, sizeof b, "%s,%s,%.6f\n", unitId(d.edgeA[e]).c_str(), unitId(d.edgeB[e]).c_str(), d.length[e]);
        out += b;
    }
    return out;
}

} // namespace terrane::territory
