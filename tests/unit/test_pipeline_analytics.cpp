// Pipeline analytics and risk flags on the hand-built pipeline (tests/data/forecast): every
// figure worked out by hand, the rows behind it, and `terrane pipeline` printing the same.
#include "core/forecast/analytics.hpp"
#include "core/forecast/risk.hpp"
#include "core/import/loader.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

using namespace terrane;
using namespace terrane::forecast;

namespace {

std::string readData(const std::string& rel) {
    std::ifstream in(std::string(TERRANE_SOURCE_DIR) + "/" + rel, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Date ymd(int y, int m, int d) { return daysFromCivil(y, m, d); }

Workspace handBuilt() {
    Workspace ws;
    const std::pair<DatasetKind, const char*> files[] = {{DatasetKind::Accounts, "deal_accounts.csv"},
                                                         {DatasetKind::Reps, "deal_reps.csv"},
                                                         {DatasetKind::Opportunities, "deals.csv"},
                                                         {DatasetKind::StageHistory, "deal_history.csv"}};
    for (const auto& [kind, name] : files) {
        ImportOptions opt;
        opt.kind = kind;
        opt.fileName = name;
        opt.geocode = false;
        opt.asOf = ymd(2026, 7, 1);
        ImportReport rep;
        std::string err;
        REQUIRE_MESSAGE(importInto(ws, readData(std::string("tests/data/forecast/") + name), opt, rep, err), err);
    }
    return ws;
}

std::vector<std::string> idsOf(const PipelineSnapshot& s, const Figure& f) {
    std::vector<std::string> out;
    for (std::uint32_t r : f.rows)
        for (const Deal& d : s.deals)
            if (d.row == r) out.emplace_back(d.id);
    std::sort(out.begin(), out.end());
    return out;
}

const StageFigures* stage(const GroupFigures& g, std::string_view name) {
    for (const StageFigures& f : g.stages)
        if (f.stage == name) return &f;
    return nullptr;
}

using Ids = std::vector<std::string>;

int runCli(const std::string& args, std::string& out) {
    const std::string cmd = std::string(TERRANE_CLI) + " " + args + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return -1;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

TEST_CASE("pipeline analytics: a hand-built pipeline, every figure worked out by hand") {
    const Workspace ws = handBuilt();
    const PipelineSnapshot s = snapshotAsOf(ws, ymd(2026, 6, 1));
    AnalyticsOptions opt;
    opt.period = PeriodKind::Quarter;
    opt.periods = 2;
    PeriodQuotas q;
    q.all = 500000; // $5,000 for Q2
    const PipelineAnalytics a = analysePipeline(s, opt, q);
    CHECK(a.lookbackStart == ymd(2026, 1, 1));
    const GroupFigures& g = a.all;
    REQUIRE(g.periods.size() == 2);
    const PeriodFigures &q1 = g.periods[0], &q2 = g.periods[1];
    CHECK(periodLabel(q1.period) == "2026-Q1");
    CHECK_FALSE(q1.toDate);
    CHECK(q2.toDate);
    CHECK(idsOf(s, q1.created) == Ids{"O1", "O2", "O3", "O5"});
    CHECK(q1.created.value == 420000);
    CHECK(idsOf(s, q1.won) == Ids{"O1"});
    CHECK(q1.lost.count == 0);
    CHECK(q1.winRateCount == doctest::Approx(1.0));
    CHECK(q1.cycleDays.median == doctest::Approx(64)); // 5 Jan -> 10 Mar
    CHECK(idsOf(s, q2.created) == Ids{"O4"});
    CHECK(idsOf(s, q2.won) == Ids{"O5"});
    CHECK(idsOf(s, q2.lost) == Ids{"O2"});
    CHECK(q2.winRateCount == doctest::Approx(0.5));
    CHECK(q2.winRateValue == doctest::Approx(700.0 / 1200.0));
    CHECK(q2.averageWon == 70000);
    CHECK(q2.cycleDays.median == doctest::Approx(115)); // 10 Jan -> 5 May
    // Pushes by the period they happened in: O1 (15 days) and O2 (10) in Q1; in Q2 O2 twice
    // (5 days, then 5 more as it was lost late) and O3 (30).
    CHECK(idsOf(s, q1.pushed) == Ids{"O1", "O2"});
    CHECK(q1.pushes == 2);
    CHECK(q1.pushDays == 25);
    CHECK(idsOf(s, q2.pushed) == Ids{"O2", "O3"});
    CHECK(q2.pushes == 3);
    CHECK(q2.pushDays == 40);

    CHECK(g.won.count == 2);
    CHECK(g.won.value == 170000);
    CHECK(g.winRateCount == doctest::Approx(2.0 / 3.0));
    CHECK(g.winRateValue == doctest::Approx(1700.0 / 2200.0));
    CHECK(g.averageWon == 85000);
    CHECK(g.cycleDays.median == doctest::Approx(89.5));
    CHECK(g.cycleDays.q1 == doctest::Approx(76.75));
    CHECK(idsOf(s, g.open) == Ids{"O3", "O4"});
    CHECK(g.open.value == 230000);
    REQUIRE(stage(g, "Proposal"));
    CHECK(idsOf(s, stage(g, "Proposal")->open) == Ids{"O3"});
    CHECK(idsOf(s, stage(g, "Demo booked")->open) == Ids{"O4"});
    // Conversion from the history since 1 January.
    const StageFigures* pro = stage(g, "Prospecting");
    REQUIRE(pro);
    CHECK(pro->entered == 3);
    CHECK(pro->advanced == 3);
    CHECK(pro->conversion == doctest::Approx(1.0));
    CHECK(pro->daysInStage.median == doctest::Approx(36)); // 36, 32, 40 days
    const StageFigures* prop = stage(g, "Proposal");
    CHECK(prop->entered == 2);
    CHECK(prop->dropped == 1);
    CHECK(prop->stillIn == 1);
    CHECK(prop->conversion == doctest::Approx(0.0));
    CHECK(stage(g, "Negotiation")->advanced == 1);
    // Close periods: O3 due 30 June (this quarter), O4 has no close date.
    CHECK(g.byClose.front().label == "Overdue");
    CHECK(g.byClose.front().open.count == 0);
    CHECK(g.byClose[1].label == "2026-Q2");
    CHECK(idsOf(s, g.byClose[1].open) == Ids{"O3"});
    CHECK(g.byClose.back().label == "No close date");
    CHECK(idsOf(s, g.byClose.back().open) == Ids{"O4"});
    // Coverage: $2,000 due ÷ ($5,000 quota − $700 won this quarter).
    CHECK(idsOf(s, g.dueInPeriod) == Ids{"O3"});
    CHECK(g.wonInPeriod == 70000);
    CHECK(g.coverage == doctest::Approx(2000.0 / 4300.0));
    // Velocity: 2 open × 2/3 × $850 ÷ 89.5 days.
    CHECK(g.velocityPerDay == std::llround(2 * (2.0 / 3.0) * 85000 / 89.5));
    // Ageing: O4 is 17 days old, O3 92.
    CHECK(idsOf(s, g.ageing[0].open) == Ids{"O4"});
    CHECK(g.ageing[3].label == "91-180 days");
    CHECK(idsOf(s, g.ageing[3].open) == Ids{"O3"});
    CHECK(idsOf(s, g.slipped) == Ids{"O3"});
    CHECK(g.pushedTwice.count == 0);
    CHECK(g.pastClose.count == 0);
    CHECK(idsOf(s, g.stale) == Ids{"O3"}); // last activity 1 May

    SUBCASE("by owner and by region: groups add up to the whole") {
        for (Breakdown b : {Breakdown::Owner, Breakdown::Region, Breakdown::Manager, Breakdown::Segment, Breakdown::Product}) {
            AnalyticsOptions o = opt;
            o.by = b;
            const PipelineAnalytics x = analysePipeline(s, o);
            std::uint32_t open = 0, won = 0;
            Money openValue = 0;
            for (const GroupFigures& gr : x.groups) {
                open += gr.open.count;
                openValue += gr.open.value;
                won += gr.won.count;
            }
            CHECK(open == g.open.count);
            CHECK(openValue == g.open.value);
            CHECK(won == g.won.count);
        }
        AnalyticsOptions o = opt;
        o.by = Breakdown::Region;
        const PipelineAnalytics x = analysePipeline(s, o);
        REQUIRE(x.groups.size() == 2);
        CHECK(x.groups[0].key == "West"); // $2,000 open before East's $300
        CHECK(x.groups[0].won.count == 2);
        CHECK(x.groups[1].key == "East");
        CHECK(x.groups[1].lost.count == 1);
    }
}

TEST_CASE("risk and upside flags: rules and the model's probabilities") {
    const Workspace ws = handBuilt();
    SUBCASE("a Commit deal the model rates unlikely, and a deal past its close date") {
        const PipelineSnapshot s = snapshotAsOf(ws, ymd(2026, 3, 1));
        std::vector<double> p(s.deals.size(), std::nan(""));
        for (std::size_t i = 0; i < s.deals.size(); ++i)
            if (s.deals[i].id == "O1") p[i] = 0.1;
        const auto flags = flagDeals(s, p);
        REQUIRE(flags.size() == static_cast<std::size_t>(kDealFlagCount));
        const FlagList& cu = flags[static_cast<std::size_t>(DealFlag::CommitUnlikely)];
        REQUIRE(cu.deals.size() == 1);
        CHECK(s.deals[cu.deals[0]].id == "O1");
        CHECK(cu.value == 100000);
        // Without the model, no model flags.
        CHECK(flagDeals(s, {})[static_cast<std::size_t>(DealFlag::CommitUnlikely)].deals.empty());
    }
    SUBCASE("past close, pushed twice, oversized, upside") {
        const PipelineSnapshot s = snapshotAsOf(ws, ymd(2026, 4, 16));
        const auto flags = flagDeals(s, {});
        const FlagList& past = flags[static_cast<std::size_t>(DealFlag::PastClose)];
        REQUIRE(past.deals.size() == 1);
        CHECK(s.deals[past.deals[0]].id == "O2"); // due 15 April
        const FlagList& pushed = flags[static_cast<std::size_t>(DealFlag::PushedTwice)];
        REQUIRE(pushed.deals.size() == 1);
        CHECK(s.deals[pushed.deals[0]].id == "O2");

        const PipelineSnapshot j = snapshotAsOf(ws, ymd(2026, 6, 1));
        std::vector<double> p(j.deals.size(), 0.05);
        for (std::size_t i = 0; i < j.deals.size(); ++i)
            if (j.deals[i].id == "O3") p[i] = 0.7;
        FlagOptions fo;
        fo.oversize = 1.5; // the company's median won deal is $1,000 (O1, O5: fewer than 5 wins per owner)
        const auto f2 = flagDeals(j, p, fo);
        const FlagList& big = f2[static_cast<std::size_t>(DealFlag::Oversized)];
        REQUIRE(big.deals.size() == 1);
        CHECK(j.deals[big.deals[0]].id == "O3");
        const FlagList& up = f2[static_cast<std::size_t>(DealFlag::UpsideLikely)];
        CHECK(up.upside);
        REQUIRE(up.deals.size() == 1);
        CHECK(j.deals[up.deals[0]].id == "O3");
    }
}

TEST_CASE("terrane pipeline: the hand-built files as JSON, by region, traced to ids") {
    const std::string d = std::string(TERRANE_SOURCE_DIR) + "/tests/data/forecast/";
    std::string out;
    REQUIRE(runCli("pipeline --opportunities " + d + "deals.csv --stage-history " + d + "deal_history.csv --reps " + d +
                       "deal_reps.csv --as-of 2026-06-01 --period quarter --periods 2 --by region --quota 5000 --trace --json",
                   out) == 0);
    const auto j = nlohmann::json::parse(out);
    CHECK(j["as_of"] == "2026-06-01");
    CHECK(j["period"] == "quarter");
    CHECK(j["has_history"] == true);
    CHECK(j["all"]["open"]["count"] == 2);
    CHECK(j["all"]["open"]["value"].get<double>() == doctest::Approx(2300));
    CHECK(j["all"]["won"]["ids"] == nlohmann::json::array({"O1", "O5"}));
    CHECK(j["all"]["win_rate_count"].get<double>() == doctest::Approx(2.0 / 3.0));
    CHECK(j["all"]["coverage"]["coverage"].get<double>() == doctest::Approx(2000.0 / 4300.0));
    CHECK(j["all"]["periods"][1]["label"] == "2026-Q2");
    CHECK(j["groups"][0]["key"] == "West");
    CHECK(j["flags"][1]["id"] == "stale");
    CHECK(j["flags"][1]["ids"] == nlohmann::json::array({"O3"}));

    SUBCASE("bad usage names the option") {
        std::string o2;
        CHECK(runCli("pipeline --opportunities " + d + "deals.csv --period week --json", o2) == 2);
        CHECK(runCli("pipeline --opportunities " + d + "deals.csv --by region --json", o2) == 2); // needs --reps
        CHECK(runCli("pipeline --opportunities " + d + "deals.csv --as-of 2026-13-01 --json", o2) == 2);
    }
}

TEST_CASE("terrane pipeline reads the Salesforce sample org's Opportunity and OpportunityHistory") {
    const std::string org = "/work/shared/data/salesforce-sample-org/";
    std::ifstream probe(org + "Opportunity.csv");
    if (!probe) return; // the shared org is not on every machine
    std::string out;
    REQUIRE(runCli("pipeline --opportunities " + org + "Opportunity.csv --stage-history " + org + "OpportunityHistory.csv --json", out) == 0);
    const auto j = nlohmann::json::parse(out);
    CHECK(j["deals"].get<int>() > 0);
    CHECK(j["has_history"] == true);
    CHECK(j["all"]["open"]["count"].get<int>() + j["all"]["won"]["count"].get<int>() + j["all"]["lost"]["count"].get<int>() > 0);
}
