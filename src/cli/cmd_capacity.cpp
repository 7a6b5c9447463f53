// terrane capacity: reps needed to hit a target and the month-by-month hiring plan.
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/base/format.hpp"
#include "core/quota/capacity.hpp"
#include "core/base/text.hpp"
#include "core/data/values.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace terrane::cli {
using namespace quota;
namespace {
using json = nlohmann::ordered_json;

Money amount(const Args& a, const std::string& key) {
    Money m = 0;
    if (!parseMoneyText(a.required(key), m) || m <= 0)
        throw UsageError("option --" + key + " expects a positive amount, got '" + a.get(key) + "'");
    return m;
}

int run(int argc, char** argv) {
    Args a(argc, argv, 2, {"json"});
    a.allowOnly(datasetOptionNames({"target", "productivity", "ramp", "ramp-step-months", "attrition",
                                    "time-to-hire", "headcount", "plan-year", "seasonality", "json"}));
    CapacityInputs in;
    in.target = amount(a, "target");
    in.productivity = amount(a, "productivity");
    if (a.has("ramp")) in.ramp = parseNumberList("ramp", a.get("ramp"));
    in.rampStepMonths = static_cast<int>(a.integer("ramp-step-months", 3));
    if (a.has("attrition")) {
        std::int64_t ppm = 0;
        if (!parseSharePpm(a.get("attrition"), ppm))
            throw UsageError("--attrition expects a share like 0.15 or 15%, got '" + a.get("attrition") +
                             "'");
        in.attrition = static_cast<double>(ppm) / 1e6;
    }
    in.timeToHireMonths = static_cast<int>(a.integer("time-to-hire", 3));
    if (a.has("seasonality")) {
        in.seasonality = parseNumberList("seasonality", a.get("seasonality"));
        if (auto e = validateSeasonality(in.seasonality); !e.empty()) throw UsageError("--seasonality: " + e);
    }
    if (auto e = validateCapacityInputs(in); !e.empty()) throw UsageError(e);
    const long long headcount = a.integer("headcount", 0);
    if (headcount < 0 || headcount > 1000000) throw UsageError("--headcount must be between 0 and 1000000");
    in.planYear = static_cast<int>(a.integer("plan-year", 0));
    if (a.has("reps")) {
        // Existing reps from the file: tenure at the plan start from their start dates.
        Workspace ws;
        loadDatasets(a, ws, {});
        if (in.planYear == 0) {
            const Date asOf = dataAsOf(ws);
            Date latest = asOf;
            const Table& reps = ws.reps();
            for (std::size_t r = 0; r < reps.rows(); ++r) {
                const std::int64_t s = reps.i64(reps.indexOf("start_date"), r);
                if (s != kI64Null && (latest == kDateNull || s > latest)) latest = static_cast<Date>(s);
            }
            if (latest == kDateNull)
                throw UsageError("--plan-year is needed: the reps file has no start dates");
            in.planYear = civilFromDays(latest).year + 1;
        }
        const Date planStart = daysFromCivil(in.planYear, 1, 1);
        const Table& reps = ws.reps();
        for (std::size_t r = 0; r < reps.rows(); ++r) {
            if (reps.flag(reps.indexOf("vacant"), r)) continue;
            const std::int64_t s = reps.i64(reps.indexOf("start_date"), r);
            if (s == kI64Null) {
                in.tenureMonths.push_back(120);
                continue;
            }
            const Ymd x = civilFromDays(static_cast<Date>(s)), y = civilFromDays(planStart);
            in.tenureMonths.push_back((y.year * 12 + y.month) - (x.year * 12 + x.month));
        }
    }
    for (long long i = 0; i < headcount; ++i) in.tenureMonths.push_back(120);
    const CapacityResult r = planCapacity(in);
    if (!r.ok) throw UsageError(r.error);
    if (!r.reachable) std::fprintf(stderr, "terrane capacity: %s\n", r.error.c_str());
    for (const std::string& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (a.has("json")) {
        json j;
        j["target"] = moneyToMajor(in.target);
        j["productivity"] = moneyToMajor(in.productivity);
        j["ramp"] = in.ramp;
        j["ramp_step_months"] = in.rampStepMonths;
        j["attrition"] = in.attrition;
        j["time_to_hire_months"] = in.timeToHireMonths;
        j["starting_headcount"] = r.startingHeadcount;
        j["reps_needed"] = r.repsNeeded;
        j["hires_at_start"] = r.hiresAtStart;
        j["reps_needed_formula"] = r.repsNeededFormula;
        j["average_first_year_ramp"] = r.averageRamp;
        j["reachable"] = r.reachable;
        j["annual_capacity"] = moneyToMajor(r.annualCapacity);
        j["surplus"] = moneyToMajor(r.surplus);
        j["marginal_rep"] = r.marginalRep / 100.0;
        json months = json::array();
        for (const CapacityMonth& m : r.months)
            months.push_back({{"month", m.label},
                              {"headcount", m.headcount},
                              {"ramped_fte", m.rampedFte},
                              {"departures", m.departures},
                              {"hires_starting", m.hiresStarting},
                              {"hires_whole", m.hiresWhole},
                              {"capacity", moneyToMajor(m.capacity)},
                              {"target", moneyToMajor(m.target)},
                              {"cumulative_capacity", moneyToMajor(m.cumulativeCapacity)},
                              {"cumulative_target", moneyToMajor(m.cumulativeTarget)}});
        j["months"] = months;
        j["basis"] = r.basis;
        j["warnings"] = r.warnings;
        std::printf("%s\n", j.dump().c_str());
    } else {
        std::printf("reps needed: %d (%d now + %d hires); simple estimate %.1f\n", r.repsNeeded,
                    r.startingHeadcount, r.hiresAtStart, r.repsNeededFormula);
        std::printf("%-10s %9s %9s %9s %7s %16s %16s\n", "month", "headcount", "ramped", "leavers", "starts",
                    "capacity", "target");
        for (const CapacityMonth& m : r.months)
            std::printf("%-10s %9.1f %9.1f %9.2f %7d %16s %16s\n", m.label.c_str(), m.headcount, m.rampedFte,
                        m.departures, m.hiresWhole, fmt::moneyExact(m.capacity).c_str(),
                        fmt::moneyExact(m.target).c_str());
        std::printf("annual capacity %s against %s\n", fmt::moneyExact(r.annualCapacity).c_str(),
                    fmt::moneyExact(in.target).c_str());
    }
    return 0;
}

const Command kCmd("capacity",
                   "--target AMOUNT --productivity AMOUNT [--ramp 0.25,0.5,0.75,1] [--ramp-step-months 3] "
                   "[--attrition SHARE]\n"
                   "    [--time-to-hire MONTHS] [--headcount N] [--reps R.csv] [--plan-year Y] "
                   "[--seasonality W,..] [--json]\n\n"
                   "Month by month: existing reps (--headcount fully ramped, and/or --reps with start dates) "
                   "keep ramping, leavers are\n"
                   "backfilled after the time to hire, and the gap is hired at the start of the year. Also "
                   "prints the simple estimate\n"
                   "target / (productivity x average first-year ramp x (1 - attrition)).",
                   "Reps needed to hit a target and the monthly hiring plan", &run);

} // namespace
} // namespace terrane::cli
