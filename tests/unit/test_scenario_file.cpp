#include "core/scenario/metrics.hpp"
#include "core/scenario/sample.hpp"
#include "core/scenario/scenario_file.hpp"
#include "core/scenario/summary.hpp"

#include "sample_fixture.hpp"

#include <doctest/doctest.h>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

using namespace terrane;
using namespace terrane::territory;

namespace {
Workspace planned() {
    Workspace ws = fixture::sampleWorkspace(900, 8, 17);
    Scenario& a = ws.scenarios[ws.addScenarioCopy(0, "Plan A")];
    const auto leaves = a.leaves();
    REQUIRE(execute(ws, a, ReassignAccounts{{1, 2, 3, 4}, leaves[2], {}}, "balance the west", true).ok);
    REQUIRE(execute(ws, a, CreateTerritory{"T-X", "New patch", "", "", "territory", -1}).ok);
    REQUIRE(execute(ws, a, ReassignAccounts{{10, 11}, *a.territoryRow("T-X"), {}}, "", true).ok);
    REQUIRE(execute(ws, a, SetLocked{{10}, true, {}}).ok);
    REQUIRE(execute(ws, a, RenameTerritory{leaves[0], "Renamed", {}}).ok);
    REQUIRE(undo(ws, a)); // the rename stays in the log as an undone edit
    // A copy made after edits starts from Plan A's state.
    Scenario& b = ws.scenarios[ws.addScenarioCopy(1, "Plan B")];
    REQUIRE(execute(ws, b, MergeTerritories{leaves[3], leaves[4], {}}).ok);
    ws.activeScenario = 1;
    ws.settings.metrics.tolerance = 0.08;
    return ws;
}

nlohmann::json parse(const std::string& s) { return nlohmann::json::parse(s); }
} // namespace

TEST_CASE("a saved workspace loads back with identical scenarios, logs, undo and redo") {
    Workspace ws = planned();
    const std::string doc = saveScenarioFile(ws, SaveOptions{"Dana", "FY27", "", {}, 1700000000000});
    ScenarioFileLoad f = loadScenarioFile(doc);
    REQUIRE_MESSAGE(f.ok, f.error);
    CHECK_FALSE(f.tampered);
    CHECK(f.ws.scenarios.size() == 3);
    CHECK(f.ws.activeScenario == 1);
    CHECK(f.ws.settings.metrics.tolerance == doctest::Approx(0.08));
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(f.ws.scenarios[i].name == ws.scenarios[i].name);
        CHECK(f.ws.scenarios[i].assignment == ws.scenarios[i].assignment);
        CHECK(f.ws.scenarios[i].locked == ws.scenarios[i].locked);
        CHECK(f.ws.scenarios[i].cursor == ws.scenarios[i].cursor);
        CHECK(f.ws.scenarios[i].log.size() == ws.scenarios[i].log.size());
    }
    CHECK(f.ws.scenarios[1].log[0].audit.note == "balance the west");
    // Saving the loaded workspace again, later and under another title, gives the same content.
    CHECK(contentHashOf(saveScenarioFile(f.ws, SaveOptions{"Lee", "FY27 v2", "", {}, 1800000000000})) == contentHashOf(doc));
    // The undone rename is still there to redo; undo all returns to the baseline.
    Scenario& a = f.ws.scenarios[1];
    REQUIRE(redo(f.ws, a));
    CHECK(a.territoryName(a.leaves()[0]) == "Renamed");
    while (undo(f.ws, a)) {
    }
    CHECK(a.assignment == f.ws.baseline().assignment);
    // Same figures as before saving.
    const AccountValues v0 = AccountValues::compute(ws), v1 = AccountValues::compute(f.ws);
    CHECK(planMetricsToJson(computePlanMetrics(ws, v0, ws.scenarios[2], &ws.baseline())) ==
          planMetricsToJson(computePlanMetrics(f.ws, v1, f.ws.scenarios[2], &f.ws.baseline())));
}

TEST_CASE("tampering, approvals and the review hash chain are detected") {
    Workspace ws = planned();
    const std::string doc = saveScenarioFile(ws, SaveOptions{"Dana", "FY27", "", {}, 1});
    const std::string hash = contentHashOf(doc);
    std::vector<ReviewEntry> trail;
    appendReview(trail, ReviewEntry{ReviewEntry::Kind::Comment, "VP West", "", "Looks fair", "Plan A", 10, "", "", ""}, hash);
    appendReview(trail, ReviewEntry{ReviewEntry::Kind::Approval, "CRO", "approved", "Go", "Plan A", 20, "", "", ""}, hash);
    CHECK(verifyReviewChain(trail).empty());
    const std::string approved = saveScenarioFile(ws, SaveOptions{"Dana", "FY27", "", {}, 1}, trail);
    ScenarioFileLoad ok = loadScenarioFile(approved);
    REQUIRE(ok.ok);
    CHECK_FALSE(ok.tampered);
    CHECK_FALSE(ok.changedAfterApproval);
    CHECK(ok.reviewProblem.empty());
    CHECK(ok.meta.review.size() == 2);

    // Edit a number inside the content: the file still opens, and says so.
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(approved);
    j["workspace"]["settings"]["metrics"]["tolerance"] = 0.5;
    ScenarioFileLoad t = loadScenarioFile(j.dump());
    REQUIRE(t.ok);
    CHECK(t.tampered);
    CHECK(t.changedAfterApproval);
    // Re-seal the content hash (as a careless tool would): still "changed after approval".
    j["content_sha256"] = contentHashOf(j.dump());
    ScenarioFileLoad r = loadScenarioFile(j.dump());
    CHECK_FALSE(r.tampered);
    CHECK(r.changedAfterApproval);
    // Alter the approval itself: the chain breaks.
    nlohmann::ordered_json k = nlohmann::ordered_json::parse(approved);
    k["review"][1]["decision"] = "rejected";
    CHECK(loadScenarioFile(k.dump()).reviewProblem.find("entry 2") != std::string::npos);
    k = nlohmann::ordered_json::parse(approved);
    k["review"].erase(0);
    CHECK_FALSE(loadScenarioFile(k.dump()).reviewProblem.empty());
}

TEST_CASE("untrusted files: damaged, truncated, oversized, too deep, newer, wrong types") {
    Workspace ws = planned();
    const std::string doc = saveScenarioFile(ws, SaveOptions{});
    auto fails = [](const std::string& bytes, const std::string& words, const LoadLimits& lim = {}) {
        ScenarioFileLoad f = loadScenarioFile(bytes, lim);
        CHECK_FALSE(f.ok);
        CHECK_MESSAGE(f.error.find(words) != std::string::npos, f.error);
        CHECK(f.ws.accounts().rows() == 0); // nothing half-loaded
    };
    fails("", "empty");
    fails(doc.substr(0, doc.size() / 2), "damaged or cut short");
    fails("{\"hello\": 1}", "not a Terrane scenario file");
    fails(std::string(200, '[') + std::string(200, ']'), "nests deeper");
    // Found by fuzz_scenario: a number too large for a double must be an error, not a crash.
    fails("{\"format\": \"terrane-scenario\", \"schema_version\": 56e8611}", "not a valid scenario file");
    LoadLimits small;
    small.maxBytes = 1000;
    fails(doc, "limit", small);
    auto patched = [&](auto&& edit) {
        nlohmann::ordered_json j = nlohmann::ordered_json::parse(doc);
        edit(j);
        return j.dump();
    };
    fails(patched([](auto& j) { j["schema_version"] = 99; j["app_version"] = "9.0.0"; }), "newer Terrane (9.0.0, schema 99)");
    fails(patched([](auto& j) { j["scenarios"][1]["commands"][0]["accounts"][0] = 123456; }), "scenarios[1].commands[0].accounts[0]");
    fails(patched([](auto& j) { j["scenarios"][1]["commands"][0]["type"] = "format_disk"; }), "unknown command 'format_disk'");
    fails(patched([](auto& j) { j["workspace"]["datasets"]["accounts"]["columns"][2]["values"][5] = "north"; }),
          "workspace.datasets.accounts.columns[2].values[5]: expected a number");
    fails(patched([](auto& j) { j["workspace"]["datasets"]["accounts"]["rows"] = 5; }), "expected 5 values");
    fails(patched([](auto& j) { j["scenarios"][2]["commands"][0]["from"] = 9999; }), "scenarios[2].commands[0]");
}

TEST_CASE("schema 1 files are migrated: a full assignment becomes one command") {
    Workspace ws = planned();
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(saveScenarioFile(ws, SaveOptions{}));
    // Rewrite the document the way schema 1 stored scenarios: a territory id per account.
    j["schema_version"] = 1;
    nlohmann::ordered_json scenarios = nlohmann::ordered_json::array();
    for (const Scenario& sc : {ws.scenarios[0], ws.scenarios[1]}) {
        nlohmann::ordered_json ids = nlohmann::ordered_json::array();
        for (auto t : sc.assignment) ids.push_back(t < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(std::string(sc.territoryId(t))));
        scenarios.push_back({{"name", sc.name}, {"assignment", ids}});
    }
    // Schema 1 had no scenario-created territories: drop the ones Plan A made.
    j["scenarios"] = scenarios;
    bool usesNew = false;
    for (auto t : ws.scenarios[1].assignment) usesNew |= t >= 0 && ws.scenarios[1].territoryId(t) == "T-X";
    REQUIRE(usesNew);
    ScenarioFileLoad bad = loadScenarioFile(j.dump());
    CHECK_FALSE(bad.ok);
    CHECK(bad.error.find("unknown territory 'T-X'") != std::string::npos);
    for (auto& id : j["scenarios"][1]["assignment"])
        if (id == "T-X") id = "T0001";
    ScenarioFileLoad f = loadScenarioFile(j.dump());
    REQUIRE_MESSAGE(f.ok, f.error);
    CHECK(f.migratedFrom == 1);
    CHECK(f.tampered); // the hand-made v1 document carries the v2 hash
    CHECK(f.ws.scenarios.size() == 2);
    CHECK(f.ws.scenarios[1].log.size() == 1);
    CHECK(f.ws.scenarios[1].origin == "migrated from schema 1");
    for (std::size_t a = 0; a < ws.accounts().rows(); ++a) {
        const auto want = ws.scenarios[1].territoryId(ws.scenarios[1].assignment[a]);
        CHECK((want == "T-X" ? std::string_view("T0001") : want) == f.ws.scenarios[1].territoryId(f.ws.scenarios[1].assignment[a]));
    }
}

TEST_CASE("redaction hides names, bands money and omits columns, keeping the exact figures in results") {
    Workspace ws = planned();
    SaveOptions opt;
    opt.redaction.repNames = Redaction::RepNames::Initials;
    opt.redaction.hideAccountNames = true;
    opt.redaction.bandMoney = true;
    opt.redaction.omitColumns = {"accounts.industry", "opportunities.next_step"};
    const std::string doc = saveScenarioFile(ws, opt);
    ScenarioFileLoad f = loadScenarioFile(doc);
    REQUIRE_MESSAGE(f.ok, f.error);
    const Table& reps = f.ws.reps();
    for (std::size_t r = 0; r < reps.rows(); ++r) {
        const std::string_view n = reps.str(reps.indexOf("name"), r);
        CHECK((n == "TBH" || (n.size() <= 6 && n.find('.') != std::string_view::npos)));
    }
    const Table& acc = f.ws.accounts();
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        CHECK(acc.str(acc.indexOf("name"), r) == acc.str(acc.indexOf("account_id"), r));
        const auto p = acc.i64(acc.indexOf("potential"), r);
        CHECK((p == 0 || p == 1000000 || p == 5000000 || p == 25000000 || p == 100000000 || p == 500000000 || p == 2500000000LL));
        CHECK(acc.str(acc.indexOf("industry"), r).empty());
    }
    CHECK(f.meta.redaction.bandMoney);
    // The stored results were computed on the real data.
    const auto results = nlohmann::json::parse(f.meta.resultsJson);
    CHECK(results[0]["potential"].get<double>() == doctest::Approx(moneyToMajor(summarize(ws).potential)));
    CHECK(moneyBandLabel(7500000) == "$50K-$250K");
    // The plan itself is intact.
    CHECK(f.ws.scenarios[1].assignment == ws.scenarios[1].assignment);
}

TEST_CASE("a document saved without datasets loads once they are put back") {
    Workspace ws = planned();
    SaveOptions opt;
    opt.includeDatasets = false;
    opt.includeResults = false;
    const std::string state = saveScenarioFile(ws, opt);
    const std::string data = datasetsJson(ws);
    CHECK(state.size() < data.size() / 4);
    CHECK_FALSE(loadScenarioFile(state).ok); // no accounts: the scenarios do not fit
    ScenarioFileLoad f = loadScenarioFile(withDatasets(state, data));
    REQUIRE_MESSAGE(f.ok, f.error);
    CHECK(f.ws.scenarios[2].assignment == ws.scenarios[2].assignment);
    CHECK(withDatasets("not json", data).empty());
}

TEST_CASE("the datasets writer gives the document's text, in one go or in small steps") {
    Workspace ws = planned();
    Table& acc = ws.table(DatasetKind::Accounts);
    const std::size_t n = acc.rows();
    REQUIRE(n > 20);
    // Awkward values: escapes, non-ASCII, invalid UTF-8, control characters, extreme numbers.
    const char* texts[] = {"Zürich \"HQ\"", "back\\slash", "tab\there", "bad \xff byte", "line\nbreak", "\x01", "", "plain"};
    Column& note = acc.addColumn("odd_note", ColumnType::String);
    for (std::size_t r = 0; r < n; ++r)
        note.ids()[r] = r % 9 == 8 ? 0 : acc.pool().intern(std::string(texts[r % 8]) + std::to_string(r));
    Column& few = acc.addColumn("odd_tier", ColumnType::String); // repeats: dictionary-encoded
    for (std::size_t r = 0; r < n; ++r) few.ids()[r] = r % 5 == 4 ? 0 : acc.pool().intern(texts[r % 4]);
    const double nums[] = {0.1, 1.0, -0.0, 1e300, -2.5e-310, std::nan(""), 1.0 / 0.0, 123456789.125};
    Column& num = acc.addColumn("odd_number", ColumnType::F64);
    for (std::size_t r = 0; r < n; ++r) num.f64()[r] = nums[r % 8];
    Column& flag = acc.addColumn("odd_flag", ColumnType::Bool);
    for (std::size_t r = 0; r < n; ++r) flag.u8()[r] = static_cast<std::uint8_t>(r % 3 == 2 ? kBoolNull : r % 3);
    Column& day = acc.addColumn("odd_day", ColumnType::Date);
    for (std::size_t r = 0; r < n; ++r) day.i64()[r] = r % 4 == 3 ? kI64Null : static_cast<std::int64_t>(19000 + r);

    // The reference: the datasets section built as a JSON document and dumped by the library.
    const std::string expected = datasetsJsonViaDocument(ws);
    const std::string whole = datasetsJson(ws);
    CHECK(whole == expected);
    for (std::size_t cells : {std::size_t{1}, std::size_t{7}, std::size_t{1000}}) {
        DatasetsJsonWriter w(ws);
        int steps = 0;
        double last = 0;
        while (!w.step(cells)) {
            ++steps;
            CHECK(w.progress() >= last);
            last = w.progress();
        }
        CHECK(w.done());
        CHECK(w.progress() == 1.0);
        CHECK(steps > 0);
        CHECK(w.take() == expected);
    }
    // A full save splices the same text in, and its content hash is the one a load recomputes.
    SaveOptions opt;
    opt.includeResults = false;
    const std::string full = saveScenarioFile(ws, opt);
    const auto saved = nlohmann::ordered_json::parse(full);
    CHECK(saved["workspace"]["datasets"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) == expected);
    const ScenarioFileLoad again = loadScenarioFile(full);
    REQUIRE(again.ok);
    CHECK_FALSE(again.tampered);
    // Omitted columns are left out, the rest is unchanged.
    DatasetsJsonWriter omitting(ws, {"accounts.odd_note", "accounts.account_id"});
    while (!omitting.step(5)) {
    }
    const auto cut = nlohmann::ordered_json::parse(omitting.take());
    auto ref = nlohmann::ordered_json::parse(expected);
    auto& cols = ref["accounts"]["columns"];
    for (std::size_t i = cols.size(); i-- > 0;)
        if (cols[i]["name"] == "odd_note" || cols[i]["name"] == "account_id") cols.erase(i);
    CHECK(cut == ref);
    // And it loads back.
    SaveOptions bare;
    bare.includeDatasets = false;
    const ScenarioFileLoad f = loadScenarioFile(withDatasets(saveScenarioFile(ws, bare), whole));
    REQUIRE(f.ok);
    CHECK(f.ws.table(DatasetKind::Accounts).rows() == n);
    CHECK(f.ws.table(DatasetKind::Accounts).find("odd_note") != nullptr);
}

namespace {
struct CliRun {
    int code = -1;
    std::string out;
};

// `terrane scenario validate --json` on `doc` written to a temporary file; stderr is dropped.
CliRun validateCli(const std::string& doc) {
    const std::filesystem::path file =
        std::filesystem::temp_directory_path() / ("terrane-results-" + std::to_string(::getpid()) + ".terrane");
    std::ofstream(file, std::ios::binary) << doc;
    CliRun r;
    FILE* pipe = popen((std::string(TERRANE_CLI) + " scenario validate --json " + file.string() + " 2>/dev/null").c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
    const int status = pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::filesystem::remove(file);
    return r;
}
} // namespace

TEST_CASE("saved results edited by hand are recomputed on load and every difference is named") {
    Workspace ws = planned();
    const std::string doc = saveScenarioFile(ws, SaveOptions{"Dana", "FY27", "", {}, 1});
    const ScenarioFileLoad clean = loadScenarioFile(doc);
    REQUIRE_MESSAGE(clean.ok, clean.error);
    CHECK(clean.resultsDifferences.empty());
    CHECK(clean.warnings.empty());

    // Edit Plan A's potential deviation in the file's text (the results come before the scenarios).
    const std::size_t planA = doc.find("{\"scenario\":\"Plan A\"");
    REQUIRE(planA != std::string::npos);
    const std::string key = "\"max_deviation\":{\"potential\":";
    const std::size_t at = doc.find(key, planA) + key.size();
    const std::size_t end = doc.find(',', at);
    const std::string was = doc.substr(at, end - at);
    REQUIRE(was != "0.01");
    std::string edited = doc;
    edited.replace(at, end - at, "0.01");
    const ScenarioFileLoad f = loadScenarioFile(edited);
    REQUIRE_MESSAGE(f.ok, f.error);
    CHECK_FALSE(f.tampered); // the results are outside the content hash
    REQUIRE(f.resultsDifferences.size() == 1);
    CHECK(f.resultsDifferences[0] == "results[1].max_deviation.potential (scenario 'Plan A'): the file says 0.01, recomputed " + was);
    REQUIRE(f.warnings.size() == 1);
    CHECK(f.warnings[0] == f.resultsDifferences[0]);
    const auto summary = nlohmann::json::parse(scenarioFileSummaryJson(f));
    CHECK(summary["integrity"]["results_match"] == false);
    CHECK(summary["integrity"]["results_differences"][0] == f.resultsDifferences[0]);

    // Other kinds of edit: a text figure, a figure the plan does not have, a scenario that is not there.
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(doc);
    j["results"][0]["scenario"] = "Someone else";
    j["results"][2]["quota"] = {{"target", 5}};
    j["results"].push_back({{"scenario", "Ghost"}});
    const ScenarioFileLoad g = loadScenarioFile(j.dump());
    REQUIRE(g.ok);
    REQUIRE(g.resultsDifferences.size() == 3);
    CHECK(g.resultsDifferences[0] == "results[0].scenario (scenario 'Baseline'): the file says \"Someone else\", recomputed \"Baseline\"");
    CHECK(g.resultsDifferences[1] == "results[2].quota (scenario 'Plan B'): the file says {\"target\":5}, recomputed nothing");
    CHECK(g.resultsDifferences[2].rfind("results[3]: the file has figures for a scenario it does not hold", 0) == 0);

    // Round-off far inside 1e-9 passes; so does a file without results (older files) or with none saved.
    j = nlohmann::ordered_json::parse(doc);
    j["results"][1]["potential"] = j["results"][1]["potential"].get<double>() * (1 + 1e-12);
    CHECK(loadScenarioFile(j.dump()).resultsDifferences.empty());
    j.erase("results");
    CHECK(loadScenarioFile(j.dump()).warnings.empty());
    SaveOptions none;
    none.includeResults = false;
    CHECK(loadScenarioFile(saveScenarioFile(ws, none)).resultsDifferences.empty());
    // A redacted file's results come from data it does not hold: not compared.
    SaveOptions banded;
    banded.redaction.bandMoney = true;
    CHECK(loadScenarioFile(saveScenarioFile(ws, banded)).resultsDifferences.empty());

    // `terrane scenario validate` treats it like a changed content hash: not valid, exit 1.
    const CliRun ok = validateCli(doc);
    CHECK(ok.code == 0);
    const auto okJson = nlohmann::json::parse(ok.out);
    CHECK(okJson["valid"] == true);
    CHECK(okJson["results_match"] == true);
    const CliRun bad = validateCli(edited);
    CHECK(bad.code == 1);
    const auto badJson = nlohmann::json::parse(bad.out);
    CHECK(badJson["valid"] == false);
    CHECK(badJson["tampered"] == false);
    CHECK(badJson["results_match"] == false);
    CHECK(badJson["results_differences"][0] == f.resultsDifferences[0]);
}
