// The forecast of won value per period as of a date, by every method side by side with its basis:
//  * team_call       Closed + Commit (Best Case as upside), from the forecast categories;
//  * stage_weighted  each open deal due in the period x its stage's win rate learnt from deals
//                    closed by the as-of date (shrunk towards the CRM's stage probability);
//  * model           per deal P(won within the period) = P(closes in the period) x P(won | it
//                    closes), two L2 logistic regressions on the deal's state at past period
//                    starts (stage, age, amount, close date, activity, pushes, category, product;
//                    owner and segment as shrunk group effects), calibrated on later folds,
//                    plus new business not yet in the pipeline (trailing run-rate x season);
//  * Monte Carlo     of the model over deals: P10/P50/P90 per period, owner, team and segment
//                    (groups are sums within each trial, so they add up); seeded.
// The headline is the method or blend that backtests best on the user's own periods before the
// as-of date (no leakage), and its P10-P90 band is scaled so that its backtest coverage is ~80%.
// Everything as of D reads only data up to D: a forecast equals one made on the file cut at D.
//
// Index
//  [SECTION] settings   what to forecast (saved in a scenario)
//  [SECTION] result     per period, per method, per deal, per group
//  [SECTION] run        the job and the one-call form
#pragma once

#include "core/base/job.hpp"
#include "core/base/types.hpp"
#include "core/forecast/period.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace terrane {
class Workspace;
}

namespace terrane::forecast {

// [SECTION] settings
struct ForecastSettings {
    Date asOf = kDateNull; // kDateNull: the latest date in the data
    PeriodKind period = PeriodKind::Quarter;
    int periods = 1;      // periods forecast, the first one containing asOf
    int trials = 10000;   // Monte Carlo trials
    std::uint64_t seed = 1;
    int history = 0;      // past periods the headline is chosen and calibrated on; 0: 12 months, 8 quarters, 3 years
    bool naive = false;   // benchmarks only (not saved): every deal drawn in every trial
    bool operator==(const ForecastSettings&) const = default;
};

// [SECTION] result
// One method's figure for a period: closed won to date plus what it expects of the rest.
struct MethodFigure {
    std::string method; // "team_call", "stage_weighted", "model", "new_business", "monte_carlo", "run_rate"
    bool available = true;
    Money value = 0;           // the forecast (for new_business: that part alone)
    Money low = 0, high = 0;   // team_call: Closed + Commit .. + Best Case; monte_carlo: P10 .. P90
    std::string basis;         // one or two sentences: what it counts and from what
};

// One feature's push on a deal's log-odds of winning in the period (model).
struct Contribution {
    std::string feature; // "stage Negotiation", "no activity 45 days", "owner J. Smith" ...
    double logOdds = 0;
};

struct DealForecast {
    std::uint32_t row = 0; // row of the opportunities table
    std::string id, owner, team, segment, product, stage, category;
    Money amount = 0;
    Date closeDate = kDateNull;
    double probability = 0;   // P(won within the first period), calibrated
    double winProb = 0;       // P(won | it closes in the period)
    double timingProb = 0;    // P(it closes in the period)
    double stageProb = 0;     // its stage's learnt win rate (stage_weighted)
    std::vector<double> byPeriod; // P(won within each forecast period)
    std::array<Contribution, 3> top{}; // the features that moved its probability most
};

struct GroupFigure {
    std::string name;
    Money closedWon = 0; // won in the period up to asOf
    Money expected = 0;  // closed + mean of the model's trials
    Money p10 = 0, p50 = 0, p90 = 0;
};

struct PeriodForecast {
    Period period;
    Money closedWon = 0; // won in the period up to and including asOf
    Money p10 = 0, p50 = 0, p90 = 0; // the headline
    std::vector<MethodFigure> methods;
    std::vector<GroupFigure> owners, teams, segments; // teams: the owner's region (or manager)
    Money openInPeriod = 0; // open pipeline with a close date in the period
};

// How a method did on the periods before asOf (what chose the headline).
struct MethodScore {
    std::string method;
    double mdape = 0; // median absolute % error
    double bias = 0;  // median (forecast - actual) / actual
    int periods = 0;
};

struct ForecastResult {
    ForecastSettings settings;
    Date asOf = kDateNull;
    std::vector<PeriodForecast> periods;
    std::vector<DealForecast> deals; // open deals on asOf, by probability x amount, largest first
    std::string headline;      // "model", "stage_weighted", "team_call", "run_rate" or "blend"
    std::string headlineBasis; // e.g. "blend 60% model + 40% stage-weighted: 5.1% median error over 12 months"
    double bandScale = 1;      // the model band's scale chosen by the backtest
    double backtestCoverage = 0; // share of past periods inside the scaled band
    std::vector<MethodScore> scores;
    std::size_t trainingRows = 0, trainingDeals = 0; // deal-periods and closed deals learnt from
    double brier = 0;          // of the calibration fold (P(won in period))
    std::vector<std::string> notes; // thin history, fallbacks, ...
    std::uint64_t fingerprint = 0;  // of the headline figures and trials (same numbers check)
};

// [SECTION] run
// The forecast as a job (slices: snapshots, model fits, Monte Carlo trials). The workspace must
// outlive the job and stay unchanged while it runs.
class ForecastJob : public Job {
  public:
    ForecastJob(const Workspace& ws, const ForecastSettings& s);
    ~ForecastJob() override;
    std::string title() const override { return "Forecast"; }
    bool step(double budgetMs) override;
    double progress() const override;
    std::string detail() const override;
    double sliceMs() const override { return 30.0; }
    bool done() const;
    ForecastResult& result(); // valid once done

  private:
    struct State;
    std::unique_ptr<State> m;
};

ForecastResult runForecast(const Workspace& ws, const ForecastSettings& s);

} // namespace terrane::forecast
