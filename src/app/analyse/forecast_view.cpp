// The Forecast workspace's figures from core: the run's stages (the forecast job, the backtest
// job, the pipeline analytics) and the ForecastView the panel draws, in display terms (names,
// labels, account rows for the map). Same core calls as `terrane forecast` / `backtest` /
// `pipeline`, so the page and the CLI give the same numbers.
//
// Index
//  [SECTION] helpers
//  [SECTION] forecast   periods, methods, waterfall, deals, groups
//  [SECTION] backtest   band vs actual, accuracy, calibration
//  [SECTION] pipeline   funnel, trends, flags
//  [SECTION] stages
#include "app/analyse/forecast_run.hpp"
#include "app/app.hpp"
#include "core/base/format.hpp"
#include "core/base/text.hpp"
#include "core/forecast/backtest.hpp"
#include "core/forecast/analytics.hpp"
#include "core/forecast/forecast.hpp"
#include "core/forecast/forecast_json.hpp"
#include "core/forecast/risk.hpp"
#include "core/quota/allocate.hpp"
#include "core/forecast/pipeline.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

namespace terrane {
using namespace forecast;

namespace {
// [SECTION] helpers
// "Q3'26", "Mar'26", "2026": period labels that fit under narrow bars.
std::string shortLabel(const Period& p) {
    static const char* kMonth[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const Ymd d = civilFromDays(p.start);
    const std::string yy = "'" + std::to_string(d.year % 100 / 10) + std::to_string(d.year % 10);
    if (p.kind == PeriodKind::Year) return std::to_string(d.year);
    if (p.kind == PeriodKind::Quarter) return "Q" + std::to_string((d.month - 1) / 3 + 1) + yy;
    return kMonth[d.month - 1] + yy;
}

// [SECTION] forecast
void fillForecast(const App& app, const ForecastResult& r, ForecastView& v) {
    const Workspace& ws = app.workspace();
    v.valid = !r.periods.empty();
    if (!v.valid) v.error = r.notes.empty() ? "No forecast: the opportunities have no deals before the as-of date." : r.notes.front();
    v.asOf = r.asOf;
    v.period = periodKindName(r.settings.period);
    v.seed = r.settings.seed;
    v.trials = static_cast<std::uint32_t>(r.settings.trials);
    v.headlineMethod = methodName(r.headline);
    v.headlineBasis = r.headlineBasis;
    v.notes = r.notes;
    v.fingerprint = r.fingerprint;
    v.settingsJson = forecastSettingsToJson(r.settings).dump();
    for (std::size_t i = 0; i < r.periods.size(); ++i) {
        const PeriodForecast& p = r.periods[i];
        ForecastView::PeriodRow row;
        row.label = periodLabel(p.period);
        row.start = p.period.start, row.end = p.period.end;
        row.closedWon = p.closedWon, row.p10 = p.p10, row.p50 = p.p50, row.p90 = p.p90;
        row.openDue = p.openInPeriod; // quota and coverage: fillPipeline (the scenario's quota plan)
        for (const MethodFigure& m : p.methods) {
            if (!m.available) continue;
            row.methods.push_back({m.method, methodName(m.method), m.basis, m.value, m.method == r.headline});
            if (m.method == "new_business") row.newBusiness = m.value;
        }
        // The waterfall: each open deal's expected won value in the period, by its category.
        for (const DealForecast& d : r.deals) {
            const double pr = i < d.byPeriod.size() ? d.byPeriod[i] : (i == 0 ? d.probability : 0.0);
            const auto e = static_cast<Money>(std::llround(pr * static_cast<double>(d.amount)));
            const std::string cat = toLower(d.category);
            if (cat.find("commit") != std::string::npos) row.commit += e;
            else if (cat.find("best") != std::string::npos) row.bestCase += e;
            else row.pipelineModel += e;
        }
        v.periods.push_back(std::move(row));
    }
    const Table& opp = ws.opportunities();
    const Table& acc = ws.accounts();
    const int oppAccount = opp.indexOf("account_id"), accName = acc.indexOf("name");
    for (const DealForecast& d : r.deals) {
        ForecastView::DealRow row;
        row.id = d.id;
        row.owner = app.repName(d.owner);
        row.stage = d.stage;
        row.category = d.category;
        row.amount = d.amount;
        row.closeDate = d.closeDate;
        row.probability = d.probability;
        if (oppAccount >= 0 && d.row < opp.rows()) {
            const std::string_view id = opp.str(oppAccount, d.row);
            row.account = std::string(id);
            if (auto a = acc.rowOf(id)) {
                row.accountRow = static_cast<std::int64_t>(*a);
                if (accName >= 0 && !acc.str(accName, *a).empty()) row.account = std::string(acc.str(accName, *a));
            }
        }
        for (const Contribution& c : d.top) {
            if (c.feature.empty()) continue;
            if (!row.explanation.empty()) row.explanation += "; ";
            row.explanation += c.feature + (c.logOdds >= 0 ? " (+" : " (") + fmt::fixed(c.logOdds, 2) + ")";
        }
        v.deals.push_back(std::move(row));
    }
    if (!r.periods.empty()) {
        const PeriodForecast& p = r.periods.front();
        auto add = [&](const char* group, const std::vector<GroupFigure>& gs, bool owners) {
            for (const GroupFigure& g : gs)
                v.groups.push_back({group, owners ? app.repName(g.name) : g.name, g.closedWon, g.p10, g.p50, g.p90, 0, 0});
        };
        add("owner", p.owners, true);
        add("team", p.teams, false);
        add("segment", p.segments, false);
        for (const DealForecast& d : r.deals)
            for (auto& g : v.groups)
                if ((g.group == std::string("owner") && g.name == app.repName(d.owner)) || (g.group == std::string("team") && g.name == d.team) ||
                    (g.group == std::string("segment") && g.name == d.segment))
                    ++g.openDeals;
    }
}

// [SECTION] backtest
void fillBacktest(const BacktestResult& b, ForecastView& v) {
    v.backtested = !b.periods.empty();
    auto p50 = [](const BacktestPeriod& p, const char* m) {
        const auto it = p.methods.find(m);
        return it == p.methods.end() ? Money{0} : it->second.p50;
    };
    for (const BacktestPeriod& p : b.periods)
        v.backtest.push_back({periodLabel(p.period), p.forecast.p10, p.forecast.p50, p.forecast.p90, p.actual, p50(p, "seasonal_naive"),
                              p50(p, "trailing_mean"), p50(p, "stage_weighted_plain")});
    v.scoredPeriods = b.headline.periods;
    v.calibrationDeals = b.calibrationDeals;
    v.backtestNotes.insert(v.backtestNotes.end(), b.notes.begin(), b.notes.end());
    v.mdape = b.headline.mdape;
    v.bias = b.headline.bias;
    v.coverage = b.headline.coverage;
    v.brier = b.brier;
    static const char* kBase[] = {"seasonal_naive", "trailing_mean", "stage_weighted"};
    for (int i = 0; i < 3; ++i)
        for (const MethodAccuracy& m : b.baselines)
            if (m.method == kBase[i]) v.baselineMdape[i] = m.mdape, v.baselinePeriods[i] = m.periods;
    for (const CalibrationBin& c : b.calibration) v.calibration.push_back({c.predicted, c.observed, c.deals});
}

// [SECTION] pipeline
// Quotas and coverage per period, the funnel and the trends from the pipeline analytics, and the
// risk and upside flags with the model's probabilities, all on the snapshot as of the date.
void fillPipeline(const App& app, const ForecastResult& r, int trailing, ForecastView& v) {
    const Workspace& ws = app.workspace();
    const PipelineSource source = pipelineSource(ws);
    const PipelineSnapshot snap = snapshotAsOf(source, r.asOf);
    std::optional<quota::QuotaResult> q;
    if (ws.active().quota.target > 0) q = quota::computeQuotas(ws, ws.active());
    const Period current = periodContaining(r.asOf, r.settings.period);
    PeriodQuotas quotas;
    if (q) quotas = quotasForPeriod(*q, current, Breakdown::None, snap);
    AnalyticsOptions opt;
    opt.period = r.settings.period;
    opt.periods = std::max(2, trailing);
    const PipelineAnalytics a = analysePipeline(snap, opt, quotas);
    const GroupFigures& all = a.all;
    for (std::size_t i = 0; i < v.periods.size(); ++i) {
        ForecastView::PeriodRow& row = v.periods[i];
        const Money quota = i == 0 ? all.periodQuota : q ? quotasForPeriod(*q, r.periods[i].period, Breakdown::None, snap).all : kMoneyNull;
        row.quota = quota == kMoneyNull ? 0 : quota;
        if (row.quota == 0)
            row.quotaNote = !q                               ? "no target: set one in Plan > Quotas"
                            : !q->ok                         ? "the quota plan has errors (Plan > Quotas)"
                            : q->tree.planStart == kDateNull ? "the quota plan has no plan year"
                                                             : "outside the quota plan (" + fmt::date(q->tree.planStart) + " to " +
                                                                   fmt::date(q->tree.planEnd - 1) + ")";
        if (i == 0) row.openDue = all.dueInPeriod.value;
        row.coverage = i == 0 ? (std::isnan(all.coverage) ? 0.0 : all.coverage)
                       : row.quota > row.closedWon ? static_cast<double>(row.openDue) / static_cast<double>(row.quota - row.closedWon)
                                                   : 0.0;
    }
    // Group quotas of the first period (owners by rep id, teams by region) where the plan covers it.
    if (q && !v.periods.empty() && v.periods.front().quota > 0) {
        const PeriodQuotas byOwner = quotasForPeriod(*q, current, Breakdown::Owner, snap);
        const PeriodQuotas byRegion = quotasForPeriod(*q, current, Breakdown::Region, snap);
        for (auto& g : v.groups) {
            const bool owner = g.group == "owner";
            if (!owner && g.group != "team") continue;
            for (const auto& [key, m] : owner ? byOwner.byKey : byRegion.byKey)
                if ((owner ? app.repName(key) : key) == g.name) g.quota = m;
        }
        v.quotaNote = "quota: the scenario's quota plan for " + v.periods.front().label + " (owners by rep, teams by region)";
    } else {
        v.quotaNote = v.periods.empty() ? std::string() : "no quota for " + v.periods.front().label + ": " + v.periods.front().quotaNote;
    }
    // What in the data limits the forecast, in words.
    const std::size_t closedFirst = source.createdAfterClose;
    std::size_t overdue = 0, noAmount = 0, noClose = 0, open = 0;
    Date oldest = kDateNull;
    for (const Deal& d : snap.deals) {
        if (!d.open()) continue;
        ++open;
        noAmount += d.amount == kMoneyNull || d.amount <= 0;
        noClose += d.closeDate == kDateNull;
        if (d.closeDate != kDateNull && d.closeDate < r.asOf) {
            ++overdue;
            if (oldest == kDateNull || d.closeDate < oldest) oldest = d.closeDate;
        }
    }
    if (closedFirst > 0) {
        v.notes.push_back(fmt::countOf(closedFirst, "closed deal has a close date before its", "closed deals have a close date before their") +
                          " created date: the export's created dates look like load dates (such deals are taken as created when "
                          "they closed), so the past pipeline cannot be replayed and there is little history to learn from or backtest on");
        v.backtestNotes.push_back(v.notes.back());
    }
    if (overdue > 0 && overdue * 2 >= open)
        v.notes.push_back(fmt::count(overdue) + " of " + fmt::countOf(open, "open deal", "open deals") + " are past their close date (the oldest " +
                          fmt::date(oldest) + "): the model gives long-overdue deals little chance within the period");
    if (noAmount > 0) v.notes.push_back(fmt::countOf(noAmount, "open deal has", "open deals have") + " no amount and add nothing to the forecast");
    if (noClose > 0) v.notes.push_back(fmt::countOf(noClose, "open deal has", "open deals have") + " no close date: their timing comes from the history");
    for (const StageFigures& st : all.stages)
        v.funnel.push_back({st.stage, st.open.count, st.open.value, std::isnan(st.conversion) ? -1.0 : st.conversion,
                            std::isnan(st.daysInStage.median) ? -1.0 : st.daysInStage.median});
    for (const PeriodFigures& p : all.periods) {
        ForecastView::TrendRow t;
        t.label = shortLabel(p.period);
        t.winRate = std::isnan(p.winRateValue) ? 0.0 : p.winRateValue;
        t.cycleDays = std::isnan(p.cycleDays.median) ? 0.0 : p.cycleDays.median;
        // Velocity of the period: deals created x win rate x average won size / median cycle.
        if (!std::isnan(p.winRateCount) && p.averageWon != kMoneyNull && t.cycleDays > 0)
            t.velocityPerDay = static_cast<double>(p.created.count) * p.winRateCount * static_cast<double>(p.averageWon) / t.cycleDays;
        t.createdValue = static_cast<double>(p.created.value);
        v.trends.push_back(t);
    }
    // Flags: the model's probability per snapshot deal (NaN for deals it did not score).
    std::vector<std::int32_t> viewOfRow(ws.opportunities().rows(), -1);
    for (std::size_t i = 0; i < r.deals.size(); ++i)
        if (r.deals[i].row < viewOfRow.size()) viewOfRow[r.deals[i].row] = static_cast<std::int32_t>(i);
    std::vector<double> prob(snap.deals.size(), std::nan(""));
    for (std::size_t i = 0; i < snap.deals.size(); ++i)
        if (const std::int32_t k = snap.deals[i].row < viewOfRow.size() ? viewOfRow[snap.deals[i].row] : -1; k >= 0)
            prob[i] = r.deals[static_cast<std::size_t>(k)].probability;
    FlagOptions fo;
    fo.staleDays = ws.settings.staleDays; // as `terrane pipeline`
    const std::vector<FlagList> lists = flagDeals(snap, prob, fo, [&app](std::string_view owner) { return app.repName(owner); });
    for (const FlagList& l : lists) {
        ForecastView::Flag f;
        f.id = dealFlagId(l.flag);
        f.name = dealFlagLabel(l.flag);
        f.description = (l.upside ? "Upside: " : "Risk: ") + l.why + " (" + fmt::moneyCompact(l.value) + " in these deals)";
        f.risk = !l.upside;
        const std::uint32_t bit = 1u << v.flags.size();
        for (std::size_t n = 0; n < l.deals.size(); ++n) {
            const std::uint32_t d = l.deals[n];
            const std::int32_t k = snap.deals[d].row < viewOfRow.size() ? viewOfRow[snap.deals[d].row] : -1;
            if (k < 0) {
                ++f.unscored;
                continue;
            }
            f.deals.push_back(static_cast<std::uint32_t>(k));
            ForecastView::DealRow& row = v.deals[static_cast<std::size_t>(k)];
            row.flags |= bit;
            row.flagNotes += (row.flagNotes.empty() ? "" : "\n") + f.name + ": " + l.notes[n];
        }
        v.flags.push_back(std::move(f));
    }
}
} // namespace

// [SECTION] stages
Date defaultForecastAsOf(const App& app) {
    if (app.isSampleWorkspace()) return app.sampleOptions().asOf;
    const PipelineSource src = pipelineSource(app.workspace());
    return src.dataEnd != kDateNull ? src.dataEnd : todayUtc();
}

std::vector<ForecastStage> forecastStages(App& app, const ForecastRequest& req, std::shared_ptr<ForecastView> out) {
    struct Shared {
        std::unique_ptr<ForecastJob> forecast;
        std::unique_ptr<BacktestJob> backtest;
    };
    auto sh = std::make_shared<Shared>();
    ForecastSettings fs;
    fs.asOf = req.asOf;
    parsePeriodKind(req.period, fs.period);
    fs.periods = req.periods;
    fs.trials = req.trials;
    fs.seed = req.seed;
    BacktestSettings bs;
    bs.period = fs.period == PeriodKind::Year ? PeriodKind::Quarter : fs.period;
    const Period current = periodContaining(req.asOf, bs.period);
    bs.from = shiftPeriod(current, -req.backtestPeriods).start;
    bs.to = shiftPeriod(current, -1).start;
    bs.seed = req.seed;
    std::vector<ForecastStage> st;
    st.push_back({"Forecasting",
                  [&app, sh, fs, out](double budget) {
                      if (!sh->forecast) sh->forecast = std::make_unique<ForecastJob>(app.workspace(), fs);
                      if (!sh->forecast->step(budget)) return false;
                      fillForecast(app, sh->forecast->result(), *out);
                      return true;
                  },
                  [sh] { return sh->forecast ? sh->forecast->progress() : 0.0; }});
    st.push_back({"Pipeline analytics and flags",
                  [&app, sh, n = req.backtestPeriods, out](double) {
                      if (out->valid) fillPipeline(app, sh->forecast->result(), n, *out);
                      return true;
                  },
                  {}});
    st.push_back({"Backtesting past periods",
                  [&app, sh, bs, out, n = req.backtestPeriods](double budget) {
                      if (!out->valid || n <= 0) return true;
                      if (!sh->backtest) sh->backtest = std::make_unique<BacktestJob>(app.workspace(), bs);
                      if (!sh->backtest->step(budget)) return false;
                      fillBacktest(sh->backtest->result(), *out);
                      return true;
                  },
                  [sh] { return sh->backtest ? sh->backtest->progress() : 0.0; }});
    return st;
}

} // namespace terrane
