#include "core/territory/plan_state.hpp"

#include "core/territory/figures.hpp"

#include <algorithm>
#include <cmath>

namespace terrane::territory {

PlanState::PlanState(const BalanceProblem& p, const SiteGraph& g, std::vector<std::int32_t> assign,
                     bool contiguous, double maxMovedAccounts, double maxMovedValue, std::vector<double> cx,
                     std::vector<double> cy)
    : m_p(p), m_g(g), m_K(p.K()), m_M(p.M()), m_assign(std::move(assign)), m_contiguous(contiguous),
      m_maxMovedCount(maxMovedAccounts), m_maxMovedValue(maxMovedValue) {
    m_load.assign(m_K * m_M, 0.0);
    m_members.assign(m_K, {});
    m_pos.assign(p.accounts, 0);
    m_pres.assign(g.siteCount(), {});
    m_seen.assign(g.siteCount(), 0);
    for (std::size_t i = 0; i < p.accounts; ++i) {
        const std::int32_t k = m_assign[i];
        if (k < 0 || !p.inPlan(i)) continue;
        const auto ks = static_cast<std::size_t>(k);
        for (std::size_t m = 0; m < m_M; ++m) m_load[ks * m_M + m] += p.balanceValue(i, m);
        if (counts(static_cast<std::uint32_t>(i))) {
            m_movedCount += 1;
            m_movedValue += p.moveValue[i];
        }
        const std::uint32_t s = g.siteOf[i];
        if (s == kNoSite) continue;
        m_pos[i] = static_cast<std::uint32_t>(m_members[ks].size());
        m_members[ks].push_back(static_cast<std::uint32_t>(i));
        addPresence(s, k);
    }
    m_negative.assign(m_M, 0);
    for (std::size_t i = 0; i < p.accounts; ++i)
        for (std::size_t m = 0; m < m_M; ++m)
            if (p.balanceValue(i, m) < 0) m_negative[m] = 1;
    m_meanTarget = 0;
    for (double t : p.target) m_meanTarget += t;
    m_meanTarget = m_meanTarget > 0 ? m_meanTarget / static_cast<double>(p.target.size()) : 1.0;
    setCentres(std::move(cx), std::move(cy));
}

bool PlanState::counts(std::uint32_t i) const {
    return m_p.current[i] >= 0 && m_assign[i] >= 0 && m_assign[i] != m_p.current[i];
}

double PlanState::penalty(std::size_t k, std::size_t m, double w) const {
    const double T = m_p.target[k * m_M + m];
    const double tol = m_p.tolerance[m] * m_bandScale;
    if (!(T > 0)) {
        const double r = w / (tol * m_meanTarget);
        return r * r;
    }
    const double band = tol * T;
    const double ex = std::fabs(w - T) - band;
    if (ex <= 0) return 0.0;
    const double r = ex / band;
    return r * r;
}

bool PlanState::movesCanHelp(std::size_t k, bool out) const {
    for (std::size_t m = 0; m < m_M; ++m) {
        const double T = m_p.target[k * m_M + m], w = m_load[k * m_M + m];
        const double band = m_p.tolerance[m] * m_bandScale * T;
        const bool over = T > 0 ? w > T + band : w > 0, under = T > 0 ? w < T - band : w < 0;
        if ((out ? over : under) || ((under || over) && m_negative[m])) return true;
    }
    return false;
}

double PlanState::hard(std::size_t k) const {
    double h = 0;
    for (std::size_t m = 0; m < m_M; ++m) h += penalty(k, m, m_load[k * m_M + m]);
    return h;
}

double PlanState::totalHard() const {
    double h = 0;
    for (std::size_t k = 0; k < m_K; ++k) h += hard(k);
    return h;
}

double PlanState::dist2(std::uint32_t i, std::int32_t k) const {
    const auto ks = static_cast<std::size_t>(k);
    if (k < 0 || std::isnan(m_cx[ks]) || !m_p.geo.placed(i)) return 0.0;
    const double dx = m_p.geo.x()[i] - m_cx[ks], dy = m_p.geo.y()[i] - m_cy[ks];
    return dx * dx + dy * dy;
}

double PlanState::softCost() const {
    double s = 0;
    for (std::size_t i = 0; i < m_p.accounts; ++i)
        if (m_assign[i] >= 0) s += m_p.weight[i] * dist2(static_cast<std::uint32_t>(i), m_assign[i]);
    return s * m_softScale;
}

void PlanState::setCentres(std::vector<double> cx, std::vector<double> cy) {
    m_cx = std::move(cx);
    m_cy = std::move(cy);
    m_cx.resize(m_K, std::nan(""));
    m_cy.resize(m_K, std::nan(""));
    m_softScale = 1.0;
    const double s = softCost();
    m_softScale = s > 0 ? 1.0 / s : 1.0;
}

void PlanState::recomputeCentres(bool fixedCentres) {
    std::vector<double> cx, cy;
    territoryCentres(m_p, m_assign, fixedCentres, cx, cy);
    setCentres(std::move(cx), std::move(cy));
}

MoveDelta PlanState::shiftDelta(std::uint32_t i, std::int32_t to) const {
    MoveDelta d;
    const std::int32_t k = m_assign[i];
    if (k == to) return d;
    for (std::size_t m = 0; m < m_M; ++m) {
        const double v = m_p.balanceValue(i, m);
        if (v == 0) continue;
        if (k >= 0) {
            const auto ks = static_cast<std::size_t>(k);
            const double w = m_load[ks * m_M + m];
            d.hard += penalty(ks, m, w - v) - penalty(ks, m, w);
        }
        if (to >= 0) {
            const auto ls = static_cast<std::size_t>(to);
            const double w = m_load[ls * m_M + m];
            d.hard += penalty(ls, m, w + v) - penalty(ls, m, w);
        }
    }
    d.soft = m_p.weight[i] * (dist2(i, to) - dist2(i, k)) * m_softScale;
    return d;
}

MoveDelta PlanState::swapDelta(std::uint32_t i, std::uint32_t j) const {
    MoveDelta d;
    const std::int32_t k = m_assign[i], l = m_assign[j];
    if (k == l || k < 0 || l < 0) return d;
    const auto ks = static_cast<std::size_t>(k), ls = static_cast<std::size_t>(l);
    for (std::size_t m = 0; m < m_M; ++m) {
        const double diff = m_p.balanceValue(i, m) - m_p.balanceValue(j, m); // k loses diff, l gains diff
        if (diff == 0) continue;
        const double wk = m_load[ks * m_M + m], wl = m_load[ls * m_M + m];
        d.hard +=
            penalty(ks, m, wk - diff) - penalty(ks, m, wk) + penalty(ls, m, wl + diff) - penalty(ls, m, wl);
    }
    d.soft = (m_p.weight[i] * (dist2(i, l) - dist2(i, k)) + m_p.weight[j] * (dist2(j, k) - dist2(j, l))) *
             m_softScale;
    return d;
}

int PlanState::presence(std::uint32_t site, std::int32_t k) const {
    const Presence& p = m_pres[site];
    if (p.t[0] == k) return p.c[0];
    if (p.t[1] == k) return p.c[1];
    if (p.more != 0xffffffffu)
        for (const auto& [t, c] : m_more[p.more])
            if (t == k) return c;
    return 0;
}

void PlanState::addPresence(std::uint32_t site, std::int32_t k) {
    Presence& p = m_pres[site];
    for (int s = 0; s < 2; ++s)
        if (p.t[s] == k) {
            ++p.c[s];
            return;
        }
    if (p.more != 0xffffffffu)
        for (auto& [t, c] : m_more[p.more])
            if (t == k) {
                ++c;
                return;
            }
    for (int s = 0; s < 2; ++s)
        if (p.t[s] < 0) {
            p.t[s] = k;
            p.c[s] = 1;
            return;
        }
    if (p.more == 0xffffffffu) {
        p.more = static_cast<std::uint32_t>(m_more.size());
        m_more.emplace_back();
    }
    m_more[p.more].push_back({k, 1});
}

void PlanState::removePresence(std::uint32_t site, std::int32_t k) {
    Presence& p = m_pres[site];
    for (int s = 0; s < 2; ++s)
        if (p.t[s] == k) {
            if (--p.c[s] == 0) {
                p.t[s] = -1;
                if (p.more != 0xffffffffu && !m_more[p.more].empty()) {
                    p.t[s] = m_more[p.more].back().first;
                    p.c[s] = m_more[p.more].back().second;
                    m_more[p.more].pop_back();
                }
            }
            return;
        }
    if (p.more == 0xffffffffu) return;
    auto& v = m_more[p.more];
    for (std::size_t j = 0; j < v.size(); ++j)
        if (v[j].first == k) {
            if (--v[j].second == 0) v.erase(v.begin() + static_cast<std::ptrdiff_t>(j));
            return;
        }
}

bool PlanState::adjacentTo(std::uint32_t site, std::int32_t k) const {
    if (presence(site, k) > 0) return true;
    for (std::uint32_t nb : m_g.neighbours(site))
        if (presence(nb, k) > 0) return true;
    return false;
}

bool PlanState::staysConnectedWithout(std::uint32_t site, std::int32_t k) const {
    const auto nb = m_g.neighbours(site);
    const std::size_t n = nb.size();
    if (n == 0) return true;
    const bool closed = m_g.ringClosed[site] != 0;
    std::size_t runs = 0, inCount = 0;
    for (std::size_t j = 0; j < n; ++j) {
        const bool in = presence(nb[j], k) > 0;
        inCount += in ? 1 : 0;
        const bool prevIn = j > 0 ? presence(nb[j - 1], k) > 0 : (closed && presence(nb[n - 1], k) > 0);
        if (in && !prevIn) ++runs;
    }
    if (m_g.ccwRings ? (inCount == n || runs <= 1) : inCount <= 1) return true;
    // Several arcs of k around the site: search k's sites without `site` from the first arc.
    ++m_stamp;
    if (m_stamp == 0) {
        std::fill(m_seen.begin(), m_seen.end(), 0);
        m_stamp = 1;
    }
    m_seen[site] = m_stamp;
    std::uint32_t start = kNoSite;
    for (std::uint32_t s : nb)
        if (presence(s, k) > 0) {
            start = s;
            break;
        }
    m_queue.assign(1, start);
    m_seen[start] = m_stamp;
    constexpr std::size_t kLimit = 20000;
    for (std::size_t q = 0; q < m_queue.size(); ++q) {
        if (m_queue.size() > kLimit) return false; // conservative: too far to prove
        for (std::uint32_t t : m_g.neighbours(m_queue[q])) {
            if (m_seen[t] == m_stamp || presence(t, k) == 0) continue;
            m_seen[t] = m_stamp;
            m_queue.push_back(t);
        }
    }
    for (std::uint32_t s : nb)
        if (presence(s, k) > 0 && m_seen[s] != m_stamp) return false;
    return true;
}

bool PlanState::withinBudget(std::uint32_t i, std::int32_t to) const {
    const bool before = counts(i);
    const bool after = m_p.current[i] >= 0 && to >= 0 && to != m_p.current[i];
    if (!after || before) return true;
    if (m_movedCount + 1.0 > m_maxMovedCount + 1e-9) return false;
    return m_movedValue + m_p.moveValue[i] <= m_maxMovedValue * (1.0 + 1e-12) + 1e-9;
}

bool PlanState::countBlocks(std::uint32_t i, std::int32_t to) const {
    if (m_p.current[i] < 0 || to < 0 || to == m_p.current[i] || counts(i)) return false;
    return m_movedCount + 1.0 > m_maxMovedCount + 1e-9;
}

MoveBlock PlanState::check(std::uint32_t i, std::int32_t to) const {
    if (m_p.fixed[i] != Fixed::Free) return MoveBlock::Fixed;
    const std::int32_t k = m_assign[i];
    if (k == to || to < 0) return MoveBlock::NotAdjacent;
    if (!withinBudget(i, to)) return MoveBlock::Budget;
    for (std::size_t m = 0; m < m_M; ++m) {
        const double T = m_p.target[static_cast<std::size_t>(to) * m_M + m];
        if (T > 0 && m_p.balanceValue(i, m) > T * (1.0 + m_p.tolerance[m])) return MoveBlock::TooBig;
    }
    const std::uint32_t s = m_g.siteOf[i];
    if (s == kNoSite) return MoveBlock::Fixed;
    if (!adjacentTo(s, to)) return MoveBlock::NotAdjacent;
    if (k >= 0) {
        const auto ks = static_cast<std::size_t>(k);
        if (m_members[ks].size() == 1) {
            bool anyTarget = false;
            for (std::size_t m = 0; m < m_M; ++m) anyTarget |= m_p.target[ks * m_M + m] > 0;
            if (anyTarget) return MoveBlock::Emptying;
        }
        if (m_contiguous && presence(s, k) == 1 && !staysConnectedWithout(s, k)) return MoveBlock::Contiguity;
    }
    return MoveBlock::None;
}

void PlanState::move(std::uint32_t i, std::int32_t to) {
    const std::int32_t k = m_assign[i];
    if (k == to) return;
    const bool before = counts(i);
    const std::uint32_t s = m_g.siteOf[i];
    if (k >= 0) {
        const auto ks = static_cast<std::size_t>(k);
        for (std::size_t m = 0; m < m_M; ++m) m_load[ks * m_M + m] -= m_p.balanceValue(i, m);
        if (s != kNoSite) {
            auto& mem = m_members[ks];
            const std::uint32_t pos = m_pos[i];
            mem[pos] = mem.back();
            m_pos[mem[pos]] = pos;
            mem.pop_back();
            removePresence(s, k);
        }
    }
    m_assign[i] = to;
    if (to >= 0) {
        const auto ls = static_cast<std::size_t>(to);
        for (std::size_t m = 0; m < m_M; ++m) m_load[ls * m_M + m] += m_p.balanceValue(i, m);
        if (s != kNoSite) {
            m_pos[i] = static_cast<std::uint32_t>(m_members[ls].size());
            m_members[ls].push_back(i);
            addPresence(s, to);
        }
    }
    const bool after = counts(i);
    if (after != before) {
        const double sign = after ? 1.0 : -1.0;
        m_movedCount += sign;
        m_movedValue += sign * m_p.moveValue[i];
    }
}

void PlanState::adjacentTerritories(std::uint32_t i, std::vector<std::int32_t>& out) const {
    out.clear();
    const std::uint32_t s = m_g.siteOf[i];
    if (s == kNoSite) return;
    const std::int32_t own = m_assign[i];
    auto collect = [&](std::uint32_t site) {
        const Presence& p = m_pres[site];
        for (int j = 0; j < 2; ++j)
            if (p.t[j] >= 0 && p.t[j] != own) out.push_back(p.t[j]);
        if (p.more != 0xffffffffu)
            for (const auto& [t, c] : m_more[p.more])
                if (t != own) out.push_back(t);
    };
    collect(s);
    for (std::uint32_t nb : m_g.neighbours(s)) collect(nb);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

void PlanState::adjacentAccounts(std::uint32_t i, std::vector<std::uint32_t>& out, bool sorted) const {
    out.clear();
    const std::uint32_t s = m_g.siteOf[i];
    if (s == kNoSite) return;
    const std::int32_t own = m_assign[i];
    auto collect = [&](std::uint32_t site) {
        // Skip sites where only i's territory is present.
        const Presence& p = m_pres[site];
        if ((p.t[0] == own || p.t[0] < 0) && (p.t[1] == own || p.t[1] < 0) &&
            (p.more == 0xffffffffu || m_more[p.more].empty()))
            return;
        for (std::uint32_t j : m_g.accountsAt(site))
            if (m_assign[j] >= 0 && m_assign[j] != own) out.push_back(j);
    };
    collect(s);
    for (std::uint32_t nb : m_g.neighbours(s)) collect(nb);
    if (!sorted) return; // each account is at one site and the sites are distinct: no repeats
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

} // namespace terrane::territory
