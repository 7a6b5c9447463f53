// The territory commands end to end through the real CLI binary: JSON keys, files, exit codes.
#include "core/base/rng.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Run {
    int code = -1;
    std::string out;
};

// Runs the CLI with `args` (shell-quoted by the caller), capturing stdout; stderr goes to a file.
Run cli(const std::string& args, const fs::path& errFile) {
    const std::string cmd = std::string(TERRANE_CLI) + " " + args + " 2>" + errFile.string();
    Run r;
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
    const int status = pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Dir {
    fs::path path;
    Dir() {
        path = fs::temp_directory_path() /
               ("terrane-cli-balance-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        fs::create_directories(path);
    }
    ~Dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    static int& counter() {
        static int c = 0;
        return c;
    }
    std::string operator/(const std::string& f) const { return (path / f).string(); }
};

// Planar accounts with potential, workload and ARR; `territory` column from a 2x2 grid split.
void writeAccounts(const std::string& file, int n, bool withXY = true) {
    terrane::Rng rng(12);
    std::ofstream out(file);
    out << "account_id," << (withXY ? "x,y," : "") << "potential,workload,arr,territory,locked\n";
    for (int i = 0; i < n; ++i) {
        const double x = rng.uniform(0, 100), y = rng.uniform(0, 100);
        const double pot = std::floor(rng.lognormal(std::log(10000.0), 0.4));
        out << "A" << 1000 + i << ",";
        if (withXY) out << x << "," << y << ",";
        out << pot << "," << std::floor(5 + rng.uniform(0, 20)) << ","
            << (rng.chance(0.2) ? std::floor(pot / 3) : 0) << ","
            << (x < 50 ? (y < 50 ? "T1" : "T2") : (y < 50 ? "T3" : "T4")) << ","
            << (i % 25 == 0 ? "true" : "false") << "\n";
    }
}

void writeReps(const std::string& file) {
    std::ofstream out(file);
    out << "rep_id,name,territory,capacity,vacant\nR1,Ann,T1,1,false\nR2,Bob,T2,1,false\nR3,Cy,T3,0.5,"
           "false\nR4,TBH,T4,0,true\n";
}

} // namespace

TEST_CASE("cli balance writes the plan and reports every figure in JSON") {
    Dir d;
    writeAccounts(d / "a.csv", 400);
    const Run r = cli(
        "balance --accounts " + d / "a.csv" +
            " --territories 5 --balance potential:0.05 --balance workload:0.1 --coords xy --seed 3 --out " +
            d / "plan.csv" + " --json",
        d / "err.txt");
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    for (const char* key :
         {"feasible", "reason", "territories", "max_deviation", "weighted_mean_distance", "max_diameter",
          "contiguous", "moved_accounts_share", "moved_value_share", "runtime_ms", "seed"})
        CHECK_MESSAGE(j.contains(key), key);
    CHECK(j["feasible"] == true);
    CHECK(j["seed"] == 3);
    CHECK(j["territories"].size() == 5);
    const auto& t0 = j["territories"][0];
    CHECK(t0.contains("id"));
    CHECK(t0.contains("accounts"));
    CHECK(t0["totals"].contains("potential"));
    CHECK(t0["totals"].contains("workload"));
    CHECK(j["max_deviation"]["potential"].get<double>() <= 0.05 + 1e-9);
    CHECK(j["max_deviation"]["workload"].get<double>() <= 0.10 + 1e-9);
    const std::string plan = slurp(d / "plan.csv");
    CHECK(plan.rfind("account_id,territory\n", 0) == 0);
    CHECK(std::count(plan.begin(), plan.end(), '\n') == 401);
    // Same seed, same plan.
    REQUIRE(cli("balance --accounts " + d / "a.csv" +
                    " --territories 5 --balance potential:0.05 --balance workload:0.1 --coords xy --seed 3 "
                    "--out " +
                    d / "plan2.csv",
                d / "err.txt")
                .code == 0);
    CHECK(slurp(d / "plan2.csv") == plan);
}

TEST_CASE("cli balance exit codes: missing coordinates 1, bad usage 2") {
    Dir d;
    writeAccounts(d / "noxy.csv", 50, false);
    Run r = cli("balance --accounts " + d / "noxy.csv" + " --territories 3 --balance potential:0.05 --out " +
                    d / "p.csv" + " --json",
                d / "err.txt");
    CHECK(r.code == 1);
    CHECK(slurp(d / "err.txt").find("lat") != std::string::npos);
    r = cli("balance --accounts " + d / "noxy.csv" +
                " --territories 3 --balance potential:0.05 --coords xy --out " + d / "p.csv",
            d / "err.txt");
    CHECK(r.code == 1);
    CHECK(slurp(d / "err.txt").find("'x' and 'y'") != std::string::npos);
    writeAccounts(d / "a.csv", 50);
    r = cli("balance --accounts " + d / "a.csv" +
                " --territories 3 --by-rep --balance potential:0.05 --coords xy --out " + d / "p.csv",
            d / "err.txt");
    CHECK(r.code == 2);
    r = cli("balance --accounts " + d / "a.csv" + " --territories 3 --balance potential --coords xy --out " +
                d / "p.csv",
            d / "err.txt");
    CHECK(r.code == 2);
    r = cli("balance --accounts " + d / "a.csv" +
                " --territories 3 --balance nosuchcolumn:0.05 --coords xy --out " + d / "p.csv",
            d / "err.txt");
    CHECK(r.code == 1);
    CHECK(slurp(d / "err.txt").find("unknown metric") != std::string::npos);
    r = cli("balance --accounts " + d / "a.csv" +
                " --territories 3 --balance potential:0.05 --coords xy --lock-column nope --out " +
                d / "p.csv",
            d / "err.txt");
    CHECK(r.code == 1);
}

TEST_CASE("cli balance by rep honours locks, the disruption budget and --map") {
    Dir d;
    writeAccounts(d / "a.csv", 600);
    writeReps(d / "r.csv");
    // Rename the coordinate columns and map them back.
    std::string text = slurp(d / "a.csv");
    text.replace(0, text.find('\n'), "account_id,East,North,potential,workload,arr,territory,locked");
    std::ofstream(d / "mapped.csv") << text;
    const Run r = cli("balance --accounts " + d / "mapped.csv" + " --reps " + d / "r.csv" +
                          " --by-rep --balance accounts:0.05 --coords xy --map x=East --map y=North "
                          "--max-disruption 0.2 --move-customers --out " +
                          d / "plan.csv" + " --json",
                      d / "err.txt");
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["moved_accounts_share"].get<double>() <= 0.2 + 1e-12);
    CHECK(j["moved_value_share"].get<double>() <= 0.2 + 1e-9);
    // Capacity: R3 is half-ramped, R4 a vacant seat at the default vacancy factor 0.5.
    CHECK(j["territories"][2]["capacity"].get<double>() == 0.5);
    CHECK(j["territories"][3]["capacity"].get<double>() == 0.5);
    // Locked accounts (every 25th) keep their territory.
    const std::string plan = slurp(d / "plan.csv");
    std::istringstream in(plan);
    std::string line;
    std::getline(in, line);
    const std::string acc = slurp(d / "a.csv");
    std::istringstream ain(acc);
    std::getline(ain, line);
    std::string pl, al;
    int checked = 0;
    while (std::getline(in, pl) && std::getline(ain, al)) {
        if (al.find(",true") == std::string::npos) continue;
        const std::string was = al.substr(al.rfind(',', al.size() - 6) + 1, 2);
        CHECK(pl.substr(pl.find(',') + 1) == was);
        ++checked;
    }
    CHECK(checked == 24);
}

TEST_CASE("cli rebalance, size-territories and tradeoff report their figures") {
    Dir d;
    writeAccounts(d / "a.csv", 500);
    writeReps(d / "r.csv");
    SUBCASE("rebalance after an edit, applied on request") {
        REQUIRE(cli("balance --accounts " + d / "a.csv" +
                        " --territories 4 --balance potential:0.05 --coords xy --out " + d / "plan.csv",
                    d / "err.txt")
                    .code == 0);
        const Run r = cli("rebalance --accounts " + d / "a.csv" + " --assignment " + d / "plan.csv" +
                              " --balance potential:0.05 --coords xy --out " + d / "moves.csv" + " --json",
                          d / "err.txt");
        REQUIRE(r.code == 1); // the plan's T01..T04 are not territories of the accounts' file
        const Run r2 = cli("rebalance --accounts " + d / "a.csv" +
                               " --balance potential:0.05 --coords xy --move-customers --out " +
                               d / "moves.csv" + " --apply " + d / "applied.csv" + " --json",
                           d / "err.txt");
        REQUIRE(r2.code == 0);
        const auto j = nlohmann::json::parse(r2.out);
        CHECK(j.contains("moves"));
        CHECK(j["move_count"].get<std::size_t>() == j["moves"].size());
        CHECK(j["applied"] == true);
        CHECK(j["feasible"] == true);
        CHECK(j["max_deviation"]["potential"].get<double>() <= 0.05 + 1e-9);
        CHECK(slurp(d / "moves.csv").rfind("account_id,from,to\n", 0) == 0);
    }
    SUBCASE("size-territories") {
        const Run r = cli("size-territories --accounts " + d / "a.csv" +
                              " --limit accounts:60 --coords xy --out " + d / "sized.csv" + " --json",
                          d / "err.txt");
        REQUIRE(r.code == 0);
        const auto j = nlohmann::json::parse(r.out);
        CHECK(j["feasible"] == true);
        CHECK(j["lower_bound"] == 9);
        CHECK(j["territory_count"].get<int>() >= 9);
        CHECK(j["limits"][0]["max_load"].get<double>() <= 60);
    }
    SUBCASE("tradeoff") {
        const Run r = cli(
            "tradeoff --accounts " + d / "a.csv" + " --reps " + d / "r.csv" +
                " --by-rep --balance potential:0.05 --coords xy --move-customers --budgets 0,0.1,1 --json",
            d / "err.txt");
        REQUIRE(r.code == 0);
        const auto j = nlohmann::json::parse(r.out);
        REQUIRE(j["points"].size() == 3);
        CHECK(j["points"][0]["moved_accounts_share"].get<double>() == 0.0);
        CHECK(j["points"][1]["moved_accounts_share"].get<double>() <= 0.1 + 1e-12);
        CHECK(j["points"][2].contains("weighted_mean_distance"));
    }
}

TEST_CASE("cli summary works on any subset of datasets: opportunities alone, reps alone") {
    Dir d;
    {
        std::ofstream o(d / "deals.csv");
        o << "opportunity_id,account_id,amount,stage,close_date,is_closed,is_won\n"
             "O1,A1,1000,Prospecting,2026-11-01,false,false\n"
             "O2,A2,2500,Closed Won,2026-08-01,true,true\n"
             "O3,A1,400,Closed Lost,2026-07-01,true,false\n";
        std::ofstream r(d / "reps.csv");
        r << "rep_id,name,capacity\nR1,Ann,1\nR2,Bo,0.5\n";
    }
    const Run opp = cli("summary --opportunities " + d / "deals.csv" + " --json", d / "err1.txt");
    REQUIRE_MESSAGE(opp.code == 0, slurp(d / "err1.txt"));
    const auto j = nlohmann::json::parse(opp.out);
    CHECK(j["opportunities"] == 3);
    CHECK(j["open_opportunities"] == 1);
    CHECK(j["accounts"] == 0);
    const Run text = cli("summary --opportunities " + d / "deals.csv", d / "err2.txt");
    REQUIRE(text.code == 0);
    CHECK(text.out.find("opportunities  3 (1 open, 1 won, 1 lost)") != std::string::npos);
    CHECK(text.out.find("accounts") == std::string::npos); // only the datasets given
    const Run reps = cli("summary --reps " + d / "reps.csv" + " --json", d / "err3.txt");
    REQUIRE_MESSAGE(reps.code == 0, slurp(d / "err3.txt"));
    CHECK(nlohmann::json::parse(reps.out)["reps"] == 2);
    CHECK(cli("summary --json", d / "err4.txt").code == 2);
    CHECK(slurp(d / "err4.txt").find("at least one dataset") != std::string::npos);
}
