#include "core/scenario/summary.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace terrane {

void updatePlanCounts(WorkspaceSummary& s, const Workspace& ws) {
    s.territories = ws.active().leaves().size();
    s.assignedAccounts = 0;
    for (std::int32_t t : ws.active().assignment) s.assignedAccounts += t >= 0 ? 1 : 0;
}

WorkspaceSummary summarize(const Workspace& ws) {
    WorkspaceSummary s;
    const Table& acc = ws.accounts();
    s.accounts = acc.rows();
    const Column* arr = acc.find("arr");
    const Column* pot = acc.find("potential");
    const Column* lat = acc.find("lat");
    const Column* lon = acc.find("lon");
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        if (arr && !arr->isNull(r)) {
            s.arr += arr->i64()[r];
            if (arr->i64()[r] > 0) ++s.customers;
        }
        if (pot && !pot->isNull(r)) s.potential += pot->i64()[r];
        if (lat && lon && !std::isnan(lat->f64()[r]) && !std::isnan(lon->f64()[r])) ++s.locatedAccounts;
    }
    const Table& reps = ws.reps();
    s.reps = reps.rows();
    const int vacant = reps.indexOf("vacant");
    for (std::size_t r = 0; r < reps.rows(); ++r) s.vacantSeats += reps.flag(vacant, r) ? 1 : 0;
    updatePlanCounts(s, ws);

    const Table& opp = ws.opportunities();
    s.opportunities = opp.rows();
    const int closed = opp.indexOf("is_closed"), wonCol = opp.indexOf("is_won"), amount = opp.indexOf("amount");
    for (std::size_t r = 0; r < opp.rows(); ++r) {
        const std::int64_t a = opp.i64(amount, r);
        const Money amt = a == kI64Null ? 0 : a;
        if (!opp.flag(closed, r)) {
            ++s.openOpportunities;
            s.openPipeline += amt;
        } else if (opp.flag(wonCol, r)) {
            ++s.won;
            s.wonAmount += amt;
        } else {
            ++s.lost;
        }
    }
    return s;
}

std::string summaryToJson(const WorkspaceSummary& s) {
    nlohmann::ordered_json j;
    j["accounts"] = s.accounts;
    j["customers"] = s.customers;
    j["located_accounts"] = s.locatedAccounts;
    j["potential"] = moneyToMajor(s.potential);
    j["arr"] = moneyToMajor(s.arr);
    j["reps"] = s.reps;
    j["vacant_seats"] = s.vacantSeats;
    j["territories"] = s.territories;
    j["assigned_accounts"] = s.assignedAccounts;
    j["opportunities"] = s.opportunities;
    j["open_opportunities"] = s.openOpportunities;
    j["open_pipeline"] = moneyToMajor(s.openPipeline);
    j["won_opportunities"] = s.won;
    j["lost_opportunities"] = s.lost;
    j["won_amount"] = moneyToMajor(s.wonAmount);
    return j.dump();
}

} // namespace terrane
