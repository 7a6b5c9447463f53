// `terrane comp` end to end on CRM-like files (tests/data/comp): exact payouts by hand, the JSON
// keys of the issue, the payouts CSV, errors that name the field or row, and the XLSX statements
// opened by an independent reader (python3-openpyxl) whose recomputed formulas must equal the JSON.
#include "core/comp/comp_setup.hpp"
#include "core/comp/payout.hpp"
#include "core/quota/allocate.hpp"
#include "core/scenario/scenario_file.hpp"
#include "sample_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using json = nlohmann::json;

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
    fs::path d = fs::temp_directory_path() / ("terrane-comp-cli-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(d);
    return d;
}

Run shell(const fs::path& dir, const std::string& cmd) {
    const fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
    const int rc = std::system((cmd + " > " + out.string() + " 2> " + err.string()).c_str());
    Run r;
    r.code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

Run cli(const fs::path& dir, const std::string& args) { return shell(dir, std::string(TERRANE_CLI) + " " + args); }

const std::string kData = std::string(TERRANE_SOURCE_DIR) + "/tests/data/comp/";
const std::string kFiles = "comp --plan " + kData + "plan_ae_2026.json --opportunities " + kData + "opportunities_sfdc.csv --quotas " +
                           kData + "quotas.csv";

} // namespace

TEST_CASE("terrane comp: the example plan on CRM files pays what was computed by hand") {
    const fs::path dir = tempDir();
    const Run r = cli(dir, kFiles + " --out " + (dir / "payouts.csv").string() + " --json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const json j = json::parse(r.out);
    REQUIRE(j["reps"].size() == 3);
    std::map<std::string, json> by;
    for (const json& x : j["reps"]) by[x["rep_id"].get<std::string>()] = x;
    // R01: 1,100,000 = 110% at 10%: 25,000 + 50,000 + 100,000 × 10% × 1.5 = 90,000; SPIFF 250 (Pro Suite, 3 Aug).
    CHECK(by["R01"]["credited"].get<double>() == 1100000.0);
    CHECK(by["R01"]["attainment"].get<double>() == doctest::Approx(1.1));
    CHECK(by["R01"]["payout"].get<double>() == 90250.0);
    // R02: 300,000 = 37.5%: 300,000 × 10% × 0.5 (the Pro Suite deal closed in May: no SPIFF; lost deal not credited).
    CHECK(by["R02"]["payout"].get<double>() == 15000.0);
    // R03: 900,000 = 180% at 12%: 15,000 + 30,000 + 45,000 + 150,000 × 12% × 2 = 126,000; SPIFF 250 (30 Sep is inside).
    CHECK(by["R03"]["payout"].get<double>() == 126250.0);
    CHECK(j["total_payout"].get<double>() == 231500.0);
    const json& line = by["R03"]["lines"][3];
    CHECK(line["component"] == "commission");
    CHECK(line["amount"].get<double>() == 36000.0);
    CHECK(line["explain"] == "$150,000 × 12.00% (base rate $60,000 ÷ $500,000) × 2 = $36,000");
    CHECK(line["deals"] == json::array({"O-1005"}));
    CHECK(by["R01"]["lines"].back()["component"] == "spiff");
    bool unknown = false;
    for (const json& c : j["checks"]) unknown |= c["code"] == "unknown_owner";
    CHECK(unknown); // O-1006 belongs to R04, who has no quota row
    const std::string csv = slurp(dir / "payouts.csv");
    CHECK(csv.find("rep_id,name,quota,target_incentive,credited,attainment,payout,commission,cap,spiff") == 0);
    CHECK(csv.find("R03,,500000.00,60000.00,900000.00,1.800000,126250.00,126000.00,0.00,250.00") != std::string::npos);
}

TEST_CASE("terrane comp: a bad plan or quotas file names the field or row and exits 1") {
    const fs::path dir = tempDir();
    {
        std::ofstream(dir / "bad.json") << R"({"format": "terrane-comp-plan", "version": 1, "period": {"start": "2026-01-01", "end": "2026-12-31"},
          "commission": {"tiers": [{"from_attainment": 0, "multiplier": 1}, {"from_attainment": 0, "multiplier": 2}]}})";
        std::ofstream(dir / "q.csv") << "rep_id,quota,target_incentive\nR01,1000000,lots\n";
    }
    Run r = cli(dir, "comp --plan " + (dir / "bad.json").string() + " --opportunities " + kData + "opportunities_sfdc.csv --quotas " +
                         kData + "quotas.csv");
    CHECK(r.code == 1);
    CHECK(r.err.find("plan.commission.tiers[1].from_attainment: expected a value above the previous tier's 0") != std::string::npos);
    r = cli(dir, "comp --plan " + kData + "plan_ae_2026.json --opportunities " + kData + "opportunities_sfdc.csv --quotas " +
                     (dir / "q.csv").string());
    CHECK(r.code == 1);
    CHECK(r.err.find("q.csv: row 2, column target_incentive: expected an amount") != std::string::npos);
}

TEST_CASE("terrane comp: XLSX statements opened by openpyxl recompute to the JSON") {
    const fs::path dir = tempDir();
    const Run r = cli(dir, kFiles + " --statements " + (dir / "st").string() + " --json");
    REQUIRE(r.code == 0);
    std::ofstream(dir / "payouts.json") << r.out;
    CHECK(fs::exists(dir / "st" / "statement_R03.xlsx"));
    const Run py = shell(dir, "/usr/bin/python3 " + std::string(TERRANE_SOURCE_DIR) + "/scripts/check_statements.py " +
                                  (dir / "st").string() + " " + (dir / "payouts.json").string());
    INFO(py.out, py.err);
    CHECK(py.code == 0); // 3: python3-openpyxl missing (scripts/setup.sh installs it)
    CHECK(py.out.find("3 workbooks, 3 statements") != std::string::npos);

    // A line a hair below half a cent: 290,635.68 × 99,500 ÷ 943,000 = 30,666.2249841 → 30,666.22
    // (an evaluator that rounds too eagerly says .23).
    std::ofstream(dir / "o.csv") << "Opportunity ID,Owner ID,Stage,Amount,Close Date,Product\nX1,R9,Closed Won,762135.68,2026-05-05,Core\n";
    std::ofstream(dir / "q.csv") << "rep_id,quota,target_incentive\nR9,943000,99500\n";
    const Run h = cli(dir, "comp --plan " + kData + "plan_ae_2026.json --opportunities " + (dir / "o.csv").string() + " --quotas " +
                               (dir / "q.csv").string() + " --statements " + (dir / "half").string() + " --json");
    REQUIRE(h.code == 0);
    const json hj = json::parse(h.out);
    CHECK(hj["reps"][0]["lines"][1]["amount"].get<double>() == 30666.22);
    std::ofstream(dir / "half.json") << h.out;
    const Run py2 = shell(dir, "/usr/bin/python3 " + std::string(TERRANE_SOURCE_DIR) + "/scripts/check_statements.py " +
                                   (dir / "half").string() + " " + (dir / "half.json").string());
    INFO(py2.out);
    CHECK(py2.code == 0);
}

TEST_CASE("terrane comp --scenario: the scenario's plan, quotas and data give the in-process numbers") {
    using namespace terrane;
    Workspace ws = fixture::sampleWorkspace(600, 8);
    Scenario& sc = ws.active();
    REQUIRE(execute(ws, sc, quota::SetQuotaTarget{800000000, 0, 0, 0}).ok);
    const quota::QuotaResult q = quota::computeQuotas(ws, sc);
    const comp::CompSetup setup = comp::starterSetup(ws, q);
    REQUIRE(!setup.plans.empty());
    REQUIRE(execute(ws, sc, comp::SetCompPlan{0, setup.plans[0], std::nullopt}).ok);
    REQUIRE(execute(ws, sc, comp::SetCompSettings{setup.defaultTargetIncentive, 0, 0, 0}).ok);
    const comp::PlanPayouts expected = comp::computePayouts(sc.comp.plans[0], comp::scenarioInputs(sc.comp.plans[0], ws, &q, sc.comp));
    REQUIRE(expected.totalPayout > 0);
    const fs::path dir = tempDir();
    std::ofstream(dir / "plan.terrane", std::ios::binary) << saveScenarioFile(ws, SaveOptions{});
    const Run r = cli(dir, "comp --scenario " + (dir / "plan.terrane").string() + " --json --no-deals");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const json j = json::parse(r.out);
    CHECK(j["total_payout"].get<double>() == doctest::Approx(moneyToMajor(expected.totalPayout)).epsilon(1e-12));
    CHECK(j["reps"].size() == expected.reps.size());
    CHECK(j["plan"] == sc.comp.plans[0].name);
}

TEST_CASE("the quota workbook opened by openpyxl: every roll-up formula equals its cached value") {
    const fs::path dir = tempDir();
    REQUIRE(cli(dir, "demo --out " + dir.string() + " --accounts 400 --reps 6 --seed 3").code == 0);
    const std::string d = dir.string() + "/";
    const Run q = cli(dir, "quota --accounts " + d + "accounts.csv --reps " + d + "reps.csv --territories " + d +
                               "territories.csv --opportunities " + d + "opportunities.csv --target 6000000 --trials 50 --xlsx " + d +
                               "plan.xlsx");
    INFO(q.err);
    REQUIRE(q.code == 0);
    const Run py = shell(dir, "/usr/bin/python3 " + std::string(TERRANE_SOURCE_DIR) + "/scripts/check_xlsx.py " + d + "plan.xlsx");
    INFO(py.out, py.err);
    CHECK(py.code == 0); // 3: python3-openpyxl missing (scripts/setup.sh installs it)
}
