// A forecast saved into a scenario: its JSON form (the `forecast` objects of .terrane files).
#include "core/forecast/saved_forecast.hpp"

#include <limits>

namespace terrane::forecast {

namespace {
std::string isoOrNull(Date d) { return d == kDateNull ? std::string() : formatDate(d); }

Date readDate(const Json& j, const char* key, const std::string& where) {
    const std::string s = jsonString(j, key, where, true);
    Date d = kDateNull;
    if (!parseIsoDate(s, d)) throw JsonFieldError(where + "." + key + ": expected a date YYYY-MM-DD, the file has '" + s + "'");
    return d;
}

Money readMoney(const Json& j, const char* key, const std::string& where) {
    return jsonInteger(jsonMember(j, key, where), where + "." + key, std::numeric_limits<std::int64_t>::min() / 2,
                       std::numeric_limits<std::int64_t>::max() / 2);
}
} // namespace

bool SavedForecast::operator==(const SavedForecast& o) const {
    return settings == o.settings && asOf == o.asOf && period == o.period && seed == o.seed && trials == o.trials &&
           method == o.method && savedAtMs == o.savedAtMs && periods == o.periods;
}

Json savedForecastToJson(const SavedForecast& f) {
    Json j;
    j["as_of"] = isoOrNull(f.asOf);
    j["period"] = f.period;
    j["seed"] = f.seed;
    j["trials"] = f.trials;
    j["method"] = f.method;
    j["saved_at"] = f.savedAtMs;
    j["settings"] = f.settings;
    Json ps = Json::array();
    for (const SavedPeriod& p : f.periods)
        ps.push_back({{"start", isoOrNull(p.start)}, {"end", isoOrNull(p.end)}, {"closed_won", p.closedWon}, {"p10", p.p10},
                      {"p50", p.p50}, {"p90", p.p90}, {"quota", p.quota}, {"coverage", p.coverage}});
    j["periods"] = std::move(ps);
    return j;
}

SavedForecast savedForecastFromJson(const Json& j, const std::string& where) {
    if (!j.is_object()) throw JsonFieldError(where + ": expected an object");
    SavedForecast f;
    f.asOf = readDate(j, "as_of", where);
    f.period = jsonString(j, "period", where, true);
    if (f.period != "month" && f.period != "quarter" && f.period != "year")
        throw JsonFieldError(where + ".period: expected month, quarter or year, the file has '" + f.period + "'");
    f.seed = static_cast<std::uint64_t>(jsonInteger(jsonMember(j, "seed", where), where + ".seed", 0, std::numeric_limits<std::int64_t>::max()));
    f.trials = static_cast<std::uint32_t>(jsonInteger(jsonMember(j, "trials", where), where + ".trials", 0, 10000000));
    f.method = jsonString(j, "method", where);
    if (j.contains("saved_at")) f.savedAtMs = jsonInteger(j["saved_at"], where + ".saved_at", 0, std::numeric_limits<std::int64_t>::max());
    if (j.contains("settings")) {
        if (!j["settings"].is_object()) throw JsonFieldError(where + ".settings: expected an object");
        f.settings = j["settings"];
    }
    const Json& ps = jsonMember(j, "periods", where);
    if (!ps.is_array()) throw JsonFieldError(where + ".periods: expected a list");
    for (std::size_t i = 0; i < ps.size(); ++i) {
        const std::string pw = where + ".periods[" + std::to_string(i) + "]";
        if (!ps[i].is_object()) throw JsonFieldError(pw + ": expected an object");
        SavedPeriod p;
        p.start = readDate(ps[i], "start", pw);
        p.end = readDate(ps[i], "end", pw);
        if (p.end < p.start) throw JsonFieldError(pw + ".end: expected a date on or after start");
        p.closedWon = readMoney(ps[i], "closed_won", pw);
        p.p10 = readMoney(ps[i], "p10", pw);
        p.p50 = readMoney(ps[i], "p50", pw);
        p.p90 = readMoney(ps[i], "p90", pw);
        if (ps[i].contains("quota")) p.quota = readMoney(ps[i], "quota", pw);
        if (ps[i].contains("coverage")) {
            if (!ps[i]["coverage"].is_number()) throw JsonFieldError(pw + ".coverage: expected a number");
            p.coverage = ps[i]["coverage"].get<double>();
        }
        f.periods.push_back(p);
    }
    return f;
}

} // namespace terrane::forecast
