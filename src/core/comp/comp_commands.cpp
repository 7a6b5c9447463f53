// The compensation set-up's commands: validation, application, undo, descriptions, JSON.
//
// Index
//  [SECTION] change in words
//  [SECTION] SetCompPlan
//  [SECTION] RemoveCompPlan
//  [SECTION] SetCompSettings
#include "core/comp/comp_commands.hpp"

#include "core/base/format.hpp"
#include "core/scenario/scenario.hpp"

#include <nlohmann/json.hpp>

namespace terrane::comp {

// [SECTION] change in words
namespace {
std::string pct(std::int64_t ppm) { return formatPpmPercent(ppm); }
std::string times(std::int64_t ppm) { return formatMultiplier(ppm) + "x"; }
std::string arrow(const std::string& a, const std::string& b) { return a + " -> " + b; }
} // namespace

std::string describePlanChange(const Plan& a, const Plan& b) {
    std::vector<std::string> parts;
    if (a.name != b.name) parts.push_back("renamed to " + b.name);
    if (a.currency != b.currency) parts.push_back("currency " + arrow(a.currency, b.currency));
    if (a.start != b.start || a.end != b.end) parts.push_back("period " + fmt::date(b.start) + " to " + fmt::date(b.end));
    if (a.frequency != b.frequency) parts.push_back(std::string("statements ") + frequencyName(b.frequency));
    if (!(a.credit == b.credit)) parts.push_back("credit rules");
    const Commission &ca = a.commission, &cb = b.commission;
    if (ca.method != cb.method) parts.push_back(std::string("method ") + tierMethodName(cb.method));
    if (ca.basis != cb.basis || ca.enabled != cb.enabled || !(ca.flatRates == cb.flatRates)) parts.push_back("commission basis");
    if (ca.tiers.size() != cb.tiers.size()) {
        parts.push_back(std::to_string(cb.tiers.size()) + " tiers");
    } else {
        for (std::size_t i = 0; i < ca.tiers.size(); ++i) {
            const std::string t = "tier " + std::to_string(i + 1);
            if (ca.tiers[i].fromPpm != cb.tiers[i].fromPpm) parts.push_back(t + " from " + arrow(pct(ca.tiers[i].fromPpm), pct(cb.tiers[i].fromPpm)));
            if (ca.tiers[i].multiplierPpm != cb.tiers[i].multiplierPpm)
                parts.push_back(t + " multiplier " + arrow(times(ca.tiers[i].multiplierPpm), times(cb.tiers[i].multiplierPpm)));
        }
    }
    if (ca.gatePpm != cb.gatePpm) parts.push_back("gate " + (cb.gatePpm ? pct(cb.gatePpm) : std::string("none")));
    if (ca.capOfTargetIncentivePpm != cb.capOfTargetIncentivePpm)
        parts.push_back("cap " + (cb.capOfTargetIncentivePpm ? times(cb.capOfTargetIncentivePpm) + " target incentive" : std::string("none")));
    if (ca.rateScalePpm != cb.rateScalePpm) parts.push_back("base rate " + times(cb.rateScalePpm));
    if (!(a.spiffs == b.spiffs)) parts.push_back(fmt::countOf(b.spiffs.size(), "SPIFF", "SPIFFs"));
    if (!(a.bonuses == b.bonuses)) parts.push_back(fmt::countOf(b.bonuses.size(), "bonus", "bonuses"));
    if (!(a.mbos == b.mbos)) parts.push_back(fmt::countOf(b.mbos.size(), "MBO", "MBOs"));
    if (!(a.clawback == b.clawback))
        parts.push_back(b.clawback.enabled ? "clawback window " + std::to_string(b.clawback.windowDays) + " days" : std::string("no clawback"));
    if (!(a.draw == b.draw)) parts.push_back(b.draw.perPeriod ? "draw " + fmt::moneyExact(b.draw.perPeriod) : std::string("no draw"));
    if (!(a.ramp == b.ramp)) parts.push_back(std::string("ramp ") + rampKindName(b.ramp.kind));
    std::string s;
    for (std::size_t i = 0; i < parts.size() && i < 3; ++i) s += (i ? ", " : "") + parts[i];
    if (parts.size() > 3) s += " and " + std::to_string(parts.size() - 3) + " more";
    return s;
}

// [SECTION] SetCompPlan
std::string SetCompPlan::apply(const CommandContext&, Scenario& sc) {
    auto& plans = sc.comp.plans;
    if (index > plans.size()) return "there is no plan " + std::to_string(index + 1);
    if (plans.size() >= 64 && index == plans.size()) return "a scenario holds at most 64 plans";
    if (plan.name.empty()) return "a plan needs a name";
    // The plan must survive its own file format (what is saved is what loads); the plan checks
    // (checks.hpp) are shown, not enforced: a plan may be saved while it is being fixed.
    try {
        if (!(parsePlan(planToJson(plan)) == plan)) return "the plan does not round-trip through its file format";
    } catch (const std::exception& e) {
        return e.what();
    }
    if (index == plans.size()) {
        previous.reset();
        plans.push_back(plan);
    } else {
        previous = plans[index];
        plans[index] = plan;
    }
    return {};
}
void SetCompPlan::undo(Scenario& sc) const {
    if (previous) sc.comp.plans[index] = *previous;
    else sc.comp.plans.erase(sc.comp.plans.begin() + static_cast<std::ptrdiff_t>(index));
}
std::string SetCompPlan::describe(const Scenario&) const {
    if (!previous) return "Add the commission plan " + plan.name;
    const std::string change = describePlanChange(*previous, plan);
    return "Plan " + previous->name + ": " + (change.empty() ? std::string("no change") : change);
}
void SetCompPlan::write(Json& j, const Scenario&) const {
    j["index"] = index;
    j["plan"] = planToJson(plan);
}
SetCompPlan SetCompPlan::read(const CommandReader& r) {
    return SetCompPlan{static_cast<std::size_t>(r.integer("index", 0, 63)), parsePlan(r.member("plan"), r.where() + ".plan"), std::nullopt};
}

// [SECTION] RemoveCompPlan
std::string RemoveCompPlan::apply(const CommandContext&, Scenario& sc) {
    auto& plans = sc.comp.plans;
    if (index >= plans.size()) return "there is no plan " + std::to_string(index + 1);
    previous = plans[index];
    plans.erase(plans.begin() + static_cast<std::ptrdiff_t>(index));
    return {};
}
void RemoveCompPlan::undo(Scenario& sc) const {
    sc.comp.plans.insert(sc.comp.plans.begin() + static_cast<std::ptrdiff_t>(index), previous);
}
std::string RemoveCompPlan::describe(const Scenario&) const { return "Remove the commission plan " + previous.name; }
void RemoveCompPlan::write(Json& j, const Scenario&) const { j["index"] = index; }
RemoveCompPlan RemoveCompPlan::read(const CommandReader& r) { return RemoveCompPlan{static_cast<std::size_t>(r.integer("index", 0, 63)), {}}; }

// [SECTION] SetCompSettings
std::string SetCompSettings::apply(const CommandContext&, Scenario& sc) {
    if (auto e = validateCompSettings(defaultTargetIncentive, budget); !e.empty()) return e;
    previousTargetIncentive = sc.comp.defaultTargetIncentive;
    previousBudget = sc.comp.budget;
    sc.comp.defaultTargetIncentive = defaultTargetIncentive;
    sc.comp.budget = budget;
    return {};
}
void SetCompSettings::undo(Scenario& sc) const {
    sc.comp.defaultTargetIncentive = previousTargetIncentive;
    sc.comp.budget = previousBudget;
}
std::string SetCompSettings::describe(const Scenario&) const {
    std::string s = "Set the default target incentive to " + fmt::moneyExact(defaultTargetIncentive);
    if (budget != previousBudget) s += " and the payout budget to " + (budget ? fmt::moneyExact(budget) : std::string("none"));
    return s;
}
void SetCompSettings::write(Json& j, const Scenario&) const {
    j["default_target_incentive"] = defaultTargetIncentive;
    j["budget"] = budget;
}
SetCompSettings SetCompSettings::read(const CommandReader& r) {
    return SetCompSettings{r.integer("default_target_incentive", 0, kMaxCompMoney), r.integer("budget", 0, kMaxCompMoney), 0, 0};
}

} // namespace terrane::comp
