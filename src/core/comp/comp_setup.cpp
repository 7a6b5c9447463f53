// The scenario's compensation set-up: JSON, payout inputs with the default target incentive, and
// the starting plan fitted to the workspace.
//
// Index
//  [SECTION] JSON
//  [SECTION] inputs
//  [SECTION] starter
#include "core/comp/comp_setup.hpp"

#include "core/base/format.hpp"
#include "core/quota/allocate.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace terrane::comp {

// [SECTION] JSON
Json compSetupToJson(const CompSetup& s) {
    Json plans = Json::array();
    for (const Plan& p : s.plans) plans.push_back(planToJson(p));
    return Json{{"plans", std::move(plans)}, {"default_target_incentive", s.defaultTargetIncentive}, {"budget", s.budget}};
}

CompSetup compSetupFromJson(const Json& j, const std::string& where) {
    CompSetup s;
    const Json& plans = jsonMember(j, "plans", where);
    if (!plans.is_array()) throw JsonFieldError(where + ".plans: expected a list of plans");
    for (std::size_t i = 0; i < plans.size(); ++i) s.plans.push_back(parsePlan(plans[i], where + ".plans[" + std::to_string(i) + "]"));
    if (j.contains("default_target_incentive"))
        s.defaultTargetIncentive = jsonInteger(j["default_target_incentive"], where + ".default_target_incentive", 0, kMaxCompMoney);
    if (j.contains("budget")) s.budget = jsonInteger(j["budget"], where + ".budget", 0, kMaxCompMoney);
    return s;
}

std::string validateCompSettings(Money defaultTargetIncentive, Money budget) {
    if (defaultTargetIncentive < 0 || defaultTargetIncentive > kMaxCompMoney) return "the target incentive must be between 0 and 10 trillion";
    if (budget < 0 || budget > kMaxCompMoney) return "the budget must be between 0 and 10 trillion";
    return {};
}

// [SECTION] inputs
PayoutInputs scenarioInputs(const Plan& plan, const Workspace& ws, const quota::QuotaResult* quotas, const CompSetup& setup) {
    PayoutInputs in = inputsFromWorkspace(plan, ws, quotas);
    if (setup.defaultTargetIncentive <= 0) return in;
    std::size_t filled = 0;
    for (RepInput& r : in.reps)
        if (r.targetIncentive <= 0) {
            r.targetIncentive = setup.defaultTargetIncentive;
            ++filled;
        }
    // The engine's note about reps without incentive data no longer holds for those filled.
    in.notes.erase(std::remove_if(in.notes.begin(), in.notes.end(),
                                  [](const std::string& n) { return n.find(" no target incentive (") != std::string::npos; }),
                   in.notes.end());
    if (filled)
        in.notes.push_back("target incentive " + fmt::moneyExact(setup.defaultTargetIncentive) + " for " + fmt::count(filled) +
                           " reps without incentive data (the scenario's default)");
    std::size_t missing = 0;
    for (const RepInput& r : in.reps) missing += r.targetIncentive <= 0;
    if (missing) in.notes.push_back(fmt::countOf(missing, "rep has", "reps have") + " no target incentive: commission 0");
    return in;
}

// [SECTION] starter
CompSetup starterSetup(const Workspace& ws, const quota::QuotaResult& quotas) {
    const quota::QuotaTree& t = quotas.tree;
    const int year = t.historyTo != kDateNull ? civilFromDays(t.historyTo - 1).year : (t.planYear ? t.planYear : 2026);
    CompSetup s;
    Plan p = examplePlan(year);
    // Full rate up to quota, so a rep at 100% earns exactly the target incentive (the issue's
    // example pays 75% there, which the plan checks rightly flag), then 1.5x and 2x above.
    p.commission.tiers = {{0, kPpm}, {kPpm, 1500000}, {1500000, 2000000}};
    if (t.historyFrom != kDateNull && t.historyTo != kDateNull && t.historyFrom < t.historyTo) {
        p.start = t.historyFrom;
        p.end = t.historyTo - 1;
        const Ymd a = civilFromDays(p.start), b = civilFromDays(p.end);
        p.name = "AE plan " + (a.year == b.year ? std::to_string(a.year) : std::to_string(a.year) + "-" + std::to_string(b.year % 100));
    }
    // The SPIFF: the most common won product, in the period's third quarter.
    const PayoutInputs in = inputsFromWorkspace(p, ws, &quotas);
    std::map<std::string, std::size_t> products;
    for (const Deal& d : in.deals)
        if (d.won && !d.product.empty() && d.date >= p.start && d.date <= p.end) ++products[d.product];
    Spiff& spiff = p.spiffs.front();
    if (!products.empty()) {
        const auto best = std::max_element(products.begin(), products.end(), [](auto& x, auto& y) { return x.second < y.second; });
        spiff.product = best->first;
        spiff.name = best->first + " push";
    }
    const Ymd a = civilFromDays(p.start);
    const int m0 = a.year * 12 + (a.month - 1) + 6;
    spiff.from = daysFromCivil(m0 / 12, m0 % 12 + 1, 1);
    const int m1 = m0 + 3;
    spiff.to = std::min<Date>(p.end, daysFromCivil(m1 / 12, m1 % 12 + 1, 1) - 1);
    // Reps without incentive data: 10% of the median rep quota, to $1,000.
    std::vector<Money> q;
    for (const quota::RepQuota& r : quotas.reps)
        if (!r.repId.empty() && r.quota > 0) q.push_back(r.quota);
    if (!q.empty()) {
        std::nth_element(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(q.size() / 2), q.end());
        const Money median = q[q.size() / 2];
        s.defaultTargetIncentive = std::max<Money>(100000, (median / 10 + 50000) / 100000 * 100000);
    }
    s.plans.push_back(std::move(p));
    return s;
}

} // namespace terrane::comp
