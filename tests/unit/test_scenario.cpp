#include "core/scenario/metrics.hpp"
#include "core/scenario/sample.hpp"
#include "core/scenario/scenario.hpp"
#include "core/scenario/summary.hpp"
#include "core/scenario/workspace.hpp"

#include "sample_fixture.hpp"

#include <doctest/doctest.h>

using namespace terrane;
using namespace terrane::territory;

TEST_CASE("the baseline mirrors the accounts' territory and lock columns") {
    Workspace ws = fixture::sampleWorkspace(600, 8, 5);
    const Scenario& b = ws.baseline();
    REQUIRE(b.assignment.size() == 600);
    const Table& acc = ws.accounts();
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        CHECK(b.territoryId(b.assignment[r]) == acc.str(acc.indexOf("territory"), r));
        CHECK(b.locked[r] == (acc.flag(acc.indexOf("locked"), r) ? 1 : 0));
    }
    CHECK(b.leaves().size() == 8);
}

TEST_CASE("reassign, undo and redo restore exact states - the redo tail is dropped by a new edit") {
    Workspace ws = fixture::sampleWorkspace(600, 8, 5);
    std::size_t s = ws.addScenarioCopy(0, ws.freshScenarioName());
    Scenario& sc = ws.scenarios[s];
    CHECK(sc.name == "Scenario 1");
    const auto before = sc.assignment;
    const auto leaves = sc.leaves();
    std::vector<std::uint32_t> pick;
    for (std::uint32_t a = 0; a < 600 && pick.size() < 25; ++a)
        if (!sc.locked[a] && sc.assignment[a] != leaves[0]) pick.push_back(a);
    auto r = execute(ws, sc, ReassignAccounts{pick, leaves[0], {}}, "test note");
    REQUIRE(r.ok);
    for (auto a : pick) CHECK(sc.assignment[a] == leaves[0]);
    CHECK(sc.log.back().audit.accounts == 25);
    CHECK(sc.log.back().audit.potentialMoved > 0);
    CHECK(sc.log.back().audit.note == "test note");
    CHECK(sc.log.back().audit.description.find("Move 25 accounts to") == 0);
    const auto after = sc.assignment;
    REQUIRE(undo(ws, sc));
    CHECK(sc.assignment == before);
    CHECK_FALSE(undo(ws, sc));
    REQUIRE(redo(ws, sc));
    CHECK(sc.assignment == after);
    REQUIRE(undo(ws, sc));
    REQUIRE(execute(ws, sc, SetLocked{{pick[0]}, true, {}}).ok);
    CHECK_FALSE(sc.canRedo());
    CHECK(sc.log.size() == 1);
    // The baseline is untouched by edits to a copy.
    CHECK(ws.baseline().assignment == before);
}

TEST_CASE("after plan edits the summary's plan counts equal a full summary") {
    Workspace ws = fixture::sampleWorkspace(600, 8, 5);
    WorkspaceSummary s = summarize(ws);
    const std::size_t sc = ws.addScenarioCopy(0, ws.freshScenarioName());
    ws.activeScenario = sc;
    // Unassign 25 accounts and create a territory: both counts change.
    std::vector<std::uint32_t> some;
    for (std::uint32_t a = 0; a < 25; ++a) some.push_back(a * 7);
    REQUIRE(execute(ws, ws.active(), ReassignAccounts{some, -1, {}}, "").ok);
    REQUIRE(execute(ws, ws.active(), CreateTerritory{"T-NEW-1", "New", "", "", "territory", -1}, "").ok);
    updatePlanCounts(s, ws);
    CHECK(s.assignedAccounts == 600 - 25);
    CHECK(s.territories == 9);
    CHECK(summaryToJson(s) == summaryToJson(summarize(ws)));
}

TEST_CASE("locked accounts refuse moves unless forced") {
    Workspace ws = fixture::sampleWorkspace(600, 8, 5);
    Scenario& sc = ws.scenarios[ws.addScenarioCopy(0, "S")];
    const auto leaves = sc.leaves();
    REQUIRE(execute(ws, sc, SetLocked{{3, 4}, true, {}}).ok);
    auto r = execute(ws, sc, ReassignAccounts{{3, 4, 5}, leaves[1], {}});
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("2 selected accounts are locked") != std::string::npos);
    CHECK(execute(ws, sc, ReassignAccounts{{3, 4, 5}, leaves[1], {}}, "", true).ok);
}

TEST_CASE("territory create, rename, merge and delete are undoable") {
    Workspace ws = fixture::sampleWorkspace(600, 8, 5);
    Scenario& sc = ws.scenarios[ws.addScenarioCopy(0, "S")];
    const auto leaves = sc.leaves();
    const std::string parent(sc.territories.str(sc.territories.indexOf("parent_id"), static_cast<std::size_t>(leaves[0])));
    REQUIRE(execute(ws, sc, CreateTerritory{"T-NEW", "New patch", parent, "", "territory", -1}).ok);
    CHECK_FALSE(execute(ws, sc, CreateTerritory{"T-NEW", "Again", parent, "", "territory", -1}).ok);
    const std::int32_t nt = *sc.territoryRow("T-NEW");
    CHECK(sc.leaves().size() == leaves.size() + 1);
    REQUIRE(execute(ws, sc, RenameTerritory{nt, "Renamed", {}}).ok);
    CHECK(sc.territoryName(nt) == "Renamed");
    const AccountValues values = AccountValues::compute(ws);
    const PlanMetrics before = computePlanMetrics(ws, values, sc, &ws.baseline());
    REQUIRE(execute(ws, sc, MergeTerritories{leaves[1], leaves[0], {}}).ok);
    CHECK(sc.isDeleted(leaves[1]));
    for (auto t : sc.assignment) CHECK(t != leaves[1]);
    REQUIRE(execute(ws, sc, DeleteTerritory{leaves[0], {}}).ok);
    std::size_t unassigned = 0;
    for (auto t : sc.assignment) unassigned += t == -1;
    CHECK(unassigned == static_cast<std::size_t>(before.territories[0].f.sum[0] + before.territories[1].f.sum[0]));
    while (undo(ws, sc)) {
    }
    CHECK(sc.assignment == ws.baseline().assignment);
    CHECK(sc.leaves() == leaves);
    CHECK_FALSE(sc.territoryRow("T-NEW").has_value());
    while (redo(ws, sc)) {
    }
    CHECK(sc.isDeleted(leaves[0]));
    CHECK(sc.territoryName(*sc.territoryRow("T-NEW")) == "Renamed");
}
