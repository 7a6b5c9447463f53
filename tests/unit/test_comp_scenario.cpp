// Commission plans as part of a scenario: the comp commands (apply, describe, undo, redo), the
// starting plan built from the scenario's quotas, and plans in the scenario file (start state and
// command log; older files without plans; damaged plans refused with their path).
#include "core/comp/comp_commands.hpp"
#include "core/quota/allocate.hpp"
#include "core/scenario/scenario.hpp"
#include "core/scenario/scenario_file.hpp"
#include "core/scenario/workspace.hpp"

#include "sample_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace terrane;
using namespace terrane::comp;

TEST_CASE("comp commands add, change and remove plans with undo, redo and words for the audit log") {
    Workspace ws = fixture::sampleWorkspace(600, 8, 5);
    Scenario& sc = ws.scenarios[ws.addScenarioCopy(0, "Comp")];
    REQUIRE(execute(ws, sc, quota::SetQuotaTarget{300000000, 0, 0, 0}).ok);
    const quota::QuotaResult q = quota::computeQuotas(ws, sc);
    const CompSetup starter = starterSetup(ws, q);
    REQUIRE(starter.plans.size() == 1);
    const Plan& p0 = starter.plans[0];
    CHECK(p0.commission.tiers.size() == 3);
    CHECK(p0.commission.tiers[0].multiplierPpm == comp::kPpm); // a rep at 100% earns the target incentive
    CHECK(p0.start == q.tree.historyFrom);
    CHECK(p0.end == q.tree.historyTo - 1);
    CHECK(starter.defaultTargetIncentive > 0);
    CHECK(starter.defaultTargetIncentive % 100000 == 0);
    // The SPIFF names a product that the window's won deals have.
    CHECK(!p0.spiffs[0].product.empty());
    CHECK(p0.spiffs[0].from >= p0.start);
    CHECK(p0.spiffs[0].to <= p0.end);

    REQUIRE(execute(ws, sc, SetCompSettings{starter.defaultTargetIncentive, 0, 0, 0}).ok);
    REQUIRE(execute(ws, sc, SetCompPlan{0, p0, std::nullopt}).ok);
    CHECK(sc.log.back().audit.description == "Add the commission plan " + p0.name);
    Plan p1 = p0;
    p1.commission.tiers[1].multiplierPpm = 1800000;
    p1.commission.gatePpm = 500000;
    REQUIRE(execute(ws, sc, SetCompPlan{0, p1, std::nullopt}).ok);
    CHECK(sc.log.back().audit.description == "Plan " + p0.name + ": tier 2 multiplier 1.5x -> 1.8x, gate 50%");
    Plan copy = p1;
    copy.name = "Copy";
    REQUIRE(execute(ws, sc, SetCompPlan{1, copy, std::nullopt}).ok);
    CHECK(sc.comp.plans.size() == 2);
    CHECK_FALSE(execute(ws, sc, SetCompPlan{3, copy, std::nullopt}).ok);
    CHECK_FALSE(execute(ws, sc, RemoveCompPlan{5, {}}).ok);
    CHECK_FALSE(execute(ws, sc, SetCompSettings{-1, 0, 0, 0}).ok);
    REQUIRE(execute(ws, sc, RemoveCompPlan{0, {}}).ok);
    CHECK(sc.comp.plans.size() == 1);
    CHECK(sc.comp.plans[0].name == "Copy");
    CHECK(isCompCommand(sc.log.back().command));
    // Undo walks back to the set-up before any comp edit; redo returns exactly.
    const CompSetup last = sc.comp;
    for (int i = 0; i < 5; ++i) REQUIRE(undo(ws, sc));
    CHECK(sc.comp == CompSetup{});
    for (int i = 0; i < 5; ++i) REQUIRE(redo(ws, sc));
    CHECK(sc.comp == last);
}

TEST_CASE("plans travel in the scenario file: start state, command log, old files, damaged plans") {
    Workspace ws = fixture::sampleWorkspace(600, 8, 5);
    const std::string before = saveScenarioFile(ws, SaveOptions{"Dana", "no plans", "", {}, 1700000000000});
    CHECK(before.find("\"comp\"") == std::string::npos); // files without plans stay as they were
    const std::size_t si = ws.addScenarioCopy(0, "Comp");
    Scenario& sc = ws.scenarios[si];
    REQUIRE(execute(ws, sc, quota::SetQuotaTarget{300000000, 0, 0, 0}).ok);
    const CompSetup starter = starterSetup(ws, quota::computeQuotas(ws, sc));
    REQUIRE(execute(ws, sc, SetCompSettings{starter.defaultTargetIncentive, 5000000, 0, 0}).ok);
    REQUIRE(execute(ws, sc, SetCompPlan{0, starter.plans[0], std::nullopt}).ok);
    Plan p = starter.plans[0];
    p.commission.method = TierMethod::Retroactive;
    REQUIRE(execute(ws, sc, SetCompPlan{0, p, std::nullopt}).ok);
    REQUIRE(undo(ws, sc)); // an undone edit stays in the log for redo
    const std::string doc = saveScenarioFile(ws, SaveOptions{"Dana", "plans", "", {}, 1700000000000});
    ScenarioFileLoad f = loadScenarioFile(doc);
    REQUIRE_MESSAGE(f.ok, f.error);
    const Scenario& y = f.ws.scenarios[si];
    CHECK(y.comp == sc.comp);
    CHECK(y.cursor == sc.cursor);
    REQUIRE(redo(f.ws, f.ws.scenarios[si]));
    CHECK(f.ws.scenarios[si].comp.plans[0].commission.method == TierMethod::Retroactive);
    // A file whose start state holds plans (a copy of a scenario with plans).
    const CompSetup saved = sc.comp;
    ws.addScenarioCopy(si, "Copy");
    ScenarioFileLoad g = loadScenarioFile(saveScenarioFile(ws, SaveOptions{"Dana", "copy", "", {}, 1700000000000}));
    REQUIRE_MESSAGE(g.ok, g.error);
    CHECK(g.ws.scenarios.back().comp == saved);
    CHECK(g.ws.scenarios.back().log.empty());
    // A damaged plan is refused with its path.
    auto j = nlohmann::ordered_json::parse(saveScenarioFile(ws, SaveOptions{"Dana", "copy", "", {}, 1700000000000}));
    j["scenarios"].back()["start"]["comp"]["plans"][0]["commission"]["method"] = "sideways";
    ScenarioFileLoad bad = loadScenarioFile(j.dump());
    CHECK_FALSE(bad.ok);
    CHECK(bad.error.find(".start.comp.plans[0].commission") != std::string::npos);
}
