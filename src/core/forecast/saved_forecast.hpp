// A forecast saved into a scenario: the settings that reproduce it (as-of date, period, seed,
// trials ... as forecast.hpp's ForecastSettings JSON) and the headline figures it gave when saved,
// so whoever opens the .terrane file sees the same numbers and can re-run them to check.
#pragma once

#include "core/base/types.hpp"
#include "core/scenario/command_json.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace terrane::forecast {

// One forecast period's headline as saved (money in minor units).
struct SavedPeriod {
    Date start = kDateNull, end = kDateNull; // both inclusive
    Money closedWon = 0;                      // won before the as-of date inside the period
    Money p10 = 0, p50 = 0, p90 = 0;          // won value in the period, closed included
    Money quota = 0;                          // the period's quota or target (0: none set)
    double coverage = 0;                      // open pipeline due in the period / quota left (0: no quota)
    bool operator==(const SavedPeriod&) const = default;
};

struct SavedForecast {
    Json settings = Json::object(); // ForecastSettings as JSON (forecast.hpp round-trips it)
    Date asOf = kDateNull;
    std::string period;             // "month", "quarter" or "year"
    std::uint64_t seed = 1;
    std::uint32_t trials = 0;
    std::string method;             // the method (or blend) the headline comes from
    std::int64_t savedAtMs = 0;     // Unix ms when saved
    std::vector<SavedPeriod> periods;
    bool operator==(const SavedForecast& o) const;
};

Json savedForecastToJson(const SavedForecast& f);
// Throws JsonFieldError naming `where` and the field on bad input.
SavedForecast savedForecastFromJson(const Json& j, const std::string& where);

} // namespace terrane::forecast
