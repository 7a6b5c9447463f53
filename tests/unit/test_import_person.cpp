// Mapping that reads like a person: headers no CRM vendor wrote, one column feeding two fields,
// fields matched by their values, the project's own headers always accepted, money in thousands
// or millions, warnings for fields the analyses need, and a delimiter the user chose.
#include "core/import/import.hpp"
#include "core/import/loader.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace terrane;

namespace {

std::string readData(const std::string& rel) {
    std::ifstream in(std::string(TERRANE_SOURCE_DIR) + "/" + rel, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string mappedTo(const std::vector<FieldMapping>& mapping, std::string_view field) {
    for (const FieldMapping& m : mapping)
        if (!m.extra && m.field == field) return m.sourceColumn >= 0 ? m.header : "";
    return "?";
}

std::string sourceOf(const std::vector<FieldMapping>& mapping, std::string_view field) {
    for (const FieldMapping& m : mapping)
        if (!m.extra && m.field == field) return m.source;
    return "?";
}

ImportResult run(std::string_view csv, DatasetKind kind, bool detect, std::vector<std::pair<std::string, double>> mult = {}) {
    ImportOptions opt;
    opt.kind = kind;
    opt.detectKind = detect;
    opt.fileName = "person.csv";
    opt.multipliers = std::move(mult);
    return importCsv(csv, opt, nullptr);
}

int runCli(const std::string& args, std::string* out = nullptr, std::string* err = nullptr) {
    const std::string errFile = "/tmp/terrane_test_person_stderr_" + std::to_string(::getpid()) + ".txt";
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

std::string tempFile(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / ("terrane-person-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

} // namespace

TEST_CASE("headers people write: salesperson, deal value, engaged on, office location") {
    const auto m = matchHeader(DatasetKind::Opportunities, {"Deal ID", "Customer", "Salesperson", "Stage", "Deal value", "Engaged on", "Close date"});
    const auto fields = fieldsOf(DatasetKind::Opportunities);
    auto at = [&](std::string_view f) {
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (fields[i].name == f) return m[i];
        return -2;
    };
    CHECK(at("opportunity_id") == 0);
    CHECK(at("account_id") == 1);
    CHECK(at("owner") == 2);
    CHECK(at("amount") == 4);
    CHECK(at("created_date") == 5);
    CHECK(at("close_date") == 6);
    for (const char* owner : {"Sales agent", "Rep", "AE", "Account Executive"}) {
        CAPTURE(owner);
        const auto r = matchHeader(DatasetKind::Opportunities, {"Deal ID", owner});
        CHECK(r[3] == 1); // owner
    }
    for (const char* amount : {"Value", "Close value", "Deal Value"}) {
        CAPTURE(amount);
        CHECK(matchHeader(DatasetKind::Opportunities, {"Deal ID", amount})[5] == 1);
    }
    for (const char* created : {"Engaged", "Opened", "Start date", "Engaged on"}) {
        CAPTURE(created);
        CHECK(matchHeader(DatasetKind::Opportunities, {"Deal ID", created})[9] == 1);
    }
    for (const char* country : {"Office location", "Location", "HQ"}) {
        CAPTURE(country);
        CHECK(matchHeader(DatasetKind::Accounts, {"Account ID", country})[7] == 1);
    }
}

TEST_CASE("an account-name column is the id and the name when there is no id column") {
    const ImportResult r = run(readData("tests/data/crm/excel_accounts_millions.csv"), DatasetKind::Accounts, true);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.report.kind == DatasetKind::Accounts);
    CHECK(mappedTo(r.report.mapping, "account_id") == "Company");
    CHECK(mappedTo(r.report.mapping, "name") == "Company");
    CHECK(mappedTo(r.report.mapping, "country") == "Office location");
    CHECK(mappedTo(r.report.mapping, "owner") == "Salesperson");
    CHECK(r.table.rows() == 6);
    const int id = r.table.indexOf("account_id"), name = r.table.indexOf("name");
    CHECK(r.table.str(id, 0) == "Acme Tools");
    CHECK(r.table.str(name, 0) == "Acme Tools");
}

TEST_CASE("the project's own headers are always accepted: account_id,name,postcode") {
    const auto g = guessKinds({"account_id", "name", "postcode"});
    CHECK(g[0].kind == DatasetKind::Accounts);
    CHECK(kindGuessConfident(g));
    const std::string path = tempFile("canonical.csv", "account_id,name,postcode\nA1,Acme,78701\nA2,Birch,10115\n");
    std::string out;
    REQUIRE(runCli("import '" + path + "' --json", &out) == 0);
    const auto j = nlohmann::json::parse(out);
    CHECK(j["kind"] == "accounts");
    CHECK(j["rows_accepted"] == 2);
    // Other kinds' canonical headers too.
    CHECK(kindGuessConfident(guessKinds({"opportunity_id", "account_id", "stage", "amount", "close_date"})));
}

TEST_CASE("values decide where the header does not: an id unique per row, created and close dates, the amount") {
    const std::string csv = "Ref,Who,When,Closing,Worth,Phase\n"
                            "Q-1,Ann,2025-01-02,2025-03-01,\"$1,200\",Won\n"
                            "Q-2,Ann,2025-01-20,2025-04-11,$800,Lost\n"
                            "Q-3,Bob,2025-02-03,2025-06-30,\"$2,400\",Proposal\n"
                            "Q-4,Bob,2025-02-14,2025-07-15,$450,Proposal\n";
    const ImportResult r = run(csv, DatasetKind::Opportunities, false);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(mappedTo(r.report.mapping, "opportunity_id") == "Ref");
    CHECK(sourceOf(r.report.mapping, "opportunity_id") == "values");
    CHECK(mappedTo(r.report.mapping, "created_date") == "When");
    CHECK(mappedTo(r.report.mapping, "close_date") == "Closing");
    CHECK(mappedTo(r.report.mapping, "amount") == "Worth");
    CHECK(mappedTo(r.report.mapping, "stage") == "Phase");
    // "Who" says nothing and is kept as an extra column: the owner warning says so.
    bool ownerWarning = false;
    for (const std::string& w : r.report.warnings) ownerWarning |= w.find("owner") != std::string::npos;
    CHECK(ownerWarning);
    // Swapped columns: the earlier dates are still the created date.
    const std::string swapped = "Ref,Closing,When,Worth\nQ-1,2025-03-01,2025-01-02,$5\nQ-2,2025-04-11,2025-01-20,$6\n";
    const ImportResult s = run(swapped, DatasetKind::Opportunities, false);
    REQUIRE(s.ok);
    CHECK(mappedTo(s.report.mapping, "created_date") == "When");
    CHECK(mappedTo(s.report.mapping, "close_date") == "Closing");
    // Accounts: country names and postcodes by value.
    const std::string acc = "Key,Where,Code\nK1,France,75001\nK2,United States,78701\nK3,Germany,10115\nK4,Untied Kingdom,60601\nK5,Spain,28001\n";
    const ImportResult a = run(acc, DatasetKind::Accounts, false);
    REQUIRE(a.ok);
    CHECK(mappedTo(a.report.mapping, "account_id") == "Key");
    CHECK(mappedTo(a.report.mapping, "country") == "Where");
    CHECK(mappedTo(a.report.mapping, "postcode") == "Code");
}

TEST_CASE("money in thousands or millions: a unit suggestion and an exact multiplier") {
    const std::string bytes = readData("tests/data/crm/excel_accounts_millions.csv");
    ImportOptions opt;
    opt.kind = DatasetKind::Accounts;
    opt.fileName = "m.csv";
    const ImportPreview pv = previewImport(bytes, opt);
    REQUIRE(pv.ok);
    CHECK(pv.columns[2].header == "Revenue");
    CHECK(pv.columns[2].suggestedMultiplier == 1e6);
    bool warned = false;
    for (const std::string& w : pv.warnings) warned |= w.find("millions") != std::string::npos;
    CHECK(warned);
    const ImportResult r = run(bytes, DatasetKind::Accounts, false, {{"revenue", 1e6}});
    REQUIRE(r.ok);
    const int rev = r.table.indexOf("revenue");
    CHECK(r.table.i64(rev, 0) == std::int64_t{1250500000} * 100); // 1,250.5 million, in cents
    CHECK(r.report.columns[2].multiplier == 1e6);
    CHECK(r.report.columns[2].suggestedMultiplier == 0); // applied: no longer suggested
    // A header that says so.
    const ImportResult k = run("account_id,ARR (000s)\nA1,12.5\n", DatasetKind::Accounts, false);
    REQUIRE(k.ok);
    CHECK(k.report.columns[1].suggestedMultiplier == 1e3);
    // A multiplier for a field that is not a number says so.
    CHECK_FALSE(run("account_id,name\nA1,x\n", DatasetKind::Accounts, false, {{"name", 10}}).ok);
    std::string out;
    REQUIRE(runCli("import '" + std::string(TERRANE_SOURCE_DIR) + "/tests/data/crm/excel_accounts_millions.csv' --multiply revenue=1M --json", &out) == 0);
    const auto j = nlohmann::json::parse(out);
    for (const auto& f : j["mapping"])
        if (f["field"] == "revenue") CHECK(f["multiplier"] == 1e6);
    CHECK(runCli("import '" + std::string(TERRANE_SOURCE_DIR) + "/tests/data/crm/excel_accounts_millions.csv' --multiply revenue") == 2);
}

TEST_CASE("terrane import warns when amount, owner or created date of opportunities is unmapped") {
    const std::string path = tempFile("bare_deals.csv", "opportunity_id,stage,close_date\nO1,Won,2025-01-01\nO2,Open,2031-01-01\n");
    std::string out, err;
    REQUIRE(runCli("import '" + path + "' --kind opportunities --json", &out, &err) == 0);
    const auto j = nlohmann::json::parse(out);
    int needs = 0;
    for (const auto& w : j["warnings"]) {
        const std::string s = w;
        needs += s.find("amount") != std::string::npos || s.find("owner") != std::string::npos || s.find("created_date") != std::string::npos;
    }
    CHECK(needs == 3);
    CHECK(err.find("warning: no column is mapped to amount") != std::string::npos);
    // A full file: no such warning.
    REQUIRE(runCli("import '" + std::string(TERRANE_SOURCE_DIR) + "/tests/data/crm/deals_stage_only.csv' --json", &out, &err) == 0);
    CHECK(err.find("no column is mapped") == std::string::npos);
}

TEST_CASE("a delimiter the sniffer got wrong can be overridden") {
    // Commas inside unquoted text outnumber the semicolons that separate the columns.
    const std::string text = "account_id;name;notes\nA1;Acme, Inc.;big, old, loyal, happy\nA2;Birch, Ltd.;new, small, keen, fast\n";
    ImportOptions opt;
    opt.kind = DatasetKind::Accounts;
    opt.fileName = "d.csv";
    opt.delimiter = ';';
    const ImportPreview pv = previewImport(text, opt);
    REQUIRE(pv.ok);
    CHECK(pv.header.size() == 3);
    CHECK(pv.delimiter == ';');
    const std::string path = tempFile("semi.csv", text);
    std::string out;
    REQUIRE(runCli("import '" + path + "' --kind accounts --delimiter semicolon --json", &out) == 0);
    auto j = nlohmann::json::parse(out);
    CHECK(j["delimiter_name"] == "semicolon");
    CHECK(j["rows_accepted"] == 2);
    REQUIRE(runCli("import '" + path + "' --kind accounts --delimiter ';' --json", &out) == 0);
    CHECK(runCli("import '" + path + "' --kind accounts --delimiter colon") == 2);
}
