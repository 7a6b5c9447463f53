// The "far larger than usual" risk flag on skewed deal sizes, and the notes that say what each
// flagged deal was compared with: an owner with enough wins is compared with their own wins, an
// owner with few with the company's; a deal several times the median but within what the owner
// has won before is not flagged.
#include "core/forecast/risk.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace terrane;
using namespace terrane::forecast;

namespace {

Date ymd(int y, int m, int d) { return daysFromCivil(y, m, d); }

Deal deal(const char* id, const char* owner, Money dollars, DealOutcome outcome, Date close) {
    Deal d;
    d.id = id;
    d.owner = owner;
    d.amount = dollars * 100;
    d.created = ymd(2026, 1, 5);
    d.closeDate = close;
    d.outcome = outcome;
    if (outcome != DealOutcome::Open) d.closedOn = close;
    return d;
}

PipelineSnapshot skewed() {
    PipelineSnapshot s;
    s.asOf = ymd(2026, 10, 1);
    // Dana: 10 wins, median $2,000, largest $9,000. Lee: 2 wins.
    for (Money m : {1000, 1000, 1200, 1500, 2000, 2000, 2500, 3000, 4000, 9000})
        s.deals.push_back(deal("W", "dana", m, DealOutcome::Won, ymd(2026, 6, 1)));
    s.deals.push_back(deal("L1", "lee", 500, DealOutcome::Won, ymd(2026, 6, 1)));
    s.deals.push_back(deal("L2", "lee", 700, DealOutcome::Won, ymd(2026, 6, 1)));
    s.deals.push_back(deal("X", "dana", 50000, DealOutcome::Lost, ymd(2026, 6, 1))); // lost deals say nothing of the usual size
    s.deals.push_back(deal("D-big", "dana", 9600, DealOutcome::Open, ymd(2026, 12, 1)));   // 4.8x, above her largest win
    s.deals.push_back(deal("D-known", "dana", 8000, DealOutcome::Open, ymd(2026, 12, 1))); // 4x, but she won $9,000 before
    s.deals.push_back(deal("L-big", "lee", 12000, DealOutcome::Open, ymd(2026, 9, 20)));   // the company's wins: median $2,000
    s.deals.push_back(deal("L-small", "lee", 3000, DealOutcome::Open, ymd(2026, 12, 1)));
    return s;
}

std::string name(std::string_view owner) { return owner == "dana" ? "Dana" : owner == "lee" ? "Lee" : std::string(owner); }

} // namespace

TEST_CASE("flags: far larger than usual compares with the owner's own wins, or the company's when they have few") {
    const PipelineSnapshot s = skewed();
    const auto flags = flagDeals(s, {}, {}, name);
    const FlagList& big = flags[static_cast<std::size_t>(DealFlag::Oversized)];
    REQUIRE(big.deals.size() == 2);
    REQUIRE(big.notes.size() == 2);
    CHECK(s.deals[big.deals[0]].id == "L-big"); // largest first
    CHECK(s.deals[big.deals[1]].id == "D-big");
    CHECK(big.value == (12000 + 9600) * 100);
    CHECK(big.notes[1] == "4.8x Dana's median won deal of $2,000; larger than any of 10 wins (largest $9,000)");
    // Lee has 2 wins: the company's 12 (median $1,750, largest $9,000).
    CHECK(big.notes[0] == "6.9x the company's median won deal of $1,750; larger than any of 12 wins (largest $9,000) (Lee has 2 wins, fewer than 8)");
    CHECK(big.why.find("median won deal") != std::string::npos);

    // A lower bar (P90) flags the deal within her record too; a higher multiple flags neither of Dana's.
    FlagOptions p90;
    p90.oversizeQuantile = 0.9;
    const auto f2 = flagDeals(s, {}, p90, name);
    const FlagList& b2 = f2[static_cast<std::size_t>(DealFlag::Oversized)];
    CHECK(b2.deals.size() == 3);
    CHECK(b2.notes[1].find("above the P90 ($4,500) of 10 wins") != std::string::npos);
    FlagOptions five;
    five.oversize = 5.0;
    const auto f3 = flagDeals(s, {}, five, name);
    const FlagList& b3 = f3[static_cast<std::size_t>(DealFlag::Oversized)];
    REQUIRE(b3.deals.size() == 1);
    CHECK(s.deals[b3.deals[0]].id == "L-big");
}

TEST_CASE("flags: every flagged deal has a note saying what it was compared with") {
    PipelineSnapshot s = skewed();
    s.hasActivity = true;
    for (Deal& d : s.deals)
        if (d.id == "L-big") {
            d.pushes = 3;
            d.pushDays = 45;
            d.lastActivity = ymd(2026, 8, 2);
            d.forecastCategory = "Commit";
        } else if (d.id == "D-known") {
            d.lastActivity = ymd(2026, 9, 25);
            d.forecastCategory = "Best Case";
        } else if (d.open()) {
            d.lastActivity = ymd(2026, 9, 30);
        }
    std::vector<double> p(s.deals.size(), 0.5);
    for (std::size_t i = 0; i < s.deals.size(); ++i) {
        if (s.deals[i].id == "L-big") p[i] = 0.12;
        if (s.deals[i].id == "D-known") p[i] = 0.8;
    }
    const auto flags = flagDeals(s, p, {}, name);
    auto only = [&](DealFlag f) {
        const FlagList& l = flags[static_cast<std::size_t>(f)];
        REQUIRE(l.deals.size() == 1);
        REQUIRE(l.notes.size() == 1);
        return std::string(s.deals[l.deals[0]].id) + ": " + l.notes[0];
    };
    CHECK(only(DealFlag::PastClose) == "L-big: close date 20 Sep 2026, 11 days ago");
    CHECK(only(DealFlag::Stale) == "L-big: no activity for 60 days (last 2 Aug 2026)");
    CHECK(only(DealFlag::PushedTwice) == "L-big: close date pushed 3 times, 45 days in all");
    CHECK(only(DealFlag::CommitUnlikely) == "L-big: Commit, but model P(win) 12%");
    CHECK(only(DealFlag::UpsideLikely) == "D-known: Best Case, model P(win) 80%");
    // Without names, the owner ids.
    const auto plain = flagDeals(s, p);
    CHECK(plain[static_cast<std::size_t>(DealFlag::Oversized)].notes[1].rfind("4.8x dana's", 0) == 0);
}
