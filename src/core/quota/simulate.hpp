// Attainment simulation: a seeded Monte Carlo of each rep's bookings in the plan year, from
//  * the open pipeline closing in the plan year: each deal wins with its stage's historical win
//    rate (stage history where available, else the opportunity's stage probability), and
//  * new pipeline yet to be created: deals created at the territory's historical rate, won at its
//    (shrunk) historical win rate, with historical deal sizes and cycle lengths; the count of
//    such deals that close inside the plan year is Poisson with the mean that implies.
// Bookings ÷ quota gives the attainment distribution per rep, the share of reps at or above
// 100% (healthy: 60-70%), expected bookings against target and P10/P50/P90.
//
// Integer arithmetic in the trial loop (uint32 thresholds, integer alias tables, money in minor
// units) and core/rng.hpp streams per rep make results bit-identical natively and in wasm and
// independent of how the job is sliced.
#pragma once

#include "core/base/job.hpp"
#include "core/quota/allocate.hpp"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace terrane::quota {

struct SimRep {
    std::string repId, name;
    Money quota = 0;
    std::uint32_t dealBegin = 0, dealCount = 0;     // open deals, into SimModel::deal*
    std::uint32_t amountBegin = 0, amountCount = 0; // won deal sizes, into SimModel::amounts
    std::uint32_t aliasBegin = 0, aliasCount = 0;   // Poisson alias table, into SimModel::alias*
    std::uint32_t aliasOffset = 0;                  // the Poisson count of alias slot 0
    double newDealsMean = 0;                        // expected new deals won in the plan year
    double createdPerMonth = 0, winRate = 0, capacity = 1.0;
    Money openPipeline = 0;                   // open deals closing in the plan year
    double expectedOpen = 0, expectedNew = 0; // expected bookings, minor units
    std::string basis;
};

struct SimModel {
    std::vector<SimRep> reps;
    std::vector<std::uint32_t> dealThreshold; // win iff a uniform uint32 < threshold
    std::vector<double> dealProbability;      // the same, as a probability (naive engine)
    std::vector<Money> dealAmount;
    std::vector<Money> amounts; // won deal sizes: the shared pool first
    std::vector<std::uint32_t> aliasThreshold, aliasIndex;
    Money target = 0, totalQuota = 0;
    std::uint64_t seed = 1;
    std::uint32_t trials = 1000;
    int planYear = 0;
    Date asOf = kDateNull, planStart = kDateNull, planEnd = kDateNull;
    std::vector<std::pair<std::string, double>> stageWinRates;
    std::string winRateSource; // "stage history" or "opportunity stage probability"
    double globalWinRate = 0;
    double medianCycleDays = 0;
    std::size_t wonDeals = 0;
    std::vector<QuotaIssue> issues;
};

// Builds the per-rep arrays for `quotas` (reps with a positive quota; held quota excluded).
SimModel buildSimModel(const Workspace& ws, const Scenario& sc, const QuotaResult& quotas, std::uint64_t seed,
                       std::uint32_t trials);

struct RepAttainment {
    // Attainment as a fraction of quota (1.0 = 100%).
    double mean = 0, p10 = 0, p25 = 0, p50 = 0, p75 = 0, p90 = 0;
    double probAtQuota = 0;      // share of trials at or above 100%
    double expectedBookings = 0; // minor units
};

struct SimResult {
    static constexpr int kHistBins = 31; // 0-10%, ..., 290-300%, 300%+
    static constexpr double kHistBinWidth = 0.1;
    bool complete = false;
    std::uint64_t seed = 0;
    std::uint32_t trials = 0;
    std::vector<RepAttainment> reps; // SimModel::reps order
    double shareAtQuota = 0;         // expected share of reps at or above 100%
    double shareP10 = 0, shareP50 = 0, shareP90 = 0;
    double expectedTotal = 0; // expected bookings of all reps, minor units
    Money totalP10 = 0, totalP50 = 0, totalP90 = 0;
    Money target = 0, totalQuota = 0;
    std::vector<std::uint64_t> histogram; // rep-trials per attainment bin
    std::uint64_t fingerprint = 0;        // FNV-1a of every trial's total and reps at quota
    bool healthy() const { return shareAtQuota >= 0.6 && shareAtQuota <= 0.7; }
};

// The simulation in slices (reps in order, all trials of a rep at once): progress, cancel.
class SimulationJob : public Job {
  public:
    explicit SimulationJob(std::shared_ptr<const SimModel> model);
    std::string title() const override { return "Simulating attainment"; }
    bool step(double budgetMs) override;
    double progress() const override;
    std::string detail() const override;
    const SimResult& result() const { return m_result; }
    const SimModel& model() const { return *m_model; }
    // Milliseconds spent in step() so far: the compute time, however the job was sliced.
    double computeMs() const { return m_computeMs; }
    // Keeps every rep's bookings per trial (reps x trials, minor units) for verification.
    void keepBookings(bool keep) { m_keep = keep; }
    const std::vector<Money>& keptBookings() const { return m_kept; }
    // Called with each rep's bookings of every trial as soon as they are drawn (rep index, one
    // value per trial): lets a consumer (the commission cost simulation) stream them.
    void setRepSink(std::function<void(std::size_t, const Money*, std::uint32_t)> sink) { m_sink = std::move(sink); }

  private:
    void finish();
    std::shared_ptr<const SimModel> m_model;
    std::size_t m_next = 0;
    std::vector<Money> m_totals;
    std::vector<std::uint32_t> m_hits;
    std::vector<Money> m_buf;
    std::vector<std::uint32_t> m_fine;        // trials per fine attainment bin of the current rep
    std::vector<std::int8_t> m_binSlot;       // fine bin -> slot of m_select (-1: not a rank's bin)
    std::vector<std::vector<Money>> m_select; // trials of the bins holding a percentile rank
    SimResult m_result;
    bool m_keep = false;
    double m_computeMs = 0;
    std::vector<Money> m_kept;
    std::function<void(std::size_t, const Money*, std::uint32_t)> m_sink;
    static constexpr std::uint32_t kFineBins = 2048;
};

// Runs the simulation to completion.
SimResult simulateAttainment(const SimModel& model);
// A straightforward implementation (one stream, trial by trial, double probabilities, libm-free
// Poisson by multiplication, sorting per rep) kept as the benchmark baseline; same model and
// distribution, different random draws.
SimResult simulateAttainmentNaive(const SimModel& model);

} // namespace terrane::quota
