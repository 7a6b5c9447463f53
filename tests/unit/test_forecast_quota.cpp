// Quotas of a forecast period from the scenario's quota plan (quotasForPeriod) and the coverage
// they give: known answers on a hand-built plan (whole plan periods, pro rata by day for a
// period partly inside one, a fiscal year that does not start in January, outside the plan, no
// target), by owner and region, and through computeQuotas on the sample.
#include "core/forecast/analytics.hpp"
#include "core/quota/allocate.hpp"
#include "sample_fixture.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace terrane;
using namespace terrane::forecast;

namespace {

Date ymd(int y, int m, int d) { return daysFromCivil(y, m, d); }

// A plan year from `start` with the company's quarters `q` and two reps that split each quarter
// 60/40, plus a territory without an owner (no rep id) holding the cents left over.
quota::QuotaResult handPlan(Date start, std::vector<Money> q) {
    quota::QuotaResult r;
    r.target = 0;
    for (Money m : q) r.target += m;
    r.periods = static_cast<int>(q.size());
    r.tree.planStart = start;
    r.tree.planEnd = addMonths(start, 12);
    quota::QuotaNode company;
    company.id = "company";
    company.level = quota::QuotaLevel::Company;
    company.quota = r.target;
    company.periods = q;
    r.tree.nodes.push_back(company);
    quota::RepQuota r1, r2, none;
    r1.repId = "R1", r2.repId = "R2";
    for (Money m : q) {
        r1.periods.push_back(m * 6 / 10);
        r2.periods.push_back(m * 4 / 10);
        none.periods.push_back(m - m * 6 / 10 - m * 4 / 10);
    }
    r.reps = {r1, r2, none};
    return r;
}

Period quarter(int y, int q) { return periodContaining(ymd(y, (q - 1) * 3 + 1, 1), PeriodKind::Quarter); }

Money byKey(const PeriodQuotas& q, const std::string& key) {
    for (const auto& [k, v] : q.byKey)
        if (k == key) return v;
    return kMoneyNull;
}

Deal deal(const char* id, const char* owner, const char* region, Money amount, Date created, Date close, DealOutcome outcome) {
    Deal d;
    d.id = id;
    d.owner = owner;
    d.region = region;
    d.amount = amount;
    d.created = created;
    d.closeDate = close;
    d.outcome = outcome;
    if (outcome != DealOutcome::Open) d.closedOn = close;
    return d;
}

} // namespace

TEST_CASE("quotasForPeriod: a calendar plan year, whole quarters, months pro rata by day, the year") {
    const auto plan = handPlan(ymd(2027, 1, 1), {100000, 200000, 300000, 400000});
    const PipelineSnapshot none;
    CHECK(quotasForPeriod(plan, quarter(2027, 2), Breakdown::None, none).all == 200000);
    CHECK(quotasForPeriod(plan, quarter(2027, 4), Breakdown::None, none).all == 400000);
    // February: 28 of Q1's 90 days, rounded to the cent.
    const Period feb = periodContaining(ymd(2027, 2, 10), PeriodKind::Month);
    CHECK(quotasForPeriod(plan, feb, Breakdown::None, none).all == std::llround(100000.0 * 28 / 90));
    // The months of a quarter add up to it within a cent each.
    Money months = 0;
    for (int m = 4; m <= 6; ++m) months += quotasForPeriod(plan, periodContaining(ymd(2027, m, 1), PeriodKind::Month), Breakdown::None, none).all;
    CHECK(std::llabs(months - 200000) <= 2);
    CHECK(quotasForPeriod(plan, periodContaining(ymd(2027, 6, 1), PeriodKind::Year), Breakdown::None, none).all == 1000000);
    // No breakdown asked: no group quotas.
    CHECK(quotasForPeriod(plan, quarter(2027, 2), Breakdown::None, none).byKey.empty());
}

TEST_CASE("quotasForPeriod: outside the plan year, or without a target, there is no quota (and coverage says none)") {
    const auto plan = handPlan(ymd(2027, 1, 1), {100000, 200000, 300000, 400000});
    const PipelineSnapshot none;
    // The current quarter of data as of October 2026 lies before a 2027 plan year.
    const PeriodQuotas before = quotasForPeriod(plan, quarter(2026, 4), Breakdown::Owner, none);
    CHECK(before.all == kMoneyNull);
    CHECK(before.byKey.empty());
    CHECK(quotasForPeriod(plan, quarter(2028, 1), Breakdown::None, none).all == kMoneyNull);
    auto noTarget = plan;
    noTarget.target = 0;
    CHECK(quotasForPeriod(noTarget, quarter(2027, 2), Breakdown::None, none).all == kMoneyNull);
    auto broken = plan;
    broken.ok = false;
    CHECK(quotasForPeriod(broken, quarter(2027, 2), Breakdown::None, none).all == kMoneyNull);

    // Without a quota the analytics keep the open pipeline due but give no coverage.
    PipelineSnapshot s;
    s.asOf = ymd(2027, 5, 10);
    s.deals = {deal("O1", "R1", "West", 120000, ymd(2027, 3, 1), ymd(2027, 6, 20), DealOutcome::Open)};
    AnalyticsOptions opt;
    opt.period = PeriodKind::Quarter;
    const PipelineAnalytics a = analysePipeline(s, opt, quotasForPeriod(plan, quarter(2026, 4), Breakdown::None, s));
    CHECK(a.all.dueInPeriod.value == 120000);
    CHECK(a.all.periodQuota == kMoneyNull);
    CHECK(std::isnan(a.all.coverage));
}

TEST_CASE("quotasForPeriod: a fiscal year from February, a calendar quarter takes the overlapping days") {
    // Plan quarters Feb-Apr (89 days in 2027), May-Jul, Aug-Oct, Nov-Jan.
    const auto plan = handPlan(ymd(2027, 2, 1), {89000, 92000, 92000, 92000});
    const PipelineSnapshot none;
    // Calendar Q1 2027 (Jan-Mar): January is before the plan; February and March are 59 of the
    // first plan quarter's 89 days.
    CHECK(quotasForPeriod(plan, quarter(2027, 1), Breakdown::None, none).all == 59000);
    // Calendar Q2 (Apr-Jun): April (30 of 89 days) + May and June (61 of 92 days).
    CHECK(quotasForPeriod(plan, quarter(2027, 2), Breakdown::None, none).all == 30000 + 61000);
}

TEST_CASE("quotasForPeriod: by owner and by region (the owners' regions from the deals), and coverage uses them") {
    const auto plan = handPlan(ymd(2027, 1, 1), {100000, 200000, 300000, 400000});
    PipelineSnapshot s;
    s.asOf = ymd(2027, 5, 10);
    s.deals = {deal("W1", "R1", "West", 50000, ymd(2027, 1, 5), ymd(2027, 4, 15), DealOutcome::Won),
               deal("O1", "R1", "West", 120000, ymd(2027, 3, 1), ymd(2027, 6, 20), DealOutcome::Open),
               deal("O2", "R2", "East", 90000, ymd(2027, 3, 1), ymd(2027, 5, 2), DealOutcome::Open), // overdue, still due in Q2
               deal("O3", "R2", "East", 70000, ymd(2027, 4, 1), ymd(2027, 8, 1), DealOutcome::Open),  // next quarter
               deal("O4", "R2", "East", 30000, ymd(2027, 4, 1), kDateNull, DealOutcome::Open)};      // no close date
    const Period q2 = quarter(2027, 2);
    const PeriodQuotas owners = quotasForPeriod(plan, q2, Breakdown::Owner, s);
    CHECK(owners.all == 200000);
    CHECK(byKey(owners, "R1") == 120000);
    CHECK(byKey(owners, "R2") == 80000);
    CHECK(byKey(owners, "") == kMoneyNull); // the territory without an owner has no group
    const PeriodQuotas regions = quotasForPeriod(plan, q2, Breakdown::Region, s);
    CHECK(byKey(regions, "West") == 120000);
    CHECK(byKey(regions, "East") == 80000);

    // Coverage: open due in Q2 (O1 + O2) / (quota - won in Q2).
    AnalyticsOptions opt;
    opt.period = PeriodKind::Quarter;
    opt.by = Breakdown::Region;
    const PipelineAnalytics a = analysePipeline(s, opt, regions);
    CHECK(a.all.periodQuota == 200000);
    CHECK(a.all.wonInPeriod == 50000);
    CHECK(a.all.dueInPeriod.value == 210000);
    CHECK(a.all.coverage == doctest::Approx(210000.0 / 150000.0));
    for (const GroupFigures& g : a.groups) {
        if (g.key == "West") CHECK(g.coverage == doctest::Approx(120000.0 / (120000.0 - 50000.0)));
        if (g.key == "East") CHECK(g.coverage == doctest::Approx(90000.0 / 80000.0));
    }
    // A quota already met: nothing left to cover, no coverage figure.
    PeriodQuotas met;
    met.all = 40000;
    CHECK(std::isnan(analysePipeline(s, opt, met).all.coverage));
}

TEST_CASE("quotasForPeriod: the sample's quota plan through computeQuotas reconciles with its reps") {
    Workspace ws = fixture::sampleWorkspace(400, 8, 5);
    Scenario& sc = ws.active();
    sc.quota.target = 800000000; // $8M
    const quota::QuotaResult r = quota::computeQuotas(ws, sc);
    REQUIRE(r.ok);
    REQUIRE(r.periods == 4); // quarters by default
    const Date start = r.tree.planStart;
    const PipelineSnapshot s = snapshotAsOf(ws, ymd(2026, 10, 1));
    Money year = 0;
    for (int k = 0; k < 4; ++k) {
        const Period p = periodContaining(addMonths(start, 3 * k), PeriodKind::Quarter);
        const PeriodQuotas q = quotasForPeriod(r, p, Breakdown::Owner, s);
        CHECK(q.all == r.tree.nodes.front().periods[static_cast<std::size_t>(k)]);
        Money reps = 0;
        for (const auto& [key, m] : q.byKey) reps += m;
        CHECK(reps <= q.all); // held quota of vacant seats stays with the company
        year += q.all;
    }
    CHECK(year == r.tree.nodes.front().quota);
    // The quarter before the plan year (the sample's as-of date is in it): none.
    CHECK(quotasForPeriod(r, periodContaining(ymd(2026, 10, 1), PeriodKind::Quarter), Breakdown::None, s).all == kMoneyNull);
}
