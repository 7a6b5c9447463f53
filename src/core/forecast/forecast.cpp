// The forecast job: past periods' raw figures (to choose the headline), the as-of forecast, the
// Monte Carlo over deals per period and owner, and the result (see forecast.hpp).
//
// Index
//  [SECTION] monte carlo   per owner, exact draws for the deals that matter, cells for the rest
//  [SECTION] job           the steps, sliced
//  [SECTION] result        periods, methods, groups, deals
#include "core/forecast/forecast.hpp"

#include "core/base/format.hpp"
#include "core/base/rng.hpp"
#include "core/forecast/engine.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace terrane::forecast {

using namespace detail;

// [SECTION] monte carlo
namespace {

constexpr std::size_t kExactDeals = 2000;

std::uint64_t nameHash(std::string_view a, std::string_view b, std::string_view c) {
    std::uint64_t h = 1469598103934665603ULL;
    for (std::string_view s : {a, b, c}) {
        for (char ch : s) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL;
    }
    return h;
}

// A standard normal from 4 x 16 random bits (Irwin-Hall): integer work, same on every platform.
double fastNormal(Rng& r) {
    const std::uint64_t x = r.next64();
    const double s = static_cast<double>((x & 0xffff) + ((x >> 16) & 0xffff) + ((x >> 32) & 0xffff) + (x >> 48)) / 65536.0;
    return (s - 2.0) * 1.7320508075688772;
}

struct Unit { // what one owner draws in one period
    std::vector<std::uint32_t> exact; // deal indices
    std::vector<std::uint32_t> cells; // cell indices
};
struct Cell {
    std::uint32_t owner, team, segment;
    double mean = 0, var = 0;
    std::uint64_t stream = 0;
};

std::array<Money, 3> quantiles(std::vector<Money>& v) {
    if (v.empty()) return {0, 0, 0};
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    auto at = [&](double q) { return v[static_cast<std::size_t>(std::floor(q * static_cast<double>(n - 1) + 0.5))]; };
    return {at(0.1), at(0.5), at(0.9)};
}

} // namespace

// [SECTION] job
struct ForecastJob::State {
    const Workspace& ws;
    ForecastSettings s;
    std::unique_ptr<History> h;
    std::unique_ptr<RawCache> cache;
    Date asOf = kDateNull;
    std::vector<Date> past;
    std::size_t nextPast = 0;
    Headline hd;
    Raw raw;
    FitModel model;
    DealProbs probs;
    int phase = 0;
    // Monte Carlo: per period, cells and owner units; sums per team, segment and total.
    std::size_t period = 0, nextOwner = 0;
    std::vector<Cell> cells;
    std::vector<Unit> units; // by owner id
    std::vector<std::vector<Money>> teamSum, segSum;
    std::vector<Money> total;
    std::vector<std::array<Money, 3>> ownerQ; // per owner of the current period
    std::vector<double> ownerMean, teamMean, segMean;
    struct PeriodMc {
        std::vector<std::array<Money, 3>> owner, team, segment;
        std::vector<double> ownerMean, teamMean, segMean;
        std::array<Money, 3> total{};
        double totalMean = 0;
    };
    std::vector<PeriodMc> mc;
    ForecastResult res;
    std::size_t unitsDone = 0, unitsTotal = 1;
    std::string what = "Reading the pipeline";

    State(const Workspace& w, const ForecastSettings& st) : ws(w), s(st) {}
    void startPeriod();
    void ownerUnit(std::uint32_t o);
    void finishPeriod();
    void assemble();
};

void ForecastJob::State::startPeriod() {
    const std::size_t np = static_cast<std::size_t>(std::max(1, s.periods));
    const std::size_t nd = probs.deals.size();
    const std::size_t no = h->owners.names.size();
    units.assign(no, {});
    cells.clear();
    // The deals that carry most of the variance are drawn one by one; the rest add up per
    // (owner, team, segment) cell as a normal with their mean and variance.
    std::vector<std::uint32_t> idx;
    for (std::uint32_t i = 0; i < nd; ++i)
        if (probs.byPeriod[i * np + period] > 0 && probs.deals[i].amount > 0) idx.push_back(i);
    auto v = [&](std::uint32_t i) {
        const double p = probs.byPeriod[i * np + period], a = static_cast<double>(probs.deals[i].amount);
        return a * a * p * (1 - p);
    };
    std::stable_sort(idx.begin(), idx.end(), [&](std::uint32_t a, std::uint32_t b) { return v(a) > v(b); });
    std::map<std::tuple<std::string_view, std::string_view, std::string_view>, std::uint32_t> cellOf;
    auto cellFor = [&](std::uint32_t o, std::uint32_t t, std::uint32_t g) {
        const auto key = std::make_tuple(std::string_view(h->owners.names[o]), std::string_view(h->teams.names[t]),
                                         std::string_view(h->segments.names[g]));
        auto it = cellOf.find(key);
        if (it != cellOf.end()) return it->second;
        const auto k = static_cast<std::uint32_t>(cells.size());
        Cell c{o, t, g};
        c.stream = nameHash(std::get<0>(key), std::get<1>(key), std::get<2>(key));
        cells.push_back(c);
        cellOf.emplace(key, k);
        return k;
    };
    for (std::size_t r = 0; r < idx.size(); ++r) {
        const std::uint32_t i = idx[r];
        const Obs& o = probs.deals[i];
        if (r < (s.naive ? idx.size() : kExactDeals)) {
            units[o.owner].exact.push_back(i);
        } else {
            Cell& c = cells[cellFor(o.owner, o.team, o.segment)];
            const double p = probs.byPeriod[i * np + period], a = static_cast<double>(o.amount);
            c.mean += a * p;
            c.var += a * a * p * (1 - p);
        }
    }
    // New business not yet in the pipeline: split over owners by their share of the value won in
    // the year to asOf.
    const RawPeriod& rp = raw.periods[period];
    if (rp.newBiz > 0) {
        const PipelineSource& src = h->source();
        std::map<std::tuple<std::string_view, std::string_view, std::string_view>, double> share;
        double all = 0;
        for (const Deal& d : src.deals)
            if (d.won() && d.closedOn <= asOf && d.closedOn > asOf - 365 && d.amount > 0) {
                share[{d.owner, !d.region.empty() ? d.region : d.manager, d.segment}] += static_cast<double>(d.amount);
                all += static_cast<double>(d.amount);
            }
        for (const auto& [key, val] : share) {
            const std::uint32_t k = cellFor(h->owners.id(std::get<0>(key)), h->teams.id(std::get<1>(key)), h->segments.id(std::get<2>(key)));
            cells[k].mean += rp.newBiz * val / all;
            cells[k].var += rp.newBizSd * rp.newBizSd * val / all;
        }
    }
    units.resize(h->owners.names.size());
    for (std::uint32_t k = 0; k < cells.size(); ++k) units[cells[k].owner].cells.push_back(k);
    const auto T = static_cast<std::size_t>(std::max(1, s.trials));
    teamSum.assign(h->teams.names.size(), std::vector<Money>(T, 0));
    segSum.assign(h->segments.names.size(), std::vector<Money>(T, 0));
    total.assign(T, 0);
    ownerQ.assign(h->owners.names.size(), {0, 0, 0});
    ownerMean.assign(h->owners.names.size(), 0);
    teamMean.assign(h->teams.names.size(), 0);
    segMean.assign(h->segments.names.size(), 0);
    nextOwner = 0;
}

void ForecastJob::State::ownerUnit(std::uint32_t ow) {
    const Unit& u = units[ow];
    if (u.exact.empty() && u.cells.empty()) return;
    const std::size_t np = static_cast<std::size_t>(std::max(1, s.periods));
    const auto T = static_cast<std::size_t>(std::max(1, s.trials));
    std::vector<Money> sum(T, 0);
    const std::uint64_t seed = s.seed * 0x9E3779B97F4A7C15ULL + period;
    for (const std::uint32_t i : u.exact) {
        const Obs& o = probs.deals[i];
        const double p = probs.byPeriod[i * np + period];
        const auto thr = static_cast<std::uint32_t>(std::min(4294967295.0, std::floor(p * 4294967296.0)));
        Rng r(seed, 2 * static_cast<std::uint64_t>(i) + 1);
        std::vector<Money>& ts = teamSum[o.team];
        std::vector<Money>& gs = segSum[o.segment];
        for (std::size_t t = 0; t < T; ++t)
            if (r.next32() < thr) {
                sum[t] += o.amount;
                ts[t] += o.amount;
                gs[t] += o.amount;
            }
        const double m = static_cast<double>(o.amount) * p;
        ownerMean[ow] += m;
        teamMean[o.team] += m;
        segMean[o.segment] += m;
    }
    for (const std::uint32_t k : u.cells) {
        const Cell& c = cells[k];
        Rng r(seed, c.stream | 1ULL);
        const double sd = std::sqrt(c.var);
        std::vector<Money>& ts = teamSum[c.team];
        std::vector<Money>& gs = segSum[c.segment];
        for (std::size_t t = 0; t < T; ++t) {
            const Money x = static_cast<Money>(std::llround(std::max(0.0, c.mean + sd * fastNormal(r))));
            sum[t] += x;
            ts[t] += x;
            gs[t] += x;
        }
        ownerMean[ow] += c.mean;
        teamMean[c.team] += c.mean;
        segMean[c.segment] += c.mean;
    }
    for (std::size_t t = 0; t < T; ++t) total[t] += sum[t];
    ownerQ[ow] = quantiles(sum);
}

void ForecastJob::State::finishPeriod() {
    PeriodMc pm;
    pm.owner = ownerQ;
    for (auto& v : teamSum) pm.team.push_back(quantiles(v));
    for (auto& v : segSum) pm.segment.push_back(quantiles(v));
    double m = 0;
    for (Money x : total) m += static_cast<double>(x);
    pm.totalMean = total.empty() ? 0 : m / static_cast<double>(total.size());
    pm.total = quantiles(total);
    pm.ownerMean = ownerMean;
    pm.teamMean = teamMean;
    pm.segMean = segMean;
    mc.push_back(std::move(pm));
    teamSum.clear();
    segSum.clear();
    total.clear();
}

ForecastJob::ForecastJob(const Workspace& ws, const ForecastSettings& s) : m(std::make_unique<State>(ws, s)) {}
ForecastJob::~ForecastJob() = default;
bool ForecastJob::done() const { return m->phase >= 5; }
ForecastResult& ForecastJob::result() { return m->res; }
double ForecastJob::progress() const {
    return std::min(1.0, static_cast<double>(m->unitsDone) / static_cast<double>(std::max<std::size_t>(1, m->unitsTotal)));
}
std::string ForecastJob::detail() const { return m->what; }

bool ForecastJob::step(double budgetMs) {
    State& st = *m;
    const Stopwatch sw;
    while (st.phase < 5) {
        if (m_cancelled) return true;
        if (st.phase == 0) {
            st.h = std::make_unique<History>(st.ws);
            st.cache = std::make_unique<RawCache>(RawCache{*st.h, st.s.period, {}});
            st.asOf = st.s.asOf != kDateNull ? st.s.asOf : st.h->lastDate();
            if (st.asOf == kDateNull) st.asOf = todayUtc();
            const Period p0 = periodContaining(st.asOf, st.s.period);
            const int H = st.s.history > 0 ? st.s.history : defaultHistory(st.s.period);
            for (int k = H; k >= 1; --k) {
                const Period pk = shiftPeriod(p0, -k);
                if (st.h->firstDate() != kDateNull && pk.start >= st.h->firstDate()) st.past.push_back(pk.start);
            }
            st.unitsTotal = 2 + st.past.size() + static_cast<std::size_t>(std::max(1, st.s.periods)) * (st.h->owners.names.size() + 50);
            st.phase = 1;
        } else if (st.phase == 1) {
            if (st.nextPast < st.past.size()) {
                st.what = "Backtesting the methods: " + fmt::count(st.nextPast + 1) + " of " + fmt::count(st.past.size()) + " past periods";
                st.cache->at(st.past[st.nextPast++]);
            } else {
                st.phase = 2;
            }
        } else if (st.phase == 2) {
            st.what = "Forecasting the open deals";
            st.hd = chooseHeadline(*st.cache, st.asOf, st.s.history);
            st.raw = rawForecast(*st.h, st.asOf, st.s.period, std::max(1, st.s.periods), &st.model, &st.probs);
            st.unitsTotal = st.unitsDone + 1 + static_cast<std::size_t>(std::max(1, st.s.periods)) * (st.h->owners.names.size() + 1);
            st.period = 0;
            st.startPeriod();
            st.phase = 3;
        } else if (st.phase == 3) {
            st.what = "Monte Carlo: " + fmt::count(static_cast<std::uint64_t>(st.s.trials)) + " trials, period " + std::to_string(st.period + 1);
            if (st.nextOwner < st.units.size()) {
                st.ownerUnit(static_cast<std::uint32_t>(st.nextOwner++));
            } else {
                st.finishPeriod();
                if (++st.period < static_cast<std::size_t>(std::max(1, st.s.periods))) st.startPeriod();
                else st.phase = 4;
            }
        } else {
            st.what = "Done";
            st.assemble();
            st.phase = 5;
        }
        ++st.unitsDone;
        if (sw.ms() >= budgetMs) break;
    }
    return st.phase >= 5 || m_cancelled;
}

// [SECTION] result
void ForecastJob::State::assemble() {
    ForecastResult& r = res;
    r.settings = s;
    r.asOf = asOf;
    r.headline = hd.method;
    r.headlineBasis = hd.basis;
    r.bandScale = hd.bandScale;
    r.backtestCoverage = hd.coverage;
    r.scores = hd.scores;
    r.trainingRows = model.rows;
    r.trainingDeals = model.deals;
    r.brier = model.brier;
    if (!model.ok) r.notes.push_back("too little closed history before the as-of date for the model: deals due in the period count at their stage's rate");
    if (hd.periods == 0)
        r.notes.push_back("no past period with wins: the headline is the model with its own spread");
    else if (hd.periods < 3)
        r.notes.push_back("fewer than 3 past periods with wins: the headline is the model, its band widened to cover them but never narrowed");
    const PipelineSource& src = h->source();
    std::uint64_t fp = 1469598103934665603ULL;
    auto mix = [&](Money v) { fp = (fp ^ static_cast<std::uint64_t>(v)) * 1099511628211ULL; };
    const std::size_t np = raw.periods.size();
    for (std::size_t j = 0; j < np; ++j) {
        const RawPeriod& rp = raw.periods[j];
        PeriodForecast pf;
        pf.period = rp.period;
        pf.closedWon = rp.closed;
        pf.openInPeriod = rp.openInPeriod;
        headlineFigures(hd, rp, pf.p10, pf.p50, pf.p90);
        auto money = [](double v) { return static_cast<Money>(std::llround(v)); };
        const std::string closed = fmt::money(rp.closed) + " won to date";
        MethodFigure team{"team_call", rp.hasCategories, money(rp.teamCall), money(rp.teamCall), money(rp.teamBest),
                          rp.hasCategories ? closed + " + Commit deals due in the period; Best Case added as upside"
                                           : "no forecast categories in the data"};
        MethodFigure stage{"stage_weighted", true, money(rp.stageWeighted), money(rp.stageWeighted), money(rp.stageWeighted),
                           closed + " + each open deal due in the period x its stage's win rate learnt from " +
                               fmt::countOf(model.deals, "closed deal", "closed deals") + " (shrunk towards the CRM's stage probability)"};
        const double z = 1.2815515655446004 * rp.modelSd;
        MethodFigure mdl{"model", model.ok, money(rp.model), money(std::max(static_cast<double>(rp.closed), rp.model - z)), money(rp.model + z),
                         closed + " + sum of P(won within the period) x amount over " + fmt::countOf(probs.deals.size(), "open deal", "open deals") +
                             " (win x timing models learnt from " + fmt::count(model.rows) + " deal-periods, calibrated) + new business " +
                             fmt::money(money(rp.newBiz))};
        MethodFigure nb{"new_business", true, money(rp.newBiz), money(std::max(0.0, rp.newBiz - 1.2815515655446004 * rp.newBizSd)),
                        money(rp.newBiz + 1.2815515655446004 * rp.newBizSd),
                        "deals created and won inside the period: trailing run-rate x the season one year before"};
        const PeriodMc& pm = mc[j];
        MethodFigure mcf{"monte_carlo", true, rp.closed + pm.total[1], rp.closed + pm.total[0], rp.closed + pm.total[2],
                         fmt::count(static_cast<std::uint64_t>(s.trials)) + " trials over the open deals and new business, seed " + std::to_string(s.seed)};
        MethodFigure rate{"run_rate", rp.runRate > 0, std::max(rp.closed, money(rp.runRate)), std::max(rp.closed, money(rp.runRate)),
                          std::max(rp.closed, money(rp.runRate)), "mean won value of the trailing complete periods (the trailing-mean baseline)"};
        pf.methods = {team, stage, mdl, nb, mcf, rate};
        // Groups: closed won to date per owner / team / segment, plus the trials.
        std::vector<Money> closedOwner(h->owners.names.size(), 0), closedTeam(h->teams.names.size(), 0), closedSeg(h->segments.names.size(), 0);
        if (j == 0)
            for (const Deal& d : src.deals)
                if (d.won() && d.closedOn >= rp.period.start && d.closedOn <= asOf && d.amount > 0) {
                    const std::uint32_t o = h->owners.id(d.owner), t = h->teams.id(!d.region.empty() ? d.region : d.manager), g = h->segments.id(d.segment);
                    if (o < closedOwner.size()) closedOwner[o] += d.amount;
                    if (t < closedTeam.size()) closedTeam[t] += d.amount;
                    if (g < closedSeg.size()) closedSeg[g] += d.amount;
                }
        auto groups = [&](const std::vector<std::string>& names, const std::vector<std::array<Money, 3>>& q, const std::vector<double>& mean,
                          const std::vector<Money>& cl) {
            std::vector<GroupFigure> out;
            for (std::size_t k = 0; k < names.size(); ++k) {
                const Money c = k < cl.size() ? cl[k] : 0;
                const double mu = k < mean.size() ? mean[k] : 0;
                if (c == 0 && mu <= 0) continue;
                const std::array<Money, 3> qq = k < q.size() ? q[k] : std::array<Money, 3>{0, 0, 0};
                out.push_back({names[k].empty() ? "(none)" : names[k], c, c + money(mu), c + qq[0], c + qq[1], c + qq[2]});
            }
            std::sort(out.begin(), out.end(), [](const GroupFigure& a, const GroupFigure& b) { return a.name < b.name; });
            return out;
        };
        pf.owners = groups(h->owners.names, pm.owner, pm.ownerMean, closedOwner);
        pf.teams = groups(h->teams.names, pm.team, pm.teamMean, closedTeam);
        pf.segments = groups(h->segments.names, pm.segment, pm.segMean, closedSeg);
        for (Money v : {pf.p10, pf.p50, pf.p90, mcf.value, mcf.low, mcf.high}) mix(v);
        r.periods.push_back(std::move(pf));
    }
    // Deals, largest expected value in the first period first.
    const Period p0 = periodContaining(asOf, s.period);
    const std::size_t nd = probs.deals.size();
    r.deals.reserve(nd);
    static constexpr const char* kCat[] = {"", "Commit", "Best Case", "Pipeline", "Omitted"};
    for (std::size_t i = 0; i < nd; ++i) {
        const Obs& o = probs.deals[i];
        const Deal& d = src.deals[o.deal];
        DealForecast df;
        df.row = o.deal;
        df.id = std::string(d.id);
        df.owner = h->owners.names[o.owner];
        df.team = h->teams.names[o.team];
        df.segment = h->segments.names[o.segment];
        df.product = h->products.names[o.product];
        df.stage = h->stages.names[o.stage];
        df.category = kCat[o.category];
        df.amount = o.amount;
        df.closeDate = o.close;
        df.byPeriod.assign(probs.byPeriod.begin() + static_cast<std::ptrdiff_t>(i * np),
                           probs.byPeriod.begin() + static_cast<std::ptrdiff_t>((i + 1) * np));
        df.probability = df.byPeriod.empty() ? 0 : df.byPeriod[0];
        df.winProb = probs.first[i].win;
        df.timingProb = probs.first[i].timing;
        df.stageProb = probs.stageProb[i];
        df.top = explainDeal(model, *h, o, asOf, p0.end);
        r.deals.push_back(std::move(df));
    }
    std::stable_sort(r.deals.begin(), r.deals.end(), [](const DealForecast& a, const DealForecast& b) {
        return a.probability * static_cast<double>(a.amount) > b.probability * static_cast<double>(b.amount);
    });
    for (std::size_t k = 0; k < r.deals.size() && k < 50; ++k) mix(static_cast<Money>(std::llround(r.deals[k].probability * 1e9)));
    r.fingerprint = fp;
}

ForecastResult runForecast(const Workspace& ws, const ForecastSettings& s) {
    ForecastJob job(ws, s);
    runToCompletion(job);
    return std::move(job.result());
}

} // namespace terrane::forecast
