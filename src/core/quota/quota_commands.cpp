// The quota and capacity set-up's commands: validation, application, undo, descriptions, JSON.
//
// Index
//  [SECTION] SetQuotaTarget
//  [SECTION] SetQuotaSeasonality
//  [SECTION] SetQuotaOverAssign
//  [SECTION] SetQuotaMethod
//  [SECTION] SetQuotaOverride
//  [SECTION] SetQuotaRounding
//  [SECTION] SetQuotaVacancy
//  [SECTION] SetQuotaSimulation
//  [SECTION] SetCapacityPlan
#include "core/quota/quota_commands.hpp"

#include "core/base/format.hpp"
#include "core/base/text.hpp"
#include "core/quota/quota_json.hpp"
#include "core/scenario/scenario.hpp"

#include <algorithm>
#include <limits>

namespace terrane::quota {

namespace {
constexpr Money kMaxQuotaTarget = 1000000000000000LL; // 10 trillion major units

// The set-up's JSON readers report their own path; command logs report a JsonFieldError.
template <class F> auto rethrow(F&& f) {
    try {
        return f();
    } catch (const QuotaJsonError& e) {
        throw JsonFieldError(e.what());
    }
}

void sortOverrides(std::vector<QuotaOverride>& ov) {
    std::sort(ov.begin(), ov.end(), [](const QuotaOverride& a, const QuotaOverride& b) { return a.node < b.node; });
}
} // namespace

// [SECTION] SetQuotaTarget
std::string SetQuotaTarget::apply(const CommandContext&, Scenario& sc) {
    if (target < 0 || target > kMaxQuotaTarget) return "the target must be between 0 and 10 trillion";
    if (planYear != 0 && (planYear < 1900 || planYear > 9998)) return "the plan year must be between 1900 and 9998";
    previous = sc.quota.target;
    previousYear = sc.quota.planYear;
    sc.quota.target = target;
    sc.quota.planYear = planYear;
    return {};
}
void SetQuotaTarget::undo(Scenario& sc) const {
    sc.quota.target = previous;
    sc.quota.planYear = previousYear;
}
std::string SetQuotaTarget::describe(const Scenario&) const {
    return "Set the company target to " + fmt::moneyExact(target) + (planYear ? " for " + std::to_string(planYear) : std::string());
}
void SetQuotaTarget::write(Json& j, const Scenario&) const { j["target"] = target, j["plan_year"] = planYear; }
SetQuotaTarget SetQuotaTarget::read(const CommandReader& r) {
    return SetQuotaTarget{r.integer("target", 0, kMaxQuotaTarget), static_cast<int>(r.has("plan_year") ? r.integer("plan_year", 0, 9998) : 0), 0, 0};
}

// [SECTION] SetQuotaSeasonality
std::string SetQuotaSeasonality::apply(const CommandContext&, Scenario& sc) {
    if (auto e = validateSeasonality(weights); !e.empty()) return e;
    previous = sc.quota.seasonality;
    sc.quota.seasonality = weights;
    return {};
}
void SetQuotaSeasonality::undo(Scenario& sc) const { sc.quota.seasonality = previous; }
std::string SetQuotaSeasonality::describe(const Scenario&) const {
    double sum = 0;
    for (double w : weights) sum += w;
    std::string s = std::string(weights.size() == 4 ? "Set quarterly" : "Set monthly") + " seasonality to ";
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (i) s += '/';
        s += fmt::percent(sum > 0 ? weights[i] / sum : 0, 0);
    }
    return s;
}
void SetQuotaSeasonality::write(Json& j, const Scenario&) const { j["weights"] = weights; }
SetQuotaSeasonality SetQuotaSeasonality::read(const CommandReader& r) {
    const Json& w = r.member("weights");
    if (!w.is_array()) r.fail("weights", "a list of numbers");
    std::vector<double> v;
    for (const Json& x : w) {
        if (!x.is_number()) r.fail("weights", "a list of numbers");
        v.push_back(x.get<double>());
    }
    return SetQuotaSeasonality{v, {}};
}

// [SECTION] SetQuotaOverAssign
std::string SetQuotaOverAssign::apply(const CommandContext&, Scenario& sc) {
    if (level == QuotaLevel::Company) return "over-assignment is set for regions, districts or territories";
    if (ppm < -500000 || ppm > 2000000) return "over-assignment must be between -50% and +200%";
    auto& slot = sc.quota.overAssignPpm[static_cast<std::size_t>(level) - 1];
    previous = slot;
    slot = ppm;
    return {};
}
void SetQuotaOverAssign::undo(Scenario& sc) const { sc.quota.overAssignPpm[static_cast<std::size_t>(level) - 1] = previous; }
std::string SetQuotaOverAssign::describe(const Scenario&) const {
    return std::string("Set over-assignment to ") + quotaLevelName(level) + "s at " + formatPpm(ppm);
}
void SetQuotaOverAssign::write(Json& j, const Scenario&) const { j["level"] = quotaLevelName(level), j["ppm"] = ppm; }
SetQuotaOverAssign SetQuotaOverAssign::read(const CommandReader& r) {
    const std::string l = r.text("level", true);
    const QuotaLevel level = l == "region" ? QuotaLevel::Region : l == "district" ? QuotaLevel::District : l == "territory" ? QuotaLevel::Territory : QuotaLevel::Company;
    if (level == QuotaLevel::Company) r.fail("level", "region, district or territory");
    return SetQuotaOverAssign{level, r.integer("ppm", -500000, 2000000), 0};
}

// [SECTION] SetQuotaMethod
std::string SetQuotaMethod::apply(const CommandContext&, Scenario& sc) {
    if (auto e = validateBlend(allocation.blend); !e.empty()) return e;
    if (allocation.capacityBase == QuotaMethod::Capacity) return "capacity adjustment needs a base method other than capacity";
    if (allocation.historyFrom != kDateNull && allocation.historyTo != kDateNull && allocation.historyFrom >= allocation.historyTo)
        return "the history window must end after it starts";
    previous = sc.quota.allocation;
    sc.quota.allocation = allocation;
    return {};
}
void SetQuotaMethod::undo(Scenario& sc) const { sc.quota.allocation = previous; }
std::string SetQuotaMethod::describe(const Scenario&) const {
    std::string s = std::string("Allocate quotas by ") + quotaMethodLabel(allocation.method);
    if (allocation.method == QuotaMethod::Blend)
        s += " (potential " + formatDouble(allocation.blend.potential) + ", history " + formatDouble(allocation.blend.history) + ", equal " +
             formatDouble(allocation.blend.equal) + ")";
    if (allocation.method == QuotaMethod::Capacity) s += std::string(" of ") + quotaMethodLabel(allocation.capacityBase);
    return s;
}
void SetQuotaMethod::write(Json& j, const Scenario&) const { j["allocation"] = allocationToJson(allocation); }
SetQuotaMethod SetQuotaMethod::read(const CommandReader& r) {
    return rethrow([&] { return SetQuotaMethod{allocationFromJson(r.member("allocation"), r.where() + ".allocation"), {}}; });
}

// [SECTION] SetQuotaOverride
std::string SetQuotaOverride::apply(const CommandContext&, Scenario& sc) {
    auto row = sc.territoryRow(node);
    if (node.empty() || !row || sc.isDeleted(*row)) return "'" + node + "' is not a territory, district or region of this scenario";
    if (amount && (*amount < 0 || *amount > kMaxQuotaTarget)) return "a quota override must be between 0 and 10 trillion";
    auto& ov = sc.quota.overrides;
    auto it = std::find_if(ov.begin(), ov.end(), [&](const QuotaOverride& o) { return o.node == node; });
    previous = it == ov.end() ? std::nullopt : std::optional<Money>(it->amount);
    if (it != ov.end()) ov.erase(it);
    if (amount) {
        ov.push_back(QuotaOverride{node, *amount});
        sortOverrides(ov);
    }
    return {};
}
void SetQuotaOverride::undo(Scenario& sc) const {
    auto& ov = sc.quota.overrides;
    ov.erase(std::remove_if(ov.begin(), ov.end(), [&](const QuotaOverride& o) { return o.node == node; }), ov.end());
    if (previous) {
        ov.push_back(QuotaOverride{node, *previous});
        sortOverrides(ov);
    }
}
std::string SetQuotaOverride::describe(const Scenario& sc) const {
    const auto row = sc.territoryRow(node);
    const std::string n = row ? std::string(sc.territoryName(*row)) : node;
    return amount ? "Lock the quota of " + n + " at " + fmt::moneyExact(*amount) : "Unlock the quota of " + n;
}
void SetQuotaOverride::write(Json& j, const Scenario&) const { j["node"] = node, j["amount"] = amount ? Json(*amount) : Json(nullptr); }
SetQuotaOverride SetQuotaOverride::read(const CommandReader& r) {
    const Json& a = r.member("amount");
    std::optional<Money> amount;
    if (!a.is_null()) amount = jsonInteger(a, r.where() + ".amount", 0, kMaxQuotaTarget);
    return SetQuotaOverride{r.text("node", true), amount, std::nullopt};
}

// [SECTION] SetQuotaRounding
std::string SetQuotaRounding::apply(const CommandContext&, Scenario& sc) {
    if (unit < 1 || unit > 100000000000LL) return "the rounding unit must be from 0.01 to 1,000,000,000";
    previousUnit = sc.quota.roundingUnit;
    previousRemainder = sc.quota.remainder;
    sc.quota.roundingUnit = unit;
    sc.quota.remainder = remainder;
    return {};
}
void SetQuotaRounding::undo(Scenario& sc) const {
    sc.quota.roundingUnit = previousUnit;
    sc.quota.remainder = previousRemainder;
}
std::string SetQuotaRounding::describe(const Scenario&) const {
    return "Round quotas to " + fmt::moneyExact(unit) + (remainder == RemainderPolicy::Reject ? " (refuse remainders)" : " (remainder to the largest share)");
}
void SetQuotaRounding::write(Json& j, const Scenario&) const { j["unit"] = unit, j["remainder"] = remainderPolicyName(remainder); }
SetQuotaRounding SetQuotaRounding::read(const CommandReader& r) {
    const std::string rem = r.text("remainder");
    if (rem != "" && rem != "largest" && rem != "reject") r.fail("remainder", "largest or reject");
    return SetQuotaRounding{r.integer("unit", 1, 100000000000LL), rem == "reject" ? RemainderPolicy::Reject : RemainderPolicy::Largest, 0, {}};
}

// [SECTION] SetQuotaVacancy
std::string SetQuotaVacancy::apply(const CommandContext&, Scenario& sc) {
    previous = sc.quota.vacancy;
    sc.quota.vacancy = policy;
    return {};
}
void SetQuotaVacancy::undo(Scenario& sc) const { sc.quota.vacancy = previous; }
std::string SetQuotaVacancy::describe(const Scenario&) const {
    return policy == VacancyPolicy::Hold ? "Hold vacant seats' quota at the manager" : "Allocate quota to vacant seats";
}
void SetQuotaVacancy::write(Json& j, const Scenario&) const { j["policy"] = vacancyPolicyName(policy); }
SetQuotaVacancy SetQuotaVacancy::read(const CommandReader& r) {
    const std::string v = r.text("policy", true);
    if (v != "allocate" && v != "hold") r.fail("policy", "allocate or hold");
    return SetQuotaVacancy{v == "hold" ? VacancyPolicy::Hold : VacancyPolicy::Allocate, {}};
}

// [SECTION] SetQuotaSimulation
std::string SetQuotaSimulation::apply(const CommandContext&, Scenario& sc) {
    if (trials < 1 || trials > 100000) return "trials must be between 1 and 100,000";
    previousSeed = sc.quota.seed;
    previousTrials = sc.quota.trials;
    sc.quota.seed = seed;
    sc.quota.trials = trials;
    return {};
}
void SetQuotaSimulation::undo(Scenario& sc) const {
    sc.quota.seed = previousSeed;
    sc.quota.trials = previousTrials;
}
std::string SetQuotaSimulation::describe(const Scenario&) const {
    return "Simulate attainment with " + std::to_string(trials) + " trials, seed " + std::to_string(seed);
}
void SetQuotaSimulation::write(Json& j, const Scenario&) const { j["seed"] = seed, j["trials"] = trials; }
SetQuotaSimulation SetQuotaSimulation::read(const CommandReader& r) {
    return SetQuotaSimulation{static_cast<std::uint64_t>(r.integer("seed", 0, std::numeric_limits<std::int64_t>::max())),
                              static_cast<std::uint32_t>(r.integer("trials", 1, 100000)), 0, 0};
}

// [SECTION] SetCapacityPlan
std::string SetCapacityPlan::apply(const CommandContext&, Scenario& sc) {
    if (auto e = validateCapacityPlan(plan); !e.empty()) return e;
    previous = sc.capacity;
    sc.capacity = plan;
    return {};
}
void SetCapacityPlan::undo(Scenario& sc) const { sc.capacity = previous; }
std::string SetCapacityPlan::describe(const Scenario&) const {
    return "Set the capacity plan (productivity " + fmt::moneyExact(plan.productivity) + ", attrition " + fmt::percent(plan.attrition, 0) + ", " +
           std::to_string(plan.timeToHireMonths) + " months to hire)";
}
void SetCapacityPlan::write(Json& j, const Scenario&) const { j["plan"] = capacityPlanToJson(plan); }
SetCapacityPlan SetCapacityPlan::read(const CommandReader& r) {
    return rethrow([&] { return SetCapacityPlan{capacityPlanFromJson(r.member("plan"), r.where() + ".plan"), {}}; });
}

} // namespace terrane::quota
