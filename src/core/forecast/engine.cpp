// The forecast engine (see engine.hpp).
//
// Index
//  [SECTION] history
//  [SECTION] features
//  [SECTION] model
//  [SECTION] raw
//  [SECTION] headline
#include "core/forecast/engine.hpp"

#include "core/base/format.hpp"
#include "core/base/rng.hpp"
#include "core/base/text.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace terrane::forecast::detail {

// [SECTION] history
std::uint32_t Dict::id(std::string_view s) {
    auto it = index.find(std::string(s));
    if (it != index.end()) return it->second;
    const auto k = static_cast<std::uint32_t>(names.size());
    names.emplace_back(s);
    index.emplace(names.back(), k);
    return k;
}

Category categoryCode(std::string_view text) {
    switch (forecast::categoryOf(text)) {
    case ForecastCategory::Commit: return kCatCommit;
    case ForecastCategory::BestCase: return kCatBest;
    case ForecastCategory::Pipeline: return kCatPipeline;
    case ForecastCategory::Omitted:
    case ForecastCategory::Closed: return kCatOmitted;
    default: return kCatNone;
    }
}

History::History(const Workspace& ws) : m_src(pipelineSource(ws)) {
    for (std::uint32_t i = 0; i < m_src.deals.size(); ++i) {
        const Deal& d = m_src.deals[i];
        if (d.created != kDateNull && (m_first == kDateNull || d.created < m_first)) m_first = d.created;
        if (d.won() && d.closedOn != kDateNull && d.amount != kMoneyNull) m_wonByClose.push_back(i);
    }
    std::stable_sort(m_wonByClose.begin(), m_wonByClose.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return m_src.deals[a].closedOn < m_src.deals[b].closedOn; });
}

const std::vector<Obs>& History::openAt(Date d) {
    auto it = m_open.find(d);
    if (it != m_open.end()) return it->second;
    const PipelineSnapshot s = snapshotAsOf(m_src, d);
    ++snapshotsTaken;
    std::vector<Obs> out;
    for (const Deal& x : s.deals) {
        if (!x.open()) continue;
        Obs o;
        o.deal = x.row;
        o.stage = stages.id(x.stage);
        o.stageOrder = x.stageOrder;
        o.owner = owners.id(x.owner);
        o.team = teams.id(!x.region.empty() ? x.region : x.manager);
        o.segment = segments.id(x.segment);
        o.product = products.id(x.product);
        o.amount = x.amount == kMoneyNull ? 0 : x.amount;
        o.created = x.created;
        o.close = x.closeDate;
        o.activity = x.lastActivity;
        o.stageEntered = x.stageEntered;
        o.crm = std::isnan(x.probability) ? -1.0f : static_cast<float>(x.probability);
        o.pushes = static_cast<std::uint8_t>(std::clamp(x.pushes, 0, 255));
        o.category = categoryCode(x.forecastCategory);
        out.push_back(o);
    }
    return m_open.emplace(d, std::move(out)).first->second;
}

Money History::wonBetween(Date a, Date b) const {
    auto lo = std::lower_bound(m_wonByClose.begin(), m_wonByClose.end(), a,
                               [&](std::uint32_t i, Date v) { return m_src.deals[i].closedOn < v; });
    Money sum = 0;
    for (; lo != m_wonByClose.end() && m_src.deals[*lo].closedOn <= b; ++lo) sum += m_src.deals[*lo].amount;
    return sum;
}

Money History::newBusiness(Date a, Date b) const {
    auto lo = std::lower_bound(m_wonByClose.begin(), m_wonByClose.end(), a,
                               [&](std::uint32_t i, Date v) { return m_src.deals[i].closedOn < v; });
    Money sum = 0;
    for (; lo != m_wonByClose.end() && m_src.deals[*lo].closedOn <= b; ++lo)
        if (m_src.deals[*lo].created >= a) sum += m_src.deals[*lo].amount;
    return sum;
}

// [SECTION] features
namespace {

enum Group : std::uint8_t { gBase, gStage, gAge, gAmount, gClose, gActivity, gPushes, gInStage, gCategory, gCrm, gCalendar, gProduct, gOwner, gSegment };

int trainingPeriods(PeriodKind k) { return k == PeriodKind::Month ? 24 : k == PeriodKind::Quarter ? 10 : 4; }
constexpr std::size_t kRowCap = 6000;

int dueClass(const Obs& o, Date a, Date b) {
    if (o.close == kDateNull) return 3;
    return o.close <= a ? 1 : o.close <= b ? 0 : 2;
}

// The raw (unstandardised) feature row of `o` for the window [a, b] seen from the end of day a.
void featurize(const FitModel& m, const Obs& o, Date a, Date b, float* x) {
    int c = 0;
    x[c++] = 1;
    for (std::size_t k = 1; k < m.stageIds.size(); ++k) x[c++] = o.stage == m.stageIds[k] ? 1.f : 0.f;
    const double age = o.created == kDateNull ? 0 : std::max(0, a - o.created);
    x[c++] = static_cast<float>(std::log1p(age / 30.0));
    x[c++] = static_cast<float>(std::log1p(std::max(0.0, moneyToMajor(o.amount))));
    const double len = std::max(1, b - a);
    const bool none = o.close == kDateNull;
    x[c++] = none ? 1.f : 0.f;
    x[c++] = !none && o.close <= a ? 1.f : 0.f;
    x[c++] = !none && o.close > a && o.close <= b ? 1.f : 0.f;
    x[c++] = none ? 0.f : static_cast<float>(std::clamp((o.close - a) / len, -3.0, 6.0));
    x[c++] = !none && o.close > b && o.close <= b + len ? 1.f : 0.f;        // due in the next window
    x[c++] = !none && o.close <= a - len ? 1.f : 0.f;                      // overdue by a window or more
    x[c++] = !none && o.close > a && o.close <= a + len / 2 ? 1.f : 0.f;   // due in the window's first half
    const bool noAct = o.activity == kDateNull;
    x[c++] = noAct ? 0.f : static_cast<float>(std::log1p(std::max(0, a - o.activity) / 7.0));
    x[c++] = noAct ? 1.f : 0.f;
    x[c++] = static_cast<float>(std::min<int>(o.pushes, 6));
    x[c++] = o.stageEntered == kDateNull ? 0.f : static_cast<float>(std::log1p(std::max(0, a - o.stageEntered) / 30.0));
    for (int k = 1; k <= 4; ++k) x[c++] = o.category == k ? 1.f : 0.f;
    x[c++] = o.crm < 0 ? 0.f : o.crm;
    x[c++] = o.crm < 0 ? 1.f : 0.f;
    // Calendar: where the window ends in the quarter, and how that meets the close date (deals
    // due mid-quarter slip to the quarter's end; deals due at its end are pulled in).
    const Ymd end = civilFromDays(b);
    const bool quarterEnd = end.month % 3 == 0;
    const bool dueIn = !none && o.close > a && o.close <= b;
    const int nextQuarter = (end.month - 1) / 3 * 3 + 4;
    const Date quarterLast = (nextQuarter > 12 ? daysFromCivil(end.year + 1, 1, 1) : daysFromCivil(end.year, nextQuarter, 1)) - 1;
    x[c++] = quarterEnd ? 1.f : 0.f;
    x[c++] = end.month == 12 ? 1.f : 0.f;
    x[c++] = end.month % 3 == 1 ? 1.f : 0.f;
    x[c++] = dueIn && quarterEnd ? 1.f : 0.f;
    x[c++] = !quarterEnd && !none && o.close > b && o.close <= quarterLast ? 1.f : 0.f;
    for (std::size_t k = 1; k < m.productIds.size(); ++k) x[c++] = o.product == m.productIds[k] ? 1.f : 0.f;
}

void layout(FitModel& m) {
    m.group.clear();
    m.group.push_back(gBase);
    for (std::size_t k = 1; k < m.stageIds.size(); ++k) m.group.push_back(gStage);
    for (Group g : {gAge, gAmount, gClose, gClose, gClose, gClose, gClose, gClose, gClose, gActivity, gActivity, gPushes, gInStage, gCategory, gCategory,
                    gCategory, gCategory, gCrm, gCrm, gCalendar, gCalendar, gCalendar, gCalendar, gCalendar})
        m.group.push_back(g);
    for (std::size_t k = 1; k < m.productIds.size(); ++k) m.group.push_back(gProduct);
    m.p = static_cast<int>(m.group.size());
}

void standardize(const FitModel& m, float* x) {
    for (int j = 1; j < m.p; ++j) x[j] = static_cast<float>((x[j] - m.mean[j]) / m.sd[j]);
}

struct Rows {
    std::vector<float> X;
    std::vector<std::uint8_t> closed, won;
    std::vector<float> w;
    std::vector<std::uint32_t> owner, segment;
    std::vector<int> fold; // index of the training date
};

struct Pair {
    LogisticFit timing, win;
    std::vector<double> tOwner, tSegment, wOwner, wSegment;
};

double dot(const std::vector<double>& beta, const float* x, int p) {
    double z = 0;
    for (int j = 0; j < p; ++j) z += beta[j] * x[j];
    return z;
}

Pair fitPair(const Rows& r, int p, std::size_t owners, std::size_t segments, const std::vector<std::uint8_t>& use) {
    Pair out;
    std::vector<double> pen(p, 1.0);
    pen[0] = 0;
    auto fitOne = [&](bool winModel, LogisticFit& fit, std::vector<double>& eo, std::vector<double>& es) {
        std::vector<float> X;
        std::vector<std::uint8_t> y;
        std::vector<float> w;
        std::vector<std::uint32_t> go, gs;
        for (std::size_t i = 0; i < r.w.size(); ++i) {
            if (!use[i] || (winModel && !r.closed[i])) continue;
            X.insert(X.end(), r.X.begin() + static_cast<std::ptrdiff_t>(i * p), r.X.begin() + static_cast<std::ptrdiff_t>((i + 1) * p));
            y.push_back(winModel ? r.won[i] : r.closed[i]);
            w.push_back(r.w[i]);
            go.push_back(r.owner[i]);
            gs.push_back(r.segment[i]);
        }
        fit = fitLogistic(X, p, y, w, pen, {}, 12);
        std::vector<double> eta(y.size());
        for (std::size_t i = 0; i < y.size(); ++i) eta[i] = dot(fit.beta, X.data() + i * p, p);
        eo = shrunkGroupEffects(go, owners, y, w, eta, 4.0);
        for (std::size_t i = 0; i < y.size(); ++i) eta[i] += eo[go[i]];
        es = shrunkGroupEffects(gs, segments, y, w, eta, 4.0);
    };
    fitOne(false, out.timing, out.tOwner, out.tSegment);
    fitOne(true, out.win, out.wOwner, out.wSegment);
    return out;
}

double pairP(const Pair& pr, const float* x, int p, std::uint32_t owner, std::uint32_t segment, double& timing, double& win) {
    auto eff = [](const std::vector<double>& e, std::uint32_t k) { return k < e.size() ? e[k] : 0.0; };
    timing = sigmoid(dot(pr.timing.beta, x, p) + eff(pr.tOwner, owner) + eff(pr.tSegment, segment));
    win = sigmoid(dot(pr.win.beta, x, p) + eff(pr.wOwner, owner) + eff(pr.wSegment, segment));
    return timing * win;
}

} // namespace

// [SECTION] model
FitModel fitModel(History& h, Date asOf, PeriodKind kind) {
    FitModel m;
    const PipelineSource& src = h.source();
    const Period p0 = periodContaining(asOf, kind);
    std::vector<Period> dates;
    for (int k = trainingPeriods(kind); k >= 1; --k) {
        const Period pk = shiftPeriod(p0, -k);
        if (h.firstDate() == kDateNull || pk.end < h.firstDate()) continue;
        dates.push_back(pk);
    }
    // Rows: every deal open at each training period's start, labelled by what happened by its end.
    std::vector<std::pair<int, const Obs*>> all;
    for (int k = 0; k < static_cast<int>(dates.size()); ++k)
        for (const Obs& o : h.openAt(dates[k].start)) all.emplace_back(k, &o);
    if (all.size() < 30) return m;
    const std::size_t stride = (all.size() + kRowCap - 1) / kRowCap;
    // Levels: stages by pipeline order, the 8 commonest products.
    std::map<std::uint32_t, std::size_t> stageCount, productCount;
    for (const auto& [k, o] : all) {
        ++stageCount[o->stage];
        ++productCount[o->product];
    }
    for (const auto& [id, n] : stageCount) m.stageIds.push_back(id);
    // By name: the stage table's order is inferred from the data, so it could differ in a file cut
    // at an earlier date; names do not.
    std::sort(m.stageIds.begin(), m.stageIds.end(), [&](std::uint32_t a, std::uint32_t b) { return h.stages.names[a] < h.stages.names[b]; });
    std::vector<std::pair<std::size_t, std::uint32_t>> prods;
    for (const auto& [id, n] : productCount) prods.emplace_back(n, id);
    std::sort(prods.begin(), prods.end(), [&](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first > b.first;
        return h.products.names[a.second] < h.products.names[b.second];
    });
    for (std::size_t k = 0; k < prods.size() && k < 8; ++k) m.productIds.push_back(prods[k].second);
    for (const std::uint32_t id : m.stageIds) m.stageLevels.push_back(h.stages.names[id]);
    layout(m);
    const int p = m.p;
    Rows r;
    std::vector<double> stageWins(h.stages.names.size(), 0), stageN(h.stages.names.size(), 0);
    std::vector<std::array<double, kDueClasses>> convSeen(h.stages.names.size()), convWon(h.stages.names.size());
    double allWins = 0, allN = 0;
    for (std::size_t i = 0; i < all.size(); i += stride) {
        const auto& [k, o] = all[i];
        const Period& pk = dates[static_cast<std::size_t>(k)];
        const Deal& d = src.deals[o->deal];
        const bool closed = !d.open() && d.closedOn != kDateNull && d.closedOn <= pk.end;
        r.X.resize(r.X.size() + static_cast<std::size_t>(p));
        featurize(m, *o, pk.start, pk.end, r.X.data() + r.X.size() - static_cast<std::size_t>(p));
        r.closed.push_back(closed ? 1 : 0);
        r.won.push_back(closed && d.won() ? 1 : 0);
        r.w.push_back(static_cast<float>(stride));
        r.owner.push_back(o->owner);
        r.segment.push_back(o->segment);
        r.fold.push_back(k);
        const int cls = dueClass(*o, pk.start, pk.end);
        const double amt = std::max(0.0, static_cast<double>(o->amount));
        convSeen[o->stage][cls] += amt;
        if (closed && d.won()) convWon[o->stage][cls] += amt;
        if (!d.open() && d.closedOn != kDateNull && d.closedOn <= asOf) {
            stageN[o->stage] += 1;
            allN += 1;
            if (d.won()) {
                stageWins[o->stage] += 1;
                allWins += 1;
            }
        }
    }
    const std::size_t n = r.w.size();
    m.rows = n;
    m.mean.assign(p, 0);
    m.sd.assign(p, 1);
    for (std::size_t i = 0; i < n; ++i)
        for (int j = 1; j < p; ++j) m.mean[j] += r.X[i * p + j];
    for (int j = 1; j < p; ++j) m.mean[j] /= static_cast<double>(n);
    std::vector<double> var(p, 0);
    for (std::size_t i = 0; i < n; ++i)
        for (int j = 1; j < p; ++j) var[j] += (r.X[i * p + j] - m.mean[j]) * (r.X[i * p + j] - m.mean[j]);
    for (int j = 1; j < p; ++j) m.sd[j] = var[j] > 1e-12 ? std::sqrt(var[j] / static_cast<double>(n)) : 1.0;
    for (std::size_t i = 0; i < n; ++i) standardize(m, r.X.data() + i * p);

    // Stage win rates learnt from deals closed by asOf, shrunk towards the CRM's stage probability.
    m.overallRate = allN > 0 ? allWins / allN : 0.2;
    m.stageRate.assign(h.stages.names.size(), m.overallRate);
    // The CRM's probability for a stage: the mean of its deals' probability column in the rows.
    std::vector<double> crmSum(h.stages.names.size(), 0), crmN(h.stages.names.size(), 0), crmPrior(h.stages.names.size(), -1);
    for (const auto& [k, o] : all)
        if (o->crm >= 0) {
            crmSum[o->stage] += o->crm;
            crmN[o->stage] += 1;
        }
    for (std::size_t s = 0; s < crmPrior.size(); ++s)
        if (crmN[s] > 0) crmPrior[s] = crmSum[s] / crmN[s];
    for (std::size_t s = 0; s < m.stageRate.size(); ++s) {
        const double prior = crmPrior[s] >= 0 ? crmPrior[s] : m.overallRate;
        m.stageRate[s] = (stageWins[s] + 10 * prior) / (stageN[s] + 10);
    }
    // Within-period conversion by stage and close-date class (value-weighted): the stage's win
    // rate times the class's pooled conversion-to-win ratio, updated by the stage's own record
    // with the weight of five average deals.
    std::array<double, kDueClasses> poolSeen{}, poolWon{};
    double seenAll = 0, rowsAll = 0;
    for (std::size_t s = 0; s < convSeen.size(); ++s)
        for (int c = 0; c < kDueClasses; ++c) {
            poolSeen[c] += convSeen[s][c];
            poolWon[c] += convWon[s][c];
            seenAll += convSeen[s][c];
        }
    rowsAll = static_cast<double>(r.w.size());
    const double pseudo = rowsAll > 0 ? 5 * seenAll / rowsAll : 0;
    m.conversion.assign(h.stages.names.size(), {});
    for (std::size_t s = 0; s < convSeen.size(); ++s)
        for (int c = 0; c < kDueClasses; ++c) {
            const double pooled = poolSeen[c] > 0 ? poolWon[c] / poolSeen[c] : 0;
            const double prior = std::min(1.0, m.overallRate > 0 ? m.stageRate[s] * pooled / m.overallRate : pooled);
            m.conversion[s][c] = convSeen[s][c] + pseudo > 0 ? (convWon[s][c] + pseudo * prior) / (convSeen[s][c] + pseudo) : prior;
        }
    std::size_t wins = 0;
    for (std::size_t i = 0; i < n; ++i) wins += r.won[i];
    m.wins = wins;
    std::vector<std::uint32_t> dealsSeen;
    for (std::size_t i = 0; i < all.size(); i += stride) {
        const Deal& d = src.deals[all[i].second->deal];
        if (!d.open() && d.closedOn <= asOf) dealsSeen.push_back(all[i].second->deal);
    }
    std::sort(dealsSeen.begin(), dealsSeen.end());
    m.deals = static_cast<std::size_t>(std::unique(dealsSeen.begin(), dealsSeen.end()) - dealsSeen.begin());
    if (wins < 5) return m;

    // Calibration: fit on the older two thirds of the dates, map the newest third's products to
    // what happened (isotonic), then refit on everything.
    const int nd = static_cast<int>(dates.size());
    const int cut = nd - std::max(1, nd / 3);
    std::vector<std::uint8_t> older(n), everything(n, 1);
    std::size_t nOld = 0, nNew = 0, winsNew = 0;
    for (std::size_t i = 0; i < n; ++i) {
        older[i] = r.fold[i] < cut ? 1 : 0;
        (older[i] ? nOld : nNew) += 1;
        if (!older[i]) winsNew += r.won[i];
    }
    const std::size_t owners = h.owners.names.size(), segments = h.segments.names.size();
    if (nd >= 3 && nOld >= 100 && nNew >= 100 && winsNew >= 10) {
        const Pair a = fitPair(r, p, owners, segments, older);
        std::vector<double> score;
        std::vector<std::uint8_t> y;
        std::vector<float> w;
        for (std::size_t i = 0; i < n; ++i) {
            if (older[i]) continue;
            double t = 0, wn = 0;
            score.push_back(pairP(a, r.X.data() + i * p, p, r.owner[i], r.segment[i], t, wn));
            y.push_back(r.won[i]);
            w.push_back(r.w[i]);
        }
        m.calibration = fitIsotonic(score, y, w);
        double b = 0, ws = 0;
        for (std::size_t i = 0; i < score.size(); ++i) {
            const double e = m.calibration(score[i]) - y[i];
            b += w[i] * e * e;
            ws += w[i];
        }
        m.brier = ws > 0 ? b / ws : -1;
    }
    const Pair full = fitPair(r, p, owners, segments, everything);
    m.timing = full.timing;
    m.win = full.win;
    m.timingOwner = full.tOwner;
    m.timingSegment = full.tSegment;
    m.winOwner = full.wOwner;
    m.winSegment = full.wSegment;
    m.ok = true;
    return m;
}

DealProb predictDeal(const FitModel& m, const History&, const Obs& o, Date a, Date b, double fraction) {
    DealProb out;
    if (!m.ok) return out;
    std::vector<float> x(static_cast<std::size_t>(m.p));
    featurize(m, o, a, b, x.data());
    standardize(m, x.data());
    auto eff = [](const std::vector<double>& e, std::uint32_t k) { return k < e.size() ? e[k] : 0.0; };
    double t = sigmoid(dot(m.timing.beta, x.data(), m.p) + eff(m.timingOwner, o.owner) + eff(m.timingSegment, o.segment));
    const double w = sigmoid(dot(m.win.beta, x.data(), m.p) + eff(m.winOwner, o.owner) + eff(m.winSegment, o.segment));
    if (fraction < 1) t = 1 - detPow(1 - t, std::max(0.0, fraction));
    out.timing = t;
    out.win = w;
    out.p = std::clamp(m.calibration(t * w), 0.0, 1.0);
    return out;
}

std::array<Contribution, 3> explainDeal(const FitModel& m, const History& h, const Obs& o, Date a, Date b) {
    std::array<Contribution, 3> top{};
    if (!m.ok) return top;
    std::vector<float> raw(static_cast<std::size_t>(m.p)), x;
    featurize(m, o, a, b, raw.data());
    x = raw;
    standardize(m, x.data());
    double g[14] = {};
    for (int j = 1; j < m.p; ++j) g[m.group[j]] += (m.timing.beta[j] + m.win.beta[j]) * x[j];
    auto eff = [](const std::vector<double>& e, std::uint32_t k) { return k < e.size() ? e[k] : 0.0; };
    g[gOwner] = eff(m.timingOwner, o.owner) + eff(m.winOwner, o.owner);
    g[gSegment] = eff(m.timingSegment, o.segment) + eff(m.winSegment, o.segment);
    std::vector<int> order;
    for (int k = 1; k < 14; ++k)
        if (std::abs(g[k]) > 1e-9) order.push_back(k);
    std::stable_sort(order.begin(), order.end(), [&](int x1, int x2) { return std::abs(g[x1]) > std::abs(g[x2]); });
    auto days = [](int n) { return fmt::countOf(static_cast<std::uint64_t>(std::max(0, n)), "day", "days"); };
    for (std::size_t i = 0; i < 3 && i < order.size(); ++i) {
        std::string f;
        switch (order[i]) {
        case gStage: f = "stage " + h.stages.names[o.stage]; break;
        case gAge: f = "age " + days(o.created == kDateNull ? 0 : a - o.created); break;
        case gAmount: f = "amount " + fmt::moneyCompact(o.amount); break;
        case gClose:
            f = o.close == kDateNull ? "no close date"
                : o.close <= a      ? "close date passed (" + fmt::date(o.close) + ")"
                : o.close <= b      ? "close date in the period (" + fmt::date(o.close) + ")"
                                    : "close date after the period (" + fmt::date(o.close) + ")";
            break;
        case gActivity: f = o.activity == kDateNull ? "no activity recorded" : "last activity " + days(a - o.activity) + " ago"; break;
        case gPushes: f = "close date pushed " + fmt::countOf(o.pushes, "time", "times"); break;
        case gInStage: f = o.stageEntered == kDateNull ? "time in stage unknown" : "in stage " + days(a - o.stageEntered); break;
        case gCategory: {
            static constexpr const char* kNames[] = {"none", "Commit", "Best Case", "Pipeline", "Omitted"};
            f = std::string("category ") + kNames[o.category];
            break;
        }
        case gCrm: f = o.crm < 0 ? "no CRM probability" : "CRM probability " + fmt::percent(o.crm, 0); break;
        case gCalendar: f = civilFromDays(b).month % 3 == 0 ? "quarter-end period" : "mid-quarter period"; break;
        case gProduct: f = "product " + (h.products.names[o.product].empty() ? std::string("(none)") : h.products.names[o.product]); break;
        case gOwner: f = "owner " + h.owners.names[o.owner]; break;
        case gSegment: f = "segment " + h.segments.names[o.segment]; break;
        default: break;
        }
        top[i] = {f, g[order[i]]};
    }
    return top;
}

// [SECTION] raw
namespace {

struct NewBiz {
    double mean = 0, sd = 0;
};

// New business (created and won inside a period) for period `target`, from the trailing
// periods that ended by asOf, times the target's season (the same period a year before against
// that year's mean), shrunk halfway towards no season.
NewBiz newBusinessFor(const History& h, const Period& p0, const Period& target, Date asOf, PeriodKind kind) {
    NewBiz nb;
    const int trailing = kind == PeriodKind::Month ? 6 : kind == PeriodKind::Quarter ? 4 : 2;
    std::vector<double> v;
    for (int k = 1; k <= trailing; ++k) {
        const Period pk = shiftPeriod(p0, -k);
        if (pk.end > asOf || h.firstDate() == kDateNull || pk.start < h.firstDate()) break;
        v.push_back(static_cast<double>(h.newBusiness(pk.start, pk.end)));
    }
    if (v.empty()) return nb;
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    double var = 0;
    for (double x : v) var += (x - mean) * (x - mean);
    const double sd = v.size() > 1 ? std::sqrt(var / static_cast<double>(v.size() - 1)) : mean * 0.5;
    double idx = 1;
    if (kind != PeriodKind::Year) {
        const int season = kind == PeriodKind::Month ? 12 : 4;
        const Period ly = shiftPeriod(target, -season);
        const Period first = shiftPeriod(ly, -(season - 1));
        if (ly.end <= asOf && first.start >= h.firstDate()) {
            double year = 0;
            for (int k = 0; k < season; ++k) {
                const Period q = shiftPeriod(first, k);
                year += static_cast<double>(h.newBusiness(q.start, q.end));
            }
            year /= season;
            if (year > 0) idx = std::clamp(1 + 0.5 * (static_cast<double>(h.newBusiness(ly.start, ly.end)) / year - 1), 0.5, 2.0);
        }
    }
    nb.mean = mean * idx;
    nb.sd = sd * idx;
    return nb;
}

} // namespace

Raw rawForecast(History& h, Date asOf, PeriodKind kind, int periods, FitModel* keep, DealProbs* probs) {
    Raw raw;
    raw.asOf = asOf;
    FitModel m = fitModel(h, asOf, kind);
    const Period p0 = periodContaining(asOf, kind);
    const std::vector<Obs>& open = h.openAt(asOf);
    const std::size_t nd = open.size();
    const auto np = static_cast<std::size_t>(std::max(1, periods));
    std::vector<double> surv(nd, 1.0);
    if (probs) {
        probs->deals = open;
        probs->first.assign(nd, {});
        probs->byPeriod.assign(nd * np, 0.0);
        probs->stageProb.assign(nd, 0.0);
    }
    bool anyCategory = false;
    for (const Obs& o : open) anyCategory |= o.category != kCatNone;
    for (std::size_t j = 0; j < np; ++j) {
        RawPeriod rp;
        rp.period = shiftPeriod(p0, static_cast<int>(j));
        const Date a = j == 0 ? asOf : rp.period.start;
        const Date b = rp.period.end;
        const double fraction = j == 0 ? static_cast<double>(b - asOf) / std::max(1, rp.period.end - rp.period.start) : 1.0;
        rp.closed = j == 0 ? h.wonBetween(p0.start, asOf) : 0;
        double mean = 0, var = 0, sw = 0, learnt = 0, commit = 0, best = 0;
        for (std::size_t i = 0; i < nd; ++i) {
            const Obs& o = open[i];
            const double amt = static_cast<double>(o.amount);
            const bool due = o.close != kDateNull && o.close >= rp.period.start && o.close <= b;
            const double rate = o.stage < m.stageRate.size() ? m.stageRate[o.stage] : m.overallRate;
            if (o.stage < m.conversion.size()) {
                const int cls = dueClass(o, a, b);
                learnt += amt * m.conversion[o.stage][cls] * (cls == 0 ? 1.0 : fraction);
            }
            if (due) {
                rp.openInPeriod += o.amount;
                sw += amt * rate;
                if (o.category == kCatCommit) commit += amt;
                if (o.category == kCatBest) best += amt;
            }
            double pw = 0;
            if (m.ok) {
                const DealProb dp = predictDeal(m, h, o, a, b, fraction);
                pw = surv[i] * dp.p;
                surv[i] *= 1 - dp.timing;
                if (probs && j == 0) probs->first[i] = dp;
                if (j == 0) {
                    raw.dealIdx.push_back(o.deal);
                    raw.firstP.push_back(static_cast<float>(pw));
                }
            } else if (due) {
                pw = rate; // no model yet: the stage's rate for deals due in the period
            }
            mean += amt * pw;
            var += amt * amt * pw * (1 - pw);
            if (probs) {
                probs->byPeriod[i * np + j] = pw;
                if (j == 0) probs->stageProb[i] = rate;
            }
        }
        const NewBiz nb = newBusinessFor(h, p0, rp.period, asOf, kind);
        rp.newBiz = nb.mean * fraction;
        rp.newBizSd = nb.sd * std::sqrt(fraction);
        rp.model = static_cast<double>(rp.closed) + mean + rp.newBiz;
        rp.modelSd = std::sqrt(var + rp.newBizSd * rp.newBizSd);
        rp.stagePlain = static_cast<double>(rp.closed) + sw;
        rp.stageWeighted = static_cast<double>(rp.closed) + learnt + rp.newBiz;
        rp.hasCategories = anyCategory;
        rp.teamCall = static_cast<double>(rp.closed) + commit;
        rp.teamBest = rp.teamCall + best;
        const int trailing = kind == PeriodKind::Month ? 3 : kind == PeriodKind::Quarter ? 4 : 2;
        double rr = 0;
        int nr = 0;
        for (int k = 1; k <= trailing; ++k) {
            const Period pk = shiftPeriod(p0, -k);
            if (h.firstDate() == kDateNull || pk.start < h.firstDate()) break;
            rr += static_cast<double>(h.wonBetween(pk.start, pk.end));
            ++nr;
        }
        rp.runRate = nr > 0 ? rr / nr : 0;
        raw.periods.push_back(rp);
    }
    if (keep) *keep = std::move(m);
    return raw;
}

// [SECTION] headline
const Raw& RawCache::at(Date start) {
    auto it = raws.find(start);
    if (it != raws.end()) return it->second;
    return raws.emplace(start, rawForecast(h, start, kind, 1)).first->second;
}

int defaultHistory(PeriodKind k) { return k == PeriodKind::Month ? 12 : k == PeriodKind::Quarter ? 8 : 3; }

namespace {

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Candidate {
    std::string name;
    double wm, ws, wt;
    bool corrected;
    double wr = 0;
};

double remainingOf(const Candidate& c, const RawPeriod& r) {
    const double closed = static_cast<double>(r.closed);
    return c.wm * (r.model - closed) + c.ws * (r.stageWeighted - closed) + c.wt * (r.teamCall - closed) +
           c.wr * std::max(0.0, r.runRate - closed);
}

double correctionFrom(const std::vector<double>& ratios) {
    if (ratios.empty()) return 1;
    const double n = static_cast<double>(ratios.size());
    return std::clamp(1 + (median(ratios) - 1) * n / (n + 3), 0.5, 2.0);
}

} // namespace

Headline chooseHeadline(RawCache& cache, Date asOf, int history) {
    Headline hd;
    const PeriodKind kind = cache.kind;
    const int H = history > 0 ? history : defaultHistory(kind);
    const Period p0 = periodContaining(asOf, kind);
    std::vector<const RawPeriod*> rs;
    std::vector<double> actual;
    for (int k = H; k >= 1; --k) {
        const Period pk = shiftPeriod(p0, -k);
        if (cache.h.firstDate() == kDateNull || pk.start < cache.h.firstDate()) continue;
        const Money act = cache.h.wonBetween(pk.start, pk.end);
        const Raw& r = cache.at(pk.start);
        if (act <= 0 || r.periods.empty()) continue;
        rs.push_back(&r.periods[0]);
        actual.push_back(static_cast<double>(act));
    }
    const std::size_t n = rs.size();
    hd.periods = static_cast<int>(n);
    bool team = n > 0;
    for (const RawPeriod* r : rs) team &= r->hasCategories;
    // The model is the default. The alternatives, each times its own past bias (learnt without the
    // period scored), replace it only when they beat it clearly on enough past periods: choosing
    // among many methods on a dozen periods mostly picks noise.
    std::vector<Candidate> cands = {{"model", 1, 0, 0, false}, {"model", 1, 0, 0, true}, {"stage_weighted", 0, 1, 0, true},
                                    {"run_rate", 0, 0, 0, true, 1}, {"blend", 0.5, 0.5, 0, true}};
    if (team) cands.push_back({"team_call", 0, 0, 1, true});
    // Point forecast of candidate c for period k, the correction learnt on the other periods.
    auto point = [&](const Candidate& c, std::size_t k) {
        const double rem = remainingOf(c, *rs[k]);
        double corr = 1;
        if (c.corrected) {
            std::vector<double> ratios;
            for (std::size_t i = 0; i < n; ++i) {
                const double ri = remainingOf(c, *rs[i]);
                if (i != k && ri > 0) ratios.push_back((actual[i] - static_cast<double>(rs[i]->closed)) / ri);
            }
            corr = correctionFrom(ratios);
        }
        return static_cast<double>(rs[k]->closed) + corr * rem;
    };
    auto score = [&](const Candidate& c, double& mdape, double& bias) {
        std::vector<double> e, b;
        for (std::size_t k = 0; k < n; ++k) {
            const double f = point(c, k);
            e.push_back(std::abs(f - actual[k]) / actual[k]);
            b.push_back((f - actual[k]) / actual[k]);
        }
        mdape = median(e);
        bias = median(b);
    };
    for (const Candidate& c : std::vector<Candidate>{{"model", 1, 0, 0, false}, {"stage_weighted", 0, 1, 0, false}, {"team_call", 0, 0, 1, false}}) {
        if (c.name == "team_call" && !team) continue;
        MethodScore sc;
        sc.method = c.name;
        sc.periods = static_cast<int>(n);
        score(c, sc.mdape, sc.bias);
        hd.scores.push_back(sc);
    }
    // Band: the model's spread scaled so that about 80% of the past periods fall inside, by the
    // split-conformal rule (the ceil(0.8 (n + 1))-th smallest ratio, the largest one while n < 9):
    // the plain 80th percentile of a handful of past periods covers fewer than 80% of the next.
    // Fewer than kMinPeriods past periods only widen the model's own spread, never narrow it.
    constexpr std::size_t kMinPeriods = 6; // also the fewest that compare methods
    auto scaleBand = [&](const Candidate& c) {
        if (n == 0) return;
        std::vector<double> need;
        for (std::size_t k = 0; k < n; ++k) {
            const double sd = rs[k]->modelSd * 1.2815515655446004;
            need.push_back(sd > 0 ? std::abs(actual[k] - point(c, k)) / sd : 0.0);
        }
        std::sort(need.begin(), need.end());
        const std::size_t at = static_cast<std::size_t>(std::ceil(0.8 * static_cast<double>(n + 1))) - 1;
        hd.bandScale = std::clamp(need[std::min(at, n - 1)], n < kMinPeriods ? 1.0 : 0.5, 50.0);
        std::size_t inside = 0;
        for (double v : need) inside += v <= hd.bandScale + 1e-12;
        hd.coverage = static_cast<double>(inside) / static_cast<double>(n);
    };
    if (n < 3) {
        scaleBand(cands[0]);
        hd.basis = "the model (too few past periods with wins to compare methods: " + std::to_string(n) + ")";
        if (n > 0)
            hd.basis += "; band scaled x" + fmt::fixed(hd.bandScale, 2) + " to cover " + fmt::percent(hd.coverage, 0) + " of them";
        return hd;
    }
    constexpr double kClearly = 0.8; // an alternative must have at most 80% of the model's error
    double modelErr = 0, unused = 0;
    score(cands[0], modelErr, unused);
    std::size_t best = 0;
    double bestErr = modelErr;
    if (n >= kMinPeriods)
        for (std::size_t i = 1; i < cands.size(); ++i) {
            double e = 0, b = 0;
            score(cands[i], e, b);
            if (e < kClearly * modelErr && e < bestErr - 1e-12) {
                bestErr = e;
                best = i;
            }
        }
    const Candidate& c = cands[best];
    hd.method = c.name;
    hd.wModel = c.wm;
    hd.wStage = c.ws;
    hd.wTeam = c.wt;
    hd.wRate = c.wr;
    if (c.corrected) {
        std::vector<double> ratios;
        for (std::size_t i = 0; i < n; ++i) {
            const double ri = remainingOf(c, *rs[i]);
            if (ri > 0) ratios.push_back((actual[i] - static_cast<double>(rs[i]->closed)) / ri);
        }
        hd.correction = correctionFrom(ratios);
    }
    scaleBand(c);
    std::string what = c.name == "blend"
                           ? "blend of " + fmt::percent(c.wm, 0) + " model" + (c.ws > 0 ? " + " + fmt::percent(c.ws, 0) + " stage-weighted" : "") +
                                 (c.wt > 0 ? " + " + fmt::percent(c.wt, 0) + " team's call" : "") +
                                 (c.wr > 0 ? " + " + fmt::percent(c.wr, 0) + " run-rate" : "")
                           : c.name == "model"     ? std::string("the model")
                           : c.name == "team_call" ? std::string("the team's call")
                           : c.name == "run_rate"  ? std::string("the run-rate (mean of the trailing periods' wins)")
                                                   : std::string("stage-weighted");
    if (c.corrected) what += ", times " + fmt::fixed(hd.correction, 2) + " (its past bias)";
    if (best == 0)
        what += n >= kMinPeriods ? " (no other method had 20% less error)" : " (other methods are compared from 6 past periods on)";
    hd.basis = what + ": " + fmt::percent(bestErr) + " median error over " + fmt::countOf(n, "past period", "past periods") +
               "; band scaled x" + fmt::fixed(hd.bandScale, 2) + " to cover " + fmt::percent(hd.coverage, 0) + " of them";
    return hd;
}

void headlineFigures(const Headline& hd, const RawPeriod& r, Money& p10, Money& p50, Money& p90) {
    const double closed = static_cast<double>(r.closed);
    const double rem = hd.wModel * (r.model - closed) + hd.wStage * (r.stageWeighted - closed) + hd.wTeam * (r.teamCall - closed) +
                       hd.wRate * std::max(0.0, r.runRate - closed);
    const double mid = closed + hd.correction * rem;
    const double hw = hd.bandScale * 1.2815515655446004 * r.modelSd;
    p50 = static_cast<Money>(std::llround(mid));
    p10 = static_cast<Money>(std::llround(std::max(closed, mid - hw)));
    p90 = static_cast<Money>(std::llround(mid + hw));
}

} // namespace terrane::forecast::detail
