// Attainment simulation: determinism, slicing independence, exact percentiles, the model's
// expectation, and agreement with the naive baseline.
#include "core/quota/fairness.hpp"
#include "core/quota/simulate.hpp"
#include "core/scenario/sample.hpp"
#include "core/scenario/workspace.hpp"

#include "sample_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace terrane;
using namespace terrane::quota;

namespace {
struct Fixture {
    Workspace ws;
    QuotaResult q;
    Fixture(std::size_t accounts = 3000, std::size_t reps = 20) : ws(fixture::sampleWorkspace(accounts, reps, 11)) {
        ws.baseline().quota.target = 250000000;
        q = computeQuotas(ws, ws.baseline());
    }
};

bool sameResult(const SimResult& a, const SimResult& b) {
    if (a.fingerprint != b.fingerprint || a.reps.size() != b.reps.size() || a.histogram != b.histogram)
        return false;
    for (std::size_t i = 0; i < a.reps.size(); ++i) {
        const auto &x = a.reps[i], &y = b.reps[i];
        if (x.mean != y.mean || x.p10 != y.p10 || x.p50 != y.p50 || x.p90 != y.p90 ||
            x.probAtQuota != y.probAtQuota)
            return false;
    }
    return a.shareAtQuota == b.shareAtQuota && a.totalP50 == b.totalP50 && a.expectedTotal == b.expectedTotal;
}
} // namespace

TEST_CASE("the simulation model: open deals closing in the plan year, new pipeline, a basis per rep") {
    Fixture f;
    const SimModel m = buildSimModel(f.ws, f.ws.baseline(), f.q, 1, 500);
    CHECK(m.reps.size() == f.q.reps.size());
    CHECK(m.planYear == 2027);
    CHECK(m.globalWinRate > 0.05);
    CHECK(m.globalWinRate < 0.6);
    CHECK(m.wonDeals > 50);
    CHECK(!m.stageWinRates.empty());
    std::size_t deals = 0;
    for (const SimRep& r : m.reps) {
        deals += r.dealCount;
        CHECK(r.quota > 0);
        CHECK(r.newDealsMean >= 0);
        CHECK(r.basis.find("open deals closing in 2027") != std::string::npos);
        for (std::uint32_t d = r.dealBegin; d < r.dealBegin + r.dealCount; ++d) {
            CHECK(m.dealProbability[d] > 0);
            CHECK(m.dealProbability[d] < 1);
        }
    }
    CHECK(deals > 0);
}

TEST_CASE("same seed, same result, however the job is sliced - another seed differs") {
    Fixture f;
    auto model = std::make_shared<SimModel>(buildSimModel(f.ws, f.ws.baseline(), f.q, 42, 3000));
    const SimResult whole = simulateAttainment(*model);
    SimulationJob sliced(model);
    int steps = 0;
    double lastProgress = -1;
    while (!sliced.step(0.0)) { // at most one rep per step
        CHECK(sliced.progress() > lastProgress);
        lastProgress = sliced.progress();
        ++steps;
    }
    CHECK(steps + 1 >= static_cast<int>(model->reps.size()));
    CHECK(sameResult(whole, sliced.result()));
    CHECK(sameResult(whole, simulateAttainment(*model)));
    auto other = std::make_shared<SimModel>(buildSimModel(f.ws, f.ws.baseline(), f.q, 43, 3000));
    CHECK(simulateAttainment(*other).fingerprint != whole.fingerprint);
    // Cancelling stops early and leaves the result incomplete.
    SimulationJob cancelled(model);
    cancelled.step(0.0);
    cancelled.cancel();
    CHECK(cancelled.step(1e9));
    CHECK_FALSE(cancelled.result().complete);
}

TEST_CASE("percentiles are exact order statistics of each rep's simulated bookings") {
    Fixture f(2000, 12);
    auto model = std::make_shared<SimModel>(buildSimModel(f.ws, f.ws.baseline(), f.q, 5, 4001));
    SimulationJob job(model);
    job.keepBookings(true);
    runToCompletion(job);
    const SimResult& r = job.result();
    const std::vector<Money>& all = job.keptBookings();
    const std::size_t T = model->trials;
    REQUIRE(all.size() == T * model->reps.size());
    std::vector<Money> totals(T, 0);
    for (std::size_t i = 0; i < model->reps.size(); ++i) {
        std::vector<Money> v(all.begin() + static_cast<std::ptrdiff_t>(i * T),
                             all.begin() + static_cast<std::ptrdiff_t>((i + 1) * T));
        for (std::size_t t = 0; t < T; ++t) totals[t] += v[t];
        std::sort(v.begin(), v.end());
        const double q = static_cast<double>(model->reps[i].quota);
        auto at = [&](double p) {
            return static_cast<double>(
                       v[static_cast<std::size_t>(std::floor(p * static_cast<double>(T - 1) + 0.5))]) /
                   q;
        };
        CHECK(r.reps[i].p10 == at(0.1));
        CHECK(r.reps[i].p25 == at(0.25));
        CHECK(r.reps[i].p50 == at(0.5));
        CHECK(r.reps[i].p75 == at(0.75));
        CHECK(r.reps[i].p90 == at(0.9));
        const auto hits =
            std::count_if(v.begin(), v.end(), [&](Money b) { return b >= model->reps[i].quota; });
        CHECK(r.reps[i].probAtQuota == static_cast<double>(hits) / static_cast<double>(T));
    }
    std::sort(totals.begin(), totals.end());
    CHECK(r.totalP50 == totals[2000]);
    std::uint64_t histTotal = 0;
    for (auto h : r.histogram) histTotal += h;
    CHECK(histTotal == T * model->reps.size());
}

TEST_CASE("simulated bookings match the model's expectation, and the naive baseline agrees") {
    Fixture f;
    const SimModel m = buildSimModel(f.ws, f.ws.baseline(), f.q, 9, 20000);
    const SimResult fast = simulateAttainment(m);
    const SimResult naive = simulateAttainmentNaive(m);
    double expected = 0;
    for (const SimRep& r : m.reps) expected += r.expectedOpen + r.expectedNew;
    // 20,000 trials: the mean of the total is within a fraction of a percent of its expectation.
    CHECK(std::fabs(fast.expectedTotal - expected) / expected < 0.01);
    CHECK(std::fabs(naive.expectedTotal - expected) / expected < 0.01);
    CHECK(std::fabs(fast.shareAtQuota - naive.shareAtQuota) < 0.02);
    for (std::size_t i = 0; i < m.reps.size(); ++i)
        CHECK(std::fabs(fast.reps[i].mean - naive.reps[i].mean) < 0.05 + 0.03 * naive.reps[i].mean);
    CHECK(fast.totalP10 <= fast.totalP50);
    CHECK(fast.totalP50 <= fast.totalP90);
    CHECK(fast.shareP10 <= fast.shareAtQuota + 1e-12);
}

TEST_CASE("fairness: quota to potential and history ratios, CV, Gini and outliers") {
    const RatioStats same = ratioStats({2, 2, 2, 2});
    CHECK(same.cv == 0);
    CHECK(same.gini == 0);
    const RatioStats s = ratioStats({1, 2, 3, 4, std::nan("")});
    CHECK(s.count == 4);
    CHECK(s.mean == doctest::Approx(2.5));
    CHECK(s.median == doctest::Approx(2.5));
    CHECK(s.gini == doctest::Approx(0.25)); // sum |xi - xj| / (2 n^2 mean) = 20 / 80
    CHECK(s.cv == doctest::Approx(std::sqrt(1.25) / 2.5));
    Fixture f;
    f.ws.baseline().quota.allocation.method = QuotaMethod::Potential;
    QuotaResult q = computeQuotas(f.ws, f.ws.baseline());
    Fairness fp = assessFairness(q);
    CHECK(fp.potential.cv < 0.01); // share of potential: every ratio the same up to rounding
    CHECK(fp.outliers == [&] {
        std::size_t n = 0;
        for (const auto& r : fp.rows) n += r.outlierPotential || r.outlierHistory;
        return n;
    }());
    // Lock one territory far above its share: it is flagged as an outlier on potential.
    const QuotaNode* leaf = nullptr;
    for (const auto& n : q.tree.nodes)
        if (n.level == QuotaLevel::Territory && n.potential > 0 &&
            q.tree.nodes[static_cast<std::size_t>(n.parent)].children.size() >= 4)
            leaf = &n;
    REQUIRE(leaf);
    f.ws.baseline().quota.overrides = {QuotaOverride{leaf->id, leaf->quota * 9 / 5}};
    q = computeQuotas(f.ws, f.ws.baseline());
    fp = assessFairness(q);
    bool flagged = false;
    for (const auto& r : fp.rows)
        if (q.tree.nodes[static_cast<std::size_t>(r.node)].id == leaf->id)
            flagged = r.outlierPotential && r.potentialDeviation > 0.5;
    CHECK(flagged);
    CHECK(fp.potential.gini > 0.005);
}
