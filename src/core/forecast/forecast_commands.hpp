// The forecast's scenario commands: saving a forecast (its settings and headline) into the
// scenario, or clearing it. See core/scenario/command.hpp for what every command provides.
#pragma once

#include "core/forecast/saved_forecast.hpp"
#include "core/scenario/command.hpp"

#include <optional>

namespace terrane::forecast {

// Saves `forecast` into the scenario (none clears it); `previous` is filled when applied.
struct SaveForecast {
    TERRANE_COMMAND(SaveForecast, "save_forecast", CommandDomain::Forecast);
    std::optional<SavedForecast> forecast;
    std::optional<SavedForecast> previous;
};

} // namespace terrane::forecast
