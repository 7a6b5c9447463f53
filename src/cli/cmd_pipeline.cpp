// terrane pipeline: the pipeline's health as of a date (core/forecast/analytics.hpp) — created,
// open by stage and close period, won / lost, win rates, cycle, conversion, coverage, velocity,
// slipped and ageing deals, risk flags — for the whole pipeline and by owner, region, manager,
// segment or product.
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/base/format.hpp"
#include "core/forecast/analytics.hpp"
#include "core/forecast/risk.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace terrane::cli {
namespace {

using nlohmann::ordered_json;
using namespace terrane::forecast;

ordered_json num(double v) { return std::isnan(v) ? ordered_json(nullptr) : ordered_json(v); }
ordered_json money(Money m) { return m == kMoneyNull ? ordered_json(nullptr) : ordered_json(moneyToMajor(m)); }
ordered_json dateJson(Date d) { return d == kDateNull ? ordered_json(nullptr) : ordered_json(formatDate(d)); }

struct Writer {
    const PipelineSnapshot& s;
    std::vector<std::string_view> idOfRow; // opportunity id by table row
    bool trace = false;

    ordered_json fig(const Figure& f) const {
        ordered_json j;
        j["count"] = f.count;
        j["value"] = moneyToMajor(f.value);
        if (trace) {
            ordered_json ids = ordered_json::array();
            for (std::uint32_t r : f.rows) ids.push_back(std::string(r < idOfRow.size() ? idOfRow[r] : std::string_view{}));
            j["ids"] = std::move(ids);
        }
        return j;
    }
    static ordered_json quart(const Quartiles& q) {
        return {{"n", q.n}, {"q1", num(q.q1)}, {"median", num(q.median)}, {"q3", num(q.q3)}};
    }
    ordered_json period(const PeriodFigures& p) const {
        ordered_json j;
        j["label"] = periodLabel(p.period);
        j["start"] = formatDate(p.period.start);
        j["end"] = formatDate(p.period.end);
        j["to_date"] = p.toDate;
        j["created"] = fig(p.created);
        j["won"] = fig(p.won);
        j["lost"] = fig(p.lost);
        j["win_rate_count"] = num(p.winRateCount);
        j["win_rate_value"] = num(p.winRateValue);
        j["average_won"] = money(p.averageWon);
        j["cycle_days"] = quart(p.cycleDays);
        j["pushed"] = fig(p.pushed);
        j["pushes"] = p.pushes;
        j["push_days"] = p.pushDays;
        return j;
    }
    ordered_json group(const GroupFigures& g, const Period& current) const {
        ordered_json j;
        j["key"] = g.key;
        j["open"] = fig(g.open);
        ordered_json st = ordered_json::array();
        for (const StageFigures& f : g.stages)
            st.push_back({{"stage", f.stage}, {"order", f.order}, {"open", fig(f.open)}, {"entered", f.entered}, {"advanced", f.advanced},
                          {"dropped", f.dropped}, {"still_in", f.stillIn}, {"conversion", num(f.conversion)}, {"days_in_stage", quart(f.daysInStage)}});
        j["stages"] = std::move(st);
        ordered_json cl = ordered_json::array();
        for (const CloseBucket& b : g.byClose)
            cl.push_back({{"label", b.label}, {"start", dateJson(b.period.start)}, {"end", dateJson(b.period.end)}, {"open", fig(b.open)}});
        j["close_periods"] = std::move(cl);
        ordered_json ag = ordered_json::array();
        for (const AgeBucket& b : g.ageing)
            ag.push_back({{"label", b.label}, {"from_days", b.from}, {"to_days", b.to < 0 ? ordered_json(nullptr) : ordered_json(b.to)}, {"open", fig(b.open)}});
        j["ageing"] = std::move(ag);
        j["won"] = fig(g.won);
        j["lost"] = fig(g.lost);
        j["win_rate_count"] = num(g.winRateCount);
        j["win_rate_value"] = num(g.winRateValue);
        j["average_won"] = money(g.averageWon);
        j["cycle_days"] = quart(g.cycleDays);
        j["coverage"] = {{"period_start", formatDate(current.start)}, {"period_end", formatDate(current.end)}, {"due", fig(g.dueInPeriod)},
                         {"quota", money(g.periodQuota)}, {"won", moneyToMajor(g.wonInPeriod)}, {"coverage", num(g.coverage)}};
        j["velocity_per_day"] = money(g.velocityPerDay);
        j["slipped"] = {{"deals", fig(g.slipped)}, {"pushes", g.pushes}, {"push_days", g.pushDays},
                        {"average_push_days", g.pushes > 0 ? ordered_json(static_cast<double>(g.pushDays) / g.pushes) : ordered_json(nullptr)},
                        {"pushed_twice", fig(g.pushedTwice)}};
        j["past_close"] = fig(g.pastClose);
        j["stale"] = fig(g.stale);
        ordered_json ps = ordered_json::array();
        for (const PeriodFigures& p : g.periods) ps.push_back(period(p));
        j["periods"] = std::move(ps);
        return j;
    }
};

int run(int argc, char** argv) {
    Args a(argc, argv, 2, {"json", "trace"});
    a.allowOnly(datasetOptionNames({"json", "trace", "as-of", "period", "periods", "by", "quota", "stale-days"}));
    PeriodKind kind = PeriodKind::Quarter;
    if (a.has("period") && (!parsePeriodKind(a.get("period"), kind) || kind == PeriodKind::Year))
        throw UsageError("--period must be month or quarter, got '" + a.get("period") + "'");
    AnalyticsOptions opt;
    opt.period = kind;
    if (a.has("by") && (!parseBreakdown(a.get("by"), opt.by)))
        throw UsageError("--by must be owner, region, manager, segment or product, got '" + a.get("by") + "'");
    opt.periods = static_cast<int>(a.integer("periods", 4));
    if (opt.periods < 1 || opt.periods > 120) throw UsageError("--periods must be between 1 and 120");
    Date asOf = kDateNull;
    if (a.has("as-of") && !parseIsoDate(a.get("as-of"), asOf)) throw UsageError("--as-of must be a date like 2026-03-31, got '" + a.get("as-of") + "'");
    Workspace ws;
    loadDatasets(a, ws, {DatasetKind::Opportunities});
    opt.staleDays = static_cast<int>(a.integer("stale-days", ws.settings.staleDays));
    if (opt.staleDays < 1) throw UsageError("--stale-days must be at least 1");
    if (opt.by == Breakdown::Region || opt.by == Breakdown::Manager) {
        if (!a.has("reps")) throw UsageError("--by " + a.get("by") + " needs --reps R.csv (the owners' " + a.get("by") + "s)");
    }
    if (opt.by == Breakdown::Segment && !a.has("accounts")) throw UsageError("--by segment needs --accounts A.csv (the accounts' segments)");

    const PipelineSource src = pipelineSource(ws);
    if (asOf == kDateNull) asOf = src.dataEnd;
    if (asOf == kDateNull) throw InputError(a.get("opportunities") + ": no dates in the file (created_date, close_date): give --as-of");
    const PipelineSnapshot snap = snapshotAsOf(src, asOf);
    const Period current = periodContaining(asOf, kind);
    PeriodQuotas quotas;
    if (a.has("quota")) {
        const double q = a.number("quota", -1);
        if (!(q > 0)) throw UsageError("--quota must be a positive amount (the quota of the period containing --as-of)");
        quotas.all = moneyFromMajor(q);
    }
    const PipelineAnalytics an = analysePipeline(snap, opt, quotas);
    FlagOptions fo;
    fo.staleDays = opt.staleDays;
    const std::vector<FlagList> flags = flagDeals(snap, {}, fo);

    if (a.has("json")) {
        Writer w{snap, {}, a.has("trace")};
        for (const Deal& d : src.deals) w.idOfRow.push_back(d.id);
        ordered_json j;
        j["as_of"] = formatDate(asOf);
        j["period"] = periodKindName(kind);
        j["by"] = breakdownName(opt.by);
        j["lookback_start"] = formatDate(an.lookbackStart);
        j["deals"] = snap.deals.size();
        j["has_history"] = an.hasHistory;
        j["unknown_stage"] = an.unknownStage;
        j["all"] = w.group(an.all, current);
        ordered_json groups = ordered_json::array();
        for (const GroupFigures& g : an.groups) groups.push_back(w.group(g, current));
        j["groups"] = std::move(groups);
        ordered_json fl = ordered_json::array();
        for (const FlagList& f : flags) {
            if (f.flag == DealFlag::CommitUnlikely || f.flag == DealFlag::UpsideLikely) continue; // need a model (terrane forecast)
            ordered_json ids = ordered_json::array();
            for (std::uint32_t i : f.deals) ids.push_back(std::string(snap.deals[i].id));
            fl.push_back({{"id", dealFlagId(f.flag)}, {"label", dealFlagLabel(f.flag)}, {"why", f.why}, {"upside", f.upside},
                          {"count", f.deals.size()}, {"value", moneyToMajor(f.value)}, {"ids", std::move(ids)}});
        }
        j["flags"] = std::move(fl);
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    const GroupFigures& g = an.all;
    std::printf("Pipeline as of %s (%s periods from %s)%s\n", fmt::date(asOf).c_str(), periodKindName(kind), fmt::date(an.lookbackStart).c_str(),
                an.hasHistory ? ", with stage history" : "");
    std::printf("open pipeline   %s in %s\n", fmt::money(g.open.value).c_str(), fmt::countOf(g.open.count, "deal", "deals").c_str());
    for (const StageFigures& f : g.stages)
        if (f.open.count > 0) std::printf("  %-24.24s %12s %6u\n", f.stage.c_str(), fmt::money(f.open.value).c_str(), f.open.count);
    std::printf("won / lost      %u / %u  win rate %s by count, %s by value\n", g.won.count, g.lost.count,
                std::isnan(g.winRateCount) ? "-" : fmt::percent(g.winRateCount).c_str(), std::isnan(g.winRateValue) ? "-" : fmt::percent(g.winRateValue).c_str());
    std::printf("average won     %s; cycle median %s days\n", g.averageWon == kMoneyNull ? "-" : fmt::money(g.averageWon).c_str(),
                std::isnan(g.cycleDays.median) ? "-" : fmt::fixed(g.cycleDays.median, 0).c_str());
    std::printf("due in %s  %s%s\n", periodLabel(current).c_str(), fmt::money(g.dueInPeriod.value).c_str(),
                std::isnan(g.coverage) ? "" : (", coverage " + fmt::fixed(g.coverage, 2) + "x").c_str());
    std::printf("slipped         %u deals (%d pushes); past close %u; stale %u\n", g.slipped.count, g.pushes, g.pastClose.count, g.stale.count);
    for (const GroupFigures& x : an.groups)
        std::printf("  %-24.24s open %12s  won %12s  win rate %s\n", x.key.c_str(), fmt::money(x.open.value).c_str(), fmt::money(x.won.value).c_str(),
                    std::isnan(x.winRateCount) ? "-" : fmt::percent(x.winRateCount).c_str());
    return 0;
}

const Command kCmd("pipeline",
                   "--opportunities O.csv [--stage-history H.csv] [--reps R.csv] [--accounts A.csv] [--as-of YYYY-MM-DD] "
                   "[--period month|quarter] [--periods N] [--by owner|region|manager|segment|product] [--quota AMOUNT] "
                   "[--stale-days N] [--trace] [--json]",
                   "Pipeline analytics as of a date: created, open by stage, win rates, cycle, conversion, coverage, slips", &run);

} // namespace
} // namespace terrane::cli
