// What runs the Forecast workspace's figures: a request (the settings of one run), the job's
// stages, and the view those stages fill from core's pipeline, forecast and backtest
// (forecast_view.cpp).
#pragma once

#include "app/analyse/forecast_ui.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace terrane {

struct ForecastRequest {
    Date asOf = kDateNull;
    std::string period; // "month", "quarter", "year"
    int periods = 4, trials = 2000;
    std::uint64_t seed = 1;
    int backtestPeriods = 8;
};

// One stage of a run: `run` works for about `budgetMs` and returns true when the stage is done.
struct ForecastStage {
    std::string label;
    std::function<bool(double budgetMs)> run;
    std::function<double()> progress; // 0..1 within the stage; may be empty
};

// The stages that compute `req` on the app's workspace and fill `out` (forecast_view.cpp).
std::vector<ForecastStage> forecastStages(App& app, const ForecastRequest& req, std::shared_ptr<ForecastView> out);
// The as-of date a new forecast starts from: the sample's as-of date, else the latest date in
// the opportunities (the export's date), else today.
Date defaultForecastAsOf(const App& app);
// Changes when what the forecast reads changes (datasets, active scenario, its quota set-up).
std::uint64_t forecastInputsVersion(const App& app);

} // namespace terrane
