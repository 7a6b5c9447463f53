// Deal outcomes from stages: stage-name classification, the stage table inferred from names and
// data, outcomes derived for every reader (summary, hygiene), the user's choices (import options,
// remembered mappings, the scenario file) and `terrane import` reporting and overriding it.
#include "core/import/hygiene.hpp"
#include "core/import/import.hpp"
#include "core/import/loader.hpp"
#include "core/import/stages.hpp"
#include "core/scenario/scenario_file.hpp"
#include "core/scenario/summary.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <unistd.h>
#include <fstream>
#include <sstream>

using namespace terrane;

namespace {

std::string readData(const std::string& rel) {
    std::ifstream in(std::string(TERRANE_SOURCE_DIR) + "/" + rel, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const Date kAsOf = daysFromCivil(2026, 1, 15);

// Imports `rel` as opportunities into a fresh workspace (the kind detected from the header).
Workspace importDeals(const std::string& rel, std::vector<StageRow> choices = {}) {
    Workspace ws;
    ImportOptions opt;
    opt.fileName = rel;
    opt.detectKind = true;
    opt.asOf = kAsOf;
    opt.stages = std::move(choices);
    ImportReport rep;
    std::string err;
    REQUIRE_MESSAGE(importInto(ws, readData(rel), opt, rep, err), err);
    REQUIRE(rep.kind == DatasetKind::Opportunities);
    return ws;
}

std::uint64_t findingCount(const Workspace& ws, std::string_view id) {
    HygieneOptions o;
    o.asOf = kAsOf;
    for (const Finding& f : checkHygiene(ws, o).findings)
        if (f.id == id) return f.count;
    return ~std::uint64_t{0};
}

int runCli(const std::string& args, std::string* out = nullptr, std::string* err = nullptr) {
    const std::string errFile = "/tmp/terrane_test_stages_stderr_" + std::to_string(::getpid()) + ".txt";
    const std::string cmd = std::string(TERRANE_CLI) + " " + args + " 2>" + errFile;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return -1;
    std::string text;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) text.append(buf, n);
    const int status = pclose(p);
    if (out) *out = text;
    if (err) {
        std::ifstream in(errFile);
        std::ostringstream ss;
        ss << in.rdbuf();
        *err = ss.str();
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string dataPath(const std::string& rel) { return "'" + std::string(TERRANE_SOURCE_DIR) + "/" + rel + "'"; }

} // namespace

TEST_CASE("stage names: won, lost and open in any case, spacing and punctuation") {
    struct Case {
        const char* name;
        bool known;
        StageOutcome outcome;
    };
    const Case cases[] = {
        {"Won", true, StageOutcome::Won},
        {"won", true, StageOutcome::Won},
        {"Closed Won", true, StageOutcome::Won},
        {"Closed - Won", true, StageOutcome::Won},
        {"closed_won", true, StageOutcome::Won},
        {"closedwon", true, StageOutcome::Won},
        {"ClosedWon", true, StageOutcome::Won},
        {"CLOSED/WON", true, StageOutcome::Won},
        {"Closed won", true, StageOutcome::Won},
        {"Deal won", true, StageOutcome::Won},
        {"Won (paid)", true, StageOutcome::Won},
        {"Contract signed", true, StageOutcome::Won},
        {"Booked", true, StageOutcome::Won},
        {"Lost", true, StageOutcome::Lost},
        {"Closed Lost", true, StageOutcome::Lost},
        {"Closed - Lost", true, StageOutcome::Lost},
        {"closedlost", true, StageOutcome::Lost},
        {"closed_lost", true, StageOutcome::Lost},
        {"Dead", true, StageOutcome::Lost},
        {"Disqualified", true, StageOutcome::Lost},
        {"Unqualified", true, StageOutcome::Lost},
        {"Cancelled", true, StageOutcome::Lost},
        {"No decision", true, StageOutcome::Lost},
        {"Closed - No Decision", true, StageOutcome::Lost},
        {"Lost to competitor", true, StageOutcome::Lost},
        {"Prospecting", true, StageOutcome::Open},
        {"Qualification", true, StageOutcome::Open},
        {"Appointment scheduled", true, StageOutcome::Open},
        {"appointmentscheduled", true, StageOutcome::Open},
        {"Qualified to buy", true, StageOutcome::Open},
        {"Decision maker bought-in", true, StageOutcome::Open},
        {"Contract sent", true, StageOutcome::Open},
        {"Negotiation/Review", true, StageOutcome::Open},
        {"Id. Decision Makers", true, StageOutcome::Open},
        {"In progress", true, StageOutcome::Open},
        {"In Progress", true, StageOutcome::Open},
        {"Open", true, StageOutcome::Open},
        {"Lead In", true, StageOutcome::Open},
        {"Stage 3", false, StageOutcome::Open},
        {"Gone quiet", false, StageOutcome::Open},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const StageNameMeaning m = classifyStageName(c.name);
        CHECK(m.known == c.known);
        CHECK(m.outcome == c.outcome);
    }
    CHECK(classifyStageName("Closed").closed);
    CHECK_FALSE(classifyStageName("Closed").known);
    // Common open stages carry their CRM's default probability and pipeline rank.
    CHECK(classifyStageName("Contract sent").probability == doctest::Approx(0.9));
    CHECK(classifyStageName("Prospecting").rank < classifyStageName("Negotiation").rank);
}

TEST_CASE("a deals file with outcomes only in its stage: won / lost / open, win rate, no false hygiene") {
    const Workspace ws = importDeals("tests/data/crm/deals_stage_only.csv");
    const StageTable& st = ws.settings.stages;
    REQUIRE(st.stages.size() == 6); // Won, won, Lost, LOST, In progress, In Progress: each spelling its own stage
    CHECK(st.outcomesFromStages);
    CHECK(st.deals(StageOutcome::Won) == 5);
    CHECK(st.deals(StageOutcome::Lost) == 3);
    CHECK(st.deals(StageOutcome::Open) == 4);
    for (const StageRow& r : st.stages) CHECK(r.source == StageSource::Name);
    // Open stages come first, then won, then lost.
    CHECK(st.stages.front().outcome == StageOutcome::Open);
    CHECK(st.stages.back().outcome == StageOutcome::Lost);
    const WorkspaceSummary s = summarize(ws);
    CHECK(s.opportunities == 12);
    CHECK(s.won == 5);
    CHECK(s.lost == 3);
    CHECK(s.openOpportunities == 4);
    CHECK(s.wonAmount == 4955000); // 12,500 + 4,750 + 3,200 + 1,800 + 27,300 in cents
    CHECK(double(s.won) / double(s.won + s.lost) == doctest::Approx(0.625));
    // Only the one open deal whose close date has passed is "past its close date".
    CHECK(findingCount(ws, "past_close_date") == 1);
    // A choice for one spelling leaves the other spelling's row as it was.
    Workspace w2 = ws;
    StageRow inProgress;
    inProgress.name = "In progress";
    inProgress.outcome = StageOutcome::Won;
    restage(w2, {inProgress}, kAsOf);
    CHECK(summarize(w2).won == 8);
    CHECK(summarize(w2).openOpportunities == 1);
    CHECK(w2.settings.stages.find("In Progress")->outcome == StageOutcome::Open);
}

TEST_CASE("a HubSpot deals export: Closed won / Closed lost, the deal name as its id") {
    const Workspace ws = importDeals("tests/data/crm/hubspot_deals.csv");
    const WorkspaceSummary s = summarize(ws);
    CHECK(s.opportunities == 10);
    CHECK(s.won == 3);
    CHECK(s.lost == 2);
    CHECK(s.openOpportunities == 5);
    CHECK(findingCount(ws, "past_close_date") == 1); // Contract sent, closing 2025-05-15
    const StageTable& st = ws.settings.stages;
    REQUIRE(st.find("contract sent"));
    CHECK(st.find("Contract sent")->probability == doctest::Approx(0.9));
    CHECK(st.find("Appointment scheduled")->order < st.find("Contract sent")->order);
    // With no probability column, each deal takes its stage's.
    CHECK(st.probabilityFromStages);
    const Table& opp = ws.opportunities();
    CHECK(opp.f64(opp.indexOf("probability"), 0) == doctest::Approx(1.0));
    CHECK(opp.f64(opp.indexOf("probability"), 2) == doctest::Approx(0.2));
    CHECK(std::string(opp.str(opp.indexOf("opportunity_id"), 0)) == "Acme Tools - renewal");
    CHECK(std::string(opp.str(opp.indexOf("owner"), 0)) == "Maria Lopez");
}

TEST_CASE("a Pipedrive export: status won / lost / open") {
    const Workspace ws = importDeals("tests/data/crm/pipedrive_deals.csv");
    const WorkspaceSummary s = summarize(ws);
    CHECK(s.won == 2);
    CHECK(s.lost == 2);
    CHECK(s.openOpportunities == 2);
    CHECK(findingCount(ws, "past_close_date") == 0);
}

TEST_CASE("a Pipedrive export with both a pipeline stage and a status: the status decides, headers read past 'Deal - '") {
    // Pipedrive's "Deal - " record prefix; the pipeline stage (Negotiation, ...) beside the status
    // (open / won / lost): a won deal in Negotiation is won.
    const Workspace ws = importDeals("tests/data/crm/pipedrive_deals_stage_status.csv");
    const Table& opp = ws.opportunities();
    for (const char* field : {"opportunity_id", "account_id", "owner", "amount", "stage", "status", "created_date", "close_date"})
        CHECK_MESSAGE(opp.find(field) != nullptr, field);
    const WorkspaceSummary s = summarize(ws);
    CHECK(s.won == 2);
    CHECK(s.lost == 2);
    CHECK(s.openOpportunities == 2);
    CHECK(s.wonAmount == Money(12000'00 + 4750'00));
    CHECK_FALSE(ws.settings.stages.outcomesFromStages);
    const StageRow* nego = ws.settings.stages.find("Negotiation");
    REQUIRE(nego);
    CHECK(nego->count == 2);
    CHECK(findingCount(ws, "past_close_date") == 0);
}

TEST_CASE("booked and signed are won on their own, open beside an open stage's words") {
    for (const char* open : {"Demo booked", "Meeting booked", "Call booked", "Appointment booked", "Demo signed up"}) {
        const StageNameMeaning m = classifyStageName(open);
        CHECK_MESSAGE(m.known, open);
        CHECK_MESSAGE(m.outcome == StageOutcome::Open, open);
    }
    for (const char* won : {"Booked", "Closed Booked", "Signed", "Contract signed"})
        CHECK_MESSAGE(classifyStageName(won).outcome == StageOutcome::Won, won);
}

TEST_CASE("a status column that is really a pipeline stage is read as the stage") {
    Workspace ws;
    ImportOptions opt;
    opt.fileName = "sheet.csv";
    opt.kind = DatasetKind::Opportunities;
    opt.asOf = kAsOf;
    ImportReport rep;
    std::string err;
    REQUIRE(importInto(ws,
                       "Deal,Customer,Status,Value,Close date\n1,A,Demo booked,100,2025-01-01\n2,B,Closed Won,200,2025-01-02\n"
                       "3,C,Closed Lost,300,2025-01-03\n4,D,Demo booked,400,2027-01-01\n",
                       opt, rep, err));
    const WorkspaceSummary s = summarize(ws);
    CHECK(s.won == 1);
    CHECK(s.lost == 1);
    CHECK(ws.settings.stages.find("Demo booked") != nullptr);
}

TEST_CASE("stage names that say nothing: the data decides, the user corrects") {
    // "Signed" by name; "Gone quiet" at probability 0 on every deal; "Talking" has no evidence.
    Workspace ws = importDeals("tests/data/crm/excel_deals_custom_stages.csv");
    const StageTable& st = ws.settings.stages;
    REQUIRE(st.find("Gone quiet"));
    CHECK(st.find("Signed")->outcome == StageOutcome::Won);
    CHECK(st.find("Signed")->source == StageSource::Name);
    CHECK(st.find("Gone quiet")->outcome == StageOutcome::Lost);
    CHECK(st.find("Gone quiet")->source == StageSource::Data);
    CHECK(st.find("Talking")->outcome == StageOutcome::Open);
    CHECK(st.find("Talking")->source == StageSource::Assumed);
    CHECK(st.find("Talking")->probability == doctest::Approx(0.35)); // the mean of 30% and 40%
    CHECK_FALSE(st.probabilityFromStages);
    CHECK(summarize(ws).won == 2);
    CHECK(summarize(ws).lost == 3);
    // The user says "Talking" is lost: outcomes follow, and the choice survives a re-import.
    StageRow talk;
    talk.name = "talking";
    talk.outcome = StageOutcome::Lost;
    CHECK(restage(ws, {talk}, kAsOf) > 0);
    CHECK(ws.settings.stages.find("Talking")->source == StageSource::User);
    CHECK(summarize(ws).lost == 5);
    CHECK(summarize(ws).openOpportunities == 1);
    const Workspace again = importDeals("tests/data/crm/excel_deals_custom_stages.csv", {talk});
    CHECK(summarize(again).lost == 5);
}

TEST_CASE("data rule: every deal with an amount and a past close date, while others close later, is won") {
    const std::string csv = "opportunity_id,stage,amount,close_date\n"
                            "1,Stage A,100,2031-01-01\n2,Stage A,100,2031-02-01\n"
                            "3,Stage Z,500,2025-01-01\n4,Stage Z,700,2025-02-01\n5,Stage Z,900,2025-03-01\n"
                            "6,Closed,10,2025-03-01\n";
    Workspace ws;
    ImportOptions opt;
    opt.kind = DatasetKind::Opportunities;
    opt.fileName = "rule.csv";
    opt.asOf = kAsOf;
    ImportReport rep;
    std::string err;
    REQUIRE(importInto(ws, csv, opt, rep, err));
    const StageTable& st = ws.settings.stages;
    CHECK(st.find("Stage Z")->outcome == StageOutcome::Won);
    CHECK(st.find("Stage Z")->source == StageSource::Data);
    CHECK(st.find("Stage A")->outcome == StageOutcome::Open);
    // "Closed" alone says neither: open until set, with a warning.
    CHECK(st.find("Closed")->outcome == StageOutcome::Open);
    REQUIRE(st.warnings.size() == 1);
    CHECK(st.warnings[0].find("'Closed'") != std::string::npos);
}

TEST_CASE("files with closed / won columns keep them, the table shows what they say") {
    const Workspace ws = importDeals("tests/data/crm/salesforce_Opportunity.csv");
    const StageTable& st = ws.settings.stages;
    CHECK_FALSE(st.outcomesFromStages);
    for (const StageRow& r : st.stages) CHECK(r.source == StageSource::File);
}

TEST_CASE("the stage table: remembered with the mapping, saved in the scenario file, previewed") {
    // Preview: the dialog's table over the sampled rows, with the user's choice in it.
    const std::string bytes = readData("tests/data/crm/excel_deals_custom_stages.csv");
    ImportOptions opt;
    opt.fileName = "excel.csv";
    opt.kind = DatasetKind::Opportunities;
    opt.asOf = kAsOf;
    StageRow talk;
    talk.name = "Talking";
    talk.outcome = StageOutcome::Won;
    talk.probability = 1.0;
    opt.stages = {talk};
    const ImportPreview pv = previewImport(bytes, opt);
    REQUIRE(pv.stages.find("Talking"));
    CHECK(pv.stages.find("Talking")->outcome == StageOutcome::Won);
    CHECK(pv.stages.find("Gone quiet")->count == 3);

    // Remembered mapping: the choice comes back for a file with the same header.
    MappingMemory mem;
    RememberedMapping rm;
    rm.signature = pv.signature;
    rm.kind = DatasetKind::Opportunities;
    rm.stages = {talk};
    mem.remember(rm);
    MappingMemory back;
    std::string err;
    REQUIRE(back.fromJson(mem.toJson(), err));
    REQUIRE(back.entries().size() == 1);
    REQUIRE(back.entries()[0].stages.size() == 1);
    CHECK(back.entries()[0].stages[0].outcome == StageOutcome::Won);
    ImportOptions viaMemory = opt;
    viaMemory.stages.clear();
    viaMemory.memory = &back;
    Workspace ws;
    ImportReport rep;
    REQUIRE(importInto(ws, bytes, viaMemory, rep, err));
    CHECK(ws.settings.stages.find("Talking")->source == StageSource::User);
    CHECK(summarize(ws).won == 4);

    // Scenario file: the table and its outcomes come back.
    SaveOptions so;
    const ScenarioFileLoad loaded = loadScenarioFile(saveScenarioFile(ws, so));
    REQUIRE(loaded.ok);
    const StageTable& st = loaded.ws.settings.stages;
    REQUIRE(st.stages.size() == ws.settings.stages.stages.size());
    CHECK(st.find("Talking")->source == StageSource::User);
    CHECK(st.outcomesFromStages);
    CHECK(summarize(loaded.ws).won == 4);
}

TEST_CASE("--stage choices parse, malformed ones say why") {
    StageRow r;
    std::string err;
    REQUIRE(parseStageChoice("Signed=won", r, err));
    CHECK(r.name == "Signed");
    CHECK(r.outcome == StageOutcome::Won);
    REQUIRE(parseStageChoice("Demo booked = open:40%", r, err));
    CHECK(r.name == "Demo booked");
    CHECK(r.outcome == StageOutcome::Open);
    CHECK(r.probability == doctest::Approx(0.4));
    CHECK_FALSE(parseStageChoice("Signed", r, err));
    CHECK_FALSE(parseStageChoice("Signed=maybe", r, err));
    CHECK(err.find("open, won or lost") != std::string::npos);
    CHECK_FALSE(parseStageChoice("Signed=won:140%", r, err));
}

TEST_CASE("terrane import --json reports the stage table and takes --stage overrides") {
    std::string out;
    REQUIRE(runCli("import " + dataPath("tests/data/crm/excel_deals_custom_stages.csv") + " --as-of 2026-01-15 --json", &out) == 0);
    auto j = nlohmann::json::parse(out);
    REQUIRE(j["stages"].is_array());
    CHECK(j["outcomes_from_stages"] == true);
    bool sawQuiet = false;
    for (const auto& s : j["stages"]) {
        if (s["name"] == "Gone quiet") {
            sawQuiet = true;
            CHECK(s["count"] == 3);
            CHECK(s["outcome"] == "lost");
            CHECK(s["source"] == "data");
            CHECK(s["probability"] == 0.0);
        }
        CHECK(s.contains("order"));
    }
    CHECK(sawQuiet);
    REQUIRE(runCli("import " + dataPath("tests/data/crm/excel_deals_custom_stages.csv") +
                       " --as-of 2026-01-15 --stage 'Talking=won:90%' --json",
                   &out) == 0);
    j = nlohmann::json::parse(out);
    for (const auto& s : j["stages"])
        if (s["name"] == "Talking") {
            CHECK(s["outcome"] == "won");
            CHECK(s["source"] == "user");
        }
    CHECK(runCli("import " + dataPath("tests/data/crm/excel_deals_custom_stages.csv") + " --stage Talking=perhaps --json", &out) == 2);
    // Every command reading opportunities takes them too.
    REQUIRE(runCli("summary --accounts " + dataPath("tests/data/crm/salesforce_Account.csv") + " --opportunities " +
                       dataPath("tests/data/crm/deals_stage_only.csv") + " --json",
                   &out) == 0);
    j = nlohmann::json::parse(out);
    CHECK(j["won_opportunities"] == 5);
    CHECK(j["lost_opportunities"] == 3);
}
