// Backtest and calibration: for each period in a range, the pipeline as it stood at the period's
// start, the forecast made then (every method, the headline exactly as runForecast would have
// given it on the file cut at that date), and what was actually won; error per period, median
// absolute % error, bias and P10-P90 coverage per method, against baselines computed the same
// way (seasonal naive: the same period one season back; trailing mean; plain stage-weighted), and
// the calibration of the per-deal probabilities (deciles: predicted vs observed, Brier score).
#pragma once

#include "core/base/job.hpp"
#include "core/forecast/forecast.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace terrane::forecast {

struct BacktestSettings {
    PeriodKind period = PeriodKind::Month;
    Date from = kDateNull, to = kDateNull; // periods starting in [from, to]; null: the last 12 / 8 / 3
    std::uint64_t seed = 1;
    int history = 0; // as ForecastSettings::history
    bool naive = false; // benchmarks only: each period forecast from scratch, nothing shared
};

struct BacktestFigure {
    Money p10 = 0, p50 = 0, p90 = 0;
};

struct BacktestPeriod {
    Period period;
    Money actual = 0;    // won in the period (known at the end of the data)
    Money closedAtStart = 0; // won on the first day (already known as of the start)
    std::string headline; // the method or blend chosen then
    BacktestFigure forecast; // the headline and its band
    std::map<std::string, BacktestFigure> methods; // every method and baseline (p10 = p90 = p50 when it has no band)
};

struct MethodAccuracy {
    std::string method;
    int periods = 0;       // periods with an actual > 0
    double mdape = 0;      // median |forecast - actual| / actual
    double bias = 0;       // median (forecast - actual) / actual
    double coverage = 0;   // share of periods with p10 <= actual <= p90 (methods with a band)
    bool hasBand = false;
};

struct CalibrationBin {
    double lo = 0, hi = 0;   // predicted probability range
    double predicted = 0;    // mean predicted
    double observed = 0;     // share won in the period
    std::size_t deals = 0;
};

struct BacktestResult {
    BacktestSettings settings;
    std::vector<BacktestPeriod> periods;
    MethodAccuracy headline;               // "forecast"
    std::vector<MethodAccuracy> methods;   // model, stage_weighted, team_call, blend
    std::vector<MethodAccuracy> baselines; // seasonal_naive, trailing_mean, stage_weighted
    std::vector<CalibrationBin> calibration; // deciles of P(won within the period)
    double brier = 0;
    std::size_t calibrationDeals = 0;
    std::vector<std::string> notes;
};

class BacktestJob : public Job {
  public:
    BacktestJob(const Workspace& ws, const BacktestSettings& s);
    ~BacktestJob() override;
    std::string title() const override { return "Backtest"; }
    bool step(double budgetMs) override;
    double progress() const override;
    std::string detail() const override;
    double sliceMs() const override { return 30.0; }
    bool done() const;
    BacktestResult& result();

  private:
    struct State;
    std::unique_ptr<State> m;
};

BacktestResult runBacktest(const Workspace& ws, const BacktestSettings& s);

} // namespace terrane::forecast
