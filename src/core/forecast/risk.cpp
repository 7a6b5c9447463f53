// Risk and upside flags on open deals.
#include "core/forecast/risk.hpp"

#include "core/base/format.hpp"
#include "core/forecast/analytics.hpp"

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
// The usual size of a won deal for one owner (or the company): median and upper quantile.
struct Usual {
    double median = 0, upper = 0;
    std::size_t wins = 0;
    bool pooled = false; // the company's wins stand in for the owner's
};

Usual usualOf(std::vector<double>& won, double quantile) {
    std::sort(won.begin(), won.end());
    return {quantileOfSorted(won, 0.5), quantileOfSorted(won, quantile), won.size(), false};
}

std::string days(int n) { return fmt::countOf(static_cast<std::uint64_t>(std::max(n, 0)), "day", "days"); }
} // namespace

std::vector<FlagList> flagDeals(const PipelineSnapshot& s, std::span<const double> winProbability, const FlagOptions& opt, const OwnerName& ownerName) {
    std::vector<FlagList> out(kDealFlagCount);
    for (int i = 0; i < kDealFlagCount; ++i) out[static_cast<std::size_t>(i)].flag = static_cast<DealFlag>(i);
    const int pct = static_cast<int>(std::lround(opt.oversizeQuantile * 100));
    out[0].why = "open, and the close date is before " + fmt::date(s.asOf);
    out[1].why = "open, no activity for " + std::to_string(opt.staleDays) + " days or more (or none recorded)";
    out[2].why = "close date pushed " + std::to_string(opt.pushes) + " times or more";
    const bool largest = opt.oversizeQuantile >= 1.0;
    const std::string above = largest ? "larger than any of " : "above the P" + std::to_string(pct) + " of ";
    out[3].why = "at least " + fmt::fixed(opt.oversize, 1) + "x the owner's median won deal and " + above +
                 "the owner's won deals (the company's when the owner has fewer than " + std::to_string(opt.minWonForOwner) + " wins)";
    out[4].why = "forecast category Commit, model win probability below " + fmt::percent(opt.unlikely, 0);
    out[5].why = "Best Case or Pipeline, model win probability " + fmt::percent(opt.likely, 0) + " or more";
    out[5].upside = true;

    // The usual won deal by owner and for the company, from the wins up to the as-of date.
    std::unordered_map<std::string_view, std::vector<double>> wonByOwner;
    std::vector<double> wonAll;
    for (const Deal& d : s.deals)
        if (d.won() && d.amount != kMoneyNull && d.amount > 0) {
            wonByOwner[d.owner].push_back(static_cast<double>(d.amount));
            wonAll.push_back(static_cast<double>(d.amount));
        }
    Usual company = usualOf(wonAll, opt.oversizeQuantile);
    company.pooled = true;
    std::unordered_map<std::string_view, Usual> usual;
    for (auto& [owner, v] : wonByOwner)
        if (static_cast<int>(v.size()) >= opt.minWonForOwner) usual[owner] = usualOf(v, opt.oversizeQuantile);
    auto nameOf = [&](std::string_view owner) { return ownerName ? ownerName(owner) : owner.empty() ? std::string("(no owner)") : std::string(owner); };

    const bool model = winProbability.size() == s.deals.size();
    for (std::size_t i = 0; i < s.deals.size(); ++i) {
        const Deal& d = s.deals[i];
        if (!d.open()) continue;
        auto add = [&](DealFlag f, std::string note) {
            FlagList& l = out[static_cast<std::size_t>(f)];
            l.deals.push_back(static_cast<std::uint32_t>(i));
            l.notes.push_back(std::move(note));
            if (d.amount != kMoneyNull) l.value += d.amount;
        };
        if (d.closeDate != kDateNull && d.closeDate < s.asOf)
            add(DealFlag::PastClose, "close date " + fmt::date(d.closeDate) + ", " + days(s.asOf - d.closeDate) + " ago");
        if (s.hasActivity) {
            if (d.lastActivity == kDateNull && s.asOf - d.created >= opt.staleDays)
                add(DealFlag::Stale, "no activity recorded; created " + days(s.asOf - d.created) + " ago");
            else if (d.lastActivity != kDateNull && s.asOf - d.lastActivity >= opt.staleDays)
                add(DealFlag::Stale, "no activity for " + days(s.asOf - d.lastActivity) + " (last " + fmt::date(d.lastActivity) + ")");
        }
        if (d.pushes >= opt.pushes)
            add(DealFlag::PushedTwice, "close date pushed " + std::to_string(d.pushes) + " times, " + days(d.pushDays) + " in all");
        if (d.amount != kMoneyNull && d.amount > 0) {
            auto it = usual.find(d.owner);
            const Usual& u = it != usual.end() ? it->second : company;
            const double a = static_cast<double>(d.amount);
            if (u.wins > 0 && u.median > 0 && a >= opt.oversize * u.median && a > u.upper) {
                const std::string who = u.pooled ? std::string("the company's") : nameOf(d.owner) + "'s";
                const std::string upper = fmt::money(static_cast<Money>(std::llround(u.upper)));
                std::string note = fmt::fixed(a / u.median, 1) + "x " + who + " median won deal of " +
                                   fmt::money(static_cast<Money>(std::llround(u.median))) + "; " +
                                   (largest ? "larger than any of " + fmt::count(u.wins) + " wins (largest " + upper + ")"
                                            : "above the P" + std::to_string(pct) + " (" + upper + ") of " + fmt::count(u.wins) + " wins");
                if (u.pooled) {
                    const auto own = wonByOwner.find(d.owner);
                    const std::size_t n = own == wonByOwner.end() ? 0 : own->second.size();
                    note += " (" + nameOf(d.owner) + " has " + fmt::countOf(n, "win", "wins") + ", fewer than " + std::to_string(opt.minWonForOwner) + ")";
                }
                add(DealFlag::Oversized, std::move(note));
            }
        }
        if (model && !std::isnan(winProbability[i])) {
            const ForecastCategory c = categoryOf(d.forecastCategory);
            const std::string p = "model P(win) " + fmt::percent(winProbability[i], 0);
            if (c == ForecastCategory::Commit && winProbability[i] < opt.unlikely) add(DealFlag::CommitUnlikely, "Commit, but " + p);
            if ((c == ForecastCategory::BestCase || c == ForecastCategory::Pipeline) && winProbability[i] >= opt.likely)
                add(DealFlag::UpsideLikely, std::string(c == ForecastCategory::BestCase ? "Best Case" : "Pipeline") + ", " + p);
        }
    }
    for (FlagList& l : out) {
        std::vector<std::size_t> order(l.deals.size());
        for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
        auto amount = [&](std::size_t k) {
            const Money m = s.deals[l.deals[k]].amount;
            return m == kMoneyNull ? Money{0} : m;
        };
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return amount(a) > amount(b); });
        std::vector<std::uint32_t> deals;
        std::vector<std::string> notes;
        for (std::size_t k : order) deals.push_back(l.deals[k]), notes.push_back(std::move(l.notes[k]));
        l.deals = std::move(deals);
        l.notes = std::move(notes);
    }
    return out;
}

} // namespace terrane::forecast
