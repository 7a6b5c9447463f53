#include "core/scenario/assignment.hpp"
#include "core/scenario/metrics.hpp"
#include "core/base/rng.hpp"
#include "core/scenario/sample.hpp"
#include "core/scenario/summary.hpp"

#include "sample_fixture.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <doctest/doctest.h>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace terrane;
using namespace terrane::territory;

namespace {

void expectSame(const PlanMetrics& a, const PlanMetrics& b) {
    REQUIRE(a.territories.size() == b.territories.size());
    for (std::size_t i = 0; i < a.territories.size(); ++i) {
        for (int k = 0; k < kPlanMetricCount; ++k) {
            CHECK(a.territories[i].f.sum[k] == doctest::Approx(b.territories[i].f.sum[k]));
            CHECK(a.territories[i].f.deviation[k] == doctest::Approx(b.territories[i].f.deviation[k]));
        }
        CHECK(a.territories[i].movedIn == b.territories[i].movedIn);
        CHECK(a.territories[i].movedOut == b.territories[i].movedOut);
    }
    CHECK(a.disruption.accountsMoved == b.disruption.accountsMoved);
    CHECK(a.disruption.ownerChanged == b.disruption.ownerChanged);
    CHECK(a.disruption.arrMoved == doctest::Approx(b.disruption.arrMoved));
    for (int k = 0; k < kPlanMetricCount; ++k) CHECK(a.balance.gini[k] == doctest::Approx(b.balance.gini[k]));
}
} // namespace

TEST_CASE("plan metrics add up: territories + unassigned = totals - roll-ups sum their children") {
    Workspace ws = fixture::sampleWorkspace(3000, 24, 9);
    const AccountValues v = AccountValues::compute(ws);
    const PlanMetrics m = computePlanMetrics(ws, v, ws.baseline(), &ws.baseline());
    const WorkspaceSummary s = summarize(ws);
    CHECK(m.total.sum[static_cast<int>(PlanMetric::Accounts)] == 3000);
    CHECK(m.total.sum[static_cast<int>(PlanMetric::Potential)] == doctest::Approx(static_cast<double>(s.potential)));
    CHECK(m.total.sum[static_cast<int>(PlanMetric::Pipeline)] == doctest::Approx(static_cast<double>(s.openPipeline)));
    double shares = 0, districtAccounts = 0, regionAccounts = 0;
    for (const auto& t : m.territories) shares += t.f.targetShare;
    for (const auto& d : m.districts) districtAccounts += d.f.sum[0];
    for (const auto& r : m.regions) regionAccounts += r.f.sum[0];
    CHECK(shares == doctest::Approx(1.0));
    CHECK(districtAccounts == 3000);
    CHECK(regionAccounts == 3000);
    CHECK(m.regions.size() == 4);
    CHECK(m.disruption.accountsMoved == 0);
    // Capacity: vacant seats plan at the vacant capacity, ramping reps below 1.
    int vacant = 0;
    for (const auto& t : m.territories)
        if (t.vacant) {
            ++vacant;
            CHECK(t.f.capacity == doctest::Approx(0.5));
        }
    CHECK(vacant == 2);
    CHECK(m.balance.maxAbsDeviation[static_cast<int>(PlanMetric::Potential)] > 0.3); // the sample is unbalanced
    CHECK(m.balance.gini[static_cast<int>(PlanMetric::Potential)] > 0.1);
}

TEST_CASE("the incremental tracker matches a full recomputation after random moves") {
    Workspace ws = fixture::sampleWorkspace(2000, 16, 4);
    const AccountValues v = AccountValues::compute(ws);
    Scenario& sc = ws.scenarios[ws.addScenarioCopy(0, "S")];
    PlanMetricsTracker tr;
    tr.reset(ws, v, sc, &ws.baseline(), {});
    tr.finalize();
    const auto leaves = sc.leaves();
    Rng rng(3);
    for (int step = 0; step < 40; ++step) {
        std::vector<std::uint32_t> pick;
        for (int k = 0; k < 30; ++k) pick.push_back(rng.below(2000));
        const std::int32_t to = step % 7 == 0 ? -1 : leaves[rng.below(static_cast<std::uint32_t>(leaves.size()))];
        REQUIRE(execute(ws, sc, ReassignAccounts{pick, to, {}}, "", true).ok);
        const auto& c = std::get<ReassignAccounts>(sc.log.back().command);
        for (std::size_t i = 0; i < c.accounts.size(); ++i)
            if (c.previous[i] != c.to) tr.move(c.accounts[i], c.previous[i], c.to);
        tr.finalize();
    }
    expectSame(tr.metrics(), computePlanMetrics(ws, v, sc, &ws.baseline()));
    CHECK(tr.metrics().disruption.accountsMoved > 0);
}

TEST_CASE("assignment CSV round-trips through the parser and reproduces the plan") {
    Workspace ws = fixture::sampleWorkspace(1500, 12, 2);
    Scenario& sc = ws.scenarios[ws.addScenarioCopy(0, "S")];
    const auto leaves = sc.leaves();
    REQUIRE(execute(ws, sc, ReassignAccounts{{1, 2, 3, 50, 60}, leaves[3], {}}, "", true).ok);
    const std::string csv = assignmentCsv(ws, sc, ws.baseline());
    CHECK(csv.rfind("account_id,account_name,owner_id,owner_name,territory,territory_name,district,region,changed,", 0) == 0);
    AssignmentFile f;
    std::string err;
    REQUIRE(parseAssignment(ws, csv, "x.csv", f, err));
    CHECK(f.errors.empty());
    CHECK(f.accounts.size() == 1500);
    Scenario& other = ws.scenarios[ws.addScenarioCopy(0, "T")];
    REQUIRE(applyAssignmentFile(ws, other, f, "x.csv").ok);
    CHECK(other.assignment == ws.scenarios[1].assignment);
    // Unknown accounts are reported with line and column; a file without the columns is refused.
    REQUIRE(parseAssignment(ws, "account_id,territory\nNOPE,T0001\n", "y.csv", f, err));
    REQUIRE(f.errors.size() == 1);
    CHECK(f.errors[0].find("y.csv line 2, column account_id: 'NOPE'") == 0);
    CHECK_FALSE(parseAssignment(ws, "id,name\n1,2\n", "z.csv", f, err));
    CHECK(err.find("account_id and territory") != std::string::npos);
}

TEST_CASE("terrane metrics prints the same figures as the core for an exported assignment") {
    Workspace ws = fixture::sampleWorkspace(1200, 8, 21);
    char dirTemplate[] = "/tmp/terrane-metrics-XXXXXX";
    const std::string dir = mkdtemp(dirTemplate);
    for (auto k : {DatasetKind::Accounts, DatasetKind::Reps, DatasetKind::Territories, DatasetKind::Opportunities}) {
        std::ofstream(dir + "/" + datasetKindName(k) + ".csv") << tableToCsv(ws.table(k), k);
    }
    Scenario& sc = ws.scenarios[ws.addScenarioCopy(0, "S")];
    REQUIRE(execute(ws, sc, ReassignAccounts{{0, 1, 2, 3, 4, 5, 6}, sc.leaves()[0], {}}, "", true).ok);
    std::ofstream(dir + "/assignment.csv") << assignmentCsv(ws, sc, ws.baseline());
    const std::string cmd = std::string(TERRANE_CLI) + " metrics --accounts " + dir + "/accounts.csv --reps " + dir +
                            "/reps.csv --territories " + dir + "/territories.csv --opportunities " + dir +
                            "/opportunities.csv --assignment " + dir + "/assignment.csv --json > " + dir + "/out.json";
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::ifstream in(dir + "/out.json");
    const nlohmann::json cli = nlohmann::json::parse(in);
    const AccountValues v = AccountValues::compute(ws);
    const nlohmann::json core = nlohmann::json::parse(planMetricsToJson(computePlanMetrics(ws, v, sc, &ws.baseline())));
    CHECK(cli["territories"] == core["territories"]);
    CHECK(cli["disruption"] == core["disruption"]);
    CHECK(cli["balance"] == core["balance"]);
    CHECK(cli["disruption"]["accounts_moved"].get<int>() > 0);
    // Bad usage is exit 2, bad input exit 1.
    CHECK(WEXITSTATUS(std::system((std::string(TERRANE_CLI) + " metrics --json 2>/dev/null").c_str())) == 2);
    CHECK(WEXITSTATUS(std::system((std::string(TERRANE_CLI) + " metrics --accounts /nonexistent.csv 2>/dev/null").c_str())) == 1);
}

#include "core/data/filter.hpp"

TEST_CASE("row filters select by text, list, number ranges, money and flags") {
    Workspace ws = fixture::sampleWorkspace(1000, 8, 13);
    const Table& acc = ws.accounts();
    std::vector<std::uint32_t> rows;
    std::string err;
    REQUIRE(filterRows(acc, {"segment", FilterOp::Equals, "enterprise", ""}, rows, err));
    for (auto r : rows) CHECK(acc.str(acc.indexOf("segment"), r) == "Enterprise");
    const std::size_t ent = rows.size();
    CHECK(ent > 0);
    REQUIRE(filterRows(acc, {"segment", FilterOp::OneOf, "Enterprise, SMB", ""}, rows, err));
    CHECK(rows.size() > ent);
    REQUIRE(filterRows(acc, {"potential", FilterOp::Between, "$10k", "50,000"}, rows, err));
    for (auto r : rows) {
        CHECK(acc.i64(acc.indexOf("potential"), r) >= 1000000);
        CHECK(acc.i64(acc.indexOf("potential"), r) <= 5000000);
    }
    REQUIRE(filterRows(acc, {"employees", FilterOp::Greater, "999", ""}, rows, err));
    CHECK(rows.size() == ent); // Enterprise means 1,000 employees or more in the sample
    REQUIRE(filterRows(acc, {"locked", FilterOp::IsTrue, "", ""}, rows, err));
    for (auto r : rows) CHECK(acc.flag(acc.indexOf("locked"), r));
    CHECK_FALSE(filterRows(acc, {"potential", FilterOp::Greater, "lots", ""}, rows, err));
    CHECK(err.find("'lots' is not a money value") == 0);
    CHECK_FALSE(filterRows(acc, {"nope", FilterOp::Equals, "x", ""}, rows, err));
}

#include "core/geo/triangulate.hpp"

TEST_CASE("ear clipping covers simple polygons of either orientation with n-2 triangles") {
    auto area = [](const std::vector<Point2>& p) {
        double a = 0;
        for (std::size_t i = 0, j = p.size() - 1; i < p.size(); j = i++) a += p[j].x * p[i].y - p[i].x * p[j].y;
        return std::fabs(a) / 2;
    };
    // A concave "C" shape.
    std::vector<Point2> c = {{0, 0}, {4, 0}, {4, 1}, {1, 1}, {1, 3}, {4, 3}, {4, 4}, {0, 4}};
    for (int flip = 0; flip < 2; ++flip) {
        std::vector<std::uint32_t> tri;
        CHECK(triangulateRing(c, 10, tri) == c.size() - 2);
        double sum = 0;
        for (std::size_t k = 0; k < tri.size(); k += 3) {
            const Point2 &a = c[tri[k] - 10], &b = c[tri[k + 1] - 10], &d = c[tri[k + 2] - 10];
            sum += std::fabs((b.x - a.x) * (d.y - a.y) - (b.y - a.y) * (d.x - a.x)) / 2;
        }
        CHECK(sum == doctest::Approx(area(c)));
        std::reverse(c.begin(), c.end());
    }
    // Degenerate input terminates.
    std::vector<Point2> line = {{0, 0}, {1, 0}, {2, 0}, {3, 0}};
    std::vector<std::uint32_t> tri;
    triangulateRing(line, 0, tri);
    CHECK(tri.size() % 3 == 0);
}
