// The backtest job (see backtest.hpp): the raw figures at every period start it needs (each
// from data up to that date only), the headline chosen as runForecast would have chosen it,
// baselines, accuracy per method and the calibration of the deal probabilities.
//
// Index
//  [SECTION] metrics
//  [SECTION] job
#include "core/forecast/backtest.hpp"

#include "core/base/format.hpp"
#include "core/forecast/engine.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace terrane::forecast {

using namespace detail;

// [SECTION] metrics
namespace {

double medianOf(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

MethodAccuracy accuracy(const std::string& name, const std::vector<BacktestPeriod>& ps, bool band) {
    MethodAccuracy a;
    a.method = name;
    a.hasBand = band;
    std::vector<double> e, b;
    std::size_t inside = 0;
    for (const BacktestPeriod& p : ps) {
        const BacktestFigure* f = nullptr;
        if (name == "forecast") f = &p.forecast;
        else if (auto it = p.methods.find(name); it != p.methods.end()) f = &it->second;
        if (!f || p.actual <= 0) continue;
        const double act = static_cast<double>(p.actual);
        e.push_back(std::abs(static_cast<double>(f->p50) - act) / act);
        b.push_back((static_cast<double>(f->p50) - act) / act);
        inside += f->p10 <= p.actual && p.actual <= f->p90;
    }
    a.periods = static_cast<int>(e.size());
    a.mdape = medianOf(e);
    a.bias = medianOf(b);
    a.coverage = e.empty() ? 0 : static_cast<double>(inside) / static_cast<double>(e.size());
    return a;
}

int seasonOf(PeriodKind k) { return k == PeriodKind::Month ? 12 : k == PeriodKind::Quarter ? 4 : 1; }
int trailingOf(PeriodKind k) { return k == PeriodKind::Month ? 3 : k == PeriodKind::Quarter ? 4 : 2; }

} // namespace

// [SECTION] job
struct BacktestJob::State {
    const Workspace& ws;
    BacktestSettings s;
    std::unique_ptr<History> h;
    std::unique_ptr<RawCache> cache;
    std::vector<Period> periods;
    std::vector<Date> dates;
    std::size_t next = 0, nextPeriod = 0;
    int phase = 0;
    BacktestResult res;
    std::vector<double> calP;
    std::vector<std::uint8_t> calY;
    State(const Workspace& w, const BacktestSettings& st) : ws(w), s(st) {}
    void period(const Period& m);
    void finish();
};

BacktestJob::BacktestJob(const Workspace& ws, const BacktestSettings& s) : m(std::make_unique<State>(ws, s)) {}
BacktestJob::~BacktestJob() = default;
bool BacktestJob::done() const { return m->phase >= 4; }
BacktestResult& BacktestJob::result() { return m->res; }
double BacktestJob::progress() const {
    const double total = static_cast<double>(m->dates.size() + m->periods.size() + 2);
    return std::min(1.0, static_cast<double>(m->next + m->nextPeriod + (m->phase > 0 ? 1 : 0)) / total);
}
std::string BacktestJob::detail() const {
    if (m->phase == 1) return "Forecasting as of past dates: " + fmt::count(m->next) + " of " + fmt::count(m->dates.size());
    return m->phase == 0 ? "Reading the pipeline" : "Scoring";
}

void BacktestJob::State::period(const Period& pm) {
    BacktestPeriod bp;
    bp.period = pm;
    bp.actual = h->wonBetween(pm.start, pm.end);
    // Naive (benchmarks): every period from scratch, as separate runs of the forecast would.
    RawCache fresh{*h, s.period, {}};
    RawCache& rc = s.naive ? fresh : *cache;
    const Raw& raw = rc.at(pm.start);
    const RawPeriod& rp = raw.periods[0];
    bp.closedAtStart = rp.closed;
    const Headline hd = chooseHeadline(rc, pm.start, s.history);
    bp.headline = hd.method;
    headlineFigures(hd, rp, bp.forecast.p10, bp.forecast.p50, bp.forecast.p90);
    auto money = [](double v) { return static_cast<Money>(std::llround(v)); };
    const double z = 1.2815515655446004 * rp.modelSd;
    bp.methods["model"] = {money(std::max(static_cast<double>(rp.closed), rp.model - z)), money(rp.model), money(rp.model + z)};
    bp.methods["stage_weighted"] = {money(rp.stageWeighted), money(rp.stageWeighted), money(rp.stageWeighted)};
    bp.methods["stage_weighted_plain"] = {money(rp.stagePlain), money(rp.stagePlain), money(rp.stagePlain)};
    if (rp.hasCategories) bp.methods["team_call"] = {money(rp.teamCall), money(rp.teamCall), money(rp.teamBest)};
    const Period ly = shiftPeriod(pm, -seasonOf(s.period));
    if (ly.start >= h->firstDate()) {
        const Money v = h->wonBetween(ly.start, ly.end);
        bp.methods["seasonal_naive"] = {v, v, v};
    }
    double sum = 0;
    int n = 0;
    for (int k = 1; k <= trailingOf(s.period); ++k) {
        const Period q = shiftPeriod(pm, -k);
        if (q.start < h->firstDate()) break;
        sum += static_cast<double>(h->wonBetween(q.start, q.end));
        ++n;
    }
    if (n > 0) bp.methods["trailing_mean"] = {money(sum / n), money(sum / n), money(sum / n)};
    // Calibration: each deal open at the start, its probability against whether it was won in the period.
    const PipelineSource& src = h->source();
    for (std::size_t i = 0; i < raw.dealIdx.size(); ++i) {
        const Deal& d = src.deals[raw.dealIdx[i]];
        calP.push_back(raw.firstP[i]);
        calY.push_back(d.won() && d.closedOn > pm.start && d.closedOn <= pm.end ? 1 : 0);
    }
    res.periods.push_back(std::move(bp));
}

void BacktestJob::State::finish() {
    res.settings = s;
    res.headline = accuracy("forecast", res.periods, true);
    res.methods = {accuracy("model", res.periods, true), accuracy("stage_weighted", res.periods, false)};
    bool team = false;
    for (const BacktestPeriod& p : res.periods) team |= p.methods.count("team_call") > 0;
    if (team) res.methods.push_back(accuracy("team_call", res.periods, true));
    // The plain stage-weighted baseline (deals due x their stage's win rate) keeps its contract key.
    MethodAccuracy plain = accuracy("stage_weighted_plain", res.periods, false);
    plain.method = "stage_weighted";
    res.baselines = {accuracy("seasonal_naive", res.periods, false), accuracy("trailing_mean", res.periods, false), plain};
    // Deciles of the predicted probability.
    const std::size_t n = calP.size();
    res.calibrationDeals = n;
    double brier = 0;
    for (int b = 0; b < 10; ++b) res.calibration.push_back({b / 10.0, (b + 1) / 10.0, 0, 0, 0});
    for (std::size_t i = 0; i < n; ++i) {
        brier += (calP[i] - calY[i]) * (calP[i] - calY[i]);
        const int b = std::clamp(static_cast<int>(calP[i] * 10), 0, 9);
        CalibrationBin& c = res.calibration[static_cast<std::size_t>(b)];
        c.predicted += calP[i];
        c.observed += calY[i];
        ++c.deals;
    }
    for (CalibrationBin& c : res.calibration)
        if (c.deals > 0) {
            c.predicted /= static_cast<double>(c.deals);
            c.observed /= static_cast<double>(c.deals);
        }
    res.brier = n > 0 ? brier / static_cast<double>(n) : 0;
    if (res.periods.empty()) res.notes.push_back("no complete period in the range");
    else if (res.headline.periods == 0)
        res.notes.push_back("no period in the range had any won value: errors are relative to what was won, so none can be scored");
}

bool BacktestJob::step(double budgetMs) {
    State& st = *m;
    const Stopwatch sw;
    while (st.phase < 4) {
        if (m_cancelled) return true;
        if (st.phase == 0) {
            st.h = std::make_unique<History>(st.ws);
            st.cache = std::make_unique<RawCache>(RawCache{*st.h, st.s.period, {}});
            const Date end = st.h->lastDate();
            if (end != kDateNull) {
                // Complete periods only: the last one ends by the data's end.
                Period last = periodContaining(end, st.s.period);
                if (last.end > end) last = shiftPeriod(last, -1);
                Date from = st.s.from, to = st.s.to;
                if (to == kDateNull) to = last.start;
                if (from == kDateNull) from = shiftPeriod(periodContaining(to, st.s.period), -(defaultHistory(st.s.period) - 1)).start;
                for (Period p = periodContaining(from, st.s.period); p.start <= to; p = nextPeriod(p)) {
                    if (p.start < from) continue;
                    if (p.end > end) {
                        st.res.notes.push_back(periodLabel(p) + " is not over in the data (it ends " + fmt::date(end) + "): left out");
                        break;
                    }
                    st.periods.push_back(p);
                }
            }
            std::set<Date> need;
            const int H = st.s.history > 0 ? st.s.history : defaultHistory(st.s.period);
            for (const Period& p : st.periods) {
                need.insert(p.start);
                for (int k = 1; k <= H; ++k) {
                    const Period q = shiftPeriod(p, -k);
                    if (st.h->firstDate() != kDateNull && q.start >= st.h->firstDate()) need.insert(q.start);
                }
            }
            if (!st.s.naive) st.dates.assign(need.begin(), need.end());
            st.phase = 1;
        } else if (st.phase == 1) {
            if (st.next < st.dates.size()) st.cache->at(st.dates[st.next++]);
            else st.phase = 2;
        } else if (st.phase == 2) {
            if (st.nextPeriod < st.periods.size()) st.period(st.periods[st.nextPeriod++]);
            else st.phase = 3;
        } else {
            st.finish();
            st.phase = 4;
        }
        if (sw.ms() >= budgetMs) break;
    }
    return st.phase >= 4 || m_cancelled;
}

BacktestResult runBacktest(const Workspace& ws, const BacktestSettings& s) {
    BacktestJob job(ws, s);
    runToCompletion(job);
    return std::move(job.result());
}

} // namespace terrane::forecast
