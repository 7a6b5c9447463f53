// Local search on a plan: balance repair, compactness passes, contiguity and budget, rebalance.
//
// Index
//  [SECTION] BalanceRepair
//  [SECTION] CompactnessPass
//  [SECTION] contiguity and budget
//  [SECTION] rebalance
#include "core/territory/search.hpp"

#include <algorithm>
#include <cmath>

namespace terrane::territory {

namespace {

struct Candidate {
    MoveDelta d;
    std::uint32_t i;
    std::int32_t to;
};

bool candidateLess(const Candidate& a, const Candidate& b) {
    if (betterDelta(a.d, b.d)) return true;
    if (betterDelta(b.d, a.d)) return false;
    if (a.i != b.i) return a.i < b.i;
    return a.to < b.to;
}

struct RefusalTally {
    std::uint64_t budget = 0, contiguity = 0, fixed = 0;
    void add(MoveBlock b) {
        if (b == MoveBlock::Budget)
            ++budget;
        else if (b == MoveBlock::Contiguity)
            ++contiguity;
        else if (b == MoveBlock::Fixed)
            ++fixed;
    }
    void commit(PlanState& s) const {
        s.refusedBudget += budget;
        s.refusedContiguity += contiguity;
        s.refusedFixed += fixed;
    }
};

// Single moves out of and into territory k (only those that lower the balance penalty when
// `improvingOnly`; otherwise all of them, without their deltas). An improving move lowers the penalty of k or of the other territory; those
// that only help the other one are left to that territory's own candidates (it is outside its
// band too), so a territory above its band lists only moves out, one below only moves in.
// With `blocked`, moves that the moved-account limit refuses go there unscored instead.
void shiftCandidates(const PlanState& s, std::int32_t k, std::vector<Candidate>& out,
                     std::vector<std::uint32_t>& stamp, std::uint32_t& stampValue, bool improvingOnly,
                     std::vector<Candidate>* blocked = nullptr) {
    const BalanceProblem& p = s.problem();
    if (stamp.size() < p.accounts) stamp.assign(p.accounts, 0);
    ++stampValue;
    if (stampValue == 0) {
        std::fill(stamp.begin(), stamp.end(), 0);
        stampValue = 1;
    }
    const auto ks = static_cast<std::size_t>(k);
    const bool outs = !improvingOnly || s.outMovesCanHelp(ks), ins = !improvingOnly || s.inMovesCanHelp(ks);
    if (!outs && !ins) return;
    std::vector<std::int32_t> adjT;
    std::vector<std::uint32_t> adjA;
    const std::vector<std::uint32_t> mem(s.members(ks).begin(), s.members(ks).end());
    for (std::uint32_t i : mem) {
        s.adjacentTerritories(i, adjT);
        if (adjT.empty()) continue;
        if (outs && p.fixed[i] == Fixed::Free)
            for (std::int32_t l : adjT) {
                if (blocked && s.countBlocks(i, l)) {
                    blocked->push_back({{}, i, l});
                    continue;
                }
                const MoveDelta d = improvingOnly ? s.shiftDelta(i, l) : MoveDelta{};
                if (!improvingOnly || d.hard < -kHardEps) out.push_back({d, i, l});
            }
        if (!ins) continue;
        s.adjacentAccounts(i, adjA, false);
        for (std::uint32_t j : adjA) {
            if (stamp[j] == stampValue || p.fixed[j] != Fixed::Free) continue;
            stamp[j] = stampValue;
            if (blocked && s.countBlocks(j, k)) {
                blocked->push_back({{}, j, k});
                continue;
            }
            const MoveDelta d = improvingOnly ? s.shiftDelta(j, k) : MoveDelta{};
            if (!improvingOnly || d.hard < -kHardEps) out.push_back({d, j, k});
        }
    }
}

} // namespace

// [SECTION] BalanceRepair
BalanceRepair::BalanceRepair(PlanState& state, std::size_t maxRounds) : m_s(state), m_maxRounds(maxRounds) {}

bool BalanceRepair::step(std::size_t maxAttempts) {
    for (std::size_t a = 0; a < maxAttempts && !m_done; ++a) {
        if (m_next >= m_round.size()) {
            if ((m_rounds > 0 && !m_improved) || m_rounds >= m_maxRounds) {
                m_done = true;
                break;
            }
            m_round.clear();
            std::vector<std::pair<double, std::int32_t>> v;
            for (std::size_t k = 0; k < m_s.problem().K(); ++k)
                if (const double h = m_s.hard(k); h > 0) v.push_back({-h, static_cast<std::int32_t>(k)});
            std::sort(v.begin(), v.end());
            for (const auto& [h, k] : v) m_round.push_back(k);
            if (m_round.empty()) {
                m_done = true;
                break;
            }
            // A round that gains less than 0.1% twice running ends the repair: at that rate the
            // remaining rounds could not remove even a third of what is left (100k accounts into
            // 1,000 territories with customers kept in 200 of them crawled through 400 rounds of
            // ~5 s each, the shortfall being the kept customers', not the search's).
            const double hard = m_s.totalHard();
            m_slowRounds = m_rounds > 0 && hard > (1.0 - 1e-3) * m_lastHard ? m_slowRounds + 1 : 0;
            m_lastHard = hard;
            if (m_slowRounds >= 2) {
                m_done = true;
                break;
            }
            m_next = 0;
            m_improved = false;
            ++m_rounds;
        }
        if (attempt(m_round[m_next++])) m_improved = true;
    }
    return m_done;
}

bool BalanceRepair::attempt(std::int32_t k) {
    bool any = false;
    for (int t = 0; t < 8 && m_s.hard(static_cast<std::size_t>(k)) > 0; ++t) {
        if (tryShift(k) || trySwap(k) || tryEject(k)) {
            any = true;
            continue;
        }
        break;
    }
    return any;
}

// The best allowed move, then down the same ranked list: each further candidate is measured again
// against the loads as they now are and taken while it still improves (up to kPerList moves),
// so a territory far outside its band does not rebuild its list for every account it sheds.
bool BalanceRepair::tryShift(std::int32_t k) {
    constexpr std::size_t kPerList = 16;
    std::vector<Candidate> cands, blocked;
    shiftCandidates(m_s, k, cands, m_stamp, m_stampValue, true, &blocked);
    // Moves the moved-account limit refuses stay refused while no move below brings an account back
    // to its current territory (only that lowers the count), so then they are left out unscored.
    const std::vector<std::int32_t>& current = m_s.problem().current;
    const bool mayFree = std::any_of(cands.begin(), cands.end(), [&](const Candidate& c) {
        return c.to == current[c.i];
    });
    if (mayFree) {
        for (Candidate& c : blocked)
            if (c.d = m_s.shiftDelta(c.i, c.to); c.d.hard < -kHardEps) cands.push_back(c);
        blocked.clear();
    }
    std::sort(cands.begin(), cands.end(), candidateLess);
    RefusalTally tally;
    std::size_t moved = 0;
    for (const Candidate& c : cands) {
        if (moved > 0) {
            if (m_s.hard(static_cast<std::size_t>(k)) <= 0 || moved >= kPerList) break;
            // Still where it was listed, and still improving after the moves made since.
            const std::int32_t at = m_s.territoryOf(c.i);
            if (c.to == k ? at == k : at != k) continue;
            if (m_s.shiftDelta(c.i, c.to).hard >= -kHardEps) continue;
        }
        const MoveBlock b = m_s.check(c.i, c.to);
        if (b == MoveBlock::None) {
            m_s.move(c.i, c.to);
            ++m_moves;
            ++moved;
        } else if (moved == 0) {
            tally.add(b);
        }
    }
    if (moved == 0) {
        // Nothing moved, so the plan is as when the list was made: one refusal marks the budget.
        if (tally.budget == 0)
            for (const Candidate& c : blocked)
                if (m_s.shiftDelta(c.i, c.to).hard < -kHardEps) {
                    tally.add(MoveBlock::Budget);
                    break;
                }
        tally.commit(m_s);
    }
    return moved > 0;
}

bool BalanceRepair::trySwap(std::int32_t k) {
    const BalanceProblem& p = m_s.problem();
    std::vector<Candidate> all;
    shiftCandidates(m_s, k, all, m_stamp, m_stampValue, false);
    // Out-moves (i leaves k for to) and in-moves (j joins k from its territory), by neighbour.
    std::vector<std::pair<std::int32_t, Candidate>> outs, ins;
    for (const Candidate& c : all) {
        if (c.to != k)
            outs.push_back({c.to, c});
        else
            ins.push_back({m_s.territoryOf(c.i), c});
    }
    // Within each neighbour l, rank by how well a candidate's metric mix points along the imbalance
    // between k and l (in band units), so swaps that fix one metric without breaking another come first.
    const std::size_t M = p.M(), ks = static_cast<std::size_t>(k);
    auto excess = [&](std::size_t t, std::size_t m) {
        const double T = p.targetOf(t, m);
        return T > 0 ? (m_s.load(t, m) - T) / (p.tolerance[m] * T) : 0.0;
    };
    auto score = [&](std::uint32_t acc, std::int32_t l) {
        double sc = 0;
        for (std::size_t m = 0; m < M; ++m) {
            const double T = p.targetOf(ks, m);
            if (T > 0)
                sc += (excess(ks, m) - excess(static_cast<std::size_t>(l), m)) * p.balanceValue(acc, m) /
                      (p.tolerance[m] * T);
        }
        return sc;
    };
    std::vector<double> outScore(outs.size()), inScore(ins.size());
    for (std::size_t x = 0; x < outs.size(); ++x) outScore[x] = score(outs[x].second.i, outs[x].first);
    for (std::size_t y = 0; y < ins.size(); ++y) inScore[y] = -score(ins[y].second.i, ins[y].first);
    constexpr std::size_t kTop = 64;
    // Grouped by neighbour (ascending), each group's first kTop in the order (score descending, then
    // account): the only entries the pairing below reads, as a full sort by (neighbour, score,
    // account) would place them.
    std::vector<std::size_t> groupStart(p.K() + 1), idx;
    auto rank = [&](std::vector<std::pair<std::int32_t, Candidate>>& v, std::vector<double>& s) {
        std::fill(groupStart.begin(), groupStart.end(), 0);
        for (const auto& e : v) ++groupStart[static_cast<std::size_t>(e.first) + 1];
        for (std::size_t t = 0; t < p.K(); ++t) groupStart[t + 1] += groupStart[t];
        idx.assign(v.size(), 0);
        {
            std::vector<std::size_t> fill(groupStart.begin(), groupStart.end() - 1);
            for (std::size_t x = 0; x < v.size(); ++x) idx[fill[static_cast<std::size_t>(v[x].first)]++] = x;
        }
        auto before = [&](std::size_t a, std::size_t b) {
            if (s[a] != s[b]) return s[a] > s[b];
            return v[a].second.i < v[b].second.i;
        };
        std::vector<std::pair<std::int32_t, Candidate>> out;
        out.reserve(v.size());
        for (std::size_t t = 0; t < p.K(); ++t) {
            const auto b0 = idx.begin() + static_cast<std::ptrdiff_t>(groupStart[t]);
            const auto b1 = idx.begin() + static_cast<std::ptrdiff_t>(groupStart[t + 1]);
            const auto mid = b1 - b0 > static_cast<std::ptrdiff_t>(kTop) ? b0 + static_cast<std::ptrdiff_t>(kTop) : b1;
            std::partial_sort(b0, mid, b1, before);
            for (auto it = b0; it != mid; ++it) out.push_back(v[*it]);
        }
        v = std::move(out);
    };
    rank(outs, outScore);
    rank(ins, inScore);
    struct Pair {
        MoveDelta d;
        std::uint32_t i, j;
        std::int32_t l;
    };
    std::vector<Pair> pairs;
    // Pairs whose two moves the moved-account limit refuses in either order: tried in turn they
    // would only add a budget refusal each (and change nothing), so they are set aside, not ranked,
    // and only looked at when no pair is taken (refusedBudget is a diagnostic read as "any").
    std::vector<std::pair<std::uint32_t, std::uint32_t>> countRefused;
    std::size_t a = 0, b = 0;
    while (a < outs.size() && b < ins.size()) {
        if (outs[a].first < ins[b].first) {
            ++a;
            continue;
        }
        if (ins[b].first < outs[a].first) {
            ++b;
            continue;
        }
        const std::int32_t l = outs[a].first;
        std::size_t ae = a, be = b;
        while (ae < outs.size() && outs[ae].first == l) ++ae;
        while (be < ins.size() && ins[be].first == l) ++be;
        for (std::size_t x = a; x < std::min(ae, a + kTop); ++x) {
            const std::uint32_t i = outs[x].second.i;
            const bool iBlocked = m_s.countBlocks(i, l);
            for (std::size_t y = b; y < std::min(be, b + kTop); ++y) {
                const std::uint32_t j = ins[y].second.i;
                if (iBlocked && m_s.countBlocks(j, k)) {
                    countRefused.push_back({i, j});
                    continue;
                }
                const MoveDelta d = m_s.swapDelta(i, j);
                if (d.hard < -kHardEps) pairs.push_back({d, i, j, l});
            }
        }
        a = ae, b = be;
    }
    std::sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) {
        if (betterDelta(x.d, y.d)) return true;
        if (betterDelta(y.d, x.d)) return false;
        if (x.i != y.i) return x.i < y.i;
        return x.j < y.j;
    });
    RefusalTally tally;
    // Applies `first` then `second` when both are allowed in that order; otherwise undoes `first`.
    auto tryPair = [&](std::uint32_t a1, std::int32_t to1, std::uint32_t a2, std::int32_t to2) {
        const std::int32_t from1 = m_s.territoryOf(a1);
        const MoveBlock b1 = m_s.check(a1, to1);
        if (b1 != MoveBlock::None) return b1;
        m_s.move(a1, to1);
        const MoveBlock b2 = m_s.check(a2, to2);
        if (b2 == MoveBlock::None) {
            m_s.move(a2, to2);
            return MoveBlock::None;
        }
        m_s.move(a1, from1);
        return b2;
    };
    for (const Pair& c : pairs) {
        // Out first, else in first (a territory of one account can only swap in first).
        MoveBlock b = tryPair(c.i, c.l, c.j, k);
        if (b != MoveBlock::None) b = tryPair(c.j, k, c.i, c.l);
        if (b == MoveBlock::None) {
            m_moves += 2;
            return true;
        }
        tally.add(b);
    }
    if (tally.budget == 0)
        for (const auto& [i, j] : countRefused)
            if (m_s.swapDelta(i, j).hard < -kHardEps) {
                tally.add(MoveBlock::Budget);
                break;
            }
    tally.commit(m_s);
    return false;
}

std::uint32_t BalanceRepair::nextStamp() {
    if (m_stamp.size() < m_s.problem().accounts) m_stamp.assign(m_s.problem().accounts, 0);
    if (++m_stampValue == 0) {
        std::fill(m_stamp.begin(), m_stamp.end(), 0);
        m_stampValue = 1;
    }
    return m_stampValue;
}

bool BalanceRepair::tryEject(std::int32_t k) {
    const BalanceProblem& p = m_s.problem();
    const std::size_t M = p.M(), ks = static_cast<std::size_t>(k);
    std::vector<std::pair<double, std::uint32_t>> big;
    for (std::uint32_t i : m_s.members(ks)) {
        if (p.fixed[i] != Fixed::Free) continue;
        double size = 0;
        for (std::size_t m = 0; m < M; ++m)
            size += p.balanceValue(i, m) / std::max(p.targetOf(ks, m), 1e-300);
        big.push_back({-size, i});
    }
    std::sort(big.begin(), big.end());
    if (big.size() > 3) big.resize(3);
    std::vector<std::int32_t> adjT;
    std::vector<std::uint32_t> adjA, cands, kNeighbours;
    std::vector<double> load(M);
    std::vector<std::pair<double, std::uint32_t>> scored;
    bool haveNeighbours = false;
    for (const auto& [negSize, i] : big) {
        m_s.adjacentTerritories(i, adjT);
        for (std::int32_t l : adjT) {
            const double before = m_s.totalHard();
            std::vector<std::pair<std::uint32_t, std::int32_t>> undo; // account, where it came from
            // The accounts of other territories next to k, kept up to date as k takes some in
            // (it only grows until the undo below). Each try starts from the same plan (the undo
            // restores it), so the starting set is gathered once; its order does not matter (the
            // candidates are ranked by (gain, account) below).
            std::uint32_t stamp = 0;
            auto addNeighbours = [&](std::uint32_t a) {
                m_s.adjacentAccounts(a, adjA, false);
                for (std::uint32_t j : adjA)
                    if (m_stamp[j] != stamp) {
                        m_stamp[j] = stamp;
                        cands.push_back(j);
                    }
            };
            if (!haveNeighbours) {
                stamp = nextStamp();
                cands.clear();
                for (std::uint32_t a : m_s.members(ks)) addNeighbours(a);
                kNeighbours = cands;
                haveNeighbours = true;
            } else {
                stamp = nextStamp();
                cands = kNeighbours;
                for (std::uint32_t j : cands) m_stamp[j] = stamp;
            }
            // Refill k as if i had left: the best in-moves while they help.
            for (int step = 0; step < 40; ++step) {
                for (std::size_t m = 0; m < M; ++m) load[m] = m_s.load(ks, m) - p.balanceValue(i, m);
                double baseK = 0;
                for (std::size_t m = 0; m < M; ++m) baseK += m_s.penalty(ks, m, load[m]);
                scored.clear();
                for (std::uint32_t j : cands) {
                    if (p.fixed[j] != Fixed::Free || j == i || m_s.territoryOf(j) == k) continue;
                    // check() below refuses it whatever its gain.
                    if (!m_s.withinBudget(j, k)) continue;
                    const auto src = static_cast<std::size_t>(m_s.territoryOf(j));
                    double d = -baseK;
                    for (std::size_t m = 0; m < M; ++m) {
                        d += m_s.penalty(ks, m, load[m] + p.balanceValue(j, m));
                        d += m_s.penalty(src, m, m_s.load(src, m) - p.balanceValue(j, m)) -
                             m_s.penalty(src, m, m_s.load(src, m));
                    }
                    if (d < -kHardEps) scored.push_back({d, j});
                }
                std::sort(scored.begin(), scored.end());
                bool moved = false;
                for (const auto& [d, j] : scored) {
                    const std::int32_t from = m_s.territoryOf(j);
                    if (m_s.check(j, k) != MoveBlock::None) continue;
                    m_s.move(j, k);
                    undo.push_back({j, from});
                    addNeighbours(j);
                    moved = true;
                    break;
                }
                if (!moved) break;
            }
            bool ok = !undo.empty() && m_s.check(i, l) == MoveBlock::None;
            if (ok) {
                m_s.move(i, l);
                undo.push_back({i, k});
                ok = m_s.totalHard() < before - kHardEps;
            }
            if (ok) {
                m_moves += undo.size();
                return true;
            }
            for (std::size_t u = undo.size(); u-- > 0;) m_s.move(undo[u].first, undo[u].second);
        }
    }
    return false;
}

// [SECTION] CompactnessPass
CompactnessPass::CompactnessPass(PlanState& state, std::size_t passes) : m_s(state), m_passes(passes) {}

bool CompactnessPass::step(std::size_t maxTerritories) {
    const BalanceProblem& p = m_s.problem();
    std::vector<std::int32_t> adjT;
    for (std::size_t t = 0; t < maxTerritories; ++t) {
        if (m_pass >= m_passes) return true;
        if (m_next >= p.K()) {
            m_next = 0;
            ++m_pass;
            continue;
        }
        const auto k = static_cast<std::int32_t>(m_next++);
        const std::vector<std::uint32_t> mem(m_s.members(static_cast<std::size_t>(k)).begin(),
                                             m_s.members(static_cast<std::size_t>(k)).end());
        for (std::uint32_t i : mem) {
            if (p.fixed[i] != Fixed::Free || m_s.territoryOf(i) != k) continue;
            m_s.adjacentTerritories(i, adjT);
            std::int32_t best = -1;
            MoveDelta bestD{0, -1e-12};
            for (std::int32_t l : adjT) {
                const MoveDelta d = m_s.shiftDelta(i, l);
                if (d.hard <= 0 && d.soft < bestD.soft) best = l, bestD = d;
            }
            if (best >= 0 && m_s.check(i, best) == MoveBlock::None) {
                m_s.move(i, best);
                ++m_moves;
            }
        }
    }
    return m_pass >= m_passes;
}

// [SECTION] contiguity and budget
std::vector<std::uint32_t> lockedInDetachedPieces(const BalanceProblem& p, const SiteGraph& g,
                                                  std::span<const std::int32_t> assignment) {
    std::vector<std::uint32_t> out;
    const std::size_t S = g.siteCount();
    // Accounts of each territory on each site, as (site, territory) pairs.
    auto at = [&](std::uint32_t site, std::int32_t k) {
        for (std::uint32_t i : g.accountsAt(site))
            if (assignment[i] == k) return true;
        return false;
    };
    std::vector<std::vector<std::uint32_t>> sitesOf(p.K());
    for (std::uint32_t s = 0; s < S; ++s) {
        for (std::uint32_t i : g.accountsAt(s)) {
            const std::int32_t k = assignment[i];
            if (k < 0) continue;
            auto& v = sitesOf[static_cast<std::size_t>(k)];
            if (v.empty() || v.back() != s) v.push_back(s);
        }
    }
    std::vector<std::int32_t> seen(S, -1);
    std::vector<std::uint32_t> queue;
    for (std::size_t kk = 0; kk < p.K(); ++kk) {
        const auto k = static_cast<std::int32_t>(kk);
        std::vector<std::vector<std::uint32_t>> pieces;
        for (std::uint32_t s0 : sitesOf[kk]) {
            if (seen[s0] == k) continue;
            queue.assign(1, s0);
            seen[s0] = k;
            for (std::size_t q = 0; q < queue.size(); ++q)
                for (std::uint32_t nb : g.neighbours(queue[q]))
                    if (seen[nb] != k && at(nb, k)) seen[nb] = k, queue.push_back(nb);
            pieces.push_back(queue);
        }
        if (pieces.size() < 2) continue;
        auto accountsIn = [&](const std::vector<std::uint32_t>& piece) {
            std::size_t c = 0;
            for (std::uint32_t s : piece)
                for (std::uint32_t i : g.accountsAt(s)) c += assignment[i] == k ? 1 : 0;
            return c;
        };
        std::size_t main = 0, mainCount = 0;
        for (std::size_t j = 0; j < pieces.size(); ++j)
            if (const std::size_t c = accountsIn(pieces[j]); c > mainCount) main = j, mainCount = c;
        for (std::size_t j = 0; j < pieces.size(); ++j) {
            if (j == main) continue;
            for (std::uint32_t s : pieces[j])
                for (std::uint32_t i : g.accountsAt(s))
                    if (assignment[i] == k && p.fixed[i] == Fixed::Locked) out.push_back(i);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

ContiguityRepairReport repairContiguity(PlanState& s) {
    ContiguityRepairReport rep;
    const BalanceProblem& p = s.problem();
    const SiteGraph& g = s.graph();
    std::vector<std::int32_t> pieceOf(g.siteCount(), -1);
    std::vector<std::uint32_t> sites, queue;
    for (std::size_t kk = 0; kk < p.K(); ++kk) {
        const auto k = static_cast<std::int32_t>(kk);
        sites.clear();
        for (std::uint32_t i : s.members(kk)) sites.push_back(g.siteOf[i]);
        std::sort(sites.begin(), sites.end());
        sites.erase(std::unique(sites.begin(), sites.end()), sites.end());
        if (sites.size() < 2) continue;
        std::vector<std::vector<std::uint32_t>> pieces;
        for (std::uint32_t s0 : sites) {
            if (pieceOf[s0] == k) continue;
            pieces.emplace_back();
            queue.assign(1, s0);
            pieceOf[s0] = k;
            for (std::size_t q = 0; q < queue.size(); ++q)
                for (std::uint32_t nb : g.neighbours(queue[q]))
                    if (pieceOf[nb] != k && s.presence(nb, k) > 0) {
                        pieceOf[nb] = k;
                        queue.push_back(nb);
                    }
            pieces.back() = queue;
        }
        if (pieces.size() < 2) continue;
        std::size_t main = 0, mainCount = 0;
        for (std::size_t j = 0; j < pieces.size(); ++j) {
            std::size_t c = 0;
            for (std::uint32_t st : pieces[j]) c += static_cast<std::size_t>(s.presence(st, k));
            if (c > mainCount) main = j, mainCount = c;
        }
        for (std::size_t j = 0; j < pieces.size(); ++j) {
            if (j == main) continue;
            // The neighbour sharing the most edges with the piece.
            std::vector<std::pair<std::int32_t, std::uint32_t>> edges; // territory, count
            auto bump = [&](std::int32_t t) {
                for (auto& e : edges)
                    if (e.first == t) {
                        ++e.second;
                        return;
                    }
                edges.push_back({t, 1});
            };
            std::vector<std::int32_t> adjT;
            for (std::uint32_t st : pieces[j])
                for (std::uint32_t i : g.accountsAt(st))
                    if (s.territoryOf(i) == k) {
                        s.adjacentTerritories(i, adjT);
                        for (std::int32_t t : adjT) bump(t);
                        break;
                    }
            if (edges.empty()) continue;
            std::sort(edges.begin(), edges.end(), [&](const auto& a, const auto& b) {
                if (a.second != b.second) return a.second > b.second;
                const double ha = s.hard(static_cast<std::size_t>(a.first)),
                             hb = s.hard(static_cast<std::size_t>(b.first));
                if (ha != hb) return ha < hb;
                return a.first < b.first;
            });
            const std::int32_t to = edges.front().first;
            bool locked = false;
            std::size_t movedHere = 0;
            for (std::uint32_t st : pieces[j])
                for (std::uint32_t i : g.accountsAt(st)) {
                    if (s.territoryOf(i) != k) continue;
                    if (p.fixed[i] != Fixed::Free) {
                        locked = true;
                        continue;
                    }
                    if (!s.withinBudget(i, to)) {
                        ++rep.budgetBlocked;
                        continue;
                    }
                    s.move(i, to);
                    ++movedHere;
                }
            rep.accountsMoved += movedHere;
            rep.piecesMoved += movedHere > 0 ? 1 : 0;
            rep.lockedEnclaves += locked ? 1 : 0;
        }
    }
    return rep;
}

std::size_t enforceBudget(PlanState& s, double maxCount, double maxValue) {
    if (s.movedAccounts() <= maxCount + 1e-9 && s.movedValue() <= maxValue * (1 + 1e-12) + 1e-9) return 0;
    const BalanceProblem& p = s.problem();
    struct Back {
        double ratio;
        std::uint32_t i;
    };
    std::vector<Back> cands;
    const double perCount = maxCount > 0 ? 1.0 / maxCount : 1e300;
    const double perValue = maxValue > 0 ? 1.0 / maxValue : 1e300;
    for (std::size_t i = 0; i < p.accounts; ++i) {
        const auto a = static_cast<std::uint32_t>(i);
        if (p.fixed[i] != Fixed::Free || !s.counts(a)) continue;
        const double regret = s.shiftDelta(a, p.current[i]).soft;
        const double use = std::min(1e300, perCount + p.moveValue[i] * perValue);
        cands.push_back({regret / use, a});
    }
    std::sort(cands.begin(), cands.end(), [](const Back& x, const Back& y) {
        return x.ratio != y.ratio ? x.ratio < y.ratio : x.i < y.i;
    });
    std::size_t reverted = 0;
    for (const Back& c : cands) {
        if (s.movedAccounts() <= maxCount + 1e-9 && s.movedValue() <= maxValue * (1 + 1e-12) + 1e-9) break;
        s.move(c.i, p.current[c.i]);
        ++reverted;
    }
    return reverted;
}

// [SECTION] rebalance
std::vector<RebalanceMove> rebalanceMoves(PlanState& s, std::size_t maxMoves) {
    const BalanceProblem& p = s.problem();
    const std::vector<std::int32_t> start = s.assignment();
    std::vector<std::uint32_t> order; // accounts in the order they last moved
    std::vector<std::uint32_t> stamp;
    std::uint32_t stampValue = 0;
    std::size_t moves = 0;
    while (s.totalHard() > 0 && moves < maxMoves) {
        std::vector<Candidate> cands;
        for (std::size_t k = 0; k < p.K(); ++k)
            if (s.hard(k) > 0)
                shiftCandidates(s, static_cast<std::int32_t>(k), cands, stamp, stampValue, true);
        std::sort(cands.begin(), cands.end(), candidateLess);
        bool applied = false;
        for (const Candidate& c : cands) {
            if (s.check(c.i, c.to) != MoveBlock::None) continue;
            s.move(c.i, c.to);
            order.push_back(c.i);
            ++moves;
            applied = true;
            break;
        }
        if (applied) continue;
        // No single move helps: the best swap across any violated territory.
        for (std::size_t k = 0; k < p.K() && !applied; ++k) {
            if (s.hard(k) <= 0) continue;
            BalanceRepair one(s, 1);
            const std::size_t before = one.moves();
            std::vector<std::int32_t> prev = s.assignment();
            one.step(1);
            if (one.moves() > before) {
                for (std::size_t i = 0; i < p.accounts; ++i)
                    if (prev[i] != s.assignment()[i]) order.push_back(static_cast<std::uint32_t>(i));
                moves += one.moves() - before;
                applied = true;
            }
        }
        if (!applied) break;
    }
    // Prune: drop any change that is not needed to stay inside tolerance (latest first).
    std::vector<std::uint32_t> seen(p.accounts, 0);
    for (std::size_t idx = order.size(); idx-- > 0;) {
        const std::uint32_t a = order[idx];
        if (seen[a]) continue;
        seen[a] = 1;
        if (s.assignment()[a] == start[a] || start[a] < 0) continue;
        const std::int32_t now = s.assignment()[a];
        const double hardBefore = s.totalHard();
        if (s.check(a, start[a]) != MoveBlock::None) continue;
        s.move(a, start[a]);
        if (s.totalHard() > hardBefore + kHardEps || (hardBefore <= 0 && s.totalHard() > 0)) s.move(a, now);
    }
    std::vector<RebalanceMove> out;
    for (std::size_t i = 0; i < p.accounts; ++i)
        if (s.assignment()[i] != start[i])
            out.push_back({static_cast<std::uint32_t>(i), start[i], s.assignment()[i]});
    return out;
}

} // namespace terrane::territory
