#include "core/geo/triangulate.hpp"

namespace terrane {

namespace {
double cross(const Point2& a, const Point2& b, const Point2& c) { return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x); }

bool inTriangle(const Point2& p, const Point2& a, const Point2& b, const Point2& c) {
    const double d1 = cross(a, b, p), d2 = cross(b, c, p), d3 = cross(c, a, p);
    const bool neg = d1 < 0 || d2 < 0 || d3 < 0, pos = d1 > 0 || d2 > 0 || d3 > 0;
    return !(neg && pos);
}
} // namespace

std::size_t triangulateRing(std::span<const Point2> ring, std::uint32_t base, std::vector<std::uint32_t>& out) {
    std::size_t n = ring.size();
    if (n >= 2 && ring[0].x == ring[n - 1].x && ring[0].y == ring[n - 1].y) --n;
    if (n < 3) return 0;
    double area = 0;
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) area += ring[j].x * ring[i].y - ring[i].x * ring[j].y;
    const double sign = area >= 0 ? 1.0 : -1.0; // counter-clockwise positive
    std::vector<std::uint32_t> idx(n);
    for (std::size_t i = 0; i < n; ++i) idx[i] = static_cast<std::uint32_t>(i);
    std::size_t added = 0;
    std::size_t guard = 0, i = 0;
    while (idx.size() > 3) {
        const std::size_t m = idx.size();
        const std::uint32_t a = idx[(i + m - 1) % m], b = idx[i % m], c = idx[(i + 1) % m];
        bool ear = sign * cross(ring[a], ring[b], ring[c]) > 0;
        for (std::size_t k = 0; ear && k < m; ++k) {
            const std::uint32_t p = idx[k];
            if (p == a || p == b || p == c) continue;
            if (inTriangle(ring[p], ring[a], ring[b], ring[c])) ear = false;
        }
        if (ear) {
            out.insert(out.end(), {base + a, base + b, base + c});
            ++added;
            idx.erase(idx.begin() + static_cast<std::ptrdiff_t>(i % m));
            guard = 0;
            if (i >= idx.size()) i = 0;
            continue;
        }
        i = (i + 1) % m;
        // A full lap without an ear: the rest is degenerate; fan it.
        if (++guard > m) {
            for (std::size_t k = 1; k + 1 < idx.size(); ++k) out.insert(out.end(), {base + idx[0], base + idx[k], base + idx[k + 1]});
            return added + idx.size() - 2;
        }
    }
    out.insert(out.end(), {base + idx[0], base + idx[1], base + idx[2]});
    return added + 1;
}

} // namespace terrane
