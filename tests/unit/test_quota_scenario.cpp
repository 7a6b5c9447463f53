// Quota and capacity set-up as scenario commands: validation, undo/redo, audit text, copies.
#include "core/quota/allocate.hpp"
#include "core/quota/compare.hpp"
#include "core/scenario/sample.hpp"
#include "core/scenario/scenario.hpp"
#include "core/scenario/scenario_diff.hpp"
#include "core/scenario/scenario_file.hpp"
#include "core/scenario/workspace.hpp"

#include "sample_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace terrane;
using namespace terrane::quota;

TEST_CASE("every quota command applies, describes itself, undoes and redoes to the exact plan") {
    Workspace ws = fixture::sampleWorkspace(600, 8, 5);
    Scenario& sc = ws.scenarios[ws.addScenarioCopy(0, "Q")];
    const QuotaPlan p0 = sc.quota;
    const CapacityPlan c0 = sc.capacity;
    const std::string leaf(sc.territoryId(sc.leaves()[0]));
    CapacityPlan cp;
    cp.productivity = 90000000;
    cp.attrition = 0.2;
    std::vector<std::pair<Command, std::string>> cmds;
    cmds.emplace_back(SetQuotaTarget{1200000000, 2027, 0, 0},
                      "Set the company target to $12,000,000 for 2027");
    cmds.emplace_back(SetQuotaSeasonality{{22, 24, 24, 30}, {}},
                      "Set quarterly seasonality to 22%/24%/24%/30%");
    cmds.emplace_back(SetQuotaOverAssign{QuotaLevel::Territory, 100000, 0},
                      "Set over-assignment to territorys at +10%");
    AllocationSettings blend;
    blend.method = QuotaMethod::Blend;
    blend.blend = BlendWeights{0.6, 0.4, 0};
    cmds.emplace_back(SetQuotaMethod{blend, {}},
                      "Allocate quotas by Blend (potential 0.6, history 0.4, equal 0)");
    cmds.emplace_back(SetQuotaOverride{leaf, Money{25000000}, std::nullopt}, "Lock the quota of");
    cmds.emplace_back(SetQuotaRounding{100000, RemainderPolicy::Reject, 0, {}},
                      "Round quotas to $1,000 (refuse remainders)");
    cmds.emplace_back(SetQuotaVacancy{VacancyPolicy::Hold, {}}, "Hold vacant seats' quota at the manager");
    cmds.emplace_back(SetQuotaSimulation{7, 5000, 0, 0}, "Simulate attainment with 5000 trials, seed 7");
    cmds.emplace_back(SetCapacityPlan{cp, {}}, "Set the capacity plan (productivity $900,000, attrition 20%");
    std::vector<QuotaPlan> plans{sc.quota};
    std::vector<CapacityPlan> caps{sc.capacity};
    for (auto& entry : cmds) {
        const std::string& text = entry.second;
        const auto r = execute(ws, sc, entry.first, "note");
        REQUIRE_MESSAGE(r.ok, r.error);
        CHECK(sc.log.back().audit.description.find(text) == 0);
        CHECK(std::string(commandName(sc.log.back().command)).rfind("set_", 0) == 0);
        plans.push_back(sc.quota);
        caps.push_back(sc.capacity);
    }
    CHECK(sc.quota.target == 1200000000);
    CHECK(sc.quota.planYear == 2027);
    CHECK(sc.quota.overAssignPpm[2] == 100000);
    CHECK(sc.quota.findOverride(leaf)->amount == 25000000);
    CHECK(sc.quota.vacancy == VacancyPolicy::Hold);
    CHECK(sc.capacity.productivity == 90000000);
    for (std::size_t k = cmds.size(); k-- > 0;) {
        REQUIRE(undo(ws, sc));
        CHECK(sc.quota == plans[k]);
        CHECK(sc.capacity == caps[k]);
    }
    CHECK(sc.quota == p0);
    CHECK(sc.capacity == c0);
    for (std::size_t k = 1; k <= cmds.size(); ++k) {
        REQUIRE(redo(ws, sc));
        CHECK(sc.quota == plans[k]);
    }
    // Unlock through the same command; undo brings the lock back.
    REQUIRE(execute(ws, sc, SetQuotaOverride{leaf, std::nullopt, std::nullopt}).ok);
    CHECK(sc.quota.findOverride(leaf) == nullptr);
    CHECK(sc.log.back().audit.description.find("Unlock the quota of") == 0);
    REQUIRE(undo(ws, sc));
    CHECK(sc.quota.findOverride(leaf)->amount == 25000000);
    // A copy of the scenario carries its quota and capacity set-up.
    const QuotaPlan q = sc.quota;
    const CapacityPlan c = sc.capacity;
    const std::size_t copy = ws.addScenarioCopy(ws.scenarios.size() - 1, "Copy"); // invalidates `sc`
    CHECK(ws.scenarios[copy].quota == q);
    CHECK(ws.scenarios[copy].capacity == c);
    CHECK(ws.baseline().quota == p0);
}

TEST_CASE("quota commands refuse invalid settings with a reason and change nothing") {
    Workspace ws = fixture::sampleWorkspace(600, 8, 5);
    Scenario& sc = ws.scenarios[ws.addScenarioCopy(0, "Q")];
    const QuotaPlan before = sc.quota;
    auto refused = [&](Command c, const char* why) {
        const auto r = execute(ws, sc, std::move(c));
        CHECK_FALSE(r.ok);
        CHECK_MESSAGE(r.error.find(why) != std::string::npos, r.error);
    };
    refused(SetQuotaTarget{-5, 0, 0, 0}, "target must be between");
    refused(SetQuotaSeasonality{{1, 2, 3}, {}}, "4 (quarters) or 12");
    refused(SetQuotaSeasonality{{0, 0, 0, 0}, {}}, "at least one");
    refused(SetQuotaSeasonality{{1, -1, 1, 1}, {}}, "zero or positive");
    refused(SetQuotaOverAssign{QuotaLevel::Territory, 3000000, 0}, "between -50% and +200%");
    refused(SetQuotaOverAssign{QuotaLevel::Company, 1000, 0}, "regions, districts or territories");
    AllocationSettings bad;
    bad.blend = BlendWeights{0, 0, 0};
    refused(SetQuotaMethod{bad, {}}, "blend weight");
    AllocationSettings cap;
    cap.method = QuotaMethod::Capacity;
    cap.capacityBase = QuotaMethod::Capacity;
    refused(SetQuotaMethod{cap, {}}, "base method");
    refused(SetQuotaOverride{"NOPE", Money{100}, std::nullopt}, "is not a territory, district or region");
    refused(SetQuotaOverride{std::string(sc.territoryId(sc.leaves()[0])), Money{-1}, std::nullopt},
            "between 0 and");
    refused(SetQuotaRounding{0, RemainderPolicy::Largest, 0, {}}, "rounding unit");
    refused(SetQuotaSimulation{1, 0, 0, 0}, "trials");
    CapacityPlan c;
    c.attrition = 1.0;
    refused(SetCapacityPlan{c, {}}, "attrition");
    c = CapacityPlan{};
    c.ramp = {};
    refused(SetCapacityPlan{c, {}}, "ramp curve");
    CHECK(sc.quota == before);
    CHECK(sc.log.empty());
}

TEST_CASE("two scenarios' quota plans compare per rep, region and in total") {
    Workspace ws = fixture::sampleWorkspace(600, 8, 5);
    Scenario& a = ws.scenarios[ws.addScenarioCopy(0, "A")];
    REQUIRE(execute(ws, a, SetQuotaTarget{400000000, 0, 0, 0}).ok);
    const std::size_t bi = ws.addScenarioCopy(ws.scenarios.size() - 1, "B");
    Scenario& b = ws.scenarios[bi];
    REQUIRE(execute(ws, b, SetQuotaOverAssign{QuotaLevel::Territory, 100000, 0}).ok);
    AllocationSettings eq;
    eq.method = QuotaMethod::Equal;
    REQUIRE(execute(ws, b, SetQuotaMethod{eq, {}}).ok);
    const QuotaResult ra = computeQuotas(ws, ws.scenarios[bi - 1]);
    const QuotaResult rb = computeQuotas(ws, b);
    const QuotaComparison c = compareQuotas(ra, rb);
    CHECK(c.totalA == ra.repTotal);
    CHECK(c.totalB == rb.repTotal);
    CHECK(c.totalB - c.totalA == 40000000); // +10% of $4M
    Money sumA = 0, sumB = 0;
    for (const auto& d : c.reps) sumA += d.a, sumB += d.b;
    CHECK(sumA == c.totalA);
    CHECK(sumB == c.totalB);
    CHECK(c.regions.size() == 4);
    Money ra4 = 0;
    for (const auto& d : c.regions) ra4 += d.a;
    CHECK(ra4 == 400000000);
    CHECK(c.repsChanged > 0);
}

TEST_CASE(
    "the quota and capacity set-up survives a scenario file: commands, start states, diff and results") {
    Workspace ws = fixture::sampleWorkspace(600, 8, 5);
    Scenario& a = ws.scenarios[ws.addScenarioCopy(0, "Plan A")];
    const std::string leaf(a.territoryId(a.leaves()[1]));
    REQUIRE(execute(ws, a, SetQuotaTarget{300000000, 0, 0, 0}, "FY27 number").ok);
    REQUIRE(execute(ws, a, SetQuotaSeasonality{{1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 3}, {}}).ok);
    REQUIRE(execute(ws, a, SetQuotaOverAssign{QuotaLevel::District, 50000, 0}).ok);
    AllocationSettings blend;
    blend.method = QuotaMethod::Blend;
    blend.blend = BlendWeights{0.7, 0.3, 0};
    blend.historyFrom = daysFromCivil(2025, 7, 1);
    REQUIRE(execute(ws, a, SetQuotaMethod{blend, {}}).ok);
    REQUIRE(execute(ws, a, SetQuotaOverride{leaf, Money{4000000}, std::nullopt}).ok);
    REQUIRE(execute(ws, a, SetQuotaRounding{100000, RemainderPolicy::Largest, 0, {}}).ok);
    REQUIRE(execute(ws, a, SetQuotaVacancy{VacancyPolicy::Hold, {}}).ok);
    REQUIRE(execute(ws, a, SetQuotaSimulation{9, 3000, 0, 0}).ok);
    CapacityPlan cp;
    cp.productivity = 80000000;
    cp.ramp = {0.2, 0.6, 1.0};
    REQUIRE(execute(ws, a, SetCapacityPlan{cp, {}}).ok);
    REQUIRE(execute(ws, a, SetQuotaOverride{leaf, std::nullopt, std::nullopt}).ok);
    REQUIRE(undo(ws, a)); // the unlock is an undone edit: the lock is in effect
    // A copy made after the edits starts from Plan A's set-up, with no commands of its own.
    const std::size_t bi = ws.addScenarioCopy(1, "Plan B");
    REQUIRE(execute(ws, ws.scenarios[bi], SetQuotaOverAssign{QuotaLevel::Territory, 100000, 0}).ok);
    const std::string doc = saveScenarioFile(ws, SaveOptions{"Dana", "FY27 quotas", "", {}, 1700000000000});
    ScenarioFileLoad f = loadScenarioFile(doc);
    REQUIRE_MESSAGE(f.ok, f.error);
    REQUIRE(f.ws.scenarios.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        const Scenario &x = ws.scenarios[i], &y = f.ws.scenarios[i];
        CHECK(y.quota == x.quota);
        CHECK(y.capacity == x.capacity);
        CHECK(y.log.size() == x.log.size());
        CHECK(y.cursor == x.cursor);
        const QuotaResult qx = computeQuotas(ws, x), qy = computeQuotas(f.ws, y);
        CHECK(qx.repTotal == qy.repTotal);
        REQUIRE(qx.reps.size() == qy.reps.size());
        for (std::size_t r = 0; r < qx.reps.size(); ++r) CHECK(qx.reps[r].quota == qy.reps[r].quota);
    }
    CHECK(f.ws.scenarios[1].log[0].audit.note == "FY27 number");
    CHECK(f.ws.scenarios[1].quota.findOverride(leaf)->amount == 4000000);
    CHECK(f.ws.scenarios[2].log.size() == 1);
    // Redo the unlock, undo everything: back to the default set-up.
    Scenario& la = f.ws.scenarios[1];
    REQUIRE(redo(f.ws, la));
    CHECK(la.quota.findOverride(leaf) == nullptr);
    while (undo(f.ws, la)) {
    }
    CHECK(la.quota == QuotaPlan{});
    CHECK(la.capacity == CapacityPlan{});
    // Saved again, the content hash is unchanged; results carry the quota totals.
    ScenarioFileLoad g = loadScenarioFile(doc);
    CHECK(contentHashOf(saveScenarioFile(g.ws, SaveOptions{"Lee", "again", "", {}, 1800000000000})) ==
          contentHashOf(doc));
    const auto results = nlohmann::json::parse(scenarioResultsJson(ws));
    CHECK(results[1]["quota"]["target"] == 3000000.0);
    CHECK(results[1]["quota"]["reconciled"] == true);
    // The diff of two files shows quota deltas per rep and region.
    Workspace ws2 = g.ws;
    REQUIRE(execute(ws2, ws2.scenarios[1], SetQuotaTarget{330000000, 0, 0, 0}).ok);
    const auto diff = nlohmann::json::parse(scenarioDiffJson(g.ws, ws2));
    bool found = false;
    for (const auto& s : diff["scenarios"])
        if (s["scenario"] == "Plan A") {
            found = true;
            CHECK(s["quota"]["target"]["a"] == 3000000.0);
            CHECK(s["quota"]["target"]["b"] == 3300000.0);
            CHECK(s["quota"]["reps_changed"].get<int>() > 0);
            CHECK(!s["quota"]["regions"].empty());
        }
    CHECK(found);
    // Damaged quota values are refused with where they are.
    auto j = nlohmann::ordered_json::parse(doc);
    j["scenarios"][1]["start"]["quota"]["seasonality"] = {1, 2, 3};
    ScenarioFileLoad bad = loadScenarioFile(j.dump());
    CHECK_FALSE(bad.ok);
    CHECK(bad.error.find("scenarios[1].start.quota.seasonality") != std::string::npos);
}
