// Plan checks (see checks.hpp): each names the field and says what is wrong with its numbers.
#include "core/comp/checks.hpp"

#include "core/base/format.hpp"
#include "core/comp/model.hpp"

#include <unordered_map>
#include <unordered_set>

namespace terrane::comp {

const char* checkSeverityName(CheckSeverity s) {
    return s == CheckSeverity::Error ? "error" : s == CheckSeverity::Warning ? "warning" : "info";
}

std::vector<PlanCheck> checkPlan(const Plan& plan) {
    std::vector<PlanCheck> out;
    using S = CheckSeverity;
    const Commission& c = plan.commission;
    if (c.enabled && c.basis == CommissionBasis::Attainment) {
        if (c.tiers.empty()) out.push_back({S::Error, "tier_gap", "commission.tiers", "No tiers: no commission is paid"});
        else if (c.tiers[0].fromPpm != 0)
            out.push_back({S::Error, "tier_gap", "commission.tiers[0]",
                           "Tiers start at " + formatPpmPercent(c.tiers[0].fromPpm) + ": attainment below it pays nothing"});
        for (std::size_t i = 1; i < c.tiers.size(); ++i) {
            const std::string f = "commission.tiers[" + std::to_string(i) + "]";
            if (c.tiers[i].fromPpm < c.tiers[i - 1].fromPpm)
                out.push_back({S::Error, "tier_overlap", f,
                               "Tier " + std::to_string(i + 1) + " starts at " + formatPpmPercent(c.tiers[i].fromPpm) +
                                   ", inside tier " + std::to_string(i) + " (from " + formatPpmPercent(c.tiers[i - 1].fromPpm) + ")"});
            else if (c.tiers[i].fromPpm == c.tiers[i - 1].fromPpm)
                out.push_back({S::Error, "tier_overlap", f,
                               "Tiers " + std::to_string(i) + " and " + std::to_string(i + 1) + " both start at " +
                                   formatPpmPercent(c.tiers[i].fromPpm)});
        }
        // The curve of a typical rep (quota 1,000,000.00, target incentive 100,000.00).
        const Money q = 100000000, ti = 10000000;
        const PayoutCurve curve = payoutCurve(plan, q, ti, 3.0, 301);
        for (std::size_t i = 1; i < curve.points.size(); ++i)
            if (curve.points[i].payout < curve.points[i - 1].payout) {
                out.push_back({S::Warning, "falling_curve", "commission.tiers",
                               "Payout falls from " + fmt::percent(curve.points[i - 1].attainment, 1) + " to " +
                                   fmt::percent(curve.points[i].attainment, 1) +
                                   " attainment: a rep earns less by selling more (a cliff or decelerator trap)"});
                break;
            }
        for (std::size_t i = 1; i < c.tiers.size(); ++i)
            if (c.tiers[i].multiplierPpm < c.tiers[i - 1].multiplierPpm) {
                out.push_back({S::Info, "decelerator", "commission.tiers[" + std::to_string(i) + "]",
                               "Tier " + std::to_string(i + 1) + " pays ×" + formatMultiplier(c.tiers[i].multiplierPpm) +
                                   ", less than tier " + std::to_string(i) + "'s ×" + formatMultiplier(c.tiers[i - 1].multiplierPpm) +
                                   " (a decelerator)"});
                break;
            }
        if (c.capOfTargetIncentivePpm > 0 && c.capOfTargetIncentivePpm < kPpm)
            out.push_back({S::Error, "cap_below_target", "commission.cap_of_target_incentive",
                           "The cap " + formatMultiplier(c.capOfTargetIncentivePpm) +
                               " × target incentive is below the target incentive: a rep at quota cannot earn it"});
        const Money at100 = commissionFor(plan, q, ti, q);
        if (at100 != ti)
            out.push_back({S::Warning, "target_mismatch", "commission.tiers",
                           "At 100% of quota the commission is " + formatPpmPercent(static_cast<std::int64_t>(
                                                                         static_cast<double>(at100) / ti * 1e6)) +
                               " of target incentive, not 100% (base rate × multipliers up to 100% must average 1)"});
        if (c.gatePpm >= kPpm)
            out.push_back({S::Warning, "gate_at_target", "commission.gate_attainment",
                           "The gate " + formatPpmPercent(c.gatePpm) + " is at or above quota"});
    }
    for (std::size_t i = 0; i < plan.spiffs.size(); ++i) {
        const Spiff& s = plan.spiffs[i];
        const std::string f = "spiffs[" + std::to_string(i) + "]";
        if ((s.from != kDateNull && (s.from < plan.start || s.from > plan.end)) ||
            (s.to != kDateNull && (s.to > plan.end || s.to < plan.start)))
            out.push_back({S::Warning, "spiff_window", f,
                           "SPIFF \"" + s.name + "\" runs " + fmt::date(s.from) + " – " + fmt::date(s.to) +
                               ", outside the plan period " + fmt::date(plan.start) + " – " + fmt::date(plan.end)});
    }
    if (plan.ramp.kind == RampKind::Guarantee && plan.ramp.guaranteePerMonth <= 0)
        out.push_back({S::Error, "ramp_guarantee", "ramp.guarantee_per_month", "A ramp guarantee of 0 pays nothing"});
    return out;
}

std::vector<PlanCheck> checkPlan(const Plan& plan, const PayoutInputs& in) {
    std::vector<PlanCheck> out = checkPlan(plan);
    using S = CheckSeverity;
    std::unordered_map<std::string_view, const RepInput*> reps;
    for (const RepInput& r : in.reps) reps.emplace(r.repId, &r);
    std::unordered_set<std::string_view> creditedNoQuota;
    std::size_t unknownDeals = 0;
    Money unknownAmount = 0;
    std::unordered_map<std::string_view, std::int64_t> splitShare;
    if (plan.credit.to == CreditTo::Splits)
        for (const Split& s : in.splits) splitShare[s.dealId] += s.sharePpm;
    std::size_t overSplit = 0;
    std::string overExample;
    for (const Deal& d : in.deals) {
        if (plan.credit.wonOnly && !d.won) continue;
        if (d.date == kDateNull || d.date < plan.start || d.date > plan.end) continue;
        auto it = reps.find(d.owner);
        if (it == reps.end()) {
            ++unknownDeals;
            if (d.measure != kMoneyNull) unknownAmount += d.measure;
        } else if (!it->second->hasQuota && plan.commission.enabled && plan.commission.basis == CommissionBasis::Attainment) {
            creditedNoQuota.insert(d.owner);
        }
        if (auto s = splitShare.find(d.id); s != splitShare.end() && s->second > kPpm) {
            if (overSplit++ == 0) overExample = d.id + " (" + formatPpmPercent(s->second) + ")";
        }
    }
    if (!creditedNoQuota.empty())
        out.push_back({S::Warning, "no_quota", "",
                       fmt::countOf(creditedNoQuota.size(), "rep is", "reps are") +
                           " credited with deals but have no quota: no attainment commission (e.g. " +
                           std::string(*creditedNoQuota.begin()) + ")"});
    if (unknownDeals > 0)
        out.push_back({S::Warning, "unknown_owner", "",
                       fmt::countOf(unknownDeals, "won deal", "won deals") + " worth " + fmt::moneyExact(unknownAmount) +
                           " are owned by reps not in the plan: nobody is paid for them"});
    if (overSplit > 0)
        out.push_back({S::Error, "split_over_100", "credit.to",
                       fmt::countOf(overSplit, "deal has", "deals have") + " split credit above 100% (e.g. " + overExample + ")"});
    return out;
}

} // namespace terrane::comp
