// `terrane quota` and `terrane capacity` end to end: files in, exact totals out, exit codes.
#include "core/io/csv.hpp"
#include "core/base/text.hpp"
#include "core/base/types.hpp"
#include "core/io/zip.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using json = nlohmann::json;
using terrane::Money;

namespace {
struct Run {
    int code = -1;
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

fs::path tempDir() {
    static std::atomic<int> n{0};
    fs::path d = fs::temp_directory_path() /
                 ("terrane-quota-cli-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(d);
    return d;
}

Run cli(const fs::path& dir, const std::string& args) {
    const fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
    const std::string cmd =
        std::string(TERRANE_CLI) + " " + args + " > " + out.string() + " 2> " + err.string();
    const int rc = std::system(cmd.c_str());
    Run r;
    r.code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

// Writes the sample (1,500 accounts, 16 reps) and returns the dataset options for it.
std::string demo(const fs::path& dir) {
    REQUIRE(cli(dir, "demo --out " + dir.string() + " --accounts 1500 --reps 16 --seed 42").code == 0);
    const std::string d = dir.string() + "/";
    return "--accounts " + d + "accounts.csv --reps " + d + "reps.csv --territories " + d +
           "territories.csv --opportunities " + d + "opportunities.csv";
}

Money cents(const std::string& s) {
    double v = 0;
    REQUIRE(terrane::parseDouble(s, v));
    return terrane::moneyFromMajor(v);
}

std::map<std::string, Money> quotaColumn(const fs::path& csv) {
    const auto rows = terrane::parseCsv(slurp(csv));
    std::map<std::string, Money> out;
    REQUIRE(rows.size() > 1);
    REQUIRE(rows[0][0] == "rep_id");
    REQUIRE(rows[0][7] == "quota");
    for (std::size_t r = 1; r < rows.size(); ++r) out[rows[r][0] + "|" + rows[r][3]] = cents(rows[r][7]);
    return out;
}
} // namespace

TEST_CASE("terrane quota: quotas.csv sums exactly to target x (1 + over-assign), whole rounding units, JSON "
          "figures") {
    const fs::path dir = tempDir();
    const std::string data = demo(dir);
    const Run r = cli(dir, "quota " + data +
                               " --target 6000000 --method potential --over-assign 0.1 --rounding 1000 "
                               "--seed 3 --trials 500 --out " +
                               (dir / "q.csv").string() + " --json");
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const auto q = quotaColumn(dir / "q.csv");
    CHECK(q.size() == 16);
    Money total = 0;
    for (const auto& e : q) {
        total += e.second;
        CHECK(e.second % 100000 == 0);
    }
    CHECK(total == 660000000);
    const json j = json::parse(r.out);
    CHECK(j["totals"]["reps"] == 6600000.0);
    CHECK(j["totals"]["territories"] == 6600000.0);
    CHECK(j["totals"]["regions"] == 6000000.0);
    CHECK(j["totals"]["reconciled"] == true);
    CHECK(j["over_assign"]["territory"] == doctest::Approx(0.1));
    CHECK(j["plan_year"] == 2027);
    REQUIRE(j["reps"].size() == 16);
    double sumJson = 0;
    for (const auto& rep : j["reps"]) {
        sumJson += rep["quota"].get<double>();
        CHECK(rep["attainment_p10"].get<double>() <= rep["attainment_p50"].get<double>());
        CHECK(rep["attainment_p50"].get<double>() <= rep["attainment_p90"].get<double>());
        CHECK(!rep["basis"].get<std::string>().empty());
        CHECK(q.count(rep["rep_id"].get<std::string>() + "|" + rep["territories"][0].get<std::string>()) ==
              1);
    }
    CHECK(sumJson == doctest::Approx(6600000.0));
    const double share = j["simulation"]["share_reps_at_or_above_100"];
    CHECK(share >= 0.0);
    CHECK(share <= 1.0);
    CHECK(j["simulation"]["trials"] == 500);
    CHECK(j["simulation"]["total_p10"].get<double>() <= j["simulation"]["total_p90"].get<double>());
    CHECK(j["fairness"]["quota_to_potential"]["cv"].get<double>() < 0.05);
}

TEST_CASE("terrane quota: a total that is not whole rounding units is refused, or placed with --remainder "
          "largest") {
    const fs::path dir = tempDir();
    const std::string data = demo(dir);
    Run r = cli(dir, "quota " + data + " --target 6000500 --rounding 1000 --trials 0 --out " +
                         (dir / "q.csv").string());
    CHECK(r.code == 2);
    CHECK(r.err.find("not a whole number of rounding units") != std::string::npos);
    CHECK(r.err.find("$500") != std::string::npos);
    CHECK(r.err.find("--remainder largest") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "q.csv"));
    r = cli(dir, "quota " + data + " --target 6000500 --rounding 1000 --remainder largest --trials 0 --out " +
                     (dir / "q.csv").string() + " --json");
    REQUIRE_MESSAGE(r.code == 0, r.err);
    Money total = 0;
    int off = 0;
    for (const auto& e : quotaColumn(dir / "q.csv")) {
        total += e.second;
        off += e.second % 100000 != 0;
    }
    CHECK(total == 600050000);
    CHECK(off == 1);
    CHECK(json::parse(r.out)["totals"]["reconciled"] == true);
}

TEST_CASE("terrane quota: methods, overrides and exit codes for bad usage and bad input") {
    const fs::path dir = tempDir();
    const std::string data = demo(dir);
    for (const char* m :
         {"equal", "potential", "history", "blend:0.6", "blend:0.5,0.3,0.2", "capacity", "capacity:equal"}) {
        const Run r = cli(dir, "quota " + data + " --target 5000000 --trials 0 --json --method " + m);
        CHECK_MESSAGE(r.code == 0, m << ": " << r.err);
        if (r.code == 0) CHECK(json::parse(r.out)["totals"]["reps"] == 5000000.0);
    }
    // Override one rep (by rep id): its quota is exactly the amount, the total is unchanged.
    Run r = cli(dir, "quota " + data + " --target 5000000 --trials 0 --json --override R0003=450000");
    REQUIRE_MESSAGE(r.code == 0, r.err);
    json j = json::parse(r.out);
    double total = 0;
    for (const auto& rep : j["reps"]) {
        total += rep["quota"].get<double>();
        if (rep["rep_id"] == "R0003") CHECK(rep["quota"] == 450000.0);
    }
    CHECK(total == doctest::Approx(5000000.0));
    CHECK(cli(dir, "quota " + data + " --target 5000000 --trials 0 --override R0003=99999999").code ==
          2); // cannot fit
    CHECK(cli(dir, "quota " + data + " --target 5000000 --trials 0 --override NOBODY=5").code == 2);
    // Usage errors exit 2.
    CHECK(cli(dir, "quota " + data + " --trials 0").code == 2);
    CHECK(cli(dir, "quota " + data + " --target 5000000 --method bogus").code == 2);
    CHECK(cli(dir, "quota " + data + " --target 5000000 --method blend").code == 2);
    CHECK(cli(dir, "quota " + data + " --target 5000000 --over-assign lots").code == 2);
    CHECK(cli(dir, "quota " + data + " --target 5000000 --trials -1").code == 2);
    CHECK(cli(dir, "quota " + data + " --target 5000000 --frobnicate 1").code == 2);
    // Bad input exits 1 and names the file, row and column.
    r = cli(dir, "quota --accounts " + (dir / "missing.csv").string() + " --target 5000000");
    CHECK(r.code == 1);
    std::ofstream(dir / "assign.csv") << "account_id,territory\nA0000001,T0002\nZZZ,T0001\n";
    r = cli(dir, "quota " + data + " --assignment " + (dir / "assign.csv").string() +
                     " --target 5000000 --trials 0");
    CHECK(r.code == 0); // the unknown row is reported and skipped, as by `terrane metrics`
    CHECK(r.err.find("assign.csv line 3, column account_id: 'ZZZ' is not in the accounts file") !=
          std::string::npos);
    std::ofstream(dir / "noheader.csv") << "foo,bar\n1,2\n";
    r = cli(dir, "quota " + data + " --assignment " + (dir / "noheader.csv").string() +
                     " --target 5000000 --trials 0");
    CHECK(r.code == 1);
    CHECK(r.err.find("needs account_id and territory") != std::string::npos);
}

TEST_CASE("terrane quota: --assignment drives territory membership, like the accounts' territory column") {
    const fs::path dir = tempDir();
    const std::string data = demo(dir);
    // The same assignment as the accounts file: identical quotas.
    const auto acc = terrane::parseCsv(slurp(dir / "accounts.csv"));
    std::size_t cId = 0, cTer = 0;
    for (std::size_t i = 0; i < acc[0].size(); ++i) {
        if (acc[0][i] == "account_id") cId = i;
        if (acc[0][i] == "territory") cTer = i;
    }
    std::string same = "account_id,territory\n", moved = same;
    for (std::size_t r = 1; r < acc.size(); ++r) {
        same += acc[r][cId] + "," + acc[r][cTer] + "\n";
        moved += acc[r][cId] + "," + (acc[r][cTer] == "T0001" ? "T0002" : acc[r][cTer]) + "\n";
    }
    std::ofstream(dir / "same.csv") << same;
    std::ofstream(dir / "moved.csv") << moved;
    const std::string base = "quota " + data + " --target 5000000 --trials 0 --json";
    const Run a = cli(dir, base);
    const Run b = cli(dir, base + " --assignment " + (dir / "same.csv").string());
    const Run c = cli(dir, base + " --assignment " + (dir / "moved.csv").string());
    REQUIRE(a.code == 0);
    REQUIRE(b.code == 0);
    REQUIRE(c.code == 0);
    CHECK(json::parse(a.out)["reps"] == json::parse(b.out)["reps"]);
    double t1 = -1, t2a = 0, t2c = 0;
    const json jc = json::parse(c.out), ja = json::parse(a.out);
    for (const auto& rep : jc["reps"]) {
        if (rep["territories"][0] == "T0001") t1 = rep["quota"];
        if (rep["territories"][0] == "T0002") t2c = rep["quota"];
    }
    for (const auto& rep : ja["reps"])
        if (rep["territories"][0] == "T0002") t2a = rep["quota"];
    CHECK(t1 == 0.0); // no accounts, no potential
    CHECK(t2c > t2a);
}

TEST_CASE("terrane quota: same seed, same simulation - the XLSX export is a valid archive") {
    const fs::path dir = tempDir();
    const std::string data = demo(dir);
    const std::string base = "quota " + data + " --target 5000000 --trials 800 --json";
    const Run a = cli(dir, base + " --seed 11 --xlsx " + (dir / "plan.xlsx").string());
    const Run b = cli(dir, base + " --seed 11");
    const Run c = cli(dir, base + " --seed 12");
    REQUIRE(a.code == 0);
    const json ja = json::parse(a.out), jb = json::parse(b.out), jc = json::parse(c.out);
    CHECK(ja["simulation"]["fingerprint"] == jb["simulation"]["fingerprint"]);
    CHECK(ja["simulation"] == jb["simulation"]);
    CHECK(ja["simulation"]["fingerprint"] != jc["simulation"]["fingerprint"]);
    std::map<std::string, std::string> parts;
    std::string err;
    CHECK(terrane::readStoredZip(slurp(dir / "plan.xlsx"), parts, err));
    CHECK(parts.count("xl/workbook.xml") == 1);
}

TEST_CASE("terrane capacity: reps needed and the monthly plan - exit codes") {
    const fs::path dir = tempDir();
    Run r = cli(
        dir,
        "capacity --target 12000000 --productivity 1000000 --ramp 1 --attrition 0 --time-to-hire 0 --json");
    REQUIRE_MESSAGE(r.code == 0, r.err);
    json j = json::parse(r.out);
    CHECK(j["reps_needed"] == 12);
    CHECK(j["months"].size() == 12);
    CHECK(j["annual_capacity"] == 12000000.0);
    r = cli(dir, "capacity --target 12000000 --productivity 1000000 --ramp 0.25,0.5,0.75,1 --attrition 0 "
                 "--time-to-hire 0 --json");
    j = json::parse(r.out);
    CHECK(j["reps_needed"] == 20);
    CHECK(j["reps_needed_formula"].get<double>() == doctest::Approx(19.2));
    r = cli(dir, "capacity --target 12000000 --productivity 1000000 --ramp 0.25,0.5,0.75,1 --attrition 15% "
                 "--time-to-hire 3 --headcount 10 --json");
    j = json::parse(r.out);
    CHECK(j["starting_headcount"] == 10);
    CHECK(j["reps_needed"].get<int>() > 10);
    CHECK(j["annual_capacity"].get<double>() >= 12000000.0);
    CHECK(j["months"][0]["hires_starting"] == 0.0);
    CHECK(j["months"][3]["hires_starting"].get<double>() > 0.0);
    CHECK(cli(dir, "capacity --target 12000000 --productivity 1000000 --attrition 1.5").code == 2);
    CHECK(cli(dir, "capacity --target 12000000").code == 2);
    CHECK(cli(dir, "capacity --target 12000000 --productivity 1000000 --ramp a,b").code == 2);
    // With the reps file: existing reps' tenure counts.
    REQUIRE(cli(dir, "demo --out " + dir.string() + " --accounts 500 --reps 12 --seed 2").code == 0);
    r = cli(dir, "capacity --target 6000000 --productivity 600000 --reps " + (dir / "reps.csv").string() +
                     " --plan-year 2027 --json");
    REQUIRE_MESSAGE(r.code == 0, r.err);
    j = json::parse(r.out);
    CHECK(j["starting_headcount"] == 10); // 12 seats, 2 vacant
    CHECK(j["months"][0]["month"] == "Jan 2027");
}
