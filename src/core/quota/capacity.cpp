#include "core/base/format.hpp"
#include "core/quota/capacity.hpp"

#include "core/quota/apportion.hpp"
#include "core/base/rng.hpp"

#include <algorithm>
#include <cmath>

namespace terrane::quota {

namespace {
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

double rampAt(const CapacityInputs& in, int tenure) {
    if (tenure < 0 || in.ramp.empty()) return 0.0;
    const std::size_t k = static_cast<std::size_t>(tenure / std::max(1, in.rampStepMonths));
    return k < in.ramp.size() ? in.ramp[k] : in.ramp.back();
}

struct Sim {
    double capacity = 0; // minor units over the year
    double fte[12]{}, head[12]{}, leave[12]{}, starts[12]{};
};

// Expected headcount and ramped capacity over 12 months with `extra` hires opened at month 0.
Sim run(const CapacityInputs& in, double extra) {
    Sim s;
    const double q = detPow(1.0 - in.attrition, 1.0 / 12.0); // monthly survival
    // Cohorts: (size at the start of month `from`, month the cohort started).
    struct Cohort {
        double size;
        int start;
    };
    std::vector<Cohort> cohorts;
    for (int t : in.tenureMonths) cohorts.push_back({1.0, -t});
    double pendingStarts[12 + 48] = {};
    const int h = in.timeToHireMonths;
    if (h < 12) pendingStarts[h] += extra;
    const double perMonth = static_cast<double>(in.productivity) / 12.0;
    for (int m = 0; m < 12; ++m) {
        if (pendingStarts[m] > 0) {
            cohorts.push_back({pendingStarts[m], m});
            s.starts[m] = pendingStarts[m];
        }
        double head = 0, fte = 0, leaving = 0;
        for (Cohort& c : cohorts) {
            if (c.start > m) continue; // starts later in the year
            head += c.size;
            fte += c.size * rampAt(in, m - c.start);
            const double l = c.size * (1.0 - q);
            leaving += l;
            c.size -= l;
        }
        s.head[m] = head;
        s.fte[m] = fte;
        s.leave[m] = leaving;
        s.capacity += fte * perMonth;
        // Each leaver opens a backfill that starts after the time to hire.
        if (m + 1 + h < 12) pendingStarts[m + 1 + h] += leaving;
    }
    return s;
}
} // namespace

std::string validateCapacityInputs(const CapacityInputs& in) {
    CapacityPlan check;
    check.productivity = in.productivity;
    check.ramp = in.ramp;
    check.rampStepMonths = in.rampStepMonths;
    check.attrition = in.attrition;
    check.timeToHireMonths = in.timeToHireMonths;
    return validateCapacityPlan(check);
}

CapacityResult planCapacity(const CapacityInputs& in) {
    CapacityResult r;
    if (in.target <= 0) return r.error = "set a target to plan capacity for", r;
    if (in.productivity <= 0) return r.error = "set the productivity of a fully ramped rep", r;
    if (auto e = validateCapacityInputs(in); !e.empty()) return r.error = e, r;
    r.startingHeadcount = static_cast<int>(in.tenureMonths.size());
    double avg = 0;
    for (int t = 0; t < 12; ++t) avg += rampAt(in, t);
    r.averageRamp = avg / 12.0;
    const double T = static_cast<double>(in.target);
    r.repsNeededFormula = T / (static_cast<double>(in.productivity) * r.averageRamp * (1.0 - in.attrition));

    const Sim base = run(in, 0.0);
    const Sim one = run(in, 1.0);
    r.marginalRep = one.capacity - base.capacity;
    int extra = 0;
    if (base.capacity < T) {
        if (r.marginalRep <= 0) {
            r.reachable = false;
        } else {
            extra = static_cast<int>(std::ceil((T - base.capacity) / r.marginalRep));
            while (extra > 0 && run(in, extra - 1).capacity >= T) --extra;
            while (run(in, extra).capacity < T && extra < 10000000) ++extra;
        }
    }
    r.hiresAtStart = extra;
    r.repsNeeded = r.startingHeadcount + extra;
    const Sim fin = run(in, extra);
    // Target by month (seasonality) and cumulative comparison.
    std::vector<double> sw12(12, 1.0);
    if (in.seasonality.size() == 12)
        sw12 = in.seasonality;
    else if (in.seasonality.size() == 4)
        for (int m = 0; m < 12; ++m)
            sw12[static_cast<std::size_t>(m)] = in.seasonality[static_cast<std::size_t>(m / 3)];
    const std::vector<Money> monthTarget = apportion(in.target, quantizeWeights(sw12), {}, 1).amounts;
    Money cumCap = 0, cumTarget = 0;
    double cumStarts = 0;
    long long wholeSoFar = 0;
    for (int m = 0; m < 12; ++m) {
        CapacityMonth cm;
        cm.label = in.planYear > 0 ? kMonths[m] : "M";
        if (in.planYear > 0) cm.label.push_back(' ');
        cm.label.append(std::to_string(in.planYear > 0 ? in.planYear : m + 1));
        cm.headcount = fin.head[m];
        cm.rampedFte = fin.fte[m];
        cm.departures = fin.leave[m];
        cm.hiresStarting = fin.starts[m];
        cumStarts += fin.starts[m];
        const long long wholeNow = static_cast<long long>(std::floor(cumStarts + 0.5));
        cm.hiresWhole = static_cast<int>(wholeNow - wholeSoFar);
        wholeSoFar = wholeNow;
        cm.capacity =
            static_cast<Money>(std::floor(fin.fte[m] * static_cast<double>(in.productivity) / 12.0 + 0.5));
        cm.target = monthTarget[static_cast<std::size_t>(m)];
        cumCap += cm.capacity;
        cumTarget += cm.target;
        cm.cumulativeCapacity = cumCap;
        cm.cumulativeTarget = cumTarget;
        r.months.push_back(std::move(cm));
    }
    r.annualCapacity = cumCap;
    r.surplus = cumCap - in.target;
    r.ok = true;
    std::string rampText;
    for (std::size_t i = 0; i < in.ramp.size(); ++i) {
        if (i) rampText += '/';
        rampText += fmt::percent(in.ramp[i], 0);
    }
    char buf[400];
    std::snprintf(
        buf, sizeof buf,
        "%d reps now + %d hires opened in month 1 (starting after %d months, ramp %s by steps of %d months); "
        "%.0f%% annual attrition, each leaver backfilled after %d months; one more hire adds %s in the year",
        r.startingHeadcount, extra, in.timeToHireMonths, rampText.c_str(), in.rampStepMonths,
        in.attrition * 100.0, in.timeToHireMonths,
        fmt::moneyExact(static_cast<Money>(std::floor(r.marginalRep + 0.5))).c_str());
    r.basis = buf;
    // Plausibility: recruiting and onboarding rarely absorb half a team in one month.
    const CapacityMonth* peak = nullptr;
    for (const CapacityMonth& m : r.months)
        if (!peak || m.hiresWhole > peak->hiresWhole) peak = &m;
    if (r.startingHeadcount == 0 && r.hiresAtStart > 0) {
        r.warnings.push_back("there are no reps today: all " + std::to_string(r.repsNeeded) +
                             " seats are new hires; check the reps file (start dates, vacant seats)");
    } else if (peak && peak->hiresWhole >= 2 && peak->hiresWhole * 2 > r.startingHeadcount) {
        r.warnings.push_back(std::to_string(peak->hiresWhole) + " hires start in " + peak->label +
                             ": more than half of today's team of " + std::to_string(r.startingHeadcount) +
                             " in one month, which recruiting and onboarding rarely absorb; lower the target, "
                             "raise productivity or plan the hiring over more months");
    }
    if (r.startingHeadcount > 0 && r.repsNeeded > 2 * r.startingHeadcount)
        r.warnings.push_back("the plan more than doubles the team (" + std::to_string(r.startingHeadcount) + " now, " +
                             std::to_string(r.repsNeeded) + " needed): check the target and the productivity");
    if (!r.reachable) {
        r.error = "new hires cannot start and ramp inside the plan year (time to hire " +
                  std::to_string(in.timeToHireMonths) + " months): the existing team reaches " +
                  fmt::moneyExact(r.annualCapacity) + " of " + fmt::moneyExact(in.target);
    }
    return r;
}

Money historicalProductivity(const Workspace& ws, const QuotaResult& quotas) {
    // Won bookings in the history window by owner, averaged over owners who were fully ramped
    // for the whole window (started 12+ months before it began) and are not vacant.
    const Table& opp = ws.opportunities();
    const Table& reps = ws.reps();
    const int cOwn = opp.indexOf("owner"), cWon = opp.indexOf("is_won"), cClose = opp.indexOf("close_date"),
              cAmt = opp.indexOf("amount");
    const int rStart = reps.indexOf("start_date"), rVacant = reps.indexOf("vacant");
    const Date from = quotas.tree.historyFrom, to = quotas.tree.historyTo;
    if (from == kDateNull || to == kDateNull) return 0;
    std::vector<Money> byRep(reps.rows(), 0);
    for (std::size_t r = 0; r < opp.rows(); ++r) {
        if (!opp.flag(cWon, r)) continue;
        const std::int64_t d = opp.i64(cClose, r), a = opp.i64(cAmt, r);
        if (d == kI64Null || a == kI64Null || d < from || d >= to) continue;
        if (auto rr = reps.rowOf(opp.str(cOwn, r))) byRep[*rr] += a;
    }
    Money sum = 0;
    long long n = 0;
    for (std::size_t r = 0; r < reps.rows(); ++r) {
        if (reps.flag(rVacant, r)) continue;
        const std::int64_t s = reps.i64(rStart, r);
        if (s != kI64Null && s > addMonths(from, -12)) continue;
        sum += byRep[r];
        ++n;
    }
    if (n == 0) return 0;
    const Money avg = sum / n;
    return avg - avg % 100000 + (avg % 100000 >= 50000 ? 100000 : 0); // to the nearest $1,000
}

CapacityInputs capacityInputsFrom(const Workspace& ws, const QuotaPlan& quota, const CapacityPlan& c,
                                  const QuotaResult& quotas) {
    CapacityInputs in;
    in.target = c.target > 0 ? c.target : quota.target;
    in.productivity = c.productivity > 0 ? c.productivity : historicalProductivity(ws, quotas);
    in.ramp = c.ramp;
    in.rampStepMonths = c.rampStepMonths;
    in.attrition = c.attrition;
    in.timeToHireMonths = c.timeToHireMonths;
    in.seasonality = quota.seasonality;
    in.planYear = quotas.tree.planYear;
    const Table& reps = ws.reps();
    const int rStart = reps.indexOf("start_date"), rVacant = reps.indexOf("vacant");
    const Date planStart = quotas.tree.planStart;
    for (std::size_t r = 0; r < reps.rows(); ++r) {
        if (reps.flag(rVacant, r)) continue;
        const std::int64_t s = reps.i64(rStart, r);
        if (s == kI64Null || planStart == kDateNull) {
            in.tenureMonths.push_back(120);
            continue;
        }
        const Ymd a = civilFromDays(static_cast<Date>(s)), b = civilFromDays(planStart);
        in.tenureMonths.push_back((b.year * 12 + b.month) - (a.year * 12 + a.month));
    }
    return in;
}

} // namespace terrane::quota
