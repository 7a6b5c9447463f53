// Commission plans: known answers computed by hand for every component and both tier methods,
// the plan file parser, the plan checks, and properties (monotone payout, lines summing to
// totals, retroactive ≥ marginal, the fast simulation evaluator equal to the exact engine).
#include "core/comp/checks.hpp"
#include "core/comp/model.hpp"
#include "core/comp/payout.hpp"
#include "core/comp/plan.hpp"
#include "core/base/rng.hpp"
#include "core/quota/simulate.hpp"
#include "comp_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <numeric>

using namespace terrane;
using namespace terrane::comp;

using fixture::deal;
using fixture::dollars;
using fixture::rep;

namespace {

constexpr const char* kExample = R"({"format": "terrane-comp-plan", "version": 1, "name": "AE plan 2026", "currency": "USD",
 "period": {"start": "2026-01-01", "end": "2026-12-31"},
 "credit": {"measure": "amount", "date": "close_date", "to": "owner", "won_only": true},
 "commission": {"method": "marginal",
   "tiers": [{"from_attainment": 0.0, "multiplier": 0.5}, {"from_attainment": 0.5, "multiplier": 1.0},
             {"from_attainment": 1.0, "multiplier": 1.5}, {"from_attainment": 1.5, "multiplier": 2.0}],
   "cap_of_target_incentive": 2.5},
 "spiffs": [{"name": "Pro Suite push", "product": "Pro Suite", "from": "2026-07-01", "to": "2026-09-30", "per_deal": 250.00}]})";

Date D(int y, int m, int d) { return daysFromCivil(y, m, d); }

// A plan with one tier at ×1 over 2026 (the base rate only).
Plan flatPlan() {
    Plan p;
    p.start = D(2026, 1, 1);
    p.end = D(2026, 12, 31);
    return p;
}

Money sumLines(const RepPayout& r) {
    Money s = 0;
    for (const PayoutLine& l : r.lines) s += l.amount;
    return s;
}

Money componentTotal(const RepPayout& r, Component c) {
    Money s = 0;
    for (const PayoutLine& l : r.lines)
        if (l.component == c) s += l.amount;
    return s;
}

} // namespace

TEST_CASE("comp plan file: the example plan parses with exactly its meanings and round-trips") {
    const Plan p = parsePlanText(kExample);
    CHECK(p.name == "AE plan 2026");
    CHECK(p.currency == "USD");
    CHECK(p.start == D(2026, 1, 1));
    CHECK(p.end == D(2026, 12, 31));
    CHECK(p.frequency == PayoutFrequency::Annual);
    CHECK(p.credit.measure == "amount");
    CHECK(p.credit.date == "close_date");
    CHECK(p.credit.to == CreditTo::Owner);
    CHECK(p.credit.wonOnly);
    CHECK(p.commission.enabled);
    CHECK(p.commission.method == TierMethod::Marginal);
    REQUIRE(p.commission.tiers.size() == 4);
    CHECK(p.commission.tiers[2].fromPpm == 1000000);
    CHECK(p.commission.tiers[2].multiplierPpm == 1500000);
    CHECK(p.commission.tiers[3].multiplierPpm == 2000000);
    CHECK(p.commission.capOfTargetIncentivePpm == 2500000);
    REQUIRE(p.spiffs.size() == 1);
    CHECK(p.spiffs[0].product == "Pro Suite");
    CHECK(p.spiffs[0].from == D(2026, 7, 1));
    CHECK(p.spiffs[0].to == D(2026, 9, 30));
    CHECK(p.spiffs[0].perDeal == 25000);
    CHECK(p == examplePlan(2026));
    CHECK(parsePlan(planToJson(p)) == p);

    Plan rich = flatPlan();
    rich.frequency = PayoutFrequency::Quarterly;
    rich.commission.method = TierMethod::Retroactive;
    rich.commission.gatePpm = 400000;
    rich.commission.rateScalePpm = 1234567;
    rich.commission.flatRates = {{"Pro Suite", "", 100000}};
    rich.credit.overlayRoles = {"SE"};
    rich.spiffs.push_back({"Q4", "", "Enterprise", D(2026, 10, 1), D(2026, 12, 31), 0, 20000, 5000000});
    rich.bonuses.push_back({"Quarter club", 1000000, BonusPeriod::Quarter, 250000});
    rich.mbos.push_back({"R1", "Pipeline review", 100000});
    rich.clawback = {true, 60};
    rich.draw = {300000, false};
    rich.ramp = {RampKind::Guarantee, 4, 500000, 200000};
    CHECK(parsePlan(planToJson(rich)) == rich);
}

TEST_CASE("comp plan file: errors name the field and what was expected") {
    const auto err = [](const std::string& text) {
        try {
            parsePlanText(text);
        } catch (const JsonFieldError& e) {
            return std::string(e.what());
        }
        return std::string("parsed");
    };
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(kExample);
    auto with = [&](auto edit) {
        nlohmann::ordered_json k = j;
        edit(k);
        return err(k.dump());
    };
    CHECK(err("{not json") .find("plan: expected JSON") == 0);
    // A number JSON can write but no double holds (found by fuzz_comp_plan): refused, not a crash.
    CHECK(err("{\"version\": 8888888888E88888888888}").find("plan: expected numbers within range") == 0);
    CHECK(with([](auto& k) { k["format"] = "x"; }) == "plan.format: expected \"terrane-comp-plan\"");
    CHECK(with([](auto& k) { k["version"] = 2; }).find("plan.version: expected a version up to 1") == 0);
    CHECK(with([](auto& k) { k["commission"]["tiers"][2]["from_attainment"] = 0.4; })
              .find("plan.commission.tiers[2].from_attainment: expected a value above the previous tier's 0.5") == 0);
    CHECK(with([](auto& k) { k["commission"]["method"] = "linear"; }) ==
          "plan.commission.method: expected \"marginal\" or \"retroactive\", not \"linear\"");
    CHECK(with([](auto& k) { k["commission"]["tiers"][1]["multiplier"] = "1"; }) ==
          "plan.commission.tiers[1].multiplier: expected a number");
    CHECK(with([](auto& k) { k["spiffs"][0]["from"] = "2026-13-01"; }) ==
          "plan.spiffs[0].from: expected a date \"YYYY-MM-DD\", not \"2026-13-01\"");
    CHECK(with([](auto& k) { k["spiffs"][0]["per_deal"] = 250.005; }) == "plan.spiffs[0].per_deal: expected an amount in whole cents");
    CHECK(with([](auto& k) { k["credit"]["measur"] = "arr"; }).find("plan.credit.measur: unknown field") == 0);
    CHECK(with([](auto& k) { k["period"].erase("end"); }) == "plan.period: missing \"end\"");
    CHECK(with([](auto& k) { k["period"]["end"] = "2025-12-31"; }) == "plan.period.end: expected a date on or after period.start");
}

TEST_CASE("comp payouts: marginal and retroactive tiers by hand") {
    Plan p = parsePlanText(kExample);
    p.spiffs.clear();
    PayoutInputs in;
    in.reps = {rep("A", 1000000, 100000)}; // base rate 10%
    in.deals = {deal("o1", "A", 700000, D(2026, 3, 1)), deal("o2", "A", 500000, D(2026, 6, 1))};
    // 1,200,000 credited = 120%: 500,000 × 10% × 0.5 + 500,000 × 10% × 1 + 200,000 × 10% × 1.5.
    PlanPayouts out = computePayouts(p, in);
    REQUIRE(out.reps.size() == 1);
    const RepPayout& r = out.reps[0];
    CHECK(r.credited == dollars(1200000));
    CHECK(r.attainment == doctest::Approx(1.2));
    REQUIRE(r.lines.size() == 3);
    CHECK(r.lines[0].amount == dollars(25000));
    CHECK(r.lines[1].amount == dollars(50000));
    CHECK(r.lines[2].amount == dollars(30000));
    CHECK(r.lines[2].label == "Tier 3, 100\u2013150% of quota");
    CHECK(r.lines[2].explain == "$200,000 × 10.00% (base rate $100,000 ÷ $1,000,000) × 1.5 = $30,000");
    CHECK(r.lines[0].deals == std::vector<std::uint32_t>{0});    // the first 500,000 is o1's
    CHECK(r.lines[2].deals == std::vector<std::uint32_t>{1});    // 1.0M-1.2M is o2's
    CHECK(r.lines[1].deals == std::vector<std::uint32_t>{0, 1}); // 0.5M-1.0M spans both
    CHECK(r.payout == dollars(105000));
    CHECK(out.totalPayout == dollars(105000));
    CHECK(out.costOfSales == doctest::Approx(105000.0 / 1200000.0));

    p.commission.method = TierMethod::Retroactive;
    out = computePayouts(p, in);
    REQUIRE(out.reps[0].lines.size() == 1);
    CHECK(out.reps[0].payout == dollars(180000)); // 1,200,000 × 10% × 1.5
    CHECK(out.reps[0].lines[0].deals.size() == 2);

    // Cap: 3,000,000 credited earns 25,000 + 50,000 + 75,000 + 300,000 = 450,000, capped at 250,000.
    p.commission.method = TierMethod::Marginal;
    in.deals = {deal("o1", "A", 3000000, D(2026, 3, 1))};
    out = computePayouts(p, in);
    CHECK(componentTotal(out.reps[0], Component::Commission) == dollars(450000));
    CHECK(componentTotal(out.reps[0], Component::Cap) == dollars(-200000));
    CHECK(out.reps[0].payout == dollars(250000));
}

TEST_CASE("comp payouts: base rate, exact 100%, one rounding half away from zero, gate") {
    Plan p = flatPlan();
    PayoutInputs in;
    in.reps = {rep("A", 300000, 10000), rep("B", 1234567.89, 98765.43)};
    in.deals = {deal("o1", "A", 100000.05, D(2026, 2, 1)), deal("o2", "B", 1234567.89, D(2026, 5, 1))};
    const PlanPayouts out = computePayouts(p, in);
    // 100,000.05 × 10,000 ÷ 300,000 = 3,333.335 exactly: rounds half away from zero to 3,333.34.
    CHECK(out.reps[0].payout == 333334);
    // Exactly 100% on a flat plan pays exactly the target incentive.
    CHECK(out.reps[1].payout == dollars(98765.43));
    CHECK(out.totalPayout == 333334 + dollars(98765.43));
    CHECK(roundDiv(-5, 2) == -3);
    CHECK(roundDiv(5, 2) == 3);
    CHECK(roundDiv(-4, 3) == -1);

    p.commission.gatePpm = 500000;
    in.deals = {deal("o1", "A", 149999.99, D(2026, 2, 1))};
    PlanPayouts gated = computePayouts(p, in);
    CHECK(gated.reps[0].payout == 0);
    CHECK(gated.reps[0].lines[0].explain.find("below the gate of 50%") != std::string::npos);
    in.deals = {deal("o1", "A", 150000, D(2026, 2, 1))};
    CHECK(computePayouts(p, in).reps[0].payout == dollars(5000));
}

TEST_CASE("comp payouts: flat rates, SPIFFs, bonuses and MBOs by hand") {
    Plan p = flatPlan();
    p.commission.basis = CommissionBasis::Flat;
    p.commission.flatRates = {{"Pro Suite", "", 100000}, {"", "", 50000}}; // 10% on Pro Suite, else 5%
    p.spiffs.push_back({"Pro push", "Pro Suite", "", D(2026, 7, 1), D(2026, 9, 30), 25000, 0, 0});
    p.spiffs.push_back({"Big deals", "", "", kDateNull, kDateNull, 0, 20000, dollars(40000)}); // 2% of deals ≥ 40,000
    p.bonuses.push_back({"Club", 1000000, BonusPeriod::Year, dollars(5000)});
    p.bonuses.push_back({"Fast start", 1000000, BonusPeriod::Quarter, dollars(1000)});
    p.mbos.push_back({"A", "Forecast accuracy", dollars(1500)});
    PayoutInputs in;
    in.reps = {rep("A", 200000, 20000)};
    in.deals = {deal("o1", "A", 100000, D(2026, 8, 1), "Pro Suite"), deal("o2", "A", 50000, D(2026, 2, 1)),
                deal("o3", "A", 30000, D(2026, 9, 1), "Pro Suite"), deal("o4", "A", 20000, D(2025, 12, 31), "Pro Suite")};
    const PlanPayouts out = computePayouts(p, in);
    const RepPayout& r = out.reps[0];
    // Commission: 130,000 × 10% + 50,000 × 5% = 13,000 + 2,500 (o4 is outside the plan period).
    CHECK(componentTotal(r, Component::Commission) == dollars(15500));
    // SPIFFs: two Pro Suite deals in Q3 × 250; 2% of 150,000 (o1 and o2 are ≥ 40,000) = 3,000.
    CHECK(componentTotal(r, Component::Spiff) == dollars(500 + 3000));
    // Year bonus: 180,000 ≥ 100% of 200,000 is false; quarter bonus: Q3 credit 130,000 ≥ 50,000 → 1,000;
    // Q1 credit 50,000 ≥ 50,000 → 1,000.
    CHECK(componentTotal(r, Component::Bonus) == dollars(2000));
    CHECK(componentTotal(r, Component::Mbo) == dollars(1500));
    CHECK(r.payout == dollars(15500 + 3500 + 2000 + 1500));
    CHECK(r.payout == sumLines(r));
}

TEST_CASE("comp payouts: clawbacks, draws and year-to-date true-up by statement") {
    Plan p = flatPlan();
    p.frequency = PayoutFrequency::Quarterly;
    p.clawback = {true, 90};
    PayoutInputs in;
    in.reps = {rep("A", 1000000, 100000)}; // 10%
    in.deals = {deal("o1", "A", 100000, D(2026, 2, 10)), deal("o2", "A", 50000, D(2026, 5, 1))};
    in.deals[0].cancelDate = D(2026, 4, 20); // 69 days after close: recovered in Q2
    PlanPayouts out = computePayouts(p, in);
    const RepPayout& r = out.reps[0];
    REQUIRE(r.periodPayout.size() == 4);
    CHECK(out.periodLabels[1] == "Apr\u2013Jun 2026");
    CHECK(r.periodPayout[0] == dollars(10000));
    // Q2: YTD 150,000 → 15,000; clawback of o1 → −10,000; paid before −10,000: −5,000.
    CHECK(r.periodPayout[1] == dollars(-5000));
    CHECK(componentTotal(r, Component::Clawback) == dollars(-10000));
    CHECK(r.payout == dollars(5000));
    CHECK(r.credited == dollars(50000));
    CHECK(r.payout == sumLines(r));
    // Cancelled after the window: kept.
    in.deals[0].cancelDate = D(2026, 6, 1);
    CHECK(computePayouts(p, in).reps[0].payout == dollars(15000));

    // Draw of 5,000 a quarter, recoverable: Q1 earns 2,000 → draw 3,000; Q2 earns 10,000 → 3,000 recovered.
    Plan d = flatPlan();
    d.frequency = PayoutFrequency::Quarterly;
    d.draw = {dollars(5000), true};
    in.deals = {deal("o1", "A", 20000, D(2026, 2, 10)), deal("o2", "A", 100000, D(2026, 5, 1))};
    in.deals[0].cancelDate = kDateNull;
    out = computePayouts(d, in);
    CHECK(out.reps[0].periodPayout[0] == dollars(5000));
    CHECK(out.reps[0].periodPayout[1] == dollars(7000));
    CHECK(out.reps[0].periodPayout[2] == dollars(5000)); // nothing earned: the draw again
    CHECK(componentTotal(out.reps[0], Component::Draw) == dollars(3000 - 3000 + 5000 + 5000));
    d.draw.recoverable = false;
    out = computePayouts(d, in);
    CHECK(out.reps[0].periodPayout[1] == dollars(10000));
    CHECK(out.reps[0].payout == sumLines(out.reps[0]));
}

TEST_CASE("comp payouts: new-hire ramp as quota relief or a guarantee") {
    Plan p = flatPlan();
    p.ramp = {RampKind::QuotaRelief, 3, 500000, 0};
    PayoutInputs in;
    in.reps = {rep("A", 1000000, 100000)};
    in.reps[0].start = D(2026, 1, 1);
    in.deals = {deal("o1", "A", 875000, D(2026, 6, 1))};
    PlanPayouts out = computePayouts(p, in);
    // Quota 1,000,000 − 50% × 3/12 = 875,000: 875,000 credited is 100% and pays the target incentive.
    CHECK(out.reps[0].quota == dollars(875000));
    CHECK(out.reps[0].attainment == doctest::Approx(1.0));
    CHECK(out.reps[0].payout == dollars(100000));

    p.ramp = {RampKind::Guarantee, 3, 0, dollars(5000)};
    in.deals = {deal("o1", "A", 40000, D(2026, 2, 1))};
    out = computePayouts(p, in);
    // 3 ramp months × 5,000 = 15,000 guaranteed; earned 4,000: top-up 11,000.
    CHECK(componentTotal(out.reps[0], Component::Ramp) == dollars(11000));
    CHECK(out.reps[0].payout == dollars(15000));
}

TEST_CASE("comp payouts: split and overlay credit, unknown owners noted") {
    Plan p = flatPlan();
    p.credit.to = CreditTo::Splits;
    p.credit.overlayRoles = {"SE"};
    PayoutInputs in;
    in.reps = {rep("A", 1000000, 100000), rep("B", 1000000, 100000), rep("S", 2000000, 50000)};
    in.reps[0].region = in.reps[1].region = in.reps[2].region = "East";
    in.reps[2].role = "SE";
    in.deals = {deal("o1", "A", 100000, D(2026, 3, 1)), deal("o2", "Z", 10000, D(2026, 3, 1))};
    in.splits = {{"o1", "B", 400000}};
    const PlanPayouts out = computePayouts(p, in);
    CHECK(out.reps[0].credited == dollars(60000));
    CHECK(out.reps[1].credited == dollars(40000));
    CHECK(out.reps[2].credited == dollars(100000)); // overlay: full credit
    CHECK(out.reps[2].payout == dollars(2500));     // 100,000 × 50,000 ÷ 2,000,000
    REQUIRE(!out.notes.empty());
    CHECK(out.notes.back().find("unknown owners") != std::string::npos);
    const auto checks = checkPlan(p, in);
    CHECK(std::any_of(checks.begin(), checks.end(), [](const PlanCheck& c) { return c.code == "unknown_owner"; }));
}

TEST_CASE("comp checks: tier gaps and overlaps, falling curve, cap below target, 100% ≠ target, SPIFF window, splits") {
    const auto has = [](const std::vector<PlanCheck>& v, const char* code) {
        return std::any_of(v.begin(), v.end(), [&](const PlanCheck& c) { return c.code == code; });
    };
    Plan p = flatPlan();
    CHECK(checkPlan(p).empty());
    Plan ex = examplePlan(2026);
    CHECK(has(checkPlan(ex), "target_mismatch")); // 0.5 below 50%, 1.0 to 100%: 75% of target at quota
    Plan gap = p;
    gap.commission.tiers = {{200000, kPpm}};
    CHECK(has(checkPlan(gap), "tier_gap"));
    Plan overlap = p;
    overlap.commission.tiers = {{0, kPpm}, {1000000, 1500000}, {800000, 2000000}};
    CHECK(has(checkPlan(overlap), "tier_overlap"));
    Plan cliff = p;
    cliff.commission.method = TierMethod::Retroactive;
    cliff.commission.tiers = {{0, kPpm}, {1200000, 500000}};
    CHECK(has(checkPlan(cliff), "falling_curve"));
    Plan cap = p;
    cap.commission.capOfTargetIncentivePpm = 800000;
    CHECK(has(checkPlan(cap), "cap_below_target"));
    Plan spiff = p;
    spiff.spiffs.push_back({"Old", "", "", D(2025, 11, 1), D(2025, 12, 31), 100, 0, 0});
    CHECK(has(checkPlan(spiff), "spiff_window"));
    Plan split = p;
    split.credit.to = CreditTo::Splits;
    PayoutInputs in;
    in.reps = {rep("A", 1000000, 100000), rep("B", 0, 0)};
    in.reps[1].hasQuota = false;
    in.deals = {deal("o1", "A", 100, D(2026, 3, 1)), deal("o2", "B", 100, D(2026, 3, 1))};
    in.splits = {{"o1", "A", 700000}, {"o1", "B", 600000}};
    const auto c = checkPlan(split, in);
    CHECK(has(c, "split_over_100"));
    CHECK(has(c, "no_quota"));
}

TEST_CASE("comp properties: monotone payout, lines sum exactly, retroactive ≥ marginal, fast = exact") {
    Rng rng(7);
    for (int trial = 0; trial < 60; ++trial) {
        Plan p = flatPlan();
        const int n = 1 + static_cast<int>(rng.next32() % 4);
        p.commission.tiers.clear();
        std::int64_t from = 0, m = 200000 + rng.next32() % 800000;
        for (int i = 0; i < n; ++i) {
            p.commission.tiers.push_back({from, m});
            from += 100000 + rng.next32() % 700000;
            m += rng.next32() % 1500000; // rising multipliers
        }
        if (trial % 3 == 0) p.commission.capOfTargetIncentivePpm = 1500000 + rng.next32() % 2000000;
        const Money quota = 1000000 + static_cast<Money>(rng.next32() % 200000000);
        const Money ti = 100000 + static_cast<Money>(rng.next32() % 30000000);
        Money prev = -1, prevRetro = -1;
        Plan retro = p;
        retro.commission.method = TierMethod::Retroactive;
        for (int k = 0; k <= 60; ++k) {
            const Money credited = quota * k / 20 + static_cast<Money>(rng.next32() % 1000);
            const Money a = commissionFor(p, quota, ti, credited);
            const Money b = commissionFor(retro, quota, ti, credited);
            CHECK(a >= prev);
            CHECK(b >= prevRetro);
            CHECK(b >= a); // retroactive pays every unit at the highest multiplier reached
            prev = a;
            prevRetro = b;
        }
        CHECK_FALSE(payoutCurve(p, quota, ti, 3.0).falls);
        // Random deals: each rep's lines sum to its payout, reps to the total.
        PayoutInputs in;
        for (int r = 0; r < 5; ++r) in.reps.push_back(rep(("R" + std::to_string(r)).c_str(), 500000 + r * 1000.01, 50000 + r * 7.77));
        for (int d = 0; d < 40; ++d)
            in.deals.push_back(deal(("o" + std::to_string(d)).c_str(), ("R" + std::to_string(rng.next32() % 6)).c_str(),
                                    (rng.next32() % 20000000) / 100.0, D(2026, 1, 1) + static_cast<Date>(rng.next32() % 365)));
        p.frequency = static_cast<PayoutFrequency>(trial % 3);
        p.spiffs.push_back({"S", "Core", "", kDateNull, kDateNull, 1234, 12345, 0});
        const PlanPayouts out = computePayouts(p, in);
        Money total = 0;
        for (const RepPayout& r : out.reps) {
            CHECK(sumLines(r) == r.payout);
            CHECK(std::accumulate(r.periodPayout.begin(), r.periodPayout.end(), Money{0}) == r.payout);
            total += r.payout;
        }
        CHECK(total == out.totalPayout);
    }
    // The simulation's evaluator gives the engine's exact numbers.
    Plan p = examplePlan(2026);
    quota::SimModel model;
    model.trials = 200;
    PayoutInputs in;
    for (int r = 0; r < 3; ++r) {
        quota::SimRep s;
        s.repId = "R" + std::to_string(r);
        s.quota = 33333333 + r * 7;
        model.reps.push_back(s);
        in.reps.push_back(rep(s.repId.c_str(), 0, 41234.57 + r));
    }
    std::vector<Money> bookings;
    for (std::size_t r = 0; r < model.reps.size(); ++r)
        for (std::uint32_t t = 0; t < model.trials; ++t) bookings.push_back(static_cast<Money>(rng.next32() % 120000000));
    const CostSimResult fast = costFromBookings(p, model, in, bookings);
    const CostSimResult naive = costFromBookingsNaive(p, model, in, bookings);
    CHECK(fast.trialPayout == naive.trialPayout);
    CHECK(fast.payoutP50 == naive.payoutP50);
    CHECK(fast.shareAtOte == doctest::Approx(naive.shareAtOte));
}

TEST_CASE("comp model: curve marks, comparison, solve by bisection, attribution sums to the change") {
    Plan p = flatPlan();
    p.commission.tiers = {{0, kPpm}, {kPpm, 2000000}};
    p.commission.capOfTargetIncentivePpm = 2000000;
    const PayoutCurve c = payoutCurve(p, dollars(1000000), dollars(100000));
    CHECK(c.atTarget == dollars(100000));
    CHECK(c.capAttainment == doctest::Approx(1.5)); // 100,000 + 0.5 × 100,000 × 2 = 200,000 at 150%
    CHECK_FALSE(c.falls);

    PayoutInputs in;
    in.reps = {rep("A", 1000000, 100000), rep("B", 1000000, 100000)};
    in.deals = {deal("o1", "A", 1200000, D(2026, 3, 1)), deal("o2", "B", 800000, D(2026, 3, 1), "Pro Suite")};
    Plan q = p;
    q.commission.tiers[1].multiplierPpm = 3000000;
    q.spiffs.push_back({"Pro", "Pro Suite", "", kDateNull, kDateNull, dollars(1000), 0, 0});
    const PlanComparison cmp = comparePlans(p, q, in);
    CHECK(cmp.totalA == dollars(140000 + 80000));
    CHECK(cmp.totalB == dollars(160000 + 81000));
    CHECK(cmp.winners == 2);
    const Attribution at = attributeChange(p, q, in);
    CHECK(at.order == std::vector<std::string>{"commission", "spiffs"});
    REQUIRE(at.reps.size() == 2);
    CHECK(at.reps[0].parts.size() == 1);
    CHECK(at.reps[0].parts[0].component == "commission");
    CHECK(at.reps[0].parts[0].delta == dollars(20000));
    CHECK(at.reps[1].parts[0].component == "spiffs");
    for (const RepAttribution& r : at.reps) {
        Money s = 0;
        for (const ComponentDelta& d : r.parts) s += d.delta;
        CHECK(s == r.after - r.before);
    }

    // Solve: the accelerator scale giving a 10.5% expected cost of sales on fixed bookings (the
    // plan pays 10% without accelerators).
    quota::SimModel model;
    model.trials = 100;
    for (const RepInput& r : in.reps) {
        quota::SimRep s;
        s.repId = r.repId;
        s.quota = r.quota;
        model.reps.push_back(s);
    }
    std::vector<Money> bookings;
    Rng rng(3);
    for (std::size_t r = 0; r < 2; ++r)
        for (int t = 0; t < 100; ++t) bookings.push_back(dollars(500000) + static_cast<Money>(rng.next32() % 100000000));
    const SolveResult none = solvePlan(p, SolveParameter::Accelerators, 0.09, model, in, bookings);
    CHECK_FALSE(none.ok);
    CHECK(none.message.find("Even at accelerator scale 0 the expected cost of sales is 10.00%") == 0);
    const SolveResult s = solvePlan(p, SolveParameter::Accelerators, 0.105, model, in, bookings);
    INFO(s.message);
    REQUIRE(s.ok);
    CHECK(s.costOfSales == doctest::Approx(0.105).epsilon(1e-4));
    CHECK(s.value > 0);
    const SolveResult b = solvePlan(p, SolveParameter::BaseRate, 0.08, model, in, bookings);
    REQUIRE(b.ok);
    CHECK(b.costOfSales == doctest::Approx(0.08).epsilon(1e-4));
    CHECK(b.plan.commission.rateScalePpm < kPpm);
}
