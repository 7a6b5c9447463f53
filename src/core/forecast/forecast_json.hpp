// Forecast settings, results and backtests as JSON: settings round-trip (a scenario saves them,
// so opening the file reproduces the numbers); results and backtests are written for the CLI
// and the page's test hook with money in major units. The methods' JSON keys ("run_rate") are a
// contract; methodName gives the name a person reads.
#pragma once

#include "core/forecast/backtest.hpp"
#include "core/forecast/forecast.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace terrane::forecast {

struct ForecastJsonError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A method's name for people from its JSON key: "run_rate" -> "Run-rate (trailing mean)"; an
// unknown key comes back as it is.
std::string methodName(std::string_view method);

nlohmann::ordered_json forecastSettingsToJson(const ForecastSettings& s);
// Throws ForecastJsonError naming `where` and the field on bad input; missing fields keep defaults.
ForecastSettings forecastSettingsFromJson(const nlohmann::ordered_json& j, const std::string& where);

// {"as_of", "period", "headline": {...}, "periods": [{"start", "end", "closed_won", "p10", "p50",
// "p90", "methods": {...}, "owners"/"teams"/"segments": [...]}], "deals": [...]}; `deals` caps
// the deal rows written (largest expected value first).
nlohmann::ordered_json forecastToJson(const ForecastResult& r, std::size_t deals);
// {"period", "periods": [{"start", "end", "p10", "p50", "p90", "actual", ...}],
// "median_abs_error", "bias", "coverage_p10_p90", "methods", "baselines", "calibration", "brier"}.
nlohmann::ordered_json backtestToJson(const BacktestResult& r);

} // namespace terrane::forecast
