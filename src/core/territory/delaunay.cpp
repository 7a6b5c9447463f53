// Delaunay triangulation of account sites (robust predicates) and the site graph on it.
//
// Index
//  [SECTION] predicates
//  [SECTION] triangulation
//  [SECTION] site graph
#include "core/territory/delaunay.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace terrane::territory {

// [SECTION] predicates
int orient2d(std::int64_t ax, std::int64_t ay, std::int64_t bx, std::int64_t by, std::int64_t cx,
             std::int64_t cy) {
    const std::int64_t d = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    return (d > 0) - (d < 0);
}

int inCircle(std::int64_t ax, std::int64_t ay, std::int64_t bx, std::int64_t by, std::int64_t cx,
             std::int64_t cy, std::int64_t dx, std::int64_t dy) {
    using I = __int128;
    const std::int64_t adx = ax - dx, ady = ay - dy, bdx = bx - dx, bdy = by - dy, cdx = cx - dx,
                       cdy = cy - dy;
    const I alift = I(adx) * adx + I(ady) * ady;
    const I blift = I(bdx) * bdx + I(bdy) * bdy;
    const I clift = I(cdx) * cdx + I(cdy) * cdy;
    const I bc = I(bdx) * cdy - I(cdx) * bdy;
    const I ca = I(cdx) * ady - I(adx) * cdy;
    const I ab = I(adx) * bdy - I(bdx) * ady;
    const I det = alift * bc + blift * ca + clift * ab;
    return (det > 0) - (det < 0);
}

// [SECTION] triangulation
namespace {

constexpr std::int64_t kMaxCoord = std::int64_t(1) << 28;
constexpr std::int32_t kInf = -1;  // the vertex at infinity of ghost triangles
constexpr std::int32_t kDead = -2; // a freed triangle slot

std::uint64_t hilbertIndex(std::uint64_t x, std::uint64_t y, int order) {
    const std::uint64_t n = std::uint64_t(1) << order;
    std::uint64_t d = 0;
    for (std::uint64_t s = n / 2; s > 0; s /= 2) {
        const std::uint64_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

// Incremental Bowyer-Watson over a fixed set of distinct integer points.
class Triangulator {
  public:
    Triangulator(std::span<const std::int64_t> x, std::span<const std::int64_t> y) : m_x(x), m_y(y) {
        const std::size_t n = x.size();
        for (std::size_t i = 0; i < n; ++i)
            if (x[i] <= -kMaxCoord || x[i] >= kMaxCoord || y[i] <= -kMaxCoord || y[i] >= kMaxCoord)
                throw std::invalid_argument("delaunay: coordinate out of range");
        // Hilbert order keeps consecutive insertions close, so walks are short.
        std::int64_t minX = 0, minY = 0;
        if (n > 0) {
            minX = *std::min_element(x.begin(), x.end());
            minY = *std::min_element(y.begin(), y.end());
        }
        std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(n);
        for (std::size_t i = 0; i < n; ++i)
            keys[i] = {hilbertIndex(static_cast<std::uint64_t>(x[i] - minX) >> 3,
                                    static_cast<std::uint64_t>(y[i] - minY) >> 3, 26),
                       static_cast<std::uint32_t>(i)};
        std::sort(keys.begin(), keys.end());
        m_order.resize(n);
        for (std::size_t i = 0; i < n; ++i) m_order[i] = keys[i].second;
        m_startAt.assign(n + 1, -1);
        m_startStamp.assign(n + 1, 0);
        initialise();
    }

    bool collinear() const { return m_collinear; }
    bool done() const { return m_next >= m_order.size(); }
    double progress() const { return m_order.empty() ? 1.0 : static_cast<double>(m_next) / m_order.size(); }

    void insertSome(std::size_t count) {
        for (std::size_t c = 0; c < count && m_next < m_order.size(); ++c) {
            const std::uint32_t p = m_order[m_next++];
            if (m_collinear || p == m_seed[0] || p == m_seed[1] || p == m_seed[2]) continue;
            insert(p);
        }
    }

    // Live triangles, ghosts included (for the rings).
    std::size_t triangleSlots() const { return m_v.size() / 3; }
    bool live(std::size_t t) const { return m_v[3 * t] != kDead; }
    std::int32_t vertex(std::size_t t, int k) const { return m_v[3 * t + static_cast<std::size_t>(k)]; }
    const std::vector<std::uint32_t>& order() const { return m_order; }

  private:
    std::int64_t X(std::int32_t v) const { return m_x[static_cast<std::size_t>(v)]; }
    std::int64_t Y(std::int32_t v) const { return m_y[static_cast<std::size_t>(v)]; }
    int orient(std::int32_t a, std::int32_t b, std::int32_t c) const {
        return orient2d(X(a), Y(a), X(b), Y(b), X(c), Y(c));
    }

    void initialise() {
        const std::size_t n = m_order.size();
        if (n < 3) {
            m_collinear = true;
            m_next = n;
            return;
        }
        const std::int32_t a = static_cast<std::int32_t>(m_order[0]),
                           b = static_cast<std::int32_t>(m_order[1]);
        std::int32_t c = -1;
        for (std::size_t i = 2; i < n; ++i)
            if (orient(a, b, static_cast<std::int32_t>(m_order[i])) != 0) {
                c = static_cast<std::int32_t>(m_order[i]);
                break;
            }
        if (c < 0) {
            m_collinear = true;
            m_next = n;
            return;
        }
        m_seed[0] = static_cast<std::uint32_t>(a), m_seed[1] = static_cast<std::uint32_t>(b),
        m_seed[2] = static_cast<std::uint32_t>(c);
        std::int32_t v0 = a, v1 = b, v2 = c;
        if (orient(v0, v1, v2) < 0) std::swap(v1, v2);
        const std::int32_t t0 = alloc(v0, v1, v2);
        const std::int32_t g01 = alloc(v1, v0, kInf), g12 = alloc(v2, v1, kInf), g20 = alloc(v0, v2, kInf);
        const std::int32_t all[4] = {t0, g01, g12, g20};
        for (std::int32_t s : all)
            for (std::int32_t t : all)
                if (s != t) linkIfShared(s, t);
        m_last = t0;
        m_next = 0;
    }

    std::int32_t alloc(std::int32_t a, std::int32_t b, std::int32_t c) {
        std::int32_t t;
        if (!m_free.empty()) {
            t = m_free.back();
            m_free.pop_back();
        } else {
            t = static_cast<std::int32_t>(m_v.size() / 3);
            m_v.resize(m_v.size() + 3);
            m_n.resize(m_n.size() + 3, -1);
            m_mark.push_back(0);
            m_clear.push_back(0);
        }
        const std::size_t b3 = 3 * static_cast<std::size_t>(t);
        m_v[b3] = a, m_v[b3 + 1] = b, m_v[b3 + 2] = c;
        m_n[b3] = m_n[b3 + 1] = m_n[b3 + 2] = -1;
        return t;
    }

    void linkIfShared(std::int32_t s, std::int32_t t) {
        for (int i = 0; i < 3; ++i) {
            const std::int32_t p = V(s, (i + 1) % 3), q = V(s, (i + 2) % 3);
            for (int j = 0; j < 3; ++j)
                if (V(t, (j + 1) % 3) == q && V(t, (j + 2) % 3) == p) {
                    N(s, i) = t;
                    N(t, j) = s;
                }
        }
    }

    std::int32_t& V(std::int32_t t, int k) {
        return m_v[3 * static_cast<std::size_t>(t) + static_cast<std::size_t>(k)];
    }
    std::int32_t& N(std::int32_t t, int k) {
        return m_n[3 * static_cast<std::size_t>(t) + static_cast<std::size_t>(k)];
    }
    int infIndex(std::int32_t t) {
        for (int k = 0; k < 3; ++k)
            if (V(t, k) == kInf) return k;
        return -1;
    }

    bool conflict(std::int32_t t, std::int32_t p) {
        const int i = infIndex(t);
        if (i < 0) {
            const std::int32_t a = V(t, 0), b = V(t, 1), c = V(t, 2);
            return inCircle(X(a), Y(a), X(b), Y(b), X(c), Y(c), X(p), Y(p)) > 0;
        }
        const std::int32_t u = V(t, (i + 1) % 3), v = V(t, (i + 2) % 3);
        const int o = orient(u, v, p);
        if (o != 0) return o > 0;
        // On the hull edge's line: in conflict only strictly between its ends.
        const std::int64_t dux = X(p) - X(u), duy = Y(p) - Y(u), dvx = X(p) - X(v), dvy = Y(p) - Y(v);
        return dux * dvx + duy * dvy < 0;
    }

    std::int32_t locate(std::int32_t p) {
        std::int32_t t = m_last;
        if (V(t, 0) == kDead) t = firstLive();
        if (const int i = infIndex(t); i >= 0) t = N(t, i);
        for (std::size_t steps = 0;; ++steps) {
            if (infIndex(t) >= 0) return t;
            m_rand = m_rand * 6364136223846793005ULL + 1442695040888963407ULL;
            const int start = static_cast<int>((m_rand >> 33) % 3);
            bool moved = false;
            for (int k = 0; k < 3 && !moved; ++k) {
                const int e = (start + k) % 3;
                if (orient(V(t, (e + 1) % 3), V(t, (e + 2) % 3), p) < 0) {
                    t = N(t, e);
                    moved = true;
                }
            }
            if (!moved) return t;
            if (steps > 4 * m_v.size() + 64)
                throw std::logic_error("delaunay: point location did not terminate");
        }
    }

    std::int32_t firstLive() {
        for (std::size_t t = 0; t < m_v.size() / 3; ++t)
            if (m_v[3 * t] != kDead) return static_cast<std::int32_t>(t);
        throw std::logic_error("delaunay: no live triangle");
    }

    void insert(std::uint32_t pu) {
        const auto p = static_cast<std::int32_t>(pu);
        const std::int32_t t0 = locate(p);
        if (!conflict(t0, p)) throw std::logic_error("delaunay: located triangle is not in conflict");
        ++m_stamp;
        m_cavity.clear();
        m_boundary.clear();
        m_stack.clear();
        m_stack.push_back(t0);
        m_mark[static_cast<std::size_t>(t0)] = m_stamp;
        while (!m_stack.empty()) {
            const std::int32_t t = m_stack.back();
            m_stack.pop_back();
            m_cavity.push_back(t);
            for (int e = 0; e < 3; ++e) {
                const std::int32_t nb = N(t, e);
                const auto nbs = static_cast<std::size_t>(nb);
                if (m_mark[nbs] == m_stamp) continue;
                if (m_clear[nbs] != m_stamp && conflict(nb, p)) {
                    m_mark[nbs] = m_stamp;
                    m_stack.push_back(nb);
                    continue;
                }
                m_clear[nbs] = m_stamp;
                int back = 0;
                while (N(nb, back) != t) ++back;
                m_boundary.push_back({V(t, (e + 1) % 3), V(t, (e + 2) % 3), nb, back});
            }
        }
        // Star of p over the cavity boundary; cavity slots are reused.
        for (std::int32_t t : m_cavity) {
            m_v[3 * static_cast<std::size_t>(t)] = kDead;
            m_free.push_back(t);
        }
        const std::size_t n = m_x.size();
        auto slot = [&](std::int32_t v) { return v == kInf ? n : static_cast<std::size_t>(v); };
        m_newTris.clear();
        for (const Edge& e : m_boundary) {
            const std::int32_t t = alloc(e.a, e.b, p);
            N(t, 2) = e.outside;
            N(e.outside, e.outsideEdge) = t;
            m_startAt[slot(e.a)] = t;
            m_startStamp[slot(e.a)] = m_stamp;
            m_newTris.push_back(t);
        }
        for (std::int32_t t : m_newTris) {
            const std::int32_t b = V(t, 1);
            if (m_startStamp[slot(b)] != m_stamp)
                throw std::logic_error("delaunay: cavity boundary is not a cycle");
            const std::int32_t s = m_startAt[slot(b)];
            N(t, 0) = s;
            N(s, 1) = t;
        }
        m_last = m_newTris.front();
    }

    struct Edge {
        std::int32_t a, b, outside;
        int outsideEdge;
    };

    std::span<const std::int64_t> m_x, m_y;
    std::vector<std::uint32_t> m_order;
    std::size_t m_next = 0;
    bool m_collinear = false;
    std::uint32_t m_seed[3] = {0xffffffffu, 0xffffffffu, 0xffffffffu};
    std::vector<std::int32_t> m_v, m_n, m_free;
    std::vector<std::uint32_t> m_mark, m_clear;
    std::uint32_t m_stamp = 0;
    std::int32_t m_last = 0;
    std::uint64_t m_rand = 0x2545F4914F6CDD1DULL;
    std::vector<std::int32_t> m_cavity, m_stack, m_newTris, m_startAt;
    std::vector<std::uint32_t> m_startStamp;
    std::vector<Edge> m_boundary;
};

// Neighbour rings from the live triangles (ghosts mark the hull).
void buildRings(const Triangulator& tr, std::size_t n, std::vector<std::uint32_t>& adjStart,
                std::vector<std::uint32_t>& adj, std::vector<std::uint8_t>& closed) {
    std::vector<std::uint32_t> count(n + 1, 0);
    for (std::size_t t = 0; t < tr.triangleSlots(); ++t) {
        if (!tr.live(t)) continue;
        for (int k = 0; k < 3; ++k)
            if (tr.vertex(t, k) >= 0) ++count[static_cast<std::size_t>(tr.vertex(t, k)) + 1];
    }
    for (std::size_t i = 1; i <= n; ++i) count[i] += count[i - 1];
    std::vector<std::pair<std::int32_t, std::int32_t>> pairs(count[n]);
    std::vector<std::uint32_t> fill(count.begin(), count.end() - 1);
    for (std::size_t t = 0; t < tr.triangleSlots(); ++t) {
        if (!tr.live(t)) continue;
        for (int k = 0; k < 3; ++k) {
            const std::int32_t v = tr.vertex(t, k);
            if (v < 0) continue;
            pairs[fill[static_cast<std::size_t>(v)]++] = {tr.vertex(t, (k + 1) % 3),
                                                          tr.vertex(t, (k + 2) % 3)};
        }
    }
    adjStart.assign(n + 1, 0);
    adj.clear();
    adj.reserve(pairs.size());
    closed.assign(n, 1);
    for (std::size_t v = 0; v < n; ++v) {
        auto first = pairs.begin() + count[v], last = pairs.begin() + count[v + 1];
        std::sort(first, last);
        const std::size_t deg = static_cast<std::size_t>(last - first);
        auto successor = [&](std::int32_t from) -> std::int32_t {
            auto it = std::lower_bound(first, last, std::make_pair(from, std::int32_t(-2)));
            return (it != last && it->first == from) ? it->second : -3;
        };
        std::int32_t start = first->first;
        const bool hull = first->first == kInf; // pairs are sorted: kInf (-1) comes first
        if (hull) {
            closed[v] = 0;
            start = first->second;
        }
        std::int32_t cur = start;
        for (std::size_t k = 0; k < deg; ++k) {
            if (cur == kInf) break;
            adj.push_back(static_cast<std::uint32_t>(cur));
            cur = successor(cur);
            if (cur == start || cur == -3) break;
        }
        adjStart[v + 1] = static_cast<std::uint32_t>(adj.size());
    }
}

} // namespace

Triangulation delaunay(std::span<const std::int64_t> x, std::span<const std::int64_t> y) {
    const std::size_t n = std::min(x.size(), y.size());
    {
        std::vector<std::pair<std::int64_t, std::int64_t>> pts(n);
        for (std::size_t i = 0; i < n; ++i) pts[i] = {x[i], y[i]};
        std::sort(pts.begin(), pts.end());
        if (std::adjacent_find(pts.begin(), pts.end()) != pts.end())
            throw std::invalid_argument("delaunay: duplicate points");
    }
    Triangulator tr(x.first(n), y.first(n));
    while (!tr.done()) tr.insertSome(1 << 20);
    Triangulation out;
    out.collinear = tr.collinear();
    for (std::size_t t = 0; t < tr.triangleSlots(); ++t) {
        if (!tr.live(t) || tr.vertex(t, 0) < 0 || tr.vertex(t, 1) < 0 || tr.vertex(t, 2) < 0) continue;
        for (int k = 0; k < 3; ++k) out.triangles.push_back(static_cast<std::uint32_t>(tr.vertex(t, k)));
    }
    return out;
}

// [SECTION] site graph
struct SiteGraphBuilder::Impl {
    SiteGraph graph;
    std::vector<std::int64_t> qx, qy; // per site
    Triangulator* tri = nullptr;
    bool finished = false;
    ~Impl() { delete tri; }
};

SiteGraphBuilder::SiteGraphBuilder(std::span<const double> x, std::span<const double> y) : m_impl(new Impl) {
    SiteGraph& g = m_impl->graph;
    const std::size_t n = std::min(x.size(), y.size());
    g.siteOf.assign(n, kNoSite);
    double minX = 1e300, minY = 1e300, maxX = -1e300, maxY = -1e300;
    std::size_t placed = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
        minX = std::min(minX, x[i]), maxX = std::max(maxX, x[i]);
        minY = std::min(minY, y[i]), maxY = std::max(maxY, y[i]);
        ++placed;
    }
    const double extent = placed ? std::max(maxX - minX, maxY - minY) : 0.0;
    const double scale = extent > 0 ? static_cast<double>((std::int64_t(1) << 26) - 1) / extent : 0.0;
    // Snap, then group accounts by snapped point (key order = site order).
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;
    keys.reserve(placed);
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
        const auto qx = static_cast<std::uint64_t>(std::floor((x[i] - minX) * scale + 0.5));
        const auto qy = static_cast<std::uint64_t>(std::floor((y[i] - minY) * scale + 0.5));
        keys.push_back({(qx << 27) | qy, static_cast<std::uint32_t>(i)});
    }
    std::sort(keys.begin(), keys.end());
    g.accountStart.clear();
    g.accounts.resize(keys.size());
    for (std::size_t k = 0; k < keys.size(); ++k) {
        if (k == 0 || keys[k].first != keys[k - 1].first) {
            g.accountStart.push_back(static_cast<std::uint32_t>(k));
            m_impl->qx.push_back(static_cast<std::int64_t>(keys[k].first >> 27));
            m_impl->qy.push_back(static_cast<std::int64_t>(keys[k].first & ((std::uint64_t(1) << 27) - 1)));
        }
        g.accounts[k] = keys[k].second;
        g.siteOf[keys[k].second] = static_cast<std::uint32_t>(g.accountStart.size() - 1);
    }
    g.accountStart.push_back(static_cast<std::uint32_t>(keys.size()));
    m_impl->tri = new Triangulator(m_impl->qx, m_impl->qy);
}

SiteGraphBuilder::~SiteGraphBuilder() {
    delete m_impl;
}

bool SiteGraphBuilder::step(std::size_t maxPoints) {
    Impl& m = *m_impl;
    if (m.finished) return true;
    if (!m.tri->done()) {
        m.tri->insertSome(maxPoints);
        if (!m.tri->done()) return false;
    }
    SiteGraph& g = m.graph;
    const std::size_t sites = m.qx.size();
    if (m.tri->collinear()) {
        // A path along the line (sites are sorted by snapped x, then y).
        g.adjStart.assign(sites + 1, 0);
        g.adj.clear();
        for (std::size_t s = 0; s < sites; ++s) {
            if (s > 0) g.adj.push_back(static_cast<std::uint32_t>(s - 1));
            if (s + 1 < sites) g.adj.push_back(static_cast<std::uint32_t>(s + 1));
            g.adjStart[s + 1] = static_cast<std::uint32_t>(g.adj.size());
        }
        g.ringClosed.assign(sites, 0);
    } else {
        buildRings(*m.tri, sites, g.adjStart, g.adj, g.ringClosed);
    }
    delete m.tri;
    m.tri = nullptr;
    m.finished = true;
    return true;
}

double SiteGraphBuilder::progress() const {
    return m_impl->finished ? 1.0 : m_impl->tri->progress();
}

SiteGraph SiteGraphBuilder::take() {
    return std::move(m_impl->graph);
}

SiteGraph buildSiteGraph(std::span<const double> x, std::span<const double> y) {
    SiteGraphBuilder b(x, y);
    while (!b.step(1 << 20)) {
    }
    return b.take();
}

} // namespace terrane::territory
