// A forecast saved into a scenario: the command applies, undoes and redoes; bad forecasts are
// refused; it survives a .terrane save and open (from the command log and from the start state);
// bad JSON names the field. (Files without it: every other scenario-file test.)
#include "core/forecast/forecast_commands.hpp"
#include "core/scenario/scenario.hpp"
#include "core/scenario/scenario_file.hpp"
#include "core/scenario/workspace.hpp"

#include "sample_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace terrane;
using namespace terrane::forecast;

namespace {
SavedForecast makeForecast(std::uint64_t seed) {
    SavedForecast f;
    f.asOf = daysFromCivil(2026, 10, 1);
    f.period = "quarter";
    f.seed = seed;
    f.trials = 2000;
    f.method = "model";
    f.savedAtMs = 1765000000000;
    f.settings = Json{{"as_of", "2026-10-01"}, {"period", "quarter"}, {"seed", seed}};
    f.periods.push_back(SavedPeriod{daysFromCivil(2026, 10, 1), daysFromCivil(2026, 12, 31), 12345600, 90000000, 110000050, 130000000, 100000000, 2.5});
    f.periods.push_back(SavedPeriod{daysFromCivil(2027, 1, 1), daysFromCivil(2027, 3, 31), 0, 50000000, 70000000, 99000000, 0, 0});
    return f;
}
} // namespace

TEST_CASE("SaveForecast saves, replaces, clears, undoes and redoes") {
    Workspace ws = fixture::sampleWorkspace(300, 6, 3);
    Scenario& sc = ws.scenarios[ws.addScenarioCopy(0, "F")];
    CHECK_FALSE(sc.forecast.has_value());
    REQUIRE(execute(ws, sc, SaveForecast{makeForecast(7), {}}).ok);
    CHECK(sc.log.back().audit.description == "Save the quarter forecast as of 1 Oct 2026 (P50 $1.1M, seed 7)");
    CHECK(commandDomain(sc.log.back().command) == CommandDomain::Forecast);
    REQUIRE(execute(ws, sc, SaveForecast{makeForecast(9), {}}).ok);
    CHECK(sc.forecast->seed == 9);
    REQUIRE(execute(ws, sc, SaveForecast{std::nullopt, {}}).ok);
    CHECK(sc.log.back().audit.description == "Remove the saved forecast");
    CHECK_FALSE(sc.forecast.has_value());
    REQUIRE(undo(ws, sc));
    CHECK(sc.forecast->seed == 9);
    REQUIRE(undo(ws, sc));
    CHECK(*sc.forecast == makeForecast(7));
    REQUIRE(undo(ws, sc));
    CHECK_FALSE(sc.forecast.has_value());
    REQUIRE(redo(ws, sc));
    CHECK(sc.forecast->seed == 7);

    SavedForecast bad = makeForecast(1);
    std::swap(bad.periods[0].p10, bad.periods[0].p90);
    const auto r = execute(ws, sc, SaveForecast{bad, {}});
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("P10, P50 and P90") != std::string::npos);
    CHECK(sc.forecast->seed == 7); // nothing changed
}

TEST_CASE("a saved forecast survives save and open, bad fields are named") {
    Workspace ws = fixture::sampleWorkspace(300, 6, 3);
    const std::size_t i = ws.addScenarioCopy(0, "With forecast");
    REQUIRE(execute(ws, ws.scenarios[i], SaveForecast{makeForecast(11), {}}).ok);
    const std::string text = saveScenarioFile(ws, SaveOptions{});
    const ScenarioFileLoad f = loadScenarioFile(text);
    REQUIRE_MESSAGE(f.ok, f.error);
    REQUIRE(f.ws.scenarios.size() == ws.scenarios.size());
    REQUIRE(f.ws.scenarios[i].forecast.has_value());
    CHECK(*f.ws.scenarios[i].forecast == makeForecast(11));
    CHECK_FALSE(f.ws.scenarios[0].forecast.has_value());

    // In the start state (a scenario that began with a forecast, e.g. a copy of one that had it).
    Json doc = Json::parse(text);
    Json& js = doc["scenarios"][i];
    js["start"]["forecast"] = savedForecastToJson(makeForecast(12));
    js["commands"] = Json::array();
    js["cursor"] = 0;
    const ScenarioFileLoad g = loadScenarioFile(doc.dump());
    REQUIRE_MESSAGE(g.ok, g.error);
    CHECK(g.ws.scenarios[i].forecast->seed == 12);
    // Written back from the start state.
    const Json again = Json::parse(saveScenarioFile(g.ws, SaveOptions{}));
    CHECK(again["scenarios"][i]["start"]["forecast"]["seed"] == 12);

    // Bad input names the field.
    js["start"]["forecast"]["periods"][0]["p50"] = "lots";
    const ScenarioFileLoad h = loadScenarioFile(doc.dump());
    CHECK_FALSE(h.ok);
    CHECK(h.error.find("start.forecast.periods[0].p50") != std::string::npos);
    js["start"]["forecast"] = savedForecastToJson(makeForecast(12));
    js["start"]["forecast"]["as_of"] = "2026-13-01";
    const ScenarioFileLoad k = loadScenarioFile(doc.dump());
    CHECK_FALSE(k.ok);
    CHECK(k.error.find("as_of: expected a date") != std::string::npos);
}
