// Risk and upside flags on open deals.
#include "core/forecast/risk.hpp"

#include "core/base/format.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace terrane::forecast {

const char* dealFlagId(DealFlag f) {
    switch (f) {
    case DealFlag::PastClose: return "past_close";
    case DealFlag::Stale: return "stale";
    case DealFlag::PushedTwice: return "pushed_twice";
    case DealFlag::Oversized: return "oversized";
    case DealFlag::CommitUnlikely: return "commit_unlikely";
    case DealFlag::UpsideLikely: return "upside_likely";
    }
    return "?";
}

const char* dealFlagLabel(DealFlag f) {
    switch (f) {
    case DealFlag::PastClose: return "Past close date";
    case DealFlag::Stale: return "No recent activity";
    case DealFlag::PushedTwice: return "Pushed repeatedly";
    case DealFlag::Oversized: return "Far larger than usual";
    case DealFlag::CommitUnlikely: return "Commit, but unlikely";
    case DealFlag::UpsideLikely: return "Upside: likely";
    }
    return "?";
}

namespace {
Money medianOf(std::vector<Money>& v) {
    if (v.empty()) return kMoneyNull;
    const std::size_t m = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m), v.end());
    return v[m];
}
} // namespace

std::vector<FlagList> flagDeals(const PipelineSnapshot& s, std::span<const double> winProbability, const FlagOptions& opt) {
    std::vector<FlagList> out(kDealFlagCount);
    for (int i = 0; i < kDealFlagCount; ++i) out[static_cast<std::size_t>(i)].flag = static_cast<DealFlag>(i);
    out[0].why = "open, and the close date is before " + fmt::date(s.asOf);
    out[1].why = "open, no activity for " + std::to_string(opt.staleDays) + " days or more (or none recorded)";
    out[2].why = "close date pushed " + std::to_string(opt.pushes) + " times or more";
    out[3].why = "more than " + fmt::fixed(opt.oversize, 1) + "x the owner's median won deal (the company's when the owner has fewer than " +
                 std::to_string(opt.minWonForOwner) + " wins)";
    out[4].why = "forecast category Commit, model win probability below " + fmt::percent(opt.unlikely, 0);
    out[5].why = "Best Case or Pipeline, model win probability " + fmt::percent(opt.likely, 0) + " or more";
    out[5].upside = true;

    // Won sizes by owner and overall, up to the as-of date.
    std::unordered_map<std::string_view, std::vector<Money>> wonByOwner;
    std::vector<Money> wonAll;
    for (const Deal& d : s.deals)
        if (d.won() && d.amount != kMoneyNull) {
            wonByOwner[d.owner].push_back(d.amount);
            wonAll.push_back(d.amount);
        }
    const Money companyMedian = medianOf(wonAll);
    std::unordered_map<std::string_view, Money> usual;
    for (auto& [owner, v] : wonByOwner)
        usual[owner] = static_cast<int>(v.size()) >= opt.minWonForOwner ? medianOf(v) : companyMedian;

    const bool model = winProbability.size() == s.deals.size();
    for (std::size_t i = 0; i < s.deals.size(); ++i) {
        const Deal& d = s.deals[i];
        if (!d.open()) continue;
        auto add = [&](DealFlag f) {
            FlagList& l = out[static_cast<std::size_t>(f)];
            l.deals.push_back(static_cast<std::uint32_t>(i));
            if (d.amount != kMoneyNull) l.value += d.amount;
        };
        if (d.closeDate != kDateNull && d.closeDate < s.asOf) add(DealFlag::PastClose);
        if (s.hasActivity && (d.lastActivity == kDateNull ? s.asOf - d.created >= opt.staleDays : s.asOf - d.lastActivity >= opt.staleDays))
            add(DealFlag::Stale);
        if (d.pushes >= opt.pushes) add(DealFlag::PushedTwice);
        if (d.amount != kMoneyNull) {
            auto it = usual.find(d.owner);
            const Money base = it != usual.end() ? it->second : companyMedian;
            if (base != kMoneyNull && base > 0 && static_cast<double>(d.amount) > opt.oversize * static_cast<double>(base))
                add(DealFlag::Oversized);
        }
        if (model && !std::isnan(winProbability[i])) {
            const ForecastCategory c = categoryOf(d.forecastCategory);
            if (c == ForecastCategory::Commit && winProbability[i] < opt.unlikely) add(DealFlag::CommitUnlikely);
            if ((c == ForecastCategory::BestCase || c == ForecastCategory::Pipeline) && winProbability[i] >= opt.likely)
                add(DealFlag::UpsideLikely);
        }
    }
    for (FlagList& l : out)
        std::stable_sort(l.deals.begin(), l.deals.end(), [&](std::uint32_t a, std::uint32_t b) {
            const Money x = s.deals[a].amount == kMoneyNull ? 0 : s.deals[a].amount;
            const Money y = s.deals[b].amount == kMoneyNull ? 0 : s.deals[b].amount;
            return x > y;
        });
    return out;
}

} // namespace terrane::forecast
