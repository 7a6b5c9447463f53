// Attainment simulation.
//
// Index
//  [SECTION] model    stage win rates, per-rep deals, new-pipeline Poisson tables
//  [SECTION] fast     the sliced job: per-rep streams, integer thresholds, alias tables
//  [SECTION] summary  per-trial figures into percentiles
//  [SECTION] naive    the baseline
#include "core/base/format.hpp"
#include "core/quota/simulate.hpp"

#include "core/base/rng.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace terrane::quota {

namespace {
using Sev = QuotaIssue::Severity;
constexpr double kTwo32 = 4294967296.0;
constexpr double kShrink = 20.0; // pseudo-deals of the global win rate mixed into each rep's rate
constexpr std::size_t kOwnSizesMin = 10;
constexpr double kFineBinsPerQuota = 256.0; // percentile bins: 1/256 of quota wide, up to 8x quota

std::uint32_t threshold(double p) {
    if (!(p > 0)) return 0;
    const double t = std::floor(p * kTwo32);
    return t >= 4294967295.0 ? 4294967295u : static_cast<std::uint32_t>(t);
}

// Rng stream `k` of rep `i`: distinct per rep so that slicing by rep cannot change results.
Rng repStream(std::uint64_t seed, std::size_t i) {
    return Rng(seed, 0x9E3779B97F4A7C15ULL ^ (static_cast<std::uint64_t>(i) * 2654435761ULL));
}

// Poisson(mu) weights around the mode, truncated where negligible: (first count, weights).
std::pair<std::uint32_t, std::vector<double>> poissonWeights(double mu) {
    std::vector<double> up{1.0}, down;
    const double mode = std::floor(mu);
    double w = 1.0;
    for (double k = mode; k < mode + 100000; k += 1.0) {
        w = w * mu / (k + 1.0);
        if (w < 1e-13) break;
        up.push_back(w);
    }
    w = 1.0;
    for (double k = mode; k > 0; k -= 1.0) {
        w = w * k / mu;
        if (w < 1e-13) break;
        down.push_back(w);
    }
    std::vector<double> out(down.rbegin(), down.rend());
    out.insert(out.end(), up.begin(), up.end());
    return {static_cast<std::uint32_t>(mode) - static_cast<std::uint32_t>(down.size()), out};
}

// Vose alias table quantised to uint32 thresholds.
void buildAlias(const std::vector<double>& weights, std::vector<std::uint32_t>& thr,
                std::vector<std::uint32_t>& alias) {
    const std::size_t n = weights.size();
    double total = 0;
    for (double x : weights) total += x;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
        scaled[i] = weights[i] * static_cast<double>(n) / total;
        (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    std::vector<double> prob(n, 1.0);
    std::vector<std::uint32_t> al(n);
    for (std::size_t i = 0; i < n; ++i) al[i] = static_cast<std::uint32_t>(i);
    while (!small.empty() && !large.empty()) {
        const std::uint32_t s = small.back(), l = large.back();
        small.pop_back();
        prob[s] = scaled[s];
        al[s] = l;
        scaled[l] = (scaled[l] + scaled[s]) - 1.0;
        if (scaled[l] < 1.0) {
            large.pop_back();
            small.push_back(l);
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        thr.push_back(prob[i] >= 1.0 ? 4294967295u : threshold(prob[i]));
        alias.push_back(al[i]);
    }
}

std::size_t percentileIndex(double q, std::size_t n) {
    return static_cast<std::size_t>(std::floor(q * static_cast<double>(n - 1) + 0.5));
}

void fnv(std::uint64_t& h, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        h ^= (v >> (8 * i)) & 0xFF;
        h *= 1099511628211ULL;
    }
}
} // namespace

// [SECTION] model
SimModel buildSimModel(const Workspace& ws, const Scenario& sc, const QuotaResult& q, std::uint64_t seed,
                       std::uint32_t trials) {
    SimModel m;
    m.seed = seed;
    m.trials = std::max<std::uint32_t>(1, trials);
    m.target = q.target;
    m.planYear = q.tree.planYear;
    m.asOf = q.tree.asOf;
    m.planStart = q.tree.planStart;
    m.planEnd = q.tree.planEnd;
    const auto& N = q.tree.nodes;

    // Sim reps and the map territories row -> sim rep.
    std::vector<std::int32_t> repOfRow(sc.territories.rows(), -1);
    std::unordered_map<std::string, std::int32_t> repOfId;
    for (const RepQuota& rq : q.reps) {
        if (rq.quota <= 0) continue;
        const auto idx = static_cast<std::int32_t>(m.reps.size());
        SimRep s;
        s.repId = rq.repId;
        s.name = rq.name;
        s.quota = rq.quota;
        s.capacity = rq.capacity;
        m.totalQuota += rq.quota;
        m.reps.push_back(std::move(s));
        for (std::int32_t t : rq.territories) {
            const std::int32_t row = N[static_cast<std::size_t>(t)].territoryRow;
            if (row >= 0 && static_cast<std::size_t>(row) < repOfRow.size())
                repOfRow[static_cast<std::size_t>(row)] = idx;
        }
        if (!rq.repId.empty()) repOfId.emplace(rq.repId, idx);
    }
    const std::size_t R = m.reps.size();

    // Stage win rates.
    const Table& opp = ws.opportunities();
    const int cId = opp.indexOf("opportunity_id"), cAcc = opp.indexOf("account_id"),
              cOwn = opp.indexOf("owner"), cStage = opp.indexOf("stage"), cAmt = opp.indexOf("amount"),
              cProb = opp.indexOf("probability"), cCreated = opp.indexOf("created_date"),
              cClose = opp.indexOf("close_date"), cClosed = opp.indexOf("is_closed"),
              cWon = opp.indexOf("is_won");
    std::map<std::string, double> stageRate;
    std::map<std::string, std::pair<double, double>>
        probSum; // stage -> (sum of probability, count) over open deals
    for (std::size_t r = 0; r < opp.rows(); ++r) {
        if (opp.flag(cClosed, r)) continue;
        const double p = opp.f64(cProb, r);
        if (std::isnan(p)) continue;
        auto& ps = probSum[std::string(opp.str(cStage, r))];
        ps.first += p > 1.0 ? p / 100.0 : p;
        ps.second += 1;
    }
    const Table& sh = ws.table(DatasetKind::StageHistory);
    bool fromHistory = false;
    if (sh.rows() > 0) {
        std::unordered_map<std::string, std::set<std::string>> reached;
        const int hId = sh.indexOf("opportunity_id"), hStage = sh.indexOf("stage");
        for (std::size_t r = 0; r < sh.rows(); ++r)
            reached[std::string(sh.str(hId, r))].insert(std::string(sh.str(hStage, r)));
        std::map<std::string, std::pair<double, double>> wc; // stage -> (won, closed)
        for (std::size_t r = 0; r < opp.rows(); ++r) {
            if (!opp.flag(cClosed, r)) continue;
            auto it = reached.find(std::string(opp.str(cId, r)));
            if (it == reached.end()) continue;
            for (const std::string& s : it->second) {
                wc[s].second += 1;
                wc[s].first += opp.flag(cWon, r) ? 1 : 0;
            }
        }
        for (auto& [s, v] : wc)
            if (v.second >= 10) stageRate[s] = v.first / v.second, fromHistory = true;
    }
    for (auto& [s, v] : probSum)
        if (!stageRate.count(s) && v.second > 0) stageRate[s] = v.first / v.second;
    m.winRateSource = fromHistory ? "stage history (won ÷ closed among deals that reached the stage)"
                                  : "the opportunities' stage probability";
    for (auto& [s, v] : stageRate) m.stageWinRates.emplace_back(s, v);

    // History per rep: won sizes, win counts, creation counts; global cycles and sizes.
    const Table& acc = ws.accounts();
    auto repOfOpp = [&](std::size_t r) -> std::int32_t {
        if (auto a = acc.rowOf(opp.str(cAcc, r)); a && *a < sc.assignment.size()) {
            const std::int32_t t = sc.assignment[*a];
            if (t >= 0 && static_cast<std::size_t>(t) < repOfRow.size() &&
                repOfRow[static_cast<std::size_t>(t)] >= 0)
                return repOfRow[static_cast<std::size_t>(t)];
        }
        auto it = repOfId.find(std::string(opp.str(cOwn, r)));
        return it == repOfId.end() ? -1 : it->second;
    };
    std::vector<std::vector<Money>> ownSizes(R);
    std::vector<double> won(R, 0), closed(R, 0), created(R, 0);
    std::vector<Money> globalSizes;
    std::vector<std::int64_t> cycles;
    double wonAll = 0, closedAll = 0;
    const Date hFrom = q.tree.historyFrom, hTo = q.tree.historyTo;
    std::vector<std::vector<std::pair<double, Money>>> open(R);
    std::vector<std::int32_t> oppRep(opp.rows());
    for (std::size_t r = 0; r < opp.rows(); ++r) oppRep[r] = repOfOpp(r);
    for (std::size_t r = 0; r < opp.rows(); ++r) {
        const std::int32_t rep = oppRep[r];
        const std::int64_t amt = opp.i64(cAmt, r), cr = opp.i64(cCreated, r), cl = opp.i64(cClose, r);
        if (cr != kI64Null && cr >= hFrom && cr < hTo && rep >= 0)
            created[static_cast<std::size_t>(rep)] += 1;
        if (opp.flag(cClosed, r)) {
            const bool w = opp.flag(cWon, r);
            closedAll += 1;
            wonAll += w ? 1 : 0;
            if (rep >= 0)
                closed[static_cast<std::size_t>(rep)] += 1, won[static_cast<std::size_t>(rep)] += w ? 1 : 0;
            if (w && amt != kI64Null && amt > 0) {
                globalSizes.push_back(amt);
                if (rep >= 0) ownSizes[static_cast<std::size_t>(rep)].push_back(amt);
                if (cr != kI64Null && cl != kI64Null && cl >= cr) cycles.push_back(cl - cr);
            }
            continue;
        }
        if (rep < 0 || amt == kI64Null || amt <= 0 || cl == kI64Null || cl < m.planStart || cl >= m.planEnd)
            continue;
        auto it = stageRate.find(std::string(opp.str(cStage, r)));
        const double p = it != stageRate.end() ? it->second : (closedAll > 0 ? wonAll / closedAll : 0.0);
        open[static_cast<std::size_t>(rep)].emplace_back(p, amt);
    }
    m.wonDeals = globalSizes.size();
    m.globalWinRate = closedAll > 0 ? wonAll / closedAll : 0.0;
    if (!cycles.empty()) {
        std::vector<std::int64_t> c = cycles;
        std::nth_element(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(c.size() / 2), c.end());
        m.medianCycleDays = static_cast<double>(c[c.size() / 2]);
    }
    if (globalSizes.empty())
        m.issues.push_back(
            {Sev::Warning, "", "no won opportunities in the data: new pipeline is not simulated", "data"});
    // Expected days of creation whose deals close inside the plan year, averaged over cycles.
    const Date createStart = m.asOf == kDateNull ? m.planStart : std::min<Date>(m.asOf + 1, m.planEnd);
    double overlapDays = 0;
    for (std::int64_t L : cycles) {
        const std::int64_t lo = std::max<std::int64_t>(createStart, m.planStart - L),
                           hi = std::min<std::int64_t>(m.planEnd, m.planEnd - L);
        overlapDays += static_cast<double>(std::max<std::int64_t>(0, hi - lo));
    }
    if (!cycles.empty()) overlapDays /= static_cast<double>(cycles.size());
    const double windowDays = std::max<double>(1.0, static_cast<double>(hTo - hFrom));

    m.amounts = globalSizes;
    for (std::size_t i = 0; i < R; ++i) {
        SimRep& s = m.reps[i];
        s.dealBegin = static_cast<std::uint32_t>(m.dealAmount.size());
        for (auto [p, a] : open[i]) {
            m.dealThreshold.push_back(threshold(p));
            m.dealProbability.push_back(p);
            m.dealAmount.push_back(a);
            s.openPipeline += a;
            s.expectedOpen += p * static_cast<double>(a);
        }
        s.dealCount = static_cast<std::uint32_t>(open[i].size());
        if (ownSizes[i].size() >= kOwnSizesMin) {
            s.amountBegin = static_cast<std::uint32_t>(m.amounts.size());
            s.amountCount = static_cast<std::uint32_t>(ownSizes[i].size());
            m.amounts.insert(m.amounts.end(), ownSizes[i].begin(), ownSizes[i].end());
        } else {
            s.amountBegin = 0;
            s.amountCount = static_cast<std::uint32_t>(globalSizes.size());
        }
        s.winRate = (won[i] + kShrink * m.globalWinRate) / (closed[i] + kShrink);
        const double perDay = created[i] / windowDays;
        s.createdPerMonth = perDay * 365.25 / 12.0;
        s.newDealsMean =
            s.amountCount > 0 ? perDay * overlapDays * s.winRate * std::max(0.0, s.capacity) : 0.0;
        double meanSize = 0;
        for (std::uint32_t k = 0; k < s.amountCount; ++k)
            meanSize += static_cast<double>(m.amounts[s.amountBegin + k]);
        if (s.amountCount) meanSize /= s.amountCount;
        s.expectedNew = s.newDealsMean * meanSize;
        s.aliasBegin = static_cast<std::uint32_t>(m.aliasThreshold.size());
        if (s.newDealsMean > 0) {
            auto [first, w] = poissonWeights(s.newDealsMean);
            s.aliasOffset = first;
            buildAlias(w, m.aliasThreshold, m.aliasIndex);
            s.aliasCount = static_cast<std::uint32_t>(w.size());
        }
        char buf[320];
        std::snprintf(buf, sizeof buf,
                      "%u open deals closing in %d (%s, expected %s at stage win rates) + new pipeline: %.1f "
                      "created/month × %.0f%% win"
                      " × ramp %.0f%% → %.1f wins expected in the year (avg %s)",
                      s.dealCount, m.planYear, fmt::moneyExact(s.openPipeline).c_str(),
                      fmt::moneyExact(static_cast<Money>(std::floor(s.expectedOpen + 0.5))).c_str(),
                      s.createdPerMonth, s.winRate * 100.0, s.capacity * 100.0, s.newDealsMean,
                      fmt::moneyExact(static_cast<Money>(std::floor(meanSize + 0.5))).c_str());
        s.basis = buf;
    }
    return m;
}

// [SECTION] fast
SimulationJob::SimulationJob(std::shared_ptr<const SimModel> model) : m_model(std::move(model)) {
    m_totals.assign(m_model->trials, 0);
    m_hits.assign(m_model->trials, 0);
    m_buf.resize(m_model->trials);
    m_fine.assign(kFineBins, 0);
    m_binSlot.assign(kFineBins, -1);
    m_select.resize(5);
    m_result.seed = m_model->seed;
    m_result.trials = m_model->trials;
    m_result.reps.resize(m_model->reps.size());
    m_result.histogram.assign(SimResult::kHistBins, 0);
    m_result.target = m_model->target;
    m_result.totalQuota = m_model->totalQuota;
}

double SimulationJob::progress() const {
    return m_model->reps.empty() ? 1.0
                                 : static_cast<double>(m_next) / static_cast<double>(m_model->reps.size());
}

std::string SimulationJob::detail() const {
    return "rep " + std::to_string(std::min(m_next + 1, m_model->reps.size())) + " of " +
           std::to_string(m_model->reps.size()) + ", " + std::to_string(m_model->trials) + " trials each";
}

bool SimulationJob::step(double budgetMs) {
    if (m_cancelled) return true;
    const SimModel& M = *m_model;
    const std::uint32_t T = M.trials;
    const Stopwatch sw;
    const std::uint32_t* dealThr = M.dealThreshold.data();
    const Money* dealAmt = M.dealAmount.data();
    const Money* amounts = M.amounts.data();
    while (m_next < M.reps.size()) {
        const SimRep& s = M.reps[m_next];
        Rng rng = repStream(M.seed, m_next);
        const std::uint32_t* thr = dealThr + s.dealBegin;
        const Money* amt = dealAmt + s.dealBegin;
        const std::uint32_t nd = s.dealCount;
        const Money* pool = amounts + s.amountBegin;
        const std::uint64_t poolN = s.amountCount;
        const std::uint32_t* athr = M.aliasThreshold.data() + s.aliasBegin;
        const std::uint32_t* aidx = M.aliasIndex.data() + s.aliasBegin;
        const std::uint64_t K = s.aliasCount;
        const std::uint32_t off = s.aliasOffset;
        Money* buf = m_buf.data();
        for (std::uint32_t t = 0; t < T; ++t) {
            Money b = 0;
            // Branch-free: wins are random, so a branch would mispredict about half the time.
            for (std::uint32_t d = 0; d < nd; ++d) b += amt[d] & -static_cast<Money>(rng.next32() < thr[d]);
            if (K) {
                const std::uint64_t x = static_cast<std::uint64_t>(rng.next32()) * K;
                const auto slot = static_cast<std::uint32_t>(x >> 32);
                const auto frac = static_cast<std::uint32_t>(x);
                const std::uint32_t n = off + (frac < athr[slot] ? slot : aidx[slot]);
                for (std::uint32_t j = 0; j < n; ++j)
                    b += pool[(static_cast<std::uint64_t>(rng.next32()) * poolN) >> 32];
            }
            buf[t] = b;
        }
        if (m_keep) m_kept.insert(m_kept.end(), m_buf.begin(), m_buf.end());
        if (m_sink) m_sink(m_next, buf, T);
        // Per-trial aggregates and this rep's distribution. Percentiles are exact: count the
        // trials in fine attainment bins, then select within the few bins holding the ranks.
        const Money quota = s.quota;
        const double inv = 1.0 / static_cast<double>(quota);
        const double binScale = inv / SimResult::kHistBinWidth;
        const double fineScale = inv * kFineBinsPerQuota;
        double sum = 0;
        std::uint32_t atQuota = 0;
        std::uint64_t* hist = m_result.histogram.data();
        std::uint32_t* fine = m_fine.data();
        std::fill(m_fine.begin(), m_fine.end(), 0u);
        for (std::uint32_t t = 0; t < T; ++t) {
            const Money b = buf[t];
            m_totals[t] += b;
            const bool hit = b >= quota;
            m_hits[t] += hit ? 1u : 0u;
            atQuota += hit ? 1u : 0u;
            sum += static_cast<double>(b);
            const double bin = static_cast<double>(b) * binScale;
            ++hist[bin >= SimResult::kHistBins - 1 ? SimResult::kHistBins - 1 : static_cast<int>(bin)];
            const double fb = static_cast<double>(b) * fineScale;
            const std::uint32_t f = fb >= kFineBins - 1 ? kFineBins - 1 : static_cast<std::uint32_t>(fb);
            ++fine[f];
        }
        RepAttainment& ra = m_result.reps[m_next];
        ra.expectedBookings = sum / T;
        ra.mean = ra.expectedBookings / static_cast<double>(quota);
        ra.probAtQuota = static_cast<double>(atQuota) / T;
        double* qs[5] = {&ra.p10, &ra.p25, &ra.p50, &ra.p75, &ra.p90};
        const double qv[5] = {0.1, 0.25, 0.5, 0.75, 0.9};
        std::size_t rank[5];
        std::uint32_t binOfRank[5];
        std::size_t below[5]; // trials in bins before the rank's bin
        for (int k = 0; k < 5; ++k) rank[k] = percentileIndex(qv[k], T);
        {
            std::size_t cum = 0;
            int k = 0;
            for (std::uint32_t f = 0; f < kFineBins && k < 5; ++f) {
                while (k < 5 && rank[k] < cum + fine[f]) binOfRank[k] = f, below[k] = cum, ++k;
                cum += fine[f];
            }
        }
        // One pass collects the trials of the (at most five) bins that hold a rank.
        int slots = 0;
        for (int k = 0; k < 5; ++k)
            if (m_binSlot[binOfRank[k]] < 0)
                m_select[static_cast<std::size_t>(slots)].clear(),
                    m_binSlot[binOfRank[k]] = static_cast<std::int8_t>(slots++);
        const std::int8_t* slotOf = m_binSlot.data();
        for (std::uint32_t t = 0; t < T; ++t) {
            const double fb = static_cast<double>(buf[t]) * fineScale;
            const std::uint32_t f = fb >= kFineBins - 1 ? kFineBins - 1 : static_cast<std::uint32_t>(fb);
            if (slotOf[f] >= 0) m_select[static_cast<std::size_t>(slotOf[f])].push_back(buf[t]);
        }
        for (int k = 0; k < 5; ++k) {
            std::vector<Money>& sel = m_select[static_cast<std::size_t>(m_binSlot[binOfRank[k]])];
            const auto it = sel.begin() + static_cast<std::ptrdiff_t>(rank[k] - below[k]);
            std::nth_element(sel.begin(), it, sel.end());
            *qs[k] = static_cast<double>(*it) / static_cast<double>(quota);
        }
        for (int k = 0; k < 5; ++k) m_binSlot[binOfRank[k]] = -1;
        ++m_next;
        if (sw.ms() >= budgetMs) break;
    }
    if (m_next < M.reps.size()) {
        m_computeMs += sw.ms();
        return false;
    }
    finish();
    m_computeMs += sw.ms();
    return true;
}

// [SECTION] summary
namespace {
void summarise(SimResult& r, std::vector<Money>& totals, const std::vector<std::uint32_t>& hits,
               std::size_t reps) {
    const std::size_t T = totals.size();
    std::uint64_t h = 1469598103934665603ULL;
    double sumTot = 0, sumShare = 0;
    std::vector<double> share(T);
    for (std::size_t t = 0; t < T; ++t) {
        fnv(h, static_cast<std::uint64_t>(totals[t]));
        fnv(h, hits[t]);
        sumTot += static_cast<double>(totals[t]);
        share[t] = reps ? static_cast<double>(hits[t]) / static_cast<double>(reps) : 0.0;
        sumShare += share[t];
    }
    r.fingerprint = h;
    if (T == 0) return;
    r.expectedTotal = sumTot / static_cast<double>(T);
    r.shareAtQuota = sumShare / static_cast<double>(T);
    std::sort(totals.begin(), totals.end());
    std::sort(share.begin(), share.end());
    r.totalP10 = totals[percentileIndex(0.1, T)];
    r.totalP50 = totals[percentileIndex(0.5, T)];
    r.totalP90 = totals[percentileIndex(0.9, T)];
    r.shareP10 = share[percentileIndex(0.1, T)];
    r.shareP50 = share[percentileIndex(0.5, T)];
    r.shareP90 = share[percentileIndex(0.9, T)];
    r.complete = true;
}
} // namespace

void SimulationJob::finish() {
    std::vector<Money> totals = m_totals;
    summarise(m_result, totals, m_hits, m_model->reps.size());
}

SimResult simulateAttainment(const SimModel& model) {
    SimulationJob job(std::shared_ptr<const SimModel>(&model, [](const SimModel*) {}));
    runToCompletion(job);
    return job.result();
}

// [SECTION] naive
SimResult simulateAttainmentNaive(const SimModel& M) {
    const std::size_t R = M.reps.size(), T = M.trials;
    SimResult r;
    r.seed = M.seed;
    r.trials = M.trials;
    r.target = M.target;
    r.totalQuota = M.totalQuota;
    r.reps.resize(R);
    r.histogram.assign(SimResult::kHistBins, 0);
    std::vector<Money> book(R * T);
    Rng rng(M.seed);
    for (std::size_t t = 0; t < T; ++t) {
        for (std::size_t i = 0; i < R; ++i) {
            const SimRep& s = M.reps[i];
            Money b = 0;
            for (std::uint32_t d = 0; d < s.dealCount; ++d)
                if (rng.uniform() < M.dealProbability[s.dealBegin + d]) b += M.dealAmount[s.dealBegin + d];
            if (s.amountCount > 0 && s.newDealsMean > 0) {
                const std::uint32_t n = rng.poisson(s.newDealsMean);
                for (std::uint32_t j = 0; j < n; ++j)
                    b += M.amounts[s.amountBegin + rng.below(s.amountCount)];
            }
            book[t * R + i] = b;
        }
    }
    std::vector<Money> totals(T, 0);
    std::vector<std::uint32_t> hits(T, 0);
    std::vector<double> att(T);
    for (std::size_t i = 0; i < R; ++i) {
        const double quota = static_cast<double>(M.reps[i].quota);
        double sum = 0;
        std::uint32_t at = 0;
        for (std::size_t t = 0; t < T; ++t) {
            const Money b = book[t * R + i];
            totals[t] += b;
            const bool hit = b >= M.reps[i].quota;
            hits[t] += hit;
            at += hit;
            att[t] = static_cast<double>(b) / quota;
            sum += static_cast<double>(b);
            const double bin = att[t] / SimResult::kHistBinWidth;
            ++r.histogram[bin >= SimResult::kHistBins - 1 ? SimResult::kHistBins - 1 : static_cast<int>(bin)];
        }
        std::sort(att.begin(), att.end());
        RepAttainment& ra = r.reps[i];
        ra.expectedBookings = sum / static_cast<double>(T);
        ra.mean = ra.expectedBookings / quota;
        ra.probAtQuota = static_cast<double>(at) / static_cast<double>(T);
        ra.p10 = att[percentileIndex(0.1, T)];
        ra.p25 = att[percentileIndex(0.25, T)];
        ra.p50 = att[percentileIndex(0.5, T)];
        ra.p75 = att[percentileIndex(0.75, T)];
        ra.p90 = att[percentileIndex(0.9, T)];
    }
    summarise(r, totals, hits, R);
    return r;
}

} // namespace terrane::quota
