// Pipeline analytics as of a date, by period and broken down by owner, region, manager, segment
// or product: pipeline created, open pipeline by stage and by close period, won / lost counts and
// values, win rates, average won size, sales cycle, stage conversion and time in stage (with
// history), coverage against quota, velocity, slipped deals and ageing. Every figure keeps the
// opportunity rows behind it (Figure::rows) so it can be traced to the file.
//
// Index
//  [SECTION] figures     a traceable count and value, quartiles
//  [SECTION] analytics   per period, per group, the whole report
//  [SECTION] quotas      the quota of a period from the scenario's quota plan
#pragma once

#include "core/forecast/period.hpp"
#include "core/forecast/pipeline.hpp"

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace terrane::quota {
struct QuotaResult;
}

namespace terrane::forecast {

// [SECTION] figures
// A count of deals and the sum of their amounts (null amounts add nothing), with the rows of the
// opportunities table behind them.
struct Figure {
    std::uint32_t count = 0;
    Money value = 0;
    std::vector<std::uint32_t> rows;

    void add(const Deal& d);
};

struct Quartiles {
    std::uint32_t n = 0;
    double q1 = std::nan(""), median = std::nan(""), q3 = std::nan("");
};
// Quartiles by linear interpolation between order statistics; NaN when `values` is empty.
Quartiles quartilesOf(std::vector<double> values);
// The `f` quantile (0..1) of ascending `sorted` by the same interpolation; NaN when empty.
double quantileOfSorted(std::span<const double> sorted, double f);

// [SECTION] analytics
enum class Breakdown : std::uint8_t { None, Owner, Region, Manager, Segment, Product };
const char* breakdownName(Breakdown b); // "none", "owner", "region", "manager", "segment", "product"
bool parseBreakdown(std::string_view text, Breakdown& out);
// The deal's value of the breakdown ("" when the data has none).
std::string_view breakdownKey(const Deal& d, Breakdown b);

struct AnalyticsOptions {
    PeriodKind period = PeriodKind::Quarter;
    int periods = 4;   // trailing periods reported, the one containing the as-of date last
    Breakdown by = Breakdown::None;
    int staleDays = 30; // open deals without activity for this long
    std::vector<int> ageBuckets{30, 60, 90, 180}; // upper bounds (days since created) of all but the last bucket
};

// What happened in one period, up to the as-of date.
struct PeriodFigures {
    Period period;
    bool toDate = false; // the period contains the as-of date (figures so far)
    Figure created;      // deals created in the period
    Figure won, lost;    // deals closed in the period
    double winRateCount = std::nan(""), winRateValue = std::nan(""); // NaN when nothing closed
    Money averageWon = kMoneyNull;
    Quartiles cycleDays; // won deals closed in the period: days from created to closed
    Figure pushed;       // deals whose close date moved out during the period (history)
    int pushes = 0, pushDays = 0;
};

struct StageFigures {
    std::string stage;
    int order = 0;
    Figure open; // open deals in the stage on the as-of date
    // With history, over the lookback (the trailing periods): deals that entered the stage, and
    // of those how many moved on (to another open stage, not an earlier one, or won), were lost
    // from it, or sit in it still.
    std::uint32_t entered = 0, advanced = 0, dropped = 0, stillIn = 0;
    double conversion = std::nan(""); // advanced / (advanced + dropped)
    Quartiles daysInStage;            // completed stays
};

struct CloseBucket {
    std::string label; // "Overdue", "Mar 2026", ..., "Later", "No close date"
    Period period;     // for period buckets (start null otherwise)
    Figure open;
};

struct AgeBucket {
    std::string label; // "0-30 days", ..., "180+ days"
    int from = 0, to = -1; // days since created, inclusive; -1 open-ended
    Figure open;
};

struct GroupFigures {
    std::string key; // the group's value; "All" for the whole pipeline
    std::vector<PeriodFigures> periods;
    Figure open;                       // open pipeline on the as-of date
    std::vector<StageFigures> stages;  // open stages in order, then stages only the history shows
    std::vector<CloseBucket> byClose;  // overdue, the current and next periods, later, none
    std::vector<AgeBucket> ageing;
    Figure won, lost;                  // over the lookback (all trailing periods)
    double winRateCount = std::nan(""), winRateValue = std::nan("");
    Money averageWon = kMoneyNull;
    Quartiles cycleDays;
    // Coverage of the current period: open pipeline due in it (close date in the period, overdue
    // ones included: still open, they may yet close in it) ÷ the quota still to close (quota −
    // won so far); NaN without a quota or when the quota is already met.
    Figure dueInPeriod;
    Money periodQuota = kMoneyNull;
    Money wonInPeriod = 0;
    double coverage = std::nan("");
    // Velocity: open deals × win rate (count) × average won size ÷ median cycle, per day.
    Money velocityPerDay = kMoneyNull; // minor units per day
    Figure slipped;    // open deals whose close date was pushed at least once
    Figure pushedTwice;
    int pushes = 0, pushDays = 0;
    Figure pastClose;  // open deals whose close date has passed
    Figure stale;      // open deals without activity for staleDays
};

// A quota per group for the current period (owner / region / ... value → amount) and for all.
struct PeriodQuotas {
    Money all = kMoneyNull;
    std::vector<std::pair<std::string, Money>> byKey;
};

struct PipelineAnalytics {
    Date asOf = kDateNull;
    PeriodKind period = PeriodKind::Quarter;
    Breakdown by = Breakdown::None;
    Date lookbackStart = kDateNull; // the first trailing period's start
    bool hasHistory = false;
    std::size_t unknownStage = 0;
    GroupFigures all;
    std::vector<GroupFigures> groups; // by the breakdown, largest open pipeline first
};

PipelineAnalytics analysePipeline(const PipelineSnapshot& s, const AnalyticsOptions& opt, const PeriodQuotas& quotas = {});

// [SECTION] quotas
// The quota of `p` from an allocated quota plan (its periods are quarters or months): the whole
// plan's and each rep's, and summed by `by` (region / manager from `s`'s deals' owners). A period
// outside the plan year, or a plan without a target, gives none (kMoneyNull).
PeriodQuotas quotasForPeriod(const quota::QuotaResult& r, const Period& p, Breakdown by, const PipelineSnapshot& s);

} // namespace terrane::forecast
