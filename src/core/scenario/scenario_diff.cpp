#include "core/scenario/scenario_diff.hpp"

#include "core/quota/quota_results.hpp"
#include "core/scenario/metrics.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>

namespace terrane {

std::string scenarioDiffJson(const Workspace& a, const Workspace& b) {
    Json j;
    Json list = Json::array();
    const Table& accA = a.accounts();
    const Table& accB = b.accounts();
    const bool sameAccounts = accA.rows() == accB.rows();
    const AccountValues va = AccountValues::compute(a), vb = AccountValues::compute(b);
    for (const Scenario& sa : a.scenarios) {
        const Scenario* sb = nullptr;
        for (const Scenario& x : b.scenarios)
            if (x.name == sa.name) sb = &x;
        Json o;
        o["scenario"] = sa.name;
        if (!sb) {
            o["only_in"] = "a";
            list.push_back(std::move(o));
            continue;
        }
        // Accounts are matched by id, so files with re-ordered datasets still compare.
        std::uint64_t moved = 0;
        Json examples = Json::array();
        for (std::size_t r = 0; r < accA.rows(); ++r) {
            const std::string_view id = accA.str(accA.indexOf("account_id"), r);
            std::optional<std::size_t> rb = sameAccounts && accB.str(accB.indexOf("account_id"), r) == id ? std::optional<std::size_t>(r) : accB.rowOf(id);
            if (!rb) continue;
            const std::string_view ta = sa.territoryId(sa.assignment[r]);
            const std::string_view tb = sb->territoryId(sb->assignment[*rb]);
            if (ta != tb) {
                ++moved;
                if (examples.size() < 20) examples.push_back({{"account_id", id}, {"a", ta}, {"b", tb}});
            }
        }
        o["accounts_in_different_territories"] = moved;
        o["examples"] = std::move(examples);
        const PlanMetrics ma = computePlanMetrics(a, va, sa, &a.baseline(), a.settings.metrics);
        const PlanMetrics mb = computePlanMetrics(b, vb, *sb, &b.baseline(), b.settings.metrics);
        Json terr = Json::array();
        for (const TerritoryFigures& ta : ma.territories) {
            const TerritoryFigures* tb = nullptr;
            for (const TerritoryFigures& x : mb.territories)
                if (x.id == ta.id) tb = &x;
            const double accD = (tb ? tb->f.sum[0] : 0) - ta.f.sum[0];
            const double potD = (tb ? tb->f.sum[static_cast<int>(PlanMetric::Potential)] : 0) - ta.f.sum[static_cast<int>(PlanMetric::Potential)];
            if (accD != 0 || potD != 0 || !tb)
                terr.push_back({{"id", ta.id}, {"name", ta.name}, {"accounts_delta", accD}, {"potential_delta", std::round(potD) / 100.0},
                                {"only_in", tb ? Json(nullptr) : Json("a")}});
        }
        for (const TerritoryFigures& tb : mb.territories) {
            bool found = false;
            for (const TerritoryFigures& x : ma.territories) found |= x.id == tb.id;
            if (!found)
                terr.push_back({{"id", tb.id}, {"name", tb.name}, {"accounts_delta", tb.f.sum[0]},
                                {"potential_delta", std::round(tb.f.sum[static_cast<int>(PlanMetric::Potential)]) / 100.0}, {"only_in", "b"}});
        }
        o["territories"] = std::move(terr);
        o["max_deviation_potential"] = {{"a", ma.balance.maxAbsDeviation[static_cast<int>(PlanMetric::Potential)]},
                                        {"b", mb.balance.maxAbsDeviation[static_cast<int>(PlanMetric::Potential)]}};
        o["accounts_moved_vs_baseline"] = {{"a", ma.disruption.accountsMoved}, {"b", mb.disruption.accountsMoved}};
        if (Json q = quota::quotaDiffJson(a, sa, b, *sb); !q.is_null()) o["quota"] = std::move(q);
        list.push_back(std::move(o));
    }
    for (const Scenario& sb : b.scenarios) {
        bool found = false;
        for (const Scenario& x : a.scenarios) found |= x.name == sb.name;
        if (!found) list.push_back({{"scenario", sb.name}, {"only_in", "b"}});
    }
    j["same_accounts"] = sameAccounts;
    j["scenarios"] = std::move(list);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace terrane
