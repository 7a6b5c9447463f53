// CSV injection: every CSV export writes untrusted CRM text (names, notes) so that a spreadsheet
// shows it instead of running it as a formula (OWASP: a leading apostrophe), and numbers stay numbers.
#include "core/io/csv.hpp"
#include "core/io/xlsx.hpp"
#include "core/quota/export.hpp"
#include "core/scenario/metrics.hpp"
#include "core/scenario/sample.hpp"
#include "core/territory/territory_commands.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

using namespace terrane;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kHostile = {"=HYPERLINK(\"http://x\",\"y\")", "@SUM(1+1)", "+1", "-1+1", "\tX", "\rX"};

bool startsLikeFormula(const std::string& cell) {
    return !cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
}

// Checks every cell of `csv`: none may start like a formula unless it is a plain number; each of
// `hostile` must be found defused (a cell that is, or starts with, "'" + it); each of `numbers`
// must be found as is.
void checkExport(const std::string& what, const std::string& csv, const std::vector<std::string>& hostile,
                 const std::vector<std::string>& numbers = {}) {
    static const std::regex plainNumber("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
    const auto rows = parseCsv(csv);
    REQUIRE_MESSAGE(rows.size() > 1, what);
    std::vector<int> defused(hostile.size(), 0), found(numbers.size(), 0);
    for (const auto& row : rows)
        for (const std::string& cell : row) {
            if (startsLikeFormula(cell))
                CHECK_MESSAGE(std::regex_match(cell, plainNumber), what << ": a cell a spreadsheet would run: " << cell);
            for (std::size_t h = 0; h < hostile.size(); ++h) defused[h] += cell.rfind("'" + hostile[h], 0) == 0 ? 1 : 0;
            for (std::size_t n = 0; n < numbers.size(); ++n) found[n] += cell == numbers[n] ? 1 : 0;
        }
    for (std::size_t h = 0; h < hostile.size(); ++h) CHECK_MESSAGE(defused[h] > 0, what << ": not found defused: " << hostile[h]);
    for (std::size_t n = 0; n < numbers.size(); ++n) CHECK_MESSAGE(found[n] > 0, what << ": number not found as is: " << numbers[n]);
}

void setText(Table& t, std::string_view column, std::size_t row, const std::string& v) {
    Column* c = t.find(column);
    REQUIRE(c != nullptr);
    c->ids()[row] = t.pool().intern(v);
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

fs::path tempDir() {
    static std::atomic<int> n{0};
    fs::path d = fs::temp_directory_path() / ("terrane-csv-injection-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(d);
    return d;
}

int cli(const std::string& args) {
    const int rc = std::system((std::string(TERRANE_CLI) + " " + args + " >/dev/null 2>&1").c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// A CSV field as written by hand for the CLI's input: quoted, quotes doubled.
std::string quoted(const std::string& v) {
    std::string s = "\"";
    for (char c : v) s += c == '"' ? std::string("\"\"") : std::string(1, c);
    return s + "\"";
}

} // namespace

TEST_CASE("csv writer defuses cells a spreadsheet would run as formulas and keeps numbers") {
    std::string out;
    CsvWriter w(out);
    for (const std::string& h : kHostile) w.field(h);
    w.endRow();
    CHECK(out == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'@SUM(1+1),'+1,'-1+1,'\tX,\"'\rX\"\n");
    out.clear();
    w.field(-3LL).field(-12.5).field("-12.50").field("-3").field("-1.5e-07").field(".5").field("-").field("-x").field("a=b").field("");
    w.number("-inf");
    w.endRow();
    CHECK(out == "-3,-12.5,-12.50,-3,-1.5e-07,.5,'-,'-x,a=b,,-inf\n");
    // The reader gives back what a spreadsheet shows: the text with its apostrophe.
    out.clear();
    w.field("\rX").field("=1+1");
    w.endRow();
    const auto rows = parseCsv(out);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0] == "'\rX");
    CHECK(rows[0][1] == "'=1+1");
    CHECK_FALSE(csvCellIsFormula("-12.50"));
    CHECK(csvCellIsFormula("-12.50+1"));
    CHECK(csvCellIsFormula("+12"));
}

TEST_CASE("an xlsx text cell that looks like a formula is written as a string, not a formula") {
    xlsx::Sheet s("Plan");
    s.text(0, 0, "=1+1");
    s.text(0, 1, "@SUM(1+1)");
    const std::string x = s.xml();
    CHECK(x.find("t=\"inlineStr\"><is><t xml:space=\"preserve\">=1+1</t>") != std::string::npos);
    CHECK(x.find("@SUM(1+1)</t>") != std::string::npos);
    CHECK(x.find("<f>") == std::string::npos);
}

TEST_CASE("every csv export defuses hostile names and keeps negative money a number") {
    Workspace ws;
    SampleOptions so;
    so.accounts = 600;
    so.reps = 12;
    so.seed = 5;
    generateSample(so, ws);
    Table& acc = ws.accounts();
    Table& reps = ws.reps();
    for (std::size_t i = 0; i < kHostile.size(); ++i) {
        setText(acc, "name", i, kHostile[i]);
        setText(reps, "name", i, kHostile[i]);
    }
    acc.find("potential")->i64()[kHostile.size()] = -1250; // -12.50
    Scenario& base = ws.baseline();
    const std::vector<std::int32_t> leaves = base.leaves();
    REQUIRE(leaves.size() >= kHostile.size());
    for (std::size_t i = 0; i < kHostile.size(); ++i)
        setText(base.territories, "name", static_cast<std::size_t>(leaves[i]), kHostile[i]);

    SUBCASE("data tables") {
        checkExport("accounts.csv", tableToCsv(acc, DatasetKind::Accounts), kHostile, {"-12.50"});
        checkExport("reps.csv", tableToCsv(reps, DatasetKind::Reps), kHostile);
    }
    SUBCASE("assignment for CRM") {
        Scenario sc = base;
        checkExport("assignment.csv", assignmentCsv(ws, sc, base), kHostile);
    }
    SUBCASE("quota by rep and hierarchy") {
        base.quota.target = 480000000;
        const quota::QuotaResult q = quota::computeQuotas(ws, base);
        checkExport("quota.csv", quota::quotaRepsCsv(q), kHostile);
        checkExport("quota-hierarchy.csv", quota::quotaNodesCsv(q), kHostile);
    }
    SUBCASE("audit log") {
        Scenario sc = base;
        for (std::size_t i = 0; i < kHostile.size(); ++i)
            REQUIRE(execute(ws, sc, territory::ReassignAccounts{{static_cast<std::uint32_t>(i)}, leaves[(i + 1) % leaves.size()], {}},
                            kHostile[i])
                        .ok);
        checkExport("audit.csv", auditCsv(sc), kHostile);
    }
}

TEST_CASE("the cli's csv exports defuse hostile text: import rejects and the balanced plan") {
    const fs::path d = tempDir();
    {
        // Every row but the last is rejected (potential or employees do not parse); the names and
        // ids are hostile, the numbers that did parse are negative.
        std::ofstream f(d / "accounts.csv", std::ios::binary);
        f << "account_id,name,potential,employees\n";
        for (std::size_t i = 0; i < kHostile.size(); ++i)
            f << "A" << i << "," << quoted(kHostile[i]) << "," << (i % 2 ? "oops,-3" : "-12.50,many") << "\n";
        f << "A9,Fine,100,4\n";
    }
    REQUIRE(cli("import " + (d / "accounts.csv").string() + " --kind accounts --rejects " + (d / "rejects.csv").string()) == 0);
    const std::string rejects = slurp(d / "rejects.csv");
    checkExport("rejects.csv", rejects, kHostile, {"-12.50", "-3"});
    CHECK(parseCsv(rejects).size() == kHostile.size() + 1);

    {
        // Planar accounts whose ids are hostile (not the tab and CR ones: the import trims ids):
        // the plan names them.
        std::ofstream f(d / "plan-accounts.csv", std::ios::binary);
        f << "account_id,x,y,potential\n";
        for (int i = 0; i < 60; ++i)
            f << (i < 4 ? quoted(kHostile[static_cast<std::size_t>(i)]) : "B" + std::to_string(i)) << "," << (i * 37) % 100 << ","
              << (i * 53) % 100 << "," << 1000 + (i * 71) % 500 << "\n";
    }
    REQUIRE(cli("balance --accounts " + (d / "plan-accounts.csv").string() + " --territories 3 --balance potential:0.2 --coords xy --out " +
                (d / "plan.csv").string()) == 0);
    checkExport("plan.csv", slurp(d / "plan.csv"), {kHostile.begin(), kHostile.begin() + 4});
    std::error_code ec;
    fs::remove_all(d, ec);
}
