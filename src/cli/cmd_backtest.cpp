// terrane backtest: for each period in a range, the forecast made at its start on the data as it
// stood then, against what was actually won; accuracy per method against the baselines, and the
// calibration of the deal probabilities.
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/base/format.hpp"
#include "core/forecast/forecast_json.hpp"

#include <chrono>
#include <cstdio>

namespace terrane::cli {
namespace {

int run(int argc, char** argv) {
    Args a(argc, argv, 2, {"json", "timings"});
    a.allowOnly(datasetOptionNames({"json", "timings", "period", "from", "to", "seed", "history", "engine"}));
    forecast::BacktestSettings s;
    if (!forecast::parsePeriodKind(a.get("period", "month"), s.period)) throw UsageError("--period must be month, quarter or year");
    for (const char* key : {"from", "to"})
        if (a.has(key) && !parseIsoDate(a.get(key), key[0] == 'f' ? s.from : s.to))
            throw UsageError(std::string("--") + key + " must be a date YYYY-MM-DD, not '" + a.get(key) + "'");
    if (s.from != kDateNull && s.to != kDateNull && s.from > s.to) throw UsageError("--from must not be after --to");
    s.seed = static_cast<std::uint64_t>(a.integer("seed", 1));
    s.history = static_cast<int>(a.integer("history", 0));
    if (s.history < 0 || s.history > 60) throw UsageError("--history must be 0 to 60 periods");
    const std::string engine = a.get("engine", "fast");
    if (engine != "fast" && engine != "naive") throw UsageError("--engine must be fast or naive");
    s.naive = engine == "naive";
    Workspace ws;
    const auto t0 = std::chrono::steady_clock::now();
    loadDatasets(a, ws, {DatasetKind::Opportunities});
    const auto t1 = std::chrono::steady_clock::now();
    const forecast::BacktestResult r = forecast::runBacktest(ws, s);
    const auto t2 = std::chrono::steady_clock::now();
    if (a.has("json")) {
        auto j = forecast::backtestToJson(r);
        if (a.has("timings"))
            j["timings_ms"] = {{"load", std::chrono::duration<double, std::milli>(t1 - t0).count()},
                               {"backtest", std::chrono::duration<double, std::milli>(t2 - t1).count()}};
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("%-10s %14s %14s %14s %14s %8s  %s\n", "period", "P10", "P50", "P90", "actual", "error", "headline");
    for (const auto& p : r.periods) {
        const double e = p.actual > 0 ? static_cast<double>(p.forecast.p50 - p.actual) / static_cast<double>(p.actual) : 0;
        std::printf("%-10s %14s %14s %14s %14s %8s  %s\n", forecast::periodLabel(p.period).c_str(), fmt::money(p.forecast.p10).c_str(),
                    fmt::money(p.forecast.p50).c_str(), fmt::money(p.forecast.p90).c_str(), fmt::money(p.actual).c_str(),
                    fmt::percent(e).c_str(), p.headline.c_str());
    }
    if (r.headline.periods == 0) std::printf("\nheadline: no period with wins to score against\n");
    else
        std::printf("\nheadline: median abs error %s, bias %s, P10-P90 coverage %s\n", fmt::percent(r.headline.mdape).c_str(),
                    fmt::percent(r.headline.bias).c_str(), fmt::percent(r.headline.coverage, 0).c_str());
    for (const auto* list : {&r.methods, &r.baselines})
        for (const auto& m : *list) {
            // The stage-weighted baseline is the plain one (deals due x stage win rate).
            const bool base = list == &r.baselines;
            const std::string name = forecast::methodName(base && m.method == "stage_weighted" ? "stage_weighted_plain" : m.method) + (base ? " (baseline)" : "");
            if (m.periods == 0) std::printf("  %-40s no period with both a forecast and wins\n", name.c_str());
            else std::printf("  %-40s median abs error %7s  bias %7s  (%d periods)\n", name.c_str(), fmt::percent(m.mdape).c_str(),
                             fmt::percent(m.bias).c_str(), m.periods);
        }
    std::printf("deal probabilities: Brier %s over %s deal-periods\n", fmt::fixed(r.brier, 4).c_str(), fmt::count(r.calibrationDeals).c_str());
    for (const auto& n : r.notes) std::printf("note: %s\n", n.c_str());
    return 0;
}

const Command kCmd("backtest",
                   "--opportunities O.csv [--stage-history H.csv] [--accounts A.csv] [--reps R.csv] [--period month|quarter|year] "
                   "[--from DATE] [--to DATE] [--seed S] [--history N] [--engine fast|naive] [--json] [--timings]",
                   "Backtest of the forecast on past periods: error, bias, band coverage, baselines, calibration", &run);

} // namespace
} // namespace terrane::cli
