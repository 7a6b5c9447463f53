// Forecast settings, results and backtests as JSON (see forecast_json.hpp).
#include "core/forecast/forecast_json.hpp"

namespace terrane::forecast {

using J = nlohmann::ordered_json;

std::string methodName(std::string_view m) {
    static constexpr std::pair<std::string_view, const char*> kNames[] = {
        {"team_call", "Team's call"},
        {"stage_weighted", "Stage-weighted"},
        {"stage_weighted_plain", "Stage-weighted (plain)"},
        {"model", "Model (per-deal win x timing)"},
        {"new_business", "New business (not yet in the pipeline)"},
        {"monte_carlo", "Monte Carlo P50"},
        {"blend", "Blend of methods"},
        {"run_rate", "Run-rate (trailing mean)"},
        {"seasonal_naive", "Seasonal naive"},
        {"trailing_mean", "Trailing mean"},
    };
    for (const auto& [key, name] : kNames)
        if (key == m) return name;
    return std::string(m);
}

nlohmann::ordered_json forecastSettingsToJson(const ForecastSettings& s) {
    J j;
    j["as_of"] = formatDate(s.asOf);
    j["period"] = periodKindName(s.period);
    j["periods"] = s.periods;
    j["trials"] = s.trials;
    j["seed"] = s.seed;
    j["history"] = s.history;
    return j;
}

ForecastSettings forecastSettingsFromJson(const nlohmann::ordered_json& j, const std::string& where) {
    ForecastSettings s;
    if (!j.is_object()) throw ForecastJsonError(where + ": expected an object");
    auto bad = [&](const char* f, const char* what) { throw ForecastJsonError(where + "." + f + ": expected " + what); };
    if (j.contains("as_of")) {
        if (!j["as_of"].is_string()) bad("as_of", "a date YYYY-MM-DD or \"\"");
        const std::string t = j["as_of"].get<std::string>();
        if (!t.empty() && !parseIsoDate(t, s.asOf)) bad("as_of", "a date YYYY-MM-DD or \"\"");
    }
    if (j.contains("period") && (!j["period"].is_string() || !parsePeriodKind(j["period"].get<std::string>(), s.period)))
        bad("period", "\"month\", \"quarter\" or \"year\"");
    auto integer = [&](const char* f, int lo, int hi, int& out) {
        if (!j.contains(f)) return;
        if (!j[f].is_number_integer() || j[f].get<long long>() < lo || j[f].get<long long>() > hi) {
            const std::string what = "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
            bad(f, what.c_str());
        }
        out = j[f].get<int>();
    };
    integer("periods", 1, 36, s.periods);
    integer("trials", 1, 1000000, s.trials);
    integer("history", 0, 60, s.history);
    if (j.contains("seed")) {
        if (!j["seed"].is_number_unsigned() && !(j["seed"].is_number_integer() && j["seed"].get<long long>() >= 0))
            bad("seed", "a non-negative integer");
        s.seed = j["seed"].get<std::uint64_t>();
    }
    return s;
}

namespace {
double major(Money m) { return moneyToMajor(m); }

J groupsJson(const std::vector<GroupFigure>& g) {
    J a = J::array();
    for (const GroupFigure& x : g)
        a.push_back({{"name", x.name}, {"closed_won", major(x.closedWon)}, {"expected", major(x.expected)}, {"p10", major(x.p10)},
                     {"p50", major(x.p50)}, {"p90", major(x.p90)}});
    return a;
}
} // namespace

nlohmann::ordered_json forecastToJson(const ForecastResult& r, std::size_t deals) {
    J j;
    j["as_of"] = formatDate(r.asOf);
    j["period"] = periodKindName(r.settings.period);
    j["seed"] = r.settings.seed;
    j["trials"] = r.settings.trials;
    J scores = J::object();
    for (const MethodScore& s : r.scores) scores[s.method] = {{"median_abs_error", s.mdape}, {"bias", s.bias}, {"periods", s.periods}};
    j["headline"] = {{"method", r.headline}, {"basis", r.headlineBasis}, {"band_scale", r.bandScale},
                     {"backtest_coverage", r.backtestCoverage}, {"backtest", scores}};
    J ps = J::array();
    for (const PeriodForecast& p : r.periods) {
        J m = J::object();
        for (const MethodFigure& f : p.methods)
            m[f.method] = {{"available", f.available}, {"value", major(f.value)}, {"low", major(f.low)}, {"high", major(f.high)}, {"basis", f.basis}};
        ps.push_back({{"start", formatDate(p.period.start)}, {"end", formatDate(p.period.end)}, {"label", periodLabel(p.period)},
                      {"closed_won", major(p.closedWon)}, {"p10", major(p.p10)}, {"p50", major(p.p50)}, {"p90", major(p.p90)},
                      {"open_in_period", major(p.openInPeriod)}, {"methods", m}, {"owners", groupsJson(p.owners)},
                      {"teams", groupsJson(p.teams)}, {"segments", groupsJson(p.segments)}});
    }
    j["periods"] = ps;
    j["model"] = {{"training_rows", r.trainingRows}, {"training_deals", r.trainingDeals}, {"brier", r.brier}};
    J ds = J::array();
    for (std::size_t i = 0; i < r.deals.size() && i < deals; ++i) {
        const DealForecast& d = r.deals[i];
        J top = J::array();
        for (const Contribution& c : d.top)
            if (!c.feature.empty()) top.push_back({{"feature", c.feature}, {"log_odds", c.logOdds}});
        ds.push_back({{"id", d.id}, {"owner", d.owner}, {"team", d.team}, {"segment", d.segment}, {"stage", d.stage}, {"category", d.category},
                      {"amount", major(d.amount)}, {"close_date", formatDate(d.closeDate)}, {"probability", d.probability},
                      {"win_probability", d.winProb}, {"timing_probability", d.timingProb}, {"stage_probability", d.stageProb}, {"top", top}});
    }
    j["deals"] = ds;
    j["notes"] = r.notes;
    j["fingerprint"] = std::to_string(r.fingerprint);
    return j;
}

nlohmann::ordered_json backtestToJson(const BacktestResult& r) {
    J j;
    j["period"] = periodKindName(r.settings.period);
    J ps = J::array();
    for (const BacktestPeriod& p : r.periods) {
        J m = J::object();
        for (const auto& [k, f] : p.methods) m[k] = {{"p10", major(f.p10)}, {"p50", major(f.p50)}, {"p90", major(f.p90)}};
        ps.push_back({{"start", formatDate(p.period.start)}, {"end", formatDate(p.period.end)}, {"label", periodLabel(p.period)},
                      {"p10", major(p.forecast.p10)}, {"p50", major(p.forecast.p50)}, {"p90", major(p.forecast.p90)},
                      {"actual", major(p.actual)}, {"headline", p.headline}, {"methods", m}});
    }
    j["periods"] = ps;
    // No period with wins to score against: the errors are unknown (null), not zero.
    auto orNull = [](const MethodAccuracy& a, double v) { return a.periods > 0 ? J(v) : J(nullptr); };
    j["median_abs_error"] = orNull(r.headline, r.headline.mdape);
    j["bias"] = orNull(r.headline, r.headline.bias);
    j["coverage_p10_p90"] = orNull(r.headline, r.headline.coverage);
    j["periods_scored"] = r.headline.periods;
    auto acc = [&](const std::vector<MethodAccuracy>& v) {
        J o = J::object();
        for (const MethodAccuracy& a : v) {
            o[a.method] = {{"median_abs_error", orNull(a, a.mdape)}, {"bias", orNull(a, a.bias)}, {"periods", a.periods}};
            if (a.hasBand) o[a.method]["coverage_p10_p90"] = orNull(a, a.coverage);
        }
        return o;
    };
    j["methods"] = acc(r.methods);
    j["baselines"] = acc(r.baselines);
    J cal = J::array();
    for (const CalibrationBin& c : r.calibration)
        cal.push_back({{"lo", c.lo}, {"hi", c.hi}, {"predicted", c.predicted}, {"observed", c.observed}, {"deals", c.deals}});
    j["calibration"] = cal;
    j["brier"] = r.brier;
    j["calibration_deals"] = r.calibrationDeals;
    j["notes"] = r.notes;
    return j;
}

} // namespace terrane::forecast
