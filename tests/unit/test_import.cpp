// CSV import: mapping by alias, kind detection, typing, date orders, reports, rejects, the
// sliced job, nasty files and the `terrane import` command.
#include "core/io/csv.hpp"
#include "core/import/import.hpp"
#include "core/import/loader.hpp"
#include "core/base/rng.hpp"
#include "core/scenario/sample.hpp"
#include "core/base/sha256.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
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

ImportResult importAs(std::string_view csv, DatasetKind kind, bool detect = false, DateOrder order = DateOrder::Auto) {
    ImportOptions opt;
    opt.kind = kind;
    opt.detectKind = detect;
    opt.fileName = "test.csv";
    opt.dateOrder = order;
    return importCsv(csv, opt, nullptr);
}

std::string mapped(const ImportReport& r, std::string_view field) {
    for (const FieldMapping& m : r.mapping)
        if (m.field == field && !m.extra) return m.header;
    return "?";
}

std::string cell(const ImportResult& r, std::string_view column, std::size_t row) {
    const Column* c = r.table.find(column);
    return c ? c->format(row, r.table.pool()) : "<no column>";
}

// Runs `terrane ARGS`, returning the exit status and stdout.
int runCli(const std::string& args, std::string* out = nullptr) {
    const std::string cmd = std::string(TERRANE_CLI) + " " + args + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return -1;
    std::string text;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) text.append(buf, n);
    const int status = pclose(p);
    if (out) *out = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

TEST_CASE("Salesforce, HubSpot and Dynamics exports map with no manual mapping") {
    const ImportResult acc = importAs(readText("tests/data/crm/salesforce_Account.csv"), DatasetKind::Accounts, true);
    REQUIRE(acc.ok);
    CHECK(acc.report.kind == DatasetKind::Accounts);
    CHECK(acc.report.kindDetected);
    CHECK(mapped(acc.report, "account_id") == "Id");
    CHECK(mapped(acc.report, "postcode") == "BillingPostalCode");
    CHECK(mapped(acc.report, "city") == "BillingCity");
    CHECK(mapped(acc.report, "state") == "BillingState");
    CHECK(mapped(acc.report, "country") == "BillingCountry");
    CHECK(mapped(acc.report, "revenue") == "AnnualRevenue");
    CHECK(mapped(acc.report, "employees") == "NumberOfEmployees");
    CHECK(mapped(acc.report, "industry") == "Industry");
    CHECK(mapped(acc.report, "owner") == "OwnerId");
    CHECK(mapped(acc.report, "lat") == "BillingLatitude");
    CHECK(acc.report.rowsRejected == 0);

    const ImportResult opp = importAs(readText("tests/data/crm/salesforce_Opportunity.csv"), DatasetKind::Accounts, true);
    REQUIRE(opp.ok);
    CHECK(opp.report.kind == DatasetKind::Opportunities);
    for (auto [f, h] : {std::pair{"opportunity_id", "Id"}, {"account_id", "AccountId"}, {"owner", "OwnerId"}, {"stage", "StageName"},
                        {"amount", "Amount"}, {"probability", "Probability"}, {"close_date", "CloseDate"}, {"created_date", "CreatedDate"},
                        {"forecast_category", "ForecastCategoryName"}, {"is_closed", "IsClosed"}, {"is_won", "IsWon"},
                        {"last_activity_date", "LastActivityDate"}, {"next_step", "NextStep"}})
        CHECK(mapped(opp.report, f) == h);
    CHECK(cell(opp, "close_date", 0) == "2026-04-30");
    CHECK(cell(opp, "probability", 0) == "0.9"); // Salesforce writes 90 for 90%

    const ImportResult hist = importAs(readText("tests/data/crm/salesforce_OpportunityHistory.csv"), DatasetKind::Accounts, true);
    REQUIRE(hist.ok);
    CHECK(hist.report.kind == DatasetKind::StageHistory);
    CHECK(mapped(hist.report, "opportunity_id") == "OpportunityId");
    CHECK(mapped(hist.report, "stage") == "StageName");
    CHECK(mapped(hist.report, "date") == "CreatedDate");
    CHECK(mapped(hist.report, "amount") == "Amount");
    CHECK(cell(hist, "date", 1) == "2026-02-20");

    const ImportResult hub = importAs(readText("tests/data/crm/hubspot_companies.csv"), DatasetKind::Reps, true);
    REQUIRE(hub.ok);
    CHECK(hub.report.kind == DatasetKind::Accounts);
    for (auto [f, h] : {std::pair{"account_id", "Record ID"}, {"name", "Company name"}, {"postcode", "Postal Code"}, {"city", "City"},
                        {"state", "State/Region"}, {"country", "Country/Region"}, {"revenue", "Annual Revenue"},
                        {"employees", "Number of Employees"}, {"owner", "Company owner"}})
        CHECK(mapped(hub.report, f) == h);
    CHECK(cell(hub, "revenue", 0) == "12500000.00");
    CHECK(cell(hub, "revenue", 1) == "3200000.00");

    const ImportResult dyn = importAs(readText("tests/data/crm/dynamics_accounts.csv"), DatasetKind::Reps, true);
    REQUIRE(dyn.ok);
    CHECK(dyn.report.kind == DatasetKind::Accounts);
    CHECK(mapped(dyn.report, "account_id") == "(Do Not Modify) Account");
    CHECK(mapped(dyn.report, "postcode") == "Address 1: ZIP/Postal Code");
    CHECK(mapped(dyn.report, "country") == "Address 1: Country/Region");
}

TEST_CASE("the shared Salesforce sample org imports with no manual mapping (when present)") {
    const std::string dir = "/work/shared/data/salesforce-sample-org";
    if (!std::filesystem::exists(dir + "/Account.csv")) return; // not in every checkout; the fixtures above cover the shape
    auto load = [&](const char* f) {
        std::ifstream in(dir + "/" + f, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        return importAs(ss.str(), DatasetKind::Reps, true);
    };
    const ImportResult a = load("Account.csv"), o = load("Opportunity.csv"), h = load("OpportunityHistory.csv");
    REQUIRE(a.ok);
    REQUIRE(o.ok);
    REQUIRE(h.ok);
    CHECK(a.report.kind == DatasetKind::Accounts);
    CHECK(o.report.kind == DatasetKind::Opportunities);
    CHECK(h.report.kind == DatasetKind::StageHistory);
    CHECK(a.report.rowsRejected + o.report.rowsRejected + h.report.rowsRejected == 0);
    CHECK(a.report.geocode.counts[static_cast<int>(GeoPrecision::None)] <= 2);
}

TEST_CASE("kind detection is confident only when the header clearly says so") {
    auto guess = [](std::vector<std::string> h) { return guessKinds(h); };
    auto g = guess({"Id", "Name", "BillingCity", "BillingState", "AnnualRevenue", "NumberOfEmployees"});
    CHECK(g[0].kind == DatasetKind::Accounts);
    CHECK(kindGuessConfident(g));
    g = guess({"rep_id", "name", "role", "manager", "start_date", "capacity"});
    CHECK(g[0].kind == DatasetKind::Reps);
    CHECK(kindGuessConfident(g));
    g = guess({"territory_id", "name", "level", "parent_id"});
    CHECK(g[0].kind == DatasetKind::Territories);
    CHECK(kindGuessConfident(g));
    g = guess({"rep_id", "booking_date", "amount"});
    CHECK(g[0].kind == DatasetKind::Bookings);
    g = guess({"Id", "AccountId", "LastName", "FirstName", "Email", "Phone"}); // a Contact export
    CHECK_FALSE(kindGuessConfident(g));
    g = guess({"foo", "bar"});
    CHECK_FALSE(kindGuessConfident(g));
}

TEST_CASE("values: currencies, separators, negatives, percentages, magnitudes, null spellings") {
    const std::string csv = "account_id,revenue,employees,workload,locked\n"
                            "A1,\"$1,250.50\",\"1,200\",12%,yes\n"
                            "A2,\"(1,234.50)\",1.5k,\"1,5\",N\n"
                            "A3,\"\xE2\x82\xAC" "2.500,75\",2M,0.25,checked\n"
                            "A4,GBP 12,N/A,-,\n"
                            "A5,1.5k,#N/A,null,TRUE\n";
    const ImportResult r = importAs(csv, DatasetKind::Accounts);
    REQUIRE(r.ok);
    CHECK(r.report.rowsRejected == 0);
    CHECK(cell(r, "revenue", 0) == "1250.50");
    CHECK(cell(r, "revenue", 1) == "-1234.50");
    CHECK(cell(r, "revenue", 2) == "2500.75");
    CHECK(cell(r, "revenue", 3) == "12.00");
    CHECK(cell(r, "revenue", 4) == "1500.00");
    CHECK(cell(r, "employees", 0) == "1200");
    CHECK(cell(r, "employees", 1) == "1500");
    CHECK(cell(r, "employees", 2) == "2000000");
    CHECK(cell(r, "employees", 3).empty());
    CHECK(cell(r, "workload", 0) == "0.12");
    CHECK(cell(r, "workload", 1) == "1.5");
    CHECK(cell(r, "workload", 3).empty());
    CHECK(cell(r, "locked", 0) == "true");
    CHECK(cell(r, "locked", 1) == "false");
    CHECK(cell(r, "locked", 3).empty());
}

TEST_CASE("date order is decided per column from the data - ambiguous columns follow the setting and are flagged") {
    const std::string csv = "opportunity_id,created_date,close_date,last_activity_date\n"
                            "O1,25/03/2025,03/04/2025,2025-03-01\n"
                            "O2,01/04/2025,03/25/2025,2025-03-02\n"
                            "O3,02/05/2025,04/05/2025,45000\n";
    ImportOptions opt;
    opt.kind = DatasetKind::Opportunities;
    opt.fileName = "dates.csv";
    ImportResult r = importCsv(csv, opt, nullptr);
    REQUIRE(r.ok);
    CHECK(cell(r, "created_date", 0) == "2025-03-25"); // 25 > 12: day first, so the whole column is DMY
    CHECK(cell(r, "created_date", 1) == "2025-04-01");
    CHECK(cell(r, "close_date", 0) == "2025-03-04"); // 25 in the second place: month first
    CHECK(cell(r, "close_date", 2) == "2025-04-05");
    CHECK(cell(r, "last_activity_date", 2) == "2023-03-15"); // Excel serial
    auto profile = [&](const ImportResult& x, std::string_view h) {
        for (const ColumnProfile& p : x.report.columns)
            if (p.header == h) return p;
        return ColumnProfile{};
    };
    CHECK(profile(r, "created_date").dateOrder == DateOrder::DMY);
    CHECK(profile(r, "close_date").dateOrder == DateOrder::MDY);
    CHECK_FALSE(profile(r, "close_date").dateOrderAmbiguous);

    const std::string amb = "opportunity_id,close_date\nO1,03/04/2025\nO2,05/06/2025\n";
    opt.ambiguousDateOrder = DateOrder::DMY;
    r = importCsv(amb, opt, nullptr);
    REQUIRE(r.ok);
    CHECK(cell(r, "close_date", 0) == "2025-04-03");
    CHECK(profile(r, "close_date").dateOrderAmbiguous);
    CHECK_FALSE(r.report.warnings.empty());
    opt.ambiguousDateOrder = DateOrder::MDY;
    r = importCsv(amb, opt, nullptr);
    CHECK(cell(r, "close_date", 0) == "2025-03-04");
    opt.dateOrder = DateOrder::DMY; // forced order wins
    r = importCsv(amb, opt, nullptr);
    CHECK(cell(r, "close_date", 0) == "2025-04-03");
    CHECK_FALSE(profile(r, "close_date").dateOrderAmbiguous);
}

TEST_CASE("a column mixing day-first and month-first dates keeps the majority and rejects the rest with the line") {
    const std::string csv = "opportunity_id,close_date,amount\n"
                            "O1,25/03/2025,1\nO2,26/03/2025,2\nO3,03/27/2025,3\nO4,01/02/2025,4\nO5,31/02/2025,5\n";
    const ImportResult r = importAs(csv, DatasetKind::Opportunities);
    REQUIRE(r.ok);
    CHECK(r.report.rowsRead == 5);
    CHECK(r.report.rowsAccepted == 3);
    CHECK(r.report.rowsRejected == 2);
    REQUIRE(r.report.rejects.size() == 2);
    CHECK(r.report.rejects[0].line == 4);
    CHECK(r.report.rejects[0].column == "close_date");
    CHECK(r.report.rejects[1].line == 6); // 31 February
    CHECK(cell(r, "amount", 2) == "4.00");
    CHECK(cell(r, "close_date", 2) == "2025-02-01");
    CHECK(r.table.rowOf("O4").value() == 2);
    const std::string rej = rejectsToCsv(r.report);
    CHECK(rej.find("O3,03/27/2025,3,4,") != std::string::npos);
}

TEST_CASE("the report records the source, counts, failed samples, and rejects export with a reason") {
    const std::string csv = "account_id,name,potential,employees\nA1,Acme,100,3\nA2,Beta,oops,4\nA3,Gamma,n.a.,5\n,NoId,1,1\nA5,\"Quote, Inc\",7,x\n";
    const ImportResult r = importAs(csv, DatasetKind::Accounts);
    REQUIRE(r.ok);
    CHECK(r.report.fileName == "test.csv");
    CHECK(r.report.bytes == csv.size());
    CHECK(r.report.sha256 == sha256Hex(csv));
    CHECK(r.report.rowsRead == 5);
    CHECK(r.report.rowsAccepted == 1);
    CHECK(r.report.rowsRejected == 4);
    const ColumnProfile& pot = r.report.columns[2];
    CHECK(pot.failures == 2);
    CHECK(pot.failSamples == std::vector<std::string>{"oops", "n.a."});
    const std::string rej = rejectsToCsv(r.report);
    const auto rows = parseCsv(rej);
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].back() == "_reason");
    CHECK(rows[1][2] == "oops");
    CHECK(rows[1][4] == "3"); // _line
    CHECK(rows[1][5].find("potential") != std::string::npos);
    CHECK(rows[3][5].find("required") != std::string::npos);
    CHECK(rows[4][1] == "Quote, Inc");
}

TEST_CASE("explicit and remembered mappings - mapping memory round-trips through JSON") {
    const std::string csv = "Kunde,Firma,Stadt\nK1,Alpha,Berlin\n";
    ImportOptions opt;
    opt.kind = DatasetKind::Accounts;
    opt.fileName = "de.csv";
    CHECK_FALSE(importCsv(csv, opt, nullptr).ok); // no id column recognised
    opt.mapping = {{"account_id", "Kunde"}, {"name", "Firma"}, {"city", "Stadt"}};
    ImportResult r = importCsv(csv, opt, nullptr);
    REQUIRE(r.ok);
    CHECK(cell(r, "city", 0) == "Berlin");

    MappingMemory mem;
    RememberedMapping rm;
    rm.signature = headerSignature(r.report.header);
    rm.kind = DatasetKind::Accounts;
    rm.fields = opt.mapping;
    mem.remember(rm);
    MappingMemory back;
    std::string err;
    REQUIRE(back.fromJson(mem.toJson(), err));
    REQUIRE(back.entries().size() == 1);
    CHECK(back.entries()[0].fields == rm.fields);
    CHECK_FALSE(back.fromJson("{\"mappings\": 3}", err));
    CHECK(back.entries().size() == 1); // unchanged on error

    ImportOptions again;
    again.fileName = "de2.csv";
    again.detectKind = true;
    again.memory = &back;
    r = importCsv("kunde,firma,stadt\nK9,Omega,Hamburg\n", again, nullptr); // same signature after normalisation
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.report.rememberedMapping);
    CHECK(cell(r, "name", 0) == "Omega");

    opt.mapping = {{"account_id", "Nope"}};
    CHECK(importCsv(csv, opt, nullptr).error.find("Nope") != std::string::npos);
    opt.mapping = {{"colour", "Kunde"}};
    CHECK(importCsv(csv, opt, nullptr).error.find("colour") != std::string::npos);
}

TEST_CASE("the sliced job gives the same table as one run, for any budget (property)") {
    std::string csv = "account_id,name,revenue,close,city\n";
    Rng rng(5);
    for (int i = 0; i < 3000; ++i)
        csv += "A" + std::to_string(i) + ",Name " + std::to_string(rng.below(500)) + "," + std::to_string(rng.below(100000)) + ".5," +
               (rng.chance(0.02) ? "bad" : "12") + ",City" + std::to_string(rng.below(40)) + "\n";
    const ImportResult whole = importAs(csv, DatasetKind::Accounts);
    for (int trial = 0; trial < 4; ++trial) {
        ImportOptions opt;
        opt.fileName = "test.csv";
        ImportJob job(csv, opt, nullptr);
        int steps = 0;
        while (!job.step(0.01 * trial)) ++steps;
        const ImportResult& r = job.result();
        REQUIRE(r.ok);
        CHECK(r.report.rowsAccepted == whole.report.rowsAccepted);
        CHECK(r.report.rowsRejected == whole.report.rowsRejected);
        CHECK(tableToCsv(r.table, DatasetKind::Accounts) == tableToCsv(whole.table, DatasetKind::Accounts));
        CHECK(job.progress() == 1.0);
    }
}

TEST_CASE("a cancelled or unreadable import leaves the workspace exactly as it was") {
    Workspace ws;
    ImportOptions opt;
    opt.fileName = "a.csv";
    ImportReport rep;
    std::string err;
    REQUIRE(importInto(ws, "account_id,name\nA1,One\n", opt, rep, err));
    REQUIRE(ws.accounts().rows() == 1);
    for (const char* bad : {"", "\n\n", "PK\x03\x04junk", "city,state\nx,y\n"}) {
        CHECK_FALSE(importInto(ws, bad, opt, rep, err));
        CHECK_FALSE(err.empty());
        CHECK(ws.accounts().rows() == 1);
        CHECK(ws.sources.size() == 1);
        CHECK(ws.sources[0].name == "a.csv");
    }
    ImportJob job(std::string("account_id\nB1\nB2\n"), opt, ws.pool);
    job.cancel();
    CHECK(job.step(10));
    CHECK_FALSE(job.result().ok);
    CHECK(ws.accounts().str(ws.accounts().indexOf("account_id"), 0) == "A1");
}

TEST_CASE("nasty files import or fail with a specific message, never crash") {
    const std::string dir = std::string(TERRANE_SOURCE_DIR) + "/tests/data/nasty";
    std::size_t seen = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (!e.is_regular_file() || e.path().extension() == ".md") continue;
        ++seen;
        std::ifstream in(e.path(), std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        const std::string bytes = ss.str();
        for (DatasetKind k : {DatasetKind::Accounts, DatasetKind::Opportunities}) {
            ImportOptions opt;
            opt.kind = k;
            opt.fileName = e.path().filename().string();
            const ImportResult r = importCsv(bytes, opt, nullptr);
            INFO(opt.fileName);
            if (r.ok) {
                CHECK(r.report.rowsRead == r.report.rowsAccepted + r.report.rowsRejected);
                CHECK(r.table.rows() == r.report.rowsAccepted);
                CHECK(r.report.rejects.size() == r.report.rowsRejected);
            } else {
                CHECK(r.error.find(opt.fileName) == 0);
            }
        }
    }
    CHECK(seen >= 15);
}

TEST_CASE("specific nasty files: what they give") {
    auto load = [](const char* f, DatasetKind k = DatasetKind::Accounts) {
        ImportOptions opt;
        opt.kind = k;
        opt.fileName = f;
        return importCsv(readText(std::string("tests/data/nasty/") + f), opt, nullptr);
    };
    CHECK(load("empty.csv").error.find("empty") != std::string::npos);
    CHECK(load("binary_junk.bin").error.find("CSV") != std::string::npos);
    CHECK(load("xlsx_saved_as_csv.csv").error.find("Excel") != std::string::npos);
    const ImportResult header = load("header_only.csv");
    REQUIRE(header.ok);
    CHECK(header.report.rowsRead == 0);
    const ImportResult quote = load("unterminated_quote.csv");
    REQUIRE(quote.ok);
    CHECK(quote.report.rowsAccepted == 1);
    CHECK(quote.report.rowsRejected == 1);
    CHECK(quote.report.rejects[0].expected.find("closing quote") != std::string::npos);
    const ImportResult ragged = load("ragged_rows.csv");
    REQUIRE(ragged.ok);
    CHECK(ragged.report.rowsAccepted == 4);
    CHECK(ragged.report.rejects[0].line == 4);
    for (const char* f : {"utf16le_bom.csv", "utf16be_nobom.csv", "windows1252.csv"}) {
        const ImportResult r = load(f);
        INFO(f);
        REQUIRE(r.ok);
        CHECK(r.report.rowsAccepted == 3);
        CHECK(cell(r, "name", 0) == "Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale");
        CHECK(cell(r, "revenue", 0) == "1234.50");
        CHECK(cell(r, "country", 1) == "Switzerland");
    }
    CHECK(load("utf16le_bom.csv").report.encoding == "utf-16le");
    CHECK(load("utf16be_nobom.csv").report.encoding == "utf-16be");
    CHECK(load("windows1252.csv").report.encoding == "windows-1252");
    const ImportResult mixed = load("mixed_encodings.csv");
    CHECK(mixed.report.encoding == "utf-8+windows-1252");
    CHECK(cell(mixed, "name", 0) == "Caf\xC3\xA9 M\xC3\xBCller");
    CHECK(cell(mixed, "name", 1) == "Caf\xC3\xA9 de Flore");
    CHECK(cell(mixed, "name", 2) == "\xE2\x80\x9CQuoted\xE2\x80\x9D \xE2\x82\xAC Ltd");
    ImportOptions eu;
    eu.fileName = "eu.csv";
    eu.mapping = {{"account_id", "Kontonummer"}, {"name", "Firmenname"}, {"postcode", "PLZ"}, {"city", "Ort"}, {"country", "Land"},
                  {"revenue", "Umsatz"}, {"employees", "Mitarbeiter"}};
    const ImportResult de = importCsv(readText("tests/data/nasty/semicolon_eu_decimals.csv"), eu, nullptr);
    REQUIRE(de.ok);
    CHECK(de.report.delimiter == ';');
    CHECK(cell(de, "revenue", 0) == "1234567.89");
    CHECK(cell(de, "revenue", 1) == "-2500.00");
    CHECK(cell(de, "revenue", 2) == "12500.00");
    CHECK(cell(de, "employees", 0) == "1200");
    const ImportResult quoted = load("utf8_bom_crlf_quoted_newlines.csv");
    REQUIRE(quoted.ok);
    CHECK(cell(quoted, "name", 0) == "Acme \"Rockets\"");
    CHECK(cell(quoted, "notes", 0) == "line one\r\nline two");
    CHECK(quoted.report.rejects.empty());
    CHECK(load("tab_delimited.tsv").report.delimiter == '\t');
    CHECK(load("pipe_delimited.csv").report.delimiter == '|');
    CHECK(load("lone_cr_line_ends.csv").report.rowsAccepted == 2);
}

TEST_CASE("a 10 MB single field is read whole") {
    std::string csv = "account_id,name\nA1,\"";
    csv.append(10u << 20, 'x');
    csv += "\"\nA2,short\n";
    const ImportResult r = importAs(csv, DatasetKind::Accounts);
    REQUIRE(r.ok);
    CHECK(r.report.rowsAccepted == 2);
    CHECK(r.table.str(r.table.indexOf("name"), 0).size() == (10u << 20));
    const ImportResult open = importAs(csv.substr(0, csv.size() - 11), DatasetKind::Accounts);
    REQUIRE(open.ok);
    CHECK(open.report.rowsRejected == 1); // the quote never closes
}

TEST_CASE("previewImport proposes kind, mapping, detected types and failing samples from the start of the file") {
    const std::string csv = "Id,Name,AnnualRevenue,NumberOfEmployees,BillingCity,BillingState,CreatedDate\n"
                            "1,A,\"$1,000\",12,Austin,TX,2025-01-02\n2,B,lots,13,Boston,MA,2025-02-03\n";
    ImportOptions opt;
    opt.fileName = "p.csv";
    opt.detectKind = true;
    const ImportPreview pv = previewImport(csv, opt);
    REQUIRE(pv.ok);
    CHECK(pv.kind == DatasetKind::Accounts);
    CHECK(pv.rows.size() == 2);
    CHECK(pv.columns[2].failures == 1);
    CHECK(pv.columns[2].failSamples == std::vector<std::string>{"lots"});
    CHECK(pv.columns[3].detected == ColumnType::I64);
    CHECK(pv.columns[6].detected == ColumnType::Date);
    CHECK(pv.columns[4].detected == ColumnType::String);
    opt.detectKind = false;
    opt.kind = DatasetKind::StageHistory;
    const ImportPreview bad = previewImport(csv, opt);
    CHECK(bad.readable);
    CHECK_FALSE(bad.ok);
    CHECK(bad.error.find("opportunity_id") != std::string::npos);
}

TEST_CASE("terrane import: JSON report, rejects file, exit codes") {
    const std::string src = TERRANE_SOURCE_DIR;
    const std::string dir = (std::filesystem::temp_directory_path() / "terrane-import-test").string();
    std::filesystem::create_directories(dir);
    std::string out;
    CHECK(runCli("import " + src + "/tests/data/crm/messy_accounts.csv --rejects " + dir + "/rej.csv --as-of 2026-03-01 --json", &out) == 0);
    CHECK(out.find("\"rows_read\":11") != std::string::npos);
    CHECK(out.find("\"rows_rejected\":3") != std::string::npos);
    CHECK(out.find("\"encoding\":\"utf-8-bom\"") != std::string::npos);
    CHECK(out.find("\"delimiter\":\";\"") != std::string::npos);
    CHECK(out.find("\"probable_duplicate_accounts\"") != std::string::npos);
    std::ifstream rej(dir + "/rej.csv");
    std::ostringstream ss;
    ss << rej.rdbuf();
    CHECK(ss.str().find("_reason") != std::string::npos);
    CHECK(ss.str().find("oops") != std::string::npos);
    CHECK(runCli("import " + src + "/tests/data/nasty/binary_junk.bin --kind accounts --json") == 1);
    CHECK(runCli("import " + dir + "/does-not-exist.csv --kind accounts") == 1);
    CHECK(runCli("import " + src + "/tests/data/crm/messy_accounts.csv --kind planets") == 2);
    CHECK(runCli("import " + src + "/tests/data/crm/messy_accounts.csv --map nonsense") == 2);
    CHECK(runCli("import") == 2);
    {
        std::ofstream unclear(dir + "/unclear.csv");
        unclear << "foo,bar\n1,2\n";
    }
    CHECK(runCli("import " + dir + "/unclear.csv") == 2); // readable, but the kind cannot be told
    CHECK(runCli("import " + src + "/tests/data/crm/salesforce_Opportunity.csv --json", &out) == 0);
    CHECK(out.find("\"kind\":\"opportunities\"") != std::string::npos);
    CHECK(out.find("\"kind_detected\":true") != std::string::npos);
}
