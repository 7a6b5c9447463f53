// Hygiene checks on imported data: counts, affected rows, completeness, merges.
#include "core/import/hygiene.hpp"
#include "core/import/loader.hpp"
#include "core/scenario/sample.hpp"

#include "sample_fixture.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace terrane;

namespace {

std::string readText(const std::string& rel) {
    std::ifstream in(std::string(TERRANE_SOURCE_DIR) + "/" + rel, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Workspace salesforceWorkspace() {
    Workspace ws;
    for (const char* f : {"salesforce_Account.csv", "salesforce_Opportunity.csv", "salesforce_OpportunityHistory.csv"}) {
        ImportOptions opt;
        opt.fileName = f;
        opt.detectKind = true;
        ImportReport rep;
        std::string err;
        REQUIRE(importInto(ws, readText(std::string("tests/data/crm/") + f), opt, rep, err));
    }
    return ws;
}

HygieneOptions asOf(int y, int m, int d) {
    HygieneOptions o;
    o.asOf = daysFromCivil(y, m, d);
    return o;
}

std::vector<std::string> ids(const Workspace& ws, const Finding& f) {
    std::vector<std::string> out;
    const Table& t = ws.table(f.dataset);
    for (std::uint32_t r : f.rows) out.emplace_back(t.str(t.indexOf(idFieldOf(f.dataset)), r));
    return out;
}

} // namespace

TEST_CASE("company names normalise case, punctuation and legal suffixes") {
    CHECK(normalizeCompanyName("Acme Corporation") == normalizeCompanyName("ACME Corp."));
    CHECK(normalizeCompanyName("Harbor Lights Marine Inc.") == "harborlightsmarine");
    CHECK(normalizeCompanyName("United Oil & Gas, Ltd") == "unitedoilandgas");
    CHECK(normalizeCompanyName("The Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale SA") == "societegenerale");
    CHECK(normalizeCompanyName("Inc") == "inc"); // a name that is only a suffix stays
    CHECK(normalizeCompanyName("GTX Pro") == normalizeCompanyName("GTXPro"));
}

TEST_CASE("hygiene on a Salesforce-shaped workspace finds what an analyst would") {
    const Workspace ws = salesforceWorkspace();
    const HygieneReport h = checkHygiene(ws, asOf(2026, 3, 1));
    auto f = [&](const char* id) {
        const Finding* x = h.find(id);
        REQUIRE(x != nullptr);
        return *x;
    };
    CHECK(ids(ws, f("unknown_account")) == std::vector<std::string>{"006A000000PqR6AAK"});
    CHECK(f("unknown_account").accountRows.empty());
    CHECK(ids(ws, f("past_close_date")) == std::vector<std::string>{"006A000000PqR4AAK"});
    CHECK(ids(ws, f("late_stage_no_next_step")) == std::vector<std::string>{"006A000000PqR4AAK", "006A000000PqR7AAK"});
    CHECK(ids(ws, f("late_stage_stale")) == std::vector<std::string>{"006A000000PqR4AAK", "006A000000PqR7AAK"});
    CHECK(ids(ws, f("non_positive_amount")) == std::vector<std::string>{"006A000000PqR4AAK"});
    const Finding dup = f("probable_duplicate_accounts");
    CHECK(ids(ws, dup) == std::vector<std::string>{"001A000001KxQ1AAK", "001A000001KxQ5AAK"});
    CHECK(dup.groups == std::vector<std::uint32_t>{0, 0});
    CHECK(dup.accountRows.size() == 2);
    CHECK(ids(ws, f("no_location")) == std::vector<std::string>{"001A000001KxQ9AAK"});
    CHECK(f("coarse_location").count == 2);
    const Finding stage = f("spelling_opportunities_stage");
    REQUIRE(stage.spellings.size() == 1);
    CHECK(stage.spellings[0].canonical == "Negotiation/Review");
    CHECK(stage.spellings[0].variants == std::vector<std::string>{"negotiation/review"});
    CHECK_FALSE(f("unknown_opportunity_owner").checked); // no reps loaded
    CHECK(f("unknown_history_opportunity").count == 0);
    REQUIRE(h.completeness.size() == 3);
    CHECK(h.completeness[0].kind == DatasetKind::Accounts);
    CHECK(h.completeness[0].fileName == "salesforce_Account.csv");
    CHECK(h.completeness[0].score > 0.5);
    CHECK(h.completeness[0].score < 1.0);
}

TEST_CASE("merging spellings rewrites the cells, records the edit and clears the finding") {
    Workspace ws = salesforceWorkspace();
    const HygieneReport before = checkHygiene(ws, asOf(2026, 3, 1));
    const Finding* stage = before.find("spelling_opportunities_stage");
    REQUIRE(stage);
    REQUIRE(stage->count == 1);
    const std::uint64_t n = mergeSpellings(ws, DatasetKind::Opportunities, "stage", stage->spellings[0].variants, stage->spellings[0].canonical);
    CHECK(n == 1);
    REQUIRE(ws.dataEdits.size() == 1);
    CHECK(ws.dataEdits[0].description.find("negotiation/review") != std::string::npos);
    const HygieneReport after = checkHygiene(ws, asOf(2026, 3, 1));
    CHECK(after.find("spelling_opportunities_stage")->count == 0);
    CHECK_THROWS(mergeSpellings(ws, DatasetKind::Opportunities, "amount", {"1"}, "2"));
}

TEST_CASE("duplicate ids, unknown owners and outliers") {
    Workspace ws;
    std::string acc = "account_id,name,revenue,owner\n";
    for (int i = 0; i < 60; ++i) acc += "A" + std::to_string(i) + ",Co " + std::to_string(i) + "," + std::to_string(1000000 + i * 10000) + ",R1\n";
    acc += "A7,Copy of seven,1000000,R9\nA60,Giant,900000000000,R1\nA61,Tiny,5,\n";
    ImportOptions opt;
    opt.fileName = "acc.csv";
    ImportReport rep;
    std::string err;
    REQUIRE(importInto(ws, acc, opt, rep, err));
    ImportOptions ro;
    ro.kind = DatasetKind::Reps;
    ro.fileName = "reps.csv";
    REQUIRE(importInto(ws, "rep_id,name\nR1,Ann\nR2,Bob\n", ro, rep, err));
    const HygieneReport h = checkHygiene(ws, asOf(2026, 1, 1));
    const Finding* d = h.find("duplicate_ids_accounts");
    REQUIRE(d);
    CHECK(d->count == 2);
    CHECK(d->groups == std::vector<std::uint32_t>{0, 0});
    const Finding* owner = h.find("unknown_account_owner");
    REQUIRE(owner);
    CHECK(owner->count == 1); // R9; the empty owner is not counted
    const Finding* out = h.find("outlier_accounts_revenue");
    REQUIRE(out);
    CHECK(ids(ws, *out) == std::vector<std::string>{"A60", "A61"});
}

TEST_CASE("the sliced hygiene job equals the one-shot checks on the sample workspace") {
    Workspace ws = fixture::sampleWorkspace(3000, 20);
    HygieneOptions o;
    o.asOf = SampleOptions{}.asOf;
    const HygieneReport whole = checkHygiene(ws, o);
    HygieneJob job(ws, o);
    int steps = 0;
    while (!job.step(0.0)) ++steps;
    CHECK(steps > 3);
    const HygieneReport& sliced = job.report();
    REQUIRE(sliced.findings.size() == whole.findings.size());
    for (std::size_t i = 0; i < whole.findings.size(); ++i) {
        CHECK(sliced.findings[i].id == whole.findings[i].id);
        CHECK(sliced.findings[i].rows == whole.findings[i].rows);
    }
    // The generated sample is clean where it should be.
    CHECK(whole.find("duplicate_ids_accounts")->count == 0);
    CHECK(whole.find("unknown_account")->count == 0);
    CHECK(whole.find("no_location")->count == 0);
    CHECK(whole.find("unknown_opportunity_owner")->count == 0);
    const std::string json = hygieneToJson(ws, whole, 3);
    CHECK(json.find("\"completeness\"") != std::string::npos);
}
