// terrane forecast: won value per period as of a date by every method (team's call,
// stage-weighted, the model, new business, Monte Carlo), the headline chosen by backtest on the
// user's own history, per owner / team / segment, and the deals with their probabilities.
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/base/format.hpp"
#include "core/forecast/forecast_json.hpp"

#include <chrono>
#include <cstdio>

namespace terrane::cli {
namespace {

forecast::PeriodKind periodOption(const Args& a, const char* fallback) {
    forecast::PeriodKind k;
    if (!forecast::parsePeriodKind(a.get("period", fallback), k)) throw UsageError("--period must be month, quarter or year");
    return k;
}

Date dateOption(const Args& a, const std::string& key) {
    Date d = kDateNull;
    if (a.has(key) && !parseIsoDate(a.get(key), d)) throw UsageError("--" + key + " must be a date YYYY-MM-DD, not '" + a.get(key) + "'");
    return d;
}

int run(int argc, char** argv) {
    Args a(argc, argv, 2, {"json", "timings"});
    a.allowOnly(datasetOptionNames({"json", "timings", "as-of", "period", "periods", "trials", "seed", "history", "deals", "engine"}));
    forecast::ForecastSettings s;
    s.period = periodOption(a, "quarter");
    s.asOf = dateOption(a, "as-of");
    s.periods = static_cast<int>(a.integer("periods", 1));
    s.trials = static_cast<int>(a.integer("trials", 10000));
    s.seed = static_cast<std::uint64_t>(a.integer("seed", 1));
    s.history = static_cast<int>(a.integer("history", 0));
    const auto deals = static_cast<std::size_t>(a.integer("deals", 20));
    if (s.periods < 1 || s.periods > 36) throw UsageError("--periods must be 1 to 36");
    if (s.trials < 1 || s.trials > 1000000) throw UsageError("--trials must be 1 to 1,000,000");
    if (s.history < 0 || s.history > 60) throw UsageError("--history must be 0 to 60 periods");
    const std::string engine = a.get("engine", "fast");
    if (engine != "fast" && engine != "naive") throw UsageError("--engine must be fast or naive");
    s.naive = engine == "naive";
    Workspace ws;
    const auto t0 = std::chrono::steady_clock::now();
    loadDatasets(a, ws, {DatasetKind::Opportunities});
    const auto t1 = std::chrono::steady_clock::now();
    const forecast::ForecastResult r = forecast::runForecast(ws, s);
    const auto t2 = std::chrono::steady_clock::now();
    if (a.has("json")) {
        auto j = forecast::forecastToJson(r, deals);
        if (a.has("timings"))
            j["timings_ms"] = {{"load", std::chrono::duration<double, std::milli>(t1 - t0).count()},
                               {"forecast", std::chrono::duration<double, std::milli>(t2 - t1).count()}};
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("Forecast as of %s, by %s; headline: %s\n", fmt::date(r.asOf).c_str(), forecast::periodKindName(s.period), r.headlineBasis.c_str());
    for (const auto& p : r.periods) {
        std::printf("\n%s (%s to %s): won to date %s; P10 %s  P50 %s  P90 %s\n", forecast::periodLabel(p.period).c_str(),
                    fmt::date(p.period.start).c_str(), fmt::date(p.period.end).c_str(), fmt::money(p.closedWon).c_str(), fmt::money(p.p10).c_str(),
                    fmt::money(p.p50).c_str(), fmt::money(p.p90).c_str());
        for (const auto& m : p.methods)
            std::printf("  %-40s %14s  %s\n", forecast::methodName(m.method).c_str(), m.available ? fmt::money(m.value).c_str() : "-", m.basis.c_str());
    }
    if (!r.deals.empty()) std::printf("\nLargest expected deals (first period):\n");
    for (std::size_t i = 0; i < r.deals.size() && i < deals; ++i) {
        const auto& d = r.deals[i];
        std::string why;
        for (const auto& c : d.top)
            if (!c.feature.empty()) why += (why.empty() ? "" : "; ") + c.feature + (c.logOdds >= 0 ? " (+)" : " (-)");
        std::printf("  %-14.14s %-16.16s %12s %6s  %s\n", d.id.c_str(), d.owner.c_str(), fmt::money(d.amount).c_str(),
                    fmt::percent(d.probability, 0).c_str(), why.c_str());
    }
    for (const auto& n : r.notes) std::printf("note: %s\n", n.c_str());
    return 0;
}

const Command kCmd("forecast",
                   "--opportunities O.csv [--stage-history H.csv] [--accounts A.csv] [--reps R.csv] [--as-of DATE] "
                   "[--period month|quarter|year] [--periods N] [--trials N] [--seed S] [--history N] [--deals N] [--engine fast|naive] [--json] [--timings]",
                   "Forecast of won value per period as of a date: team's call, stage-weighted, the model, Monte Carlo", &run);

} // namespace
} // namespace terrane::cli
