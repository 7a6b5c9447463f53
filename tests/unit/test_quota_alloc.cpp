// Quota allocation: reconciliation at every level, methods, locks, rounding, periods.
#include "core/quota/allocate.hpp"
#include "core/quota/apportion.hpp"
#include "core/rng.hpp"
#include "core/sample.hpp"
#include "core/workspace.hpp"

#include <doctest/doctest.h>

#include <numeric>

using namespace terrane;

namespace {
Workspace sampleWs(std::size_t accounts = 2000, std::size_t reps = 24, std::uint64_t seed = 3) {
    Workspace ws;
    SampleOptions o;
    o.accounts = accounts;
    o.reps = reps;
    o.seed = seed;
    generateSample(o, ws);
    return ws;
}

Money sumOf(const std::vector<Money>& v) { return std::accumulate(v.begin(), v.end(), Money{0}); }
} // namespace

TEST_CASE("apportion splits exactly, honours locks and places the sub-unit remainder on the largest share") {
    const std::vector<std::int64_t> w{5, 3, 2};
    Apportionment a = apportion(1000000, w, {}, 1000);
    CHECK(sumOf(a.amounts) == 1000000);
    CHECK(a.amounts == std::vector<Money>{500000, 300000, 200000});
    a = apportion(1000500, w, {}, 1000);
    CHECK(sumOf(a.amounts) == 1000500);
    CHECK(a.remainder == 500);
    CHECK(a.remainderAt == 0);
    const std::vector<Money> locks{kMoneyNull, 700000, kMoneyNull};
    a = apportion(1000000, w, locks, 1000);
    CHECK(a.amounts[1] == 700000);
    CHECK(sumOf(a.amounts) == 1000000);
    CHECK(a.amounts[0] == 214000); // 300000 split 5:2 -> 214285.7 / 85714.3 in whole 1000s
    CHECK(a.amounts[2] == 86000);
    // A lock larger than the total cannot be honoured: locks are ignored, the sum still holds.
    const std::vector<Money> big{kMoneyNull, 2000000, kMoneyNull};
    a = apportion(1000000, w, big, 1000);
    CHECK(a.locksIgnored);
    CHECK(sumOf(a.amounts) == 1000000);
    // All zero weights: equal split.
    const std::vector<std::int64_t> z{0, 0, 0, 0};
    a = apportion(1000, z, {}, 1);
    CHECK(a.equalFallback);
    CHECK(a.amounts == std::vector<Money>{250, 250, 250, 250});
}

TEST_CASE("roundMatrix keeps every row and column sum exact") {
    Rng rng(9);
    for (int iter = 0; iter < 200; ++iter) {
        const std::size_t R = 1 + rng.below(9), C = 1 + rng.below(12);
        std::vector<Money> rows(R), cols(C);
        Money total = 0;
        for (auto& r : rows) r = static_cast<Money>(rng.below(1000)) * 100, total += r;
        // Columns: an apportionment of the total by random weights.
        std::vector<std::int64_t> w(C);
        for (auto& x : w) x = 1 + rng.below(50);
        cols = apportion(total, w, {}, 100).amounts;
        const auto m = roundMatrix(rows, cols, 100);
        for (std::size_t i = 0; i < R; ++i) {
            Money s = 0;
            for (std::size_t j = 0; j < C; ++j) {
                s += m[i * C + j];
                CHECK(m[i * C + j] >= 0);
            }
            CHECK(s == rows[i]);
        }
        for (std::size_t j = 0; j < C; ++j) {
            Money s = 0;
            for (std::size_t i = 0; i < R; ++i) s += m[i * C + j];
            CHECK(s == cols[j]);
        }
    }
}

TEST_CASE("the sample plan: region > district > territory, reconciled with over-assignment per level") {
    Workspace ws = sampleWs();
    Scenario& sc = ws.baseline();
    sc.quota.target = 1200000000; // $12M
    sc.quota.overAssignPpm = {50000, 30000, 20000};
    const QuotaResult r = computeQuotas(ws, sc);
    INFO(checkReconciliation(r));
    CHECK(r.ok);
    CHECK(r.reconciled);
    const auto& N = r.tree.nodes;
    std::size_t regions = 0, districts = 0, territories = 0;
    for (const auto& n : N) {
        regions += n.level == QuotaLevel::Region;
        districts += n.level == QuotaLevel::District;
        territories += n.level == QuotaLevel::Territory;
    }
    CHECK(regions == 4);
    CHECK(districts >= 4);
    CHECK(territories == 24);
    CHECK(r.levelTotals[1] == applyPpm(1200000000, 50000));
    CHECK(r.levelTotals[2] == applyPpm(applyPpm(1200000000, 50000), 30000));
    CHECK(r.leafTotal == applyPpm(applyPpm(applyPpm(1200000000, 50000), 30000), 20000));
    CHECK(r.leafTotal == r.expectedLeafTotal);
    CHECK(r.repTotal + r.heldTotal == r.leafTotal);
    for (const auto& n : N) CHECK(!n.basis.empty());
    MESSAGE(N[1].basis);
    MESSAGE(N[N.size() - 1].basis);
}
