#include "core/territory/geometry.hpp"

#include "core/base/rng.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace terrane::territory {

namespace {
constexpr double kHalfPi = 1.57079632679489661923;

double wrapDegrees(double d) {
    while (d >= 180.0) d -= 360.0;
    while (d < -180.0) d += 360.0;
    return d;
}

struct Unit {
    double x, y, z;
};

// From the cosine and sine of the latitude and of the longitude.
Unit unitVector(double cosLat, double sinLat, double cosLon, double sinLon) {
    return {cosLat * cosLon, cosLat * sinLon, sinLat};
}
Unit unitVector(double lat, double lon) {
    return unitVector(detCosDeg(lat), detSinDeg(lat), detCosDeg(lon), detSinDeg(lon));
}

// Sinusoidal projection: x from the longitude off the central meridian and the latitude's cosine.
double projectedX(double lon, double lon0, double cosLat) {
    return kKmPerDegree * wrapDegrees(lon - lon0) * cosLat;
}

// Cosine and sine of angles in degrees, kept per distinct angle in a direct-mapped table: accounts
// often share a place (geocoded to postcode centroids: a million accounts on ~30k places), so each
// place's trigonometry is worked out once. The values are detCosDeg/detSinDeg's own.
class TrigCache {
  public:
    // A table of about `angles` slots (64 to 65,536).
    explicit TrigCache(std::size_t angles)
        : m_bits(std::clamp(static_cast<int>(std::bit_width(angles)), 6, 16)), m_key(std::size_t{1} << m_bits, ~std::uint64_t{0}),
          m_cos(std::size_t{1} << m_bits), m_sin(std::size_t{1} << m_bits) {}
    void get(double degrees, double& c, double& s) {
        std::uint64_t bits;
        std::memcpy(&bits, &degrees, sizeof bits);
        const auto slot = static_cast<std::size_t>((bits * 0x9E3779B97F4A7C15ULL) >> (64 - m_bits));
        if (m_key[slot] != bits) {
            m_key[slot] = bits;
            m_cos[slot] = detCosDeg(degrees);
            m_sin[slot] = detSinDeg(degrees);
        }
        c = m_cos[slot], s = m_sin[slot];
    }

  private:
    int m_bits;
    std::vector<std::uint64_t> m_key; // empty slots hold a NaN pattern: never the bits of an angle in range
    std::vector<double> m_cos, m_sin;
};

double arcKm(const Unit& a, const Unit& b) {
    const double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
    const double chord = std::sqrt(dx * dx + dy * dy + dz * dz);
    return kEarthRadiusKm * 2.0 * detAsin(std::min(1.0, chord * 0.5));
}
} // namespace

double detAtan(double x) {
    if (x != x) return x;
    const bool negative = x < 0;
    double t = negative ? -x : x;
    const bool inverted = t > 1.0;
    if (inverted) t = 1.0 / t;
    int halvings = 0;
    // tan(a/2) = tan(a) / (1 + sqrt(1 + tan(a)^2)): two halvings bring [0, 1] under 0.2.
    while (t > 0.2) {
        t = t / (1.0 + std::sqrt(1.0 + t * t));
        ++halvings;
    }
    const double t2 = t * t;
    double term = t, sum = 0.0;
    for (int k = 0; k < 14; ++k) {
        sum += term / (2 * k + 1);
        term = -term * t2;
    }
    double r = sum * static_cast<double>(1 << halvings);
    if (inverted) r = kHalfPi - r;
    return negative ? -r : r;
}

double detAsin(double x) {
    if (x != x) return x;
    if (x >= 1.0) return kHalfPi;
    if (x <= -1.0) return -kHalfPi;
    return 2.0 * detAtan(x / (1.0 + std::sqrt(1.0 - x * x)));
}

double detSinDeg(double degrees) {
    return detCosDeg(90.0 - degrees);
}

double detGreatCircleKm(double lat0, double lon0, double lat1, double lon1) {
    return arcKm(unitVector(lat0, lon0), unitVector(lat1, lon1));
}

PlanGeometry PlanGeometry::fromLatLon(std::span<const double> lat, std::span<const double> lon) {
    PlanGeometry g;
    g.m_system = CoordSystem::LatLon;
    const std::size_t n = std::min(lat.size(), lon.size());
    // Central meridian: the middle of the smallest arc that holds every longitude.
    constexpr int kBins = 3600;
    std::vector<std::uint8_t> used(kBins, 0);
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
        if (!(lat[i] >= -90.0 && lat[i] <= 90.0 && lon[i] >= -180.0 && lon[i] <= 360.0)) continue;
        const double w = wrapDegrees(lon[i]) + 180.0;
        used[static_cast<std::size_t>(std::min(kBins - 1, static_cast<int>(w * 10.0)))] = 1;
        any = true;
    }
    if (any) {
        int bestStart = 0, bestLen = -1;
        for (int s = 0; s < kBins; ++s) {
            if (used[static_cast<std::size_t>(s)] ||
                used[static_cast<std::size_t>((s + kBins - 1) % kBins)] == 0)
                continue;
            int len = 0;
            while (len < kBins && !used[static_cast<std::size_t>((s + len) % kBins)]) ++len;
            if (len > bestLen) bestLen = len, bestStart = s;
        }
        if (bestLen < 0)
            g.m_lon0 = 0.0; // every bin used: the whole globe
        else {
            const double gapMid = (bestStart + bestLen * 0.5) / 10.0 - 180.0;
            g.m_lon0 = wrapDegrees(gapMid + 180.0);
        }
    }
    g.m_x.assign(n, std::nan(""));
    g.m_y.assign(n, std::nan(""));
    g.m_ux.assign(n, 0.0);
    g.m_uy.assign(n, 0.0);
    g.m_uz.assign(n, 0.0);
    TrigCache latTrig(n), lonTrig(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!(lat[i] >= -90.0 && lat[i] <= 90.0 && lon[i] >= -180.0 && lon[i] <= 360.0)) continue;
        double cl, sl, co, so;
        latTrig.get(lat[i], cl, sl);
        lonTrig.get(lon[i], co, so);
        g.m_x[i] = projectedX(lon[i], g.m_lon0, cl); // as project()
        g.m_y[i] = kKmPerDegree * lat[i];
        const Unit u = unitVector(cl, sl, co, so);
        g.m_ux[i] = u.x, g.m_uy[i] = u.y, g.m_uz[i] = u.z;
    }
    return g;
}

PlanGeometry PlanGeometry::fromPlanar(std::span<const double> x, std::span<const double> y) {
    PlanGeometry g;
    g.m_system = CoordSystem::Planar;
    const std::size_t n = std::min(x.size(), y.size());
    g.m_x.assign(n, std::nan(""));
    g.m_y.assign(n, std::nan(""));
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
        g.m_x[i] = x[i];
        g.m_y[i] = y[i];
    }
    return g;
}

void PlanGeometry::project(double lat, double lon, double& x, double& y) const {
    if (m_system == CoordSystem::Planar) {
        x = lat;
        y = lon;
        return;
    }
    x = projectedX(lon, m_lon0, detCosDeg(lat));
    y = kKmPerDegree * lat;
}

void PlanGeometry::unproject(double x, double y, double& lat, double& lon) const {
    if (m_system == CoordSystem::Planar) {
        lat = x;
        lon = y;
        return;
    }
    lat = std::clamp(y / kKmPerDegree, -90.0, 90.0);
    const double c = detCosDeg(lat);
    lon = c > 1e-12 ? wrapDegrees(m_lon0 + x / (kKmPerDegree * c)) : m_lon0;
}

PlanGeometry::Anchor PlanGeometry::anchor(double x, double y) const {
    Anchor a;
    a.x = x, a.y = y;
    if (m_system == CoordSystem::LatLon) {
        double la, lo;
        unproject(x, y, la, lo);
        const Unit u = unitVector(la, lo);
        a.ux = u.x, a.uy = u.y, a.uz = u.z;
    }
    return a;
}

double PlanGeometry::distance(std::size_t i, const Anchor& a) const {
    if (m_system == CoordSystem::Planar) {
        const double dx = m_x[i] - a.x, dy = m_y[i] - a.y;
        return std::sqrt(dx * dx + dy * dy);
    }
    return arcKm({m_ux[i], m_uy[i], m_uz[i]}, {a.ux, a.uy, a.uz});
}

double PlanGeometry::distanceBetween(std::size_t i, std::size_t j) const {
    if (m_system == CoordSystem::Planar) {
        const double dx = m_x[i] - m_x[j], dy = m_y[i] - m_y[j];
        return std::sqrt(dx * dx + dy * dy);
    }
    return arcKm({m_ux[i], m_uy[i], m_uz[i]}, {m_ux[j], m_uy[j], m_uz[j]});
}

std::vector<std::uint32_t> convexHull(std::span<const double> x, std::span<const double> y,
                                      std::span<const std::uint32_t> subset) {
    std::vector<std::uint32_t> pts(subset.begin(), subset.end());
    std::sort(pts.begin(), pts.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (x[a] != x[b]) return x[a] < x[b];
        if (y[a] != y[b]) return y[a] < y[b];
        return a < b;
    });
    // Drop exact duplicates so the chain sees distinct points.
    pts.erase(std::unique(pts.begin(), pts.end(),
                          [&](std::uint32_t a, std::uint32_t b) { return x[a] == x[b] && y[a] == y[b]; }),
              pts.end());
    if (pts.size() < 3) return pts;
    auto cross = [&](std::uint32_t o, std::uint32_t a, std::uint32_t b) {
        return (x[a] - x[o]) * (y[b] - y[o]) - (y[a] - y[o]) * (x[b] - x[o]);
    };
    std::vector<std::uint32_t> h(2 * pts.size());
    std::size_t k = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], pts[i]) <= 0) --k;
        h[k++] = pts[i];
    }
    for (std::size_t i = pts.size() - 1, t = k + 1; i-- > 0;) {
        while (k >= t && cross(h[k - 2], h[k - 1], pts[i]) <= 0) --k;
        h[k++] = pts[i];
    }
    h.resize(k - 1);
    return h;
}

} // namespace terrane::territory
