// Whole export folders: CRM files Terrane does not plan with recognised and skipped, products as
// a dataset of their own (kind, hygiene, merge), importing into data already there by mode, the
// findings as CSV, and the same through `terrane import`.
#include "core/import/hygiene.hpp"
#include "core/import/import.hpp"
#include "core/import/loader.hpp"
#include "core/import/merge.hpp"
#include "core/import/other_kinds.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace terrane;

namespace {

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> headerOf(const std::string& path) {
    ImportOptions o;
    o.detectKind = true;
    return previewImport(readText(path), o, 5, 0).header;
}

std::string crm(const char* f) { return std::string(TERRANE_SOURCE_DIR) + "/tests/data/crm/" + f; }

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

ImportResult importAs(std::string_view csv, DatasetKind kind, std::shared_ptr<StringPool> pool = nullptr) {
    ImportOptions opt;
    opt.kind = kind;
    opt.fileName = "test.csv";
    opt.geocode = false;
    return importCsv(csv, opt, std::move(pool));
}

std::string cell(const Table& t, std::string_view column, std::size_t row) {
    const Column* c = t.find(column);
    return c ? c->format(row, t.pool()) : "<no column>";
}

const char* kShared = "/work/shared/data/salesforce-sample-org";

} // namespace

TEST_CASE("contacts, leads, users, cases, activities, campaigns and summary reports are recognised from the header") {
    struct Case {
        std::vector<std::string> header;
        const char* kind;
    };
    const Case cases[] = {
        // Salesforce Contact and Lead (the sample org's headers)
        {{"Id", "IsDeleted", "AccountId", "LastName", "FirstName", "Phone", "MobilePhone", "Email", "Title", "Department", "LeadSource", "Name"}, "contacts"},
        {{"Id", "IsDeleted", "LastName", "FirstName", "Salutation", "Name", "Title", "Company", "Phone", "Email", "LeadSource", "Status", "Industry",
          "AnnualRevenue", "NumberOfEmployees", "OwnerId", "IsConverted", "ConvertedDate", "ConvertedAccountId"},
         "leads"},
        // HubSpot contacts (with a Lead Status column: still contacts), a bare people list
        {{"Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner", "Lead Status", "Lifecycle Stage", "Create Date"}, "contacts"},
        {{"First Name", "Last Name", "Email", "Phone"}, "contacts"},
        // Pipedrive persons and leads; Zoho leads and contacts
        {{"Person - ID", "Person - Name", "Person - Organization", "Person - Email - Work", "Person - Owner"}, "contacts"},
        {{"Lead - Title", "Lead - Owner", "Lead - Value", "Lead - Person", "Lead - Organization"}, "leads"},
        {{"Lead Owner", "First Name", "Last Name", "Company", "Email", "Lead Source", "Lead Status"}, "leads"},
        {{"Contact Owner", "First Name", "Last Name", "Account Name", "Email", "Mailing City"}, "contacts"},
        {{"First Name", "Last Name", "Company", "Email", "Lead Source"}, "leads"},
        // Salesforce User, Case, Task, Event, Campaign; HubSpot tickets; Pipedrive activities
        {{"Id", "Username", "LastName", "FirstName", "Email", "Alias", "ProfileId", "UserRoleId", "ManagerId"}, "users"},
        {{"Id", "CaseNumber", "AccountId", "ContactId", "Subject", "Status", "Priority", "Origin"}, "cases"},
        {{"Ticket ID", "Ticket name", "Ticket status", "Priority", "Create date"}, "cases"},
        {{"Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "Priority", "OwnerId"}, "tasks and events"},
        {{"Id", "Subject", "StartDateTime", "EndDateTime", "IsAllDayEvent", "OwnerId"}, "tasks and events"},
        {{"Activity - Subject", "Activity - Type", "Activity - Due date", "Activity - Assigned to user"}, "tasks and events"},
        {{"Id", "Name", "Type", "Status", "StartDate", "EndDate", "BudgetedCost", "ActualCost", "NumberOfLeads"}, "campaigns"},
        // Salesforce report export: counts per stage group
        {{"StageName", "Count", "StageName (groups)"}, "a summary report"},
    };
    for (const Case& c : cases) {
        INFO(c.header[1]);
        const OtherKind k = recogniseOtherKind(c.header);
        CHECK(k.recognised);
        CHECK(k.name == c.kind);
        CHECK_FALSE(k.evidence.empty());
    }
    const OtherKind contact = recogniseOtherKind(cases[0].header);
    CHECK(otherKindSkipLine("Contact.csv", contact) ==
          "Contact.csv: contacts (FirstName, LastName, AccountId, \xE2\x80\xA6) \xE2\x80\x94 Terrane does not plan with contacts; skipped");
    const OtherKind group = recogniseOtherKind(cases[16].header);
    CHECK(group.evidence == std::vector<std::string>{"StageName", "Count"});
}

TEST_CASE("planning files are never taken for contacts or leads") {
    // Every CRM fixture and nasty file that has a header.
    for (const auto& dir : {std::string(TERRANE_SOURCE_DIR) + "/tests/data/crm", std::string(TERRANE_SOURCE_DIR) + "/tests/data/nasty"}) {
        for (const auto& e : std::filesystem::directory_iterator(dir)) {
            const std::string name = e.path().filename().string();
            const bool other = name.find("contacts") != std::string::npos || name.find("persons") != std::string::npos ||
                               name.find("leads") != std::string::npos || name.find("User") != std::string::npos;
            INFO(name);
            CHECK(recogniseOtherKind(headerOf(e.path().string())).recognised == other);
        }
    }
    // A reps file with names and emails; documented canonical headers; the sample org's planning files.
    CHECK_FALSE(recogniseOtherKind({"Rep ID", "First Name", "Last Name", "Email", "Region", "Manager", "Hire Date"}).recognised);
    CHECK_FALSE(recogniseOtherKind({"rep_id", "name", "role", "manager", "region", "start_date"}).recognised);
    CHECK_FALSE(recogniseOtherKind({"account_id", "name", "postcode"}).recognised);
    CHECK_FALSE(recogniseOtherKind({"opportunity_id", "stage", "date", "count"}).recognised);
    if (std::filesystem::exists(std::string(kShared) + "/Account.csv")) {
        for (const char* f : {"Account.csv", "Opportunity.csv", "OpportunityHistory.csv"})
            CHECK_FALSE(recogniseOtherKind(headerOf(std::string(kShared) + "/" + f)).recognised);
        CHECK(recogniseOtherKind(headerOf(std::string(kShared) + "/Contact.csv")).name == "contacts");
        CHECK(recogniseOtherKind(headerOf(std::string(kShared) + "/Lead.csv")).name == "leads");
        CHECK(recogniseOtherKind(headerOf(std::string(kShared) + "/OpportunityHistoryGroup.csv")).name == "a summary report");
    }
}

TEST_CASE("products are a dataset kind of their own, detected from price lists and Product2 exports") {
    auto g = guessKinds({"Product Name", "Product Code", "Product Family", "List Price", "Active"});
    CHECK(g[0].kind == DatasetKind::Products);
    CHECK(kindGuessConfident(g));
    g = guessKinds({"Id", "Name", "ProductCode", "Description", "IsActive", "Family"});
    CHECK(g[0].kind == DatasetKind::Products);
    CHECK(kindGuessConfident(g));
    DatasetKind k;
    REQUIRE(parseDatasetKind("products", k));
    CHECK(k == DatasetKind::Products);
    CHECK(idFieldOf(DatasetKind::Products) == "product_id");
    const ImportResult r = importAs(readText(crm("price_list_products.csv")), DatasetKind::Products);
    REQUIRE(r.ok);
    CHECK(r.report.rowsAccepted == 4);
    CHECK(cell(r.table, "name", 1) == "Pro Suite");
    CHECK(cell(r.table, "list_price", 0) == "12000.00");
    CHECK(cell(r.table, "family", 2) == "Add-ons");
    CHECK(cell(r.table, "active", 1) == "false");
    // A workspace holds them beside the other datasets.
    Workspace ws;
    ImportResult imp = importAs(readText(crm("price_list_products.csv")), DatasetKind::Products, ws.pool);
    commitImport(ws, imp);
    CHECK(ws.table(DatasetKind::Products).rows() == 4);
    CHECK(ws.sources.back().kind == DatasetKind::Products);
}

TEST_CASE("merging a new table: replace, add, update by id - with the counts before and after") {
    const std::string before = "account_id,name,industry,employees\nA1,Alpha,Tech,10\nA2,Beta,Retail,20\nA3,Gamma,,30\n";
    const std::string file = "account_id,name,industry,employees\nA2,Beta Ltd,,25\nA3,Gamma,Mining,\nA4,Delta,Food,40\n";
    auto pool = std::make_shared<StringPool>();
    const ImportResult a = importAs(before, DatasetKind::Accounts, pool), b = importAs(file, DatasetKind::Accounts, pool);
    REQUIRE(a.ok);
    REQUIRE(b.ok);

    SUBCASE("replace") {
        Table t = a.table;
        const MergeCounts c = mergeTables(t, b.table, DatasetKind::Accounts, ImportMode::Replace);
        CHECK(c.before == 3);
        CHECK(c.incoming == 3);
        CHECK(c.removed == 3);
        CHECK(c.after == 3);
        CHECK(t.rows() == 3);
        CHECK(cell(t, "account_id", 0) == "A2");
    }
    SUBCASE("add") {
        Table t = a.table;
        const MergeCounts c = mergeTables(t, b.table, DatasetKind::Accounts, ImportMode::Add);
        CHECK(c.added == 3);
        CHECK(c.after == 6);
        CHECK(t.rows() == 6);
        CHECK(cell(t, "account_id", 3) == "A2");
        CHECK(cell(t, "name", 1) == "Beta"); // the row already there is untouched
    }
    SUBCASE("update by id: same ids take the non-empty values, new ids are appended") {
        Table t = a.table;
        const MergeCounts preview = mergeCounts(t, b.table, DatasetKind::Accounts, ImportMode::UpdateById);
        const MergeCounts c = mergeTables(t, b.table, DatasetKind::Accounts, ImportMode::UpdateById);
        CHECK(preview.updated == c.updated);
        CHECK(preview.after == c.after);
        CHECK(c.updated == 2);
        CHECK(c.added == 1);
        CHECK(c.after == 4);
        REQUIRE(t.rows() == 4);
        CHECK(cell(t, "name", 0) == "Alpha");
        CHECK(cell(t, "name", 1) == "Beta Ltd");
        CHECK(cell(t, "industry", 1) == "Retail"); // empty in the file: kept
        CHECK(cell(t, "employees", 1) == "25");
        CHECK(cell(t, "industry", 2) == "Mining");
        CHECK(cell(t, "employees", 2) == "30");
        CHECK(cell(t, "account_id", 3) == "A4");
    }
    SUBCASE("tables over different string pools") {
        const ImportResult other = importAs(file, DatasetKind::Accounts, std::make_shared<StringPool>());
        Table t = a.table;
        mergeTables(t, other.table, DatasetKind::Accounts, ImportMode::UpdateById);
        CHECK(cell(t, "name", 1) == "Beta Ltd");
        CHECK(cell(t, "account_id", 3) == "A4");
        Table r = a.table;
        mergeTables(r, other.table, DatasetKind::Accounts, ImportMode::Replace);
        CHECK(r.sharedPool() == a.table.sharedPool());
        CHECK(cell(r, "name", 0) == "Beta Ltd");
    }
    SUBCASE("products without ids update by name; history tables cannot update by id") {
        const ImportResult p1 = importAs("name,list_price\nProSuite,100\nAddon,20\n", DatasetKind::Products, pool);
        const ImportResult p2 = importAs("name,list_price\nAddon,25\nServices,50\n", DatasetKind::Products, pool);
        Table t = p1.table;
        const MergeCounts c = mergeTables(t, p2.table, DatasetKind::Products, ImportMode::UpdateById);
        CHECK(c.updated == 1);
        CHECK(c.added == 1);
        CHECK(cell(t, "list_price", 1) == "25.00");
        CHECK_FALSE(canUpdateById(DatasetKind::StageHistory));
        Table h;
        CHECK_THROWS_AS(mergeCounts(h, h, DatasetKind::StageHistory, ImportMode::UpdateById), std::invalid_argument);
    }
    SUBCASE("commitImport by mode keeps both source files and rebuilds the baseline") {
        Workspace ws;
        ImportResult first = importAs(before, DatasetKind::Accounts, ws.pool), second = importAs(file, DatasetKind::Accounts, ws.pool);
        first.report.fileName = "first.csv";
        second.report.fileName = "second.csv";
        commitImport(ws, first);
        const MergeCounts c = commitImport(ws, second, ImportMode::UpdateById);
        CHECK(c.after == 4);
        CHECK(ws.accounts().rows() == 4);
        CHECK(ws.baseline().assignment.size() == 4);
        CHECK(ws.accounts().rowOf("A4").has_value());
        REQUIRE(ws.sources.size() == 2);
        CHECK(ws.sources[1].name == "second.csv");
        CHECK(second.table.rows() == 3); // add and update copy from the result
        ImportResult third = importAs(file, DatasetKind::Accounts, ws.pool);
        third.report.fileName = "third.csv";
        commitImport(ws, third, ImportMode::Replace);
        REQUIRE(ws.sources.size() == 1);
        CHECK(ws.sources[0].name == "third.csv");
        CHECK(ws.accounts().rows() == 3);
    }
    CHECK(std::string(importModeName(ImportMode::UpdateById)) == "update");
    ImportMode m;
    CHECK(parseImportMode("add", m));
    CHECK(m == ImportMode::Add);
    CHECK_FALSE(parseImportMode("merge", m));
}

TEST_CASE("product names match across the catalogue and the deals after normalisation, and merge") {
    Workspace ws;
    ImportResult prod = importAs(readText(crm("price_list_products.csv")), DatasetKind::Products, ws.pool);
    prod.report.fileName = "products.csv";
    commitImport(ws, prod);
    ImportResult opp = importAs("opportunity_id,account_id,product,amount\nO1,A1,ProSuite,100\nO2,A1,pro-suite,200\nO3,A2,PROSUITE,300\n"
                                "O4,A2,Analytics Add-on,50\nO5,A3,=HYPERLINK(\"x\"),10\n",
                                DatasetKind::Opportunities, ws.pool);
    commitImport(ws, opp);
    HygieneOptions o;
    o.asOf = 20000;
    const HygieneReport r = checkHygiene(ws, o);
    const Finding* inProducts = r.find("product_names_products");
    const Finding* inDeals = r.find("product_names_opportunities");
    REQUIRE(inProducts);
    REQUIRE(inDeals);
    CHECK(inProducts->count == 1); // "Pro Suite"
    CHECK(inProducts->rows == std::vector<std::uint32_t>{1});
    REQUIRE(inProducts->spellings.size() == 1);
    CHECK(inProducts->spellings[0].canonical == "ProSuite"); // the catalogue's, then the deals' most used
    CHECK(inDeals->count == 2); // pro-suite, PROSUITE
    CHECK(inDeals->rows == std::vector<std::uint32_t>{1, 2});
    CHECK(inDeals->spellings[0].cells == 2);
    CHECK(isProductNameFinding(*inDeals));

    const std::string csv = findingsToCsv(ws, r);
    CHECK(csv.rfind("finding,title,severity,dataset,row,id,detail\n", 0) == 0);
    CHECK(csv.find("product_names_opportunities,Opportunity products spelled unlike the catalogue,warning,opportunities,2,O2,product = pro-suite") !=
          std::string::npos);
    // The catalogue has no product_id column: its name column is the id as well.
    CHECK(csv.find("product_names_products,Variant spellings of product names,warning,products,2,Pro Suite,name = Pro Suite") != std::string::npos);

    const std::uint64_t n = mergeProductNames(ws, inProducts->spellings[0].variants, inProducts->spellings[0].canonical);
    CHECK(n == 3);
    CHECK(ws.dataEdits.size() == 2);
    const HygieneReport after = checkHygiene(ws, o);
    CHECK(after.find("product_names_products")->count == 0);
    CHECK(after.find("product_names_opportunities")->count == 0);
    CHECK(cell(ws.opportunities(), "product", 2) == "ProSuite");

    // With nothing to compare against, the checks say why.
    Workspace empty;
    const HygieneReport none = checkHygiene(empty, o);
    CHECK_FALSE(none.find("product_names_products")->checked);
    CHECK(none.find("product_names_products")->skipped == "no products loaded");
}

TEST_CASE("findings CSV defuses formula-like text from the files") {
    Workspace ws;
    ImportResult acc = importAs("account_id,name,postcode\n=cmd|' /C calc'!A0,Acme,10001\n=cmd|' /C calc'!A0,Acme Inc,10001\n", DatasetKind::Accounts, ws.pool);
    commitImport(ws, acc);
    HygieneOptions o;
    o.asOf = 20000;
    const std::string csv = findingsToCsv(ws, checkHygiene(ws, o));
    CHECK(csv.find("duplicate_ids_accounts") != std::string::npos);
    CHECK(csv.find(",=cmd") == std::string::npos);
    CHECK(csv.find("'=cmd") != std::string::npos);
}

TEST_CASE("terrane import: a skipped file, products, and importing into data already there") {
    const std::string dir = (std::filesystem::temp_directory_path() / "terrane-folder-test").string();
    std::filesystem::create_directories(dir);
    std::string out;
    // Skipped with its reason and exit status 3; --kind still imports it as told.
    CHECK(runCli("import " + crm("hubspot_contacts.csv"), &out) == 3);
    CHECK(out.find("hubspot_contacts.csv: contacts (First Name, Last Name, Contact owner") != std::string::npos);
    CHECK(out.find("Terrane does not plan with contacts; skipped") != std::string::npos);
    CHECK(runCli("import " + crm("zoho_leads.csv") + " --json", &out) == 3);
    CHECK(out.find("\"skipped\":true") != std::string::npos);
    CHECK(out.find("\"recognised_as\":\"leads\"") != std::string::npos);
    CHECK(runCli("import " + crm("salesforce_User.csv"), &out) == 3);
    CHECK(out.find("users (") != std::string::npos);
    CHECK(runCli("import " + crm("hubspot_contacts.csv") + " --kind accounts --json", &out) == 0);
    if (std::filesystem::exists(std::string(kShared) + "/Contact.csv")) {
        CHECK(runCli(std::string("import ") + kShared + "/Contact.csv", &out) == 3);
        CHECK(runCli(std::string("import ") + kShared + "/Lead.csv", &out) == 3);
        CHECK(runCli(std::string("import ") + kShared + "/OpportunityHistoryGroup.csv", &out) == 3);
        CHECK(out.find("a summary report (StageName, Count") != std::string::npos);
    }
    // Products detected.
    CHECK(runCli("import " + crm("price_list_products.csv") + " --json", &out) == 0);
    CHECK(out.find("\"kind\":\"products\"") != std::string::npos);
    CHECK(out.find("\"product_names_products\"") != std::string::npos);
    // The kind already holds rows from a context file: --mode is required, and the counts show.
    const std::string both = "import " + crm("accounts_update.csv") + " --accounts " + crm("salesforce_Account.csv");
    CHECK(runCli(both, &out) == 2);
    CHECK(runCli(both + " --mode update --json", &out) == 0);
    CHECK(out.find("\"merge\":{\"mode\":\"update\",\"before\":9,\"incoming\":4,\"after\":11,\"removed\":0,\"added\":2,\"updated\":2}") != std::string::npos);
    CHECK(runCli(both + " --mode add", &out) == 0);
    CHECK(out.find("accounts: 9 rows before, 4 in the file, 13 after (add: 0 removed, 0 updated, 4 added)") != std::string::npos);
    CHECK(runCli(both + " --mode merge") == 2);
    // Every finding with its rows as CSV.
    CHECK(runCli("import " + crm("messy_accounts.csv") + " --findings-csv " + dir + "/findings.csv") == 0);
    const std::string csv = readText(dir + "/findings.csv");
    CHECK(csv.rfind("finding,title,severity,dataset,row,id,detail", 0) == 0);
    CHECK(csv.find("probable_duplicate_accounts,Probable duplicate accounts,warning,accounts,") != std::string::npos);
}
