// A first plan from nothing: territories drafted from the reps, a column's values or a count, added
// to a scenario as one undoable CreateTerritories command, and optimised exactly as the CLI's
// `balance --by-rep` / `--territories K` do.
#include "core/scenario/scenario_file.hpp"
#include "core/territory/planning.hpp"

#include "sample_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <set>

using namespace terrane;
using namespace terrane::territory;

namespace {

// The sample with no territories: an import of accounts and reps only.
Workspace withoutTerritories(std::size_t accounts, std::size_t reps) {
    Workspace ws = fixture::sampleWorkspace(accounts, reps, 5);
    ws.territories().resize(0);
    Table& acc = ws.accounts();
    Column& ter = *acc.find("territory");
    for (std::size_t r = 0; r < acc.rows(); ++r) ter.ids()[r] = acc.pool().intern("");
    Column& lk = *acc.find("locked");
    for (std::size_t r = 0; r < acc.rows(); ++r) lk.u8()[r] = 0;
    for (std::size_t r = 0; r < ws.reps().rows(); ++r) ws.reps().find("territory")->ids()[r] = ws.pool->intern("");
    ws.rebuildIndexes();
    ws.rebuildBaseline();
    return ws;
}

BalanceResult optimiseOn(const Workspace& ws, const Scenario& sc, const BalanceOptions& o) {
    auto p = std::make_shared<const BalanceProblem>(makeBalanceProblem(ws, sc, o));
    Optimiser opt(p, o);
    while (!opt.step(1e9)) {
    }
    return opt.result();
}

// Territory id per account in a scenario.
std::vector<std::string> idsOf(const Scenario& sc) {
    std::vector<std::string> out;
    for (std::int32_t t : sc.assignment) out.push_back(t < 0 ? std::string() : std::string(sc.territoryId(t)));
    return out;
}

} // namespace

TEST_CASE("territories from the reps as a command equal the CLI's by-rep scenario, and optimise the same") {
    Workspace ws = withoutTerritories(600, 8);
    REQUIRE(ws.baseline().leaves().empty());
    Scenario page = ws.baseline();
    const TerritoryDraft d = repDraft(ws);
    CHECK(d.territories.size() == ws.reps().rows());
    const CommandResult r = execute(ws, page, draftCommand(page, d, "one per rep"));
    REQUIRE(r.ok);
    CHECK(page.leaves().size() == ws.reps().rows());
    std::vector<std::string> warnings;
    const Scenario cli = repScenario(ws, std::vector<std::uint8_t>(ws.accounts().rows(), 0), warnings);
    CHECK(idsOf(page) == idsOf(cli));
    for (std::int32_t t : page.leaves())
        CHECK(page.territories.str(page.territories.indexOf("owner"), static_cast<std::size_t>(t)) == page.territoryId(t));

    BalanceOptions o = balanceOptionsFor(ws);
    o.metrics = {{"potential", 0.05}, {"workload", 0.10}};
    const BalanceResult a = optimiseOn(ws, page, o), b = optimiseOn(ws, cli, o);
    CHECK(a.assignment == b.assignment);
    CHECK(a.figures.maxDeviation == b.figures.maxDeviation);
    CHECK(a.feasible);

    // One undo step removes every territory and the placements; redo brings back the same rows.
    const std::vector<std::int32_t> placed = page.assignment;
    REQUIRE(undo(ws, page));
    CHECK(page.leaves().empty());
    for (std::int32_t t : page.assignment) CHECK(t == -1);
    REQUIRE(redo(ws, page));
    CHECK(page.assignment == placed);
    CHECK(page.leaves().size() == ws.reps().rows());
}

TEST_CASE("N numbered territories as a command equal the CLI's --territories K start") {
    Workspace ws = withoutTerritories(300, 4);
    Scenario page = ws.baseline();
    REQUIRE(execute(ws, page, draftCommand(page, numberedDraft(ws, 12), "12 numbered")).ok);
    const Scenario cli = freshScenario(ws, 12, std::vector<std::uint8_t>(ws.accounts().rows(), 0));
    REQUIRE(page.leaves().size() == 12);
    for (std::size_t k = 0; k < 12; ++k) CHECK(page.territoryId(page.leaves()[k]) == cli.territoryId(static_cast<std::int32_t>(k)));
    BalanceOptions o = balanceOptionsFor(ws);
    o.metrics = {{"potential", 0.05}};
    CHECK(optimiseOn(ws, page, o).assignment == optimiseOn(ws, cli, o).assignment);
}

TEST_CASE("territories from a column: one per value, accounts placed, locked accounts stay, blanks reported") {
    Workspace ws = withoutTerritories(500, 6);
    Table& acc = ws.accounts();
    const int st = acc.indexOf("state");
    std::set<std::string> values;
    for (std::size_t r = 0; r < acc.rows(); ++r)
        if (!acc.str(st, r).empty()) values.insert(std::string(acc.str(st, r)));
    REQUIRE(values.size() > 2);
    acc.find("state")->ids()[3] = ws.pool->intern("  "); // a blank value
    Scenario sc = ws.baseline();
    sc.locked[7] = 1;                                      // a locked account does not move
    const TerritoryDraft d = columnDraft(ws, "state");
    CHECK(d.warnings.size() == 1);
    CHECK(d.warnings[0].find("1 account has no state") != std::string::npos);
    CreateTerritories cmd = draftCommand(sc, d, "one per state");
    REQUIRE(execute(ws, sc, cmd).ok);
    for (std::size_t i = 1; i < d.territories.size(); ++i) CHECK(d.territories[i - 1].id < d.territories[i].id);
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        if (r == 3 || r == 7) {
            CHECK(sc.assignment[r] == -1);
            continue;
        }
        REQUIRE(sc.assignment[r] >= 0);
        CHECK(sc.territoryName(sc.assignment[r]) == acc.str(st, r));
    }
    CHECK(sc.log.back().audit.description.find("one per state") != std::string::npos);

    // Refused as a whole: ids already used (running it twice), unknown columns, too many values.
    const CommandResult again = execute(ws, sc, draftCommand(sc, d, "again"));
    CHECK_FALSE(again.ok);
    CHECK(again.error.find("already used") != std::string::npos);
    CHECK_THROWS_AS(columnDraft(ws, "no_such_column"), BalanceInputError);
    CHECK_THROWS_AS(columnDraft(ws, "potential"), BalanceInputError);
    CHECK_THROWS_AS(columnDraft(ws, "account_id", 100), BalanceInputError);
}

TEST_CASE("a CreateTerritories log survives a save and load of the scenario file") {
    Workspace ws = withoutTerritories(200, 5);
    const std::size_t s = ws.addScenarioCopy(0, "From reps");
    ws.activeScenario = s;
    REQUIRE(execute(ws, ws.active(), draftCommand(ws.active(), repDraft(ws), "one per rep")).ok);
    const std::vector<std::string> before = idsOf(ws.active());
    const std::string text = saveScenarioFile(ws, {});
    ScenarioFileLoad f = loadScenarioFile(text);
    REQUIRE_MESSAGE(f.ok, f.error);
    const Scenario& back = f.ws.scenarios[s];
    CHECK(back.name == "From reps");
    CHECK(idsOf(back) == before);
    CHECK(back.leaves().size() == 5);
    CHECK(back.log.size() == 1);
    CHECK(std::string(commandName(back.log[0].command)) == "create_territories");
}
