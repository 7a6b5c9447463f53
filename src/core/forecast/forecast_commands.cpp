// The forecast's scenario commands: validation, application, undo, descriptions, JSON.
#include "core/forecast/forecast_commands.hpp"

#include "core/base/format.hpp"
#include "core/scenario/scenario.hpp"

namespace terrane::forecast {

std::string SaveForecast::apply(const CommandContext&, Scenario& sc) {
    if (forecast) {
        if (forecast->asOf == kDateNull) return "a saved forecast needs its as-of date";
        if (forecast->periods.empty()) return "a saved forecast needs at least one period";
        for (const SavedPeriod& p : forecast->periods)
            if (!(p.p10 <= p.p50 && p.p50 <= p.p90)) return "a saved forecast's P10, P50 and P90 must be in order";
    }
    previous = sc.forecast;
    sc.forecast = forecast;
    return {};
}

void SaveForecast::undo(Scenario& sc) const { sc.forecast = previous; }

std::string SaveForecast::describe(const Scenario&) const {
    if (!forecast) return "Remove the saved forecast";
    const SavedPeriod& p = forecast->periods.front();
    return "Save the " + forecast->period + " forecast as of " + fmt::date(forecast->asOf) + " (P50 " + fmt::moneyCompact(p.p50) +
           ", seed " + std::to_string(forecast->seed) + ")";
}

void SaveForecast::write(Json& j, const Scenario&) const {
    j["forecast"] = forecast ? savedForecastToJson(*forecast) : Json(nullptr);
}

SaveForecast SaveForecast::read(const CommandReader& r) {
    SaveForecast c;
    if (r.has("forecast") && !r.json()["forecast"].is_null()) c.forecast = savedForecastFromJson(r.member("forecast"), r.where() + ".forecast");
    return c;
}

} // namespace terrane::forecast
