// Pipeline analytics as of a date: one pass over the snapshot's deals fills the figures of the
// whole pipeline and of the deal's group.
//
// Index
//  [SECTION] figures
//  [SECTION] analytics
//  [SECTION] quotas
#include "core/forecast/analytics.hpp"

#include "core/quota/allocate.hpp"

#include <algorithm>
#include <unordered_map>

namespace terrane::forecast {

// [SECTION] figures
void Figure::add(const Deal& d) {
    ++count;
    if (d.amount != kMoneyNull) value += d.amount;
    rows.push_back(d.row);
}

double quantileOfSorted(std::span<const double> v, double f) {
    if (v.empty()) return std::nan("");
    const double pos = std::clamp(f, 0.0, 1.0) * static_cast<double>(v.size() - 1);
    const std::size_t lo = static_cast<std::size_t>(pos);
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

Quartiles quartilesOf(std::vector<double> v) {
    Quartiles q;
    q.n = static_cast<std::uint32_t>(v.size());
    if (v.empty()) return q;
    std::sort(v.begin(), v.end());
    q.q1 = quantileOfSorted(v, 0.25);
    q.median = quantileOfSorted(v, 0.5);
    q.q3 = quantileOfSorted(v, 0.75);
    return q;
}

// [SECTION] analytics
const char* breakdownName(Breakdown b) {
    switch (b) {
    case Breakdown::None: return "none";
    case Breakdown::Owner: return "owner";
    case Breakdown::Region: return "region";
    case Breakdown::Manager: return "manager";
    case Breakdown::Segment: return "segment";
    case Breakdown::Product: return "product";
    }
    return "?";
}

bool parseBreakdown(std::string_view text, Breakdown& out) {
    for (Breakdown b : {Breakdown::None, Breakdown::Owner, Breakdown::Region, Breakdown::Manager, Breakdown::Segment, Breakdown::Product})
        if (text == breakdownName(b)) {
            out = b;
            return true;
        }
    return false;
}

std::string_view breakdownKey(const Deal& d, Breakdown b) {
    switch (b) {
    case Breakdown::None: return {};
    case Breakdown::Owner: return d.owner;
    case Breakdown::Region: return d.region;
    case Breakdown::Manager: return d.manager;
    case Breakdown::Segment: return d.segment;
    case Breakdown::Product: return d.product;
    }
    return {};
}

namespace {

double ratio(double a, double b) { return b > 0 ? a / b : std::nan(""); }

// Per group while the deals are read: days of each completed stage stay (by stage figure) and
// the sales cycles of won deals (by period).
struct Scratch {
    std::vector<std::vector<double>> stays;
    std::vector<std::vector<double>> cycles;
};

struct Builder {
    const PipelineSnapshot& s;
    const AnalyticsOptions& opt;
    Period current;
    std::vector<Period> periods; // trailing, current last
    std::vector<Period> ahead;   // the current period and the next ones, for close buckets

    GroupFigures make(std::string key) const {
        GroupFigures g;
        g.key = std::move(key);
        for (const Period& p : periods) {
            PeriodFigures f;
            f.period = p;
            f.toDate = p.contains(s.asOf);
            g.periods.push_back(std::move(f));
        }
        g.byClose.push_back({"Overdue", {}, {}});
        for (const Period& p : ahead) g.byClose.push_back({periodLabel(p), p, {}});
        g.byClose.push_back({"Later", {}, {}});
        g.byClose.push_back({"No close date", {}, {}});
        int from = 0;
        for (int to : opt.ageBuckets) {
            g.ageing.push_back({std::to_string(from) + "-" + std::to_string(to) + " days", from, to, {}});
            from = to + 1;
        }
        g.ageing.push_back({std::to_string(from) + "+ days", from, -1, {}});
        return g;
    }

    int periodIndex(Date d) const {
        if (d == kDateNull || d < periods.front().start || d > s.asOf) return -1;
        for (std::size_t i = 0; i < periods.size(); ++i)
            if (periods[i].contains(d)) return static_cast<int>(i);
        return -1;
    }

    StageFigures& stageOf(GroupFigures& g, std::string_view name, int order) const {
        if (name.empty()) name = "(unknown: closed later)";
        for (StageFigures& f : g.stages)
            if (f.stage == name) return f;
        StageFigures f;
        f.stage = std::string(name);
        f.order = order;
        g.stages.push_back(std::move(f));
        return g.stages.back();
    }

    void add(GroupFigures& g, const Deal& d, Scratch& sc) const {
        std::vector<std::vector<double>>& stays = sc.stays;
        // Created, won and lost by period.
        if (int i = periodIndex(d.created); i >= 0) g.periods[static_cast<std::size_t>(i)].created.add(d);
        if (!d.open())
            if (int i = periodIndex(d.closedOn); i >= 0) {
                PeriodFigures& p = g.periods[static_cast<std::size_t>(i)];
                (d.won() ? p.won : p.lost).add(d);
                (d.won() ? g.won : g.lost).add(d);
                if (d.won()) {
                    if (sc.cycles.size() < periods.size()) sc.cycles.resize(periods.size());
                    sc.cycles[static_cast<std::size_t>(i)].push_back(static_cast<double>(d.closedOn - d.created));
                }
                if (d.won() && current.contains(d.closedOn)) g.wonInPeriod += d.amount == kMoneyNull ? 0 : d.amount;
            }
        // Pushes by period, from the history.
        const std::span<const StageStep> h = s.history(d);
        Date prevClose = kDateNull;
        for (const StageStep& st : h) {
            if (st.closeDate == kDateNull) continue;
            if (prevClose != kDateNull && st.closeDate > prevClose)
                if (int i = periodIndex(st.date); i >= 0) {
                    PeriodFigures& p = g.periods[static_cast<std::size_t>(i)];
                    if (p.pushed.rows.empty() || p.pushed.rows.back() != d.row) p.pushed.add(d);
                    ++p.pushes;
                    p.pushDays += st.closeDate - prevClose;
                }
            prevClose = st.closeDate;
        }
        // Stage conversion and time in stage over the lookback.
        for (std::size_t k = 0; k < h.size();) {
            std::size_t next = k + 1;
            while (next < h.size() && h[next].stage == h[k].stage) ++next;
            if (h[k].stageOutcome == DealOutcome::Open && h[k].date >= periods.front().start) {
                StageFigures& f = stageOf(g, h[k].stage, h[k].stageOrder);
                const std::size_t fi = static_cast<std::size_t>(&f - g.stages.data());
                if (stays.size() <= fi) stays.resize(fi + 1);
                ++f.entered;
                DealOutcome to = DealOutcome::Open;
                int toOrder = 0;
                Date left = kDateNull;
                if (next < h.size()) {
                    to = h[next].stageOutcome;
                    toOrder = h[next].stageOrder;
                    left = h[next].date;
                } else if (!d.open()) {
                    to = d.outcome;
                    left = d.closedOn;
                }
                if (left == kDateNull) {
                    ++f.stillIn;
                } else {
                    // Moving to another open stage is an advance unless the stage table puts it
                    // earlier (stages only the history names have no place in the table).
                    const bool back = to == DealOutcome::Open && toOrder > 0 && h[k].stageOrder > 0 && toOrder < h[k].stageOrder;
                    if (to == DealOutcome::Won || (to == DealOutcome::Open && !back)) ++f.advanced;
                    else if (to == DealOutcome::Lost) ++f.dropped;
                    stays[fi].push_back(static_cast<double>(left - h[k].date));
                }
            }
            k = next;
        }
        if (!d.open()) return;
        // The open pipeline on the as-of date.
        g.open.add(d);
        stageOf(g, d.stage, d.stageOrder).open.add(d);
        if (d.closeDate == kDateNull) g.byClose.back().open.add(d);
        else if (d.closeDate < s.asOf) g.byClose.front().open.add(d);
        else {
            std::size_t b = g.byClose.size() - 2; // Later
            for (std::size_t i = 1; i + 2 < g.byClose.size(); ++i)
                if (g.byClose[i].period.contains(d.closeDate)) b = i;
            g.byClose[b].open.add(d);
        }
        if (current.contains(d.closeDate)) g.dueInPeriod.add(d);
        const int age = s.asOf - d.created;
        for (AgeBucket& a : g.ageing)
            if (age >= a.from && (a.to < 0 || age <= a.to)) {
                a.open.add(d);
                break;
            }
        if (d.pushes > 0) {
            g.slipped.add(d);
            g.pushes += d.pushes;
            g.pushDays += d.pushDays;
        }
        if (d.pushes >= 2) g.pushedTwice.add(d);
        if (d.closeDate != kDateNull && d.closeDate < s.asOf) g.pastClose.add(d);
        if (s.hasActivity && s.asOf - (d.lastActivity != kDateNull ? d.lastActivity : d.created) >= opt.staleDays) g.stale.add(d);
    }

    void finish(GroupFigures& g, Scratch& sc, Money quota) const {
        std::vector<std::vector<double>>& stays = sc.stays;
        sc.cycles.resize(periods.size());
        std::vector<double> cycleAll;
        for (std::size_t i = 0; i < g.periods.size(); ++i) {
            PeriodFigures& p = g.periods[i];
            p.winRateCount = ratio(p.won.count, p.won.count + p.lost.count);
            p.winRateValue = ratio(static_cast<double>(p.won.value), static_cast<double>(p.won.value + p.lost.value));
            if (p.won.count > 0) p.averageWon = p.won.value / p.won.count;
            cycleAll.insert(cycleAll.end(), sc.cycles[i].begin(), sc.cycles[i].end());
            p.cycleDays = quartilesOf(std::move(sc.cycles[i]));
        }
        g.cycleDays = quartilesOf(std::move(cycleAll));
        g.winRateCount = ratio(g.won.count, g.won.count + g.lost.count);
        g.winRateValue = ratio(static_cast<double>(g.won.value), static_cast<double>(g.won.value + g.lost.value));
        if (g.won.count > 0) g.averageWon = g.won.value / g.won.count;
        for (std::size_t i = 0; i < g.stages.size(); ++i) {
            StageFigures& f = g.stages[i];
            f.conversion = ratio(f.advanced, f.advanced + f.dropped);
            if (i < stays.size()) f.daysInStage = quartilesOf(std::move(stays[i]));
        }
        std::stable_sort(g.stages.begin(), g.stages.end(), [](const StageFigures& a, const StageFigures& b) {
            const int x = a.order > 0 ? a.order : 1 << 20, y = b.order > 0 ? b.order : 1 << 20;
            return x < y;
        });
        g.periodQuota = quota;
        if (quota != kMoneyNull) {
            const Money left = quota - g.wonInPeriod;
            g.coverage = left > 0 ? static_cast<double>(g.dueInPeriod.value) / static_cast<double>(left) : std::nan("");
        }
        if (!std::isnan(g.winRateCount) && g.averageWon != kMoneyNull && g.cycleDays.n > 0 && g.cycleDays.median > 0)
            g.velocityPerDay = static_cast<Money>(std::llround(g.open.count * g.winRateCount * static_cast<double>(g.averageWon) / g.cycleDays.median));
    }
};

} // namespace

PipelineAnalytics analysePipeline(const PipelineSnapshot& s, const AnalyticsOptions& opt, const PeriodQuotas& quotas) {
    Builder b{s, opt, periodContaining(s.asOf, opt.period), {}, {}};
    const int n = std::max(1, opt.periods);
    for (int i = n - 1; i >= 0; --i) b.periods.push_back(shiftPeriod(b.current, -i));
    for (int i = 0; i < 4; ++i) b.ahead.push_back(shiftPeriod(b.current, i));

    PipelineAnalytics a;
    a.asOf = s.asOf;
    a.period = opt.period;
    a.by = opt.by;
    a.lookbackStart = b.periods.front().start;
    a.hasHistory = s.hasHistory;
    a.unknownStage = s.unknownStage;
    a.all = b.make("All");
    Scratch allStays;
    std::vector<Scratch> groupStays;
    std::unordered_map<std::string_view, std::size_t> groupOf;
    for (const Deal& d : s.deals) {
        b.add(a.all, d, allStays);
        if (opt.by == Breakdown::None) continue;
        std::string_view key = breakdownKey(d, opt.by);
        if (key.empty()) key = "(none)";
        auto [it, fresh] = groupOf.emplace(key, a.groups.size());
        if (fresh) {
            a.groups.push_back(b.make(std::string(key)));
            groupStays.emplace_back();
        }
        b.add(a.groups[it->second], d, groupStays[it->second]);
    }
    b.finish(a.all, allStays, quotas.all);
    for (std::size_t i = 0; i < a.groups.size(); ++i) {
        Money q = kMoneyNull;
        for (const auto& [k, v] : quotas.byKey)
            if (k == a.groups[i].key) q = v;
        b.finish(a.groups[i], groupStays[i], q);
    }
    std::stable_sort(a.groups.begin(), a.groups.end(), [](const GroupFigures& x, const GroupFigures& y) {
        return x.open.value != y.open.value ? x.open.value > y.open.value : x.key < y.key;
    });
    return a;
}

// [SECTION] quotas
namespace {
// The part of `periods` (equal plan periods from `planStart`) that falls in `p`, pro rata by day
// for a plan period only partly inside it.
Money quotaIn(const std::vector<Money>& periods, Date planStart, const Period& p, bool& any) {
    if (periods.empty()) return 0;
    const int months = 12 / static_cast<int>(periods.size());
    Money sum = 0;
    for (std::size_t i = 0; i < periods.size(); ++i) {
        const Date a = addMonths(planStart, static_cast<int>(i) * months), b = addMonths(planStart, static_cast<int>(i + 1) * months) - 1;
        const Date lo = std::max(a, p.start), hi = std::min(b, p.end);
        if (lo > hi) continue;
        any = true;
        if (lo == a && hi == b) sum += periods[i];
        else sum += static_cast<Money>(std::llround(static_cast<double>(periods[i]) * (hi - lo + 1) / (b - a + 1)));
    }
    return sum;
}
} // namespace

PeriodQuotas quotasForPeriod(const quota::QuotaResult& r, const Period& p, Breakdown by, const PipelineSnapshot& s) {
    PeriodQuotas q;
    if (!r.ok || r.target <= 0 || r.tree.nodes.empty() || r.tree.planStart == kDateNull) return q;
    bool any = false;
    const Money all = quotaIn(r.tree.nodes.front().periods, r.tree.planStart, p, any);
    if (!any) return q;
    q.all = all;
    if (by != Breakdown::Owner && by != Breakdown::Region && by != Breakdown::Manager) return q;
    std::unordered_map<std::string_view, std::string_view> groupOfOwner;
    for (const Deal& d : s.deals) groupOfOwner.emplace(d.owner, breakdownKey(d, by));
    for (const quota::RepQuota& rep : r.reps) {
        if (rep.repId.empty()) continue;
        bool anyRep = false;
        const Money m = quotaIn(rep.periods, r.tree.planStart, p, anyRep);
        std::string key = rep.repId;
        if (by != Breakdown::Owner) {
            auto it = groupOfOwner.find(rep.repId);
            if (it == groupOfOwner.end() || it->second.empty()) continue;
            key = std::string(it->second);
        }
        auto hit = std::find_if(q.byKey.begin(), q.byKey.end(), [&](const auto& kv) { return kv.first == key; });
        if (hit == q.byKey.end()) q.byKey.emplace_back(key, m);
        else hit->second += m;
    }
    return q;
}

} // namespace terrane::forecast
