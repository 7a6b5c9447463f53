#include "core/geo/geo.hpp"
#include "core/import/loader.hpp"
#include "core/scenario/sample.hpp"
#include "core/scenario/summary.hpp"

#include "sample_fixture.hpp"

#include <algorithm>
#include <cmath>
#include <doctest/doctest.h>
#include <map>
#include <set>

using namespace terrane;

namespace {
} // namespace

TEST_CASE("gazetteer is loaded from the embedded asset") {
    const Gazetteer& g = Gazetteer::builtIn();
    CHECK(g.states().size() >= 51);
    CHECK(g.zips().size() > 30000);
    const ZipInfo* z = g.zip(10001);
    REQUIRE(z);
    CHECK(g.states()[z->state].code == "NY");
    CHECK(std::fabs(z->lat - 40.75) < 0.1);
    CHECK(g.countries().size() > 200);
    CHECK(g.cities().size() > 20000);
    CHECK(g.fsas().size() > 1000);
}

TEST_CASE("same seed gives byte-identical CSVs - another seed differs") {
    Workspace a = fixture::sampleWorkspace(800, 12, 7), b = fixture::sampleWorkspace(800, 12, 7), c = fixture::sampleWorkspace(800, 12, 8);
    for (auto k : {DatasetKind::Accounts, DatasetKind::Reps, DatasetKind::Territories, DatasetKind::Opportunities})
        CHECK(tableToCsv(a.table(k), k) == tableToCsv(b.table(k), k));
    CHECK(tableToCsv(a.accounts(), DatasetKind::Accounts) != tableToCsv(c.accounts(), DatasetKind::Accounts));
}

TEST_CASE("sample distributions are within stated ranges") {
    Workspace ws = fixture::sampleWorkspace(5000, 40, 42);
    const Table& acc = ws.accounts();
    REQUIRE(acc.rows() == 5000);
    std::map<std::string, int> seg;
    std::set<std::string> states;
    int customers = 0, locked = 0;
    std::vector<double> emp;
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        seg[std::string(acc.str(acc.indexOf("segment"), r))]++;
        states.insert(std::string(acc.str(acc.indexOf("state"), r)));
        customers += acc.i64(acc.indexOf("arr"), r) > 0;
        locked += acc.flag(acc.indexOf("locked"), r);
        emp.push_back(static_cast<double>(acc.i64(acc.indexOf("employees"), r)));
        CHECK(acc.i64(acc.indexOf("potential"), r) >= 200000); // at least $2,000
        CHECK(!acc.str(acc.indexOf("territory"), r).empty());
    }
    const double share = customers / 5000.0;
    CHECK(share > 0.11);
    CHECK(share < 0.19);
    CHECK(seg["SMB"] > seg["Mid-Market"]);
    CHECK(seg["Mid-Market"] > seg["Enterprise"]);
    CHECK(seg["Enterprise"] > 100);
    CHECK(states.size() > 40);
    CHECK(locked > 0);
    // Heavy tail: the largest employer is far above the median.
    std::sort(emp.begin(), emp.end());
    CHECK(emp.back() > 100 * emp[emp.size() / 2]);

    const Table& reps = ws.reps();
    REQUIRE(reps.rows() == 40);
    int vacant = 0, ramping = 0;
    std::set<std::string> regions;
    for (std::size_t r = 0; r < reps.rows(); ++r) {
        vacant += reps.flag(reps.indexOf("vacant"), r);
        const double cap = reps.f64(reps.indexOf("capacity"), r);
        ramping += cap > 0 && cap < 1;
        regions.insert(std::string(reps.str(reps.indexOf("region"), r)));
    }
    CHECK(vacant == 2);
    CHECK(ramping >= 2);
    CHECK(regions.size() == 4);
    CHECK(ws.active().leaves().size() == 40);

    // Unbalanced on purpose: the largest territory holds far more potential than the smallest.
    std::vector<double> pot(ws.territories().rows(), 0.0);
    for (std::size_t r = 0; r < acc.rows(); ++r) pot[static_cast<std::size_t>(ws.baseline().assignment[r])] += acc.f64(acc.indexOf("potential"), r);
    double lo = 1e300, hi = 0;
    for (auto t : ws.active().leaves()) lo = std::min(lo, pot[static_cast<std::size_t>(t)]), hi = std::max(hi, pot[static_cast<std::size_t>(t)]);
    CHECK(hi > 2 * lo);

    // Opportunities: win rate and open/closed mix are plausible.
    const WorkspaceSummary s = summarize(ws);
    CHECK(s.opportunities > 2000);
    const double winRate = static_cast<double>(s.won) / static_cast<double>(s.won + s.lost);
    CHECK(winRate > 0.10);
    CHECK(winRate < 0.35);
    CHECK(s.openOpportunities > 200);
    CHECK(s.openPipeline > 0);
}

TEST_CASE("closed opportunities close after they were created and open ones are not closed") {
    Workspace ws = fixture::sampleWorkspace(2000, 16, 3);
    const Table& o = ws.opportunities();
    const int created = o.indexOf("created_date"), close = o.indexOf("close_date"), closed = o.indexOf("is_closed");
    const Date asOf = SampleOptions{}.asOf;
    for (std::size_t r = 0; r < o.rows(); ++r) {
        CHECK(o.i64(close, r) >= o.i64(created, r));
        if (o.flag(closed, r)) CHECK(o.i64(close, r) <= asOf);
        CHECK(o.i64(created, r) <= asOf);
    }
}

TEST_CASE("CSV written by the generator re-imports to the same summary") {
    Workspace ws = fixture::sampleWorkspace(3000, 24, 11);
    Workspace back;
    for (auto k : {DatasetKind::Territories, DatasetKind::Reps, DatasetKind::Accounts, DatasetKind::Opportunities}) {
        ImportOptions o;
        o.kind = k;
        o.fileName = datasetKindName(k);
        o.geocode = false; // the generator writes coordinates; geocoding would add geo_precision
        ImportReport rep;
        std::string err;
        REQUIRE(importInto(back, tableToCsv(ws.table(k), k), o, rep, err));
        CHECK(rep.rowsRejected == 0);
    }
    CHECK(summaryToJson(summarize(ws)) == summaryToJson(summarize(back)));
    CHECK(tableToCsv(ws.accounts(), DatasetKind::Accounts) == tableToCsv(back.accounts(), DatasetKind::Accounts));
}

TEST_CASE("the generator scales to one million accounts") {
    Workspace ws = fixture::sampleWorkspace(1000000, 1000, 7);
    CHECK(ws.accounts().rows() == 1000000);
    CHECK(ws.reps().rows() == 1000);
    CHECK(ws.active().leaves().size() == 1000);
    const WorkspaceSummary s = summarize(ws);
    CHECK(s.assignedAccounts == 1000000);
    CHECK(s.customers > 110000);
    CHECK(s.customers < 190000);
    CHECK(ws.accounts().duplicateIds() == 0);
    CHECK(ws.accounts().rowOf("A1000000").value() == 999999);
}
