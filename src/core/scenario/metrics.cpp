// Plan metrics: per-territory figures, balance, compactness and disruption; JSON and CSV.
//
// Index
//  [SECTION] inputs
//  [SECTION] compute
//  [SECTION] output
#include "core/scenario/metrics.hpp"

#include "core/base/format.hpp"
#include "core/io/csv.hpp"
#include "core/base/text.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace terrane {

// [SECTION] inputs
namespace {
constexpr const char* kMetricNames[kPlanMetricCount] = {"accounts", "customers", "potential", "workload", "arr", "pipeline", "whitespace"};
constexpr const char* kMetricLabels[kPlanMetricCount] = {"Accounts", "Customers", "Potential", "Workload", "ARR", "Pipeline", "Whitespace"};
} // namespace

const char* planMetricName(PlanMetric m) { return kMetricNames[static_cast<int>(m)]; }
const char* planMetricLabel(PlanMetric m) { return kMetricLabels[static_cast<int>(m)]; }

bool parsePlanMetric(std::string_view name, PlanMetric& out) {
    for (int i = 0; i < kPlanMetricCount; ++i)
        if (name == kMetricNames[i]) {
            out = static_cast<PlanMetric>(i);
            return true;
        }
    return false;
}

AccountValues AccountValues::compute(const Workspace& ws) {
    AccountValues v;
    v.start(ws);
    v.addAccounts(ws, 0, ws.accounts().rows());
    v.addPipeline(ws, 0, ws.opportunities().rows());
    return v;
}

void AccountValues::start(const Workspace& ws) {
    values.assign(ws.accounts().rows(), {});
}

void AccountValues::addAccounts(const Workspace& ws, std::size_t from, std::size_t to) {
    const Table& acc = ws.accounts();
    const Column* pot = acc.find("potential");
    const Column* arr = acc.find("arr");
    const Column* work = acc.find("workload");
    for (std::size_t a = from; a < to && a < values.size(); ++a) {
        auto& x = values[a];
        x[static_cast<int>(PlanMetric::Accounts)] = 1.0;
        const std::int64_t p = pot ? pot->i64()[a] : kI64Null;
        const std::int64_t r = arr ? arr->i64()[a] : kI64Null;
        x[static_cast<int>(PlanMetric::Potential)] = p == kI64Null ? 0.0 : static_cast<double>(p);
        x[static_cast<int>(PlanMetric::Arr)] = r == kI64Null ? 0.0 : static_cast<double>(r);
        x[static_cast<int>(PlanMetric::Customers)] = (r != kI64Null && r > 0) ? 1.0 : 0.0;
        const double w = work ? work->f64()[a] : std::nan("");
        x[static_cast<int>(PlanMetric::Workload)] = std::isnan(w) ? 0.0 : w;
        x[static_cast<int>(PlanMetric::Whitespace)] =
            std::max(0.0, x[static_cast<int>(PlanMetric::Potential)] - x[static_cast<int>(PlanMetric::Arr)]);
    }
}

void AccountValues::addPipeline(const Workspace& ws, std::size_t from, std::size_t to) {
    const Table& acc = ws.accounts();
    const Table& opp = ws.opportunities();
    const int oAcc = opp.indexOf("account_id"), oAmt = opp.indexOf("amount"), oClosed = opp.indexOf("is_closed");
    if (oAcc < 0 || oAmt < 0) return;
    const auto& accIds = opp.column(static_cast<std::size_t>(oAcc)).ids();
    for (std::size_t r = from; r < to && r < opp.rows(); ++r) {
        if (opp.flag(oClosed, r)) continue;
        const std::int64_t amt = opp.i64(oAmt, r);
        if (amt == kI64Null) continue;
        if (auto row = acc.rowOfStringId(accIds[r]); row && *row < values.size())
            values[*row][static_cast<int>(PlanMetric::Pipeline)] += static_cast<double>(amt);
    }
}

// [SECTION] compute
namespace {
double gini(std::vector<double> x) {
    if (x.size() < 2) return 0.0;
    std::sort(x.begin(), x.end());
    double total = 0, weighted = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        total += x[i];
        weighted += static_cast<double>(i + 1) * x[i];
    }
    if (total <= 0) return 0.0;
    const double n = static_cast<double>(x.size());
    return (2.0 * weighted) / (n * total) - (n + 1.0) / n;
}

void addValues(Figures& f, const std::array<double, kPlanMetricCount>& v, double sign) {
    for (int m = 0; m < kPlanMetricCount; ++m) f.sum[static_cast<std::size_t>(m)] += sign * v[static_cast<std::size_t>(m)];
}

void setDeviation(Figures& f, const Figures& total) {
    for (int m = 0; m < kPlanMetricCount; ++m) {
        const double target = total.sum[static_cast<std::size_t>(m)] * f.targetShare;
        f.deviation[static_cast<std::size_t>(m)] = target > 0 ? (f.sum[static_cast<std::size_t>(m)] - target) / target : 0.0;
    }
}
} // namespace

void PlanMetricsTracker::reset(const Workspace& ws, const AccountValues& values, const Scenario& sc, const Scenario* baseline,
                               const MetricsOptions& opt) {
    m_ws = &ws;
    m_values = &values;
    m_sc = &sc;
    m_baseline = baseline;
    m_m = PlanMetrics{};
    m_m.options = opt;
    const Table& ter = sc.territories;
    const Table& reps = ws.reps();
    const int cId = ter.indexOf("territory_id"), cName = ter.indexOf("name"), cOwner = ter.indexOf("owner"),
              cParent = ter.indexOf("parent_id"), cLevel = ter.indexOf("level");
    const int rName = reps.indexOf("name"), rCap = reps.indexOf("capacity"), rVacant = reps.indexOf("vacant");
    const auto leaves = sc.leaves();
    m_slot.assign(ter.rows(), -1);
    // District and region of each territory through parent_id.
    auto parentOf = [&](std::int32_t t) -> std::int32_t {
        const std::string_view p = ter.str(cParent, static_cast<std::size_t>(t));
        if (p.empty()) return -1;
        auto r = ter.rowOf(p);
        return r ? static_cast<std::int32_t>(*r) : -1;
    };
    std::vector<std::int32_t> districtSlot(ter.rows(), -1), regionSlot(ter.rows(), -1);
    auto rollupSlot = [&](std::vector<RollupFigures>& list, std::vector<std::int32_t>& slots, std::int32_t node) {
        if (slots[static_cast<std::size_t>(node)] < 0) {
            slots[static_cast<std::size_t>(node)] = static_cast<std::int32_t>(list.size());
            RollupFigures rf;
            rf.node = node;
            rf.id = std::string(ter.str(cId, static_cast<std::size_t>(node)));
            rf.name = std::string(ter.str(cName, static_cast<std::size_t>(node)));
            list.push_back(std::move(rf));
        }
    };
    for (std::size_t i = 0; i < leaves.size(); ++i) {
        const std::int32_t t = leaves[i];
        const auto tr = static_cast<std::size_t>(t);
        m_slot[tr] = static_cast<std::int32_t>(i);
        TerritoryFigures tf;
        tf.territory = t;
        tf.id = std::string(ter.str(cId, tr));
        tf.name = std::string(ter.str(cName, tr));
        tf.ownerId = std::string(ter.str(cOwner, tr));
        double cap = 1.0;
        if (auto rr = reps.rowOf(tf.ownerId)) {
            tf.ownerName = std::string(reps.str(rName, *rr));
            tf.vacant = reps.flag(rVacant, *rr);
            const double c = reps.f64(rCap, *rr);
            cap = tf.vacant ? opt.vacantCapacity : (std::isnan(c) ? 1.0 : std::clamp(c, 0.0, 1.0));
        }
        tf.f.capacity = opt.capacityAdjusted ? cap : 1.0;
        const std::int32_t p = parentOf(t);
        if (p >= 0) {
            const std::string_view lv = ter.str(cLevel, static_cast<std::size_t>(p));
            if (lv == "region") {
                tf.region = p;
            } else {
                tf.district = p;
                const std::int32_t g = parentOf(p);
                if (g >= 0) tf.region = g;
            }
        }
        if (tf.district >= 0) rollupSlot(m_m.districts, districtSlot, tf.district);
        if (tf.region >= 0) rollupSlot(m_m.regions, regionSlot, tf.region);
        m_m.territories.push_back(std::move(tf));
    }
    // Territories are matched to the reference by id: the reference may be another scenario
    // whose own new territories sit at the same rows as this one's.
    m_refRow.clear();
    if (baseline) {
        const Table& bt = baseline->territories;
        m_refRow.assign(bt.rows(), -1);
        for (std::size_t r = 0; r < bt.rows(); ++r) {
            const std::string_view id = bt.str(bt.indexOf("territory_id"), r);
            if (id.empty()) continue;
            if (r < ter.rows() && ter.str(cId, r) == id) m_refRow[r] = static_cast<std::int32_t>(r);
            else if (auto row = sc.territoryRow(id)) m_refRow[r] = *row;
        }
    }
    const std::size_t n = std::min(sc.assignment.size(), values.values.size());
    for (std::size_t a = 0; a < n; ++a) move(a, -2, sc.assignment[a]);
    // Baseline-relative counters start from "nothing assigned": move() above added arrivals for
    // accounts whose territory differs from the baseline. Departures follow from the baseline.
    if (baseline) {
        for (std::size_t a = 0; a < n && a < baseline->assignment.size(); ++a) {
            const std::int32_t b = refToScenario(baseline->assignment[a]);
            if (b < 0 || b == sc.assignment[a] || static_cast<std::size_t>(b) >= m_slot.size()) continue;
            const std::int32_t s = m_slot[static_cast<std::size_t>(b)];
            if (s < 0) continue;
            ++m_m.territories[static_cast<std::size_t>(s)].movedOut;
            m_m.territories[static_cast<std::size_t>(s)].arrOut += values.value(a, PlanMetric::Arr);
        }
    }
}

void PlanMetricsTracker::rebind(const Workspace& ws, const AccountValues& values, const Scenario& sc,
                                const Scenario* baseline) {
    m_ws = &ws;
    m_values = &values;
    m_sc = &sc;
    m_baseline = baseline;
}

void PlanMetricsTracker::move(std::size_t a, std::int32_t from, std::int32_t to) {
    const auto& v = m_values->values[a];
    auto slotOf = [&](std::int32_t t) -> std::int32_t {
        return (t >= 0 && static_cast<std::size_t>(t) < m_slot.size()) ? m_slot[static_cast<std::size_t>(t)] : -1;
    };
    // from == -2: the account is being counted for the first time (reset).
    if (from != -2) {
        const std::int32_t s = slotOf(from);
        addValues(s >= 0 ? m_m.territories[static_cast<std::size_t>(s)].f : m_m.unassigned, v, -1.0);
    }
    const std::int32_t s = slotOf(to);
    addValues(s >= 0 ? m_m.territories[static_cast<std::size_t>(s)].f : m_m.unassigned, v, +1.0);
    if (!m_baseline || a >= m_baseline->assignment.size()) return;
    const std::int32_t rawB = m_baseline->assignment[a];
    const std::int32_t b = refToScenario(rawB);
    auto ownerIn = [](const Scenario& s, std::int32_t t) -> std::uint32_t {
        const Table& ter = s.territories;
        return (t >= 0 && static_cast<std::size_t>(t) < ter.rows()) ? ter.find("owner")->ids()[static_cast<std::size_t>(t)] : 0u;
    };
    const std::uint32_t baseOwner = ownerIn(*m_baseline, rawB);
    Disruption& d = m_m.disruption;
    const double customer = v[static_cast<int>(PlanMetric::Customers)], arr = v[static_cast<int>(PlanMetric::Arr)],
                 pot = v[static_cast<int>(PlanMetric::Potential)];
    auto account = [&](std::int32_t t, double sign) {
        if (t == b && (t >= 0 || rawB < 0)) return;
        d.accountsMoved = static_cast<std::uint64_t>(static_cast<double>(d.accountsMoved) + sign);
        d.customersMoved = static_cast<std::uint64_t>(static_cast<double>(d.customersMoved) + sign * customer);
        d.arrMoved += sign * arr;
        d.potentialMoved += sign * pot;
        const std::int32_t ts = slotOf(t);
        if (ts >= 0) {
            TerritoryFigures& tf = m_m.territories[static_cast<std::size_t>(ts)];
            tf.movedIn = static_cast<std::uint64_t>(static_cast<double>(tf.movedIn) + sign);
            tf.arrIn += sign * arr;
        }
    };
    auto owner = [&](std::int32_t t, double sign) {
        if (ownerIn(*m_sc, t) != baseOwner)
            d.ownerChanged = static_cast<std::uint64_t>(static_cast<double>(d.ownerChanged) + sign);
    };
    if (from != -2) {
        account(from, -1.0);
        owner(from, -1.0);
        // Leaving (or returning to) the baseline territory changes its departures.
        const std::int32_t bs = slotOf(b);
        if (bs >= 0 && (from == b) != (to == b)) {
            TerritoryFigures& bt = m_m.territories[static_cast<std::size_t>(bs)];
            const double sign = from == b ? 1.0 : -1.0;
            bt.movedOut = static_cast<std::uint64_t>(static_cast<double>(bt.movedOut) + sign);
            bt.arrOut += sign * arr;
        }
    }
    account(to, +1.0);
    owner(to, +1.0);
}

void PlanMetricsTracker::finalize() {
    PlanMetrics& m = m_m;
    m.total = Figures{};
    double capTotal = 0;
    for (const TerritoryFigures& t : m.territories) capTotal += t.f.capacity;
    for (const TerritoryFigures& t : m.territories) addValues(m.total, t.f.sum, 1.0);
    addValues(m.total, m.unassigned.sum, 1.0);
    m.total.capacity = capTotal;
    m.total.targetShare = 1.0;
    for (auto& r : m.districts) r.f = Figures{}, r.territories = 0;
    for (auto& r : m.regions) r.f = Figures{}, r.territories = 0;
    auto findRollup = [](std::vector<RollupFigures>& list, std::int32_t node) -> RollupFigures* {
        for (auto& r : list)
            if (r.node == node) return &r;
        return nullptr;
    };
    for (TerritoryFigures& t : m.territories) {
        t.f.targetShare = capTotal > 0 ? t.f.capacity / capTotal : 0.0;
        setDeviation(t.f, m.total);
        for (auto [list, node] : {std::pair{&m.districts, t.district}, std::pair{&m.regions, t.region}}) {
            if (node < 0) continue;
            if (RollupFigures* r = findRollup(*list, node)) {
                addValues(r->f, t.f.sum, 1.0);
                r->f.capacity += t.f.capacity;
                ++r->territories;
            }
        }
    }
    for (auto* list : {&m.districts, &m.regions})
        for (RollupFigures& r : *list) {
            r.f.targetShare = capTotal > 0 ? r.f.capacity / capTotal : 0.0;
            setDeviation(r.f, m.total);
        }
    m.balance = BalanceSummary{};
    for (int k = 0; k < kPlanMetricCount; ++k) {
        std::vector<double> load;
        double maxDev = 0;
        for (const TerritoryFigures& t : m.territories) {
            if (t.f.targetShare <= 0) continue;
            maxDev = std::max(maxDev, std::fabs(t.f.deviation[static_cast<std::size_t>(k)]));
            load.push_back(t.f.sum[static_cast<std::size_t>(k)] / t.f.targetShare);
        }
        m.balance.maxAbsDeviation[static_cast<std::size_t>(k)] = maxDev;
        m.balance.gini[static_cast<std::size_t>(k)] = gini(std::move(load));
    }
    for (const TerritoryFigures& t : m.territories) {
        const double dp = std::fabs(t.f.deviation[static_cast<int>(PlanMetric::Potential)]);
        const double dw = std::fabs(t.f.deviation[static_cast<int>(PlanMetric::Workload)]);
        if (t.f.targetShare > 0 && (dp > m.options.tolerance || dw > m.options.tolerance)) ++m.balance.outsideTolerance;
    }
    Disruption& d = m.disruption;
    auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
    d.accountsMovedShare = share(static_cast<double>(d.accountsMoved), m.total.sum[static_cast<int>(PlanMetric::Accounts)]);
    d.customersMovedShare = share(static_cast<double>(d.customersMoved), m.total.sum[static_cast<int>(PlanMetric::Customers)]);
    d.arrMovedShare = share(d.arrMoved, m.total.sum[static_cast<int>(PlanMetric::Arr)]);
    d.potentialMovedShare = share(d.potentialMoved, m.total.sum[static_cast<int>(PlanMetric::Potential)]);
}

PlanMetrics computePlanMetrics(const Workspace& ws, const AccountValues& values, const Scenario& sc, const Scenario* baseline,
                               const MetricsOptions& opt) {
    PlanMetricsTracker t;
    t.reset(ws, values, sc, baseline, opt);
    t.finalize();
    return t.metrics();
}

// [SECTION] output
namespace {
double metricOut(PlanMetric m, double v) { return isMoneyMetric(m) ? std::round(v) / 100.0 : v; }

nlohmann::ordered_json figuresJson(const Figures& f) {
    nlohmann::ordered_json j;
    for (int k = 0; k < kPlanMetricCount; ++k) {
        const auto m = static_cast<PlanMetric>(k);
        j[planMetricName(m)] = metricOut(m, f.sum[static_cast<std::size_t>(k)]);
    }
    j["capacity"] = f.capacity;
    j["target_share"] = f.targetShare;
    nlohmann::ordered_json dev;
    for (int k = 0; k < kPlanMetricCount; ++k) dev[planMetricName(static_cast<PlanMetric>(k))] = f.deviation[static_cast<std::size_t>(k)];
    j["deviation"] = dev;
    return j;
}
} // namespace

std::string planMetricsToJson(const PlanMetrics& m) {
    nlohmann::ordered_json j;
    j["options"] = {{"capacity_adjusted", m.options.capacityAdjusted}, {"vacant_capacity", m.options.vacantCapacity},
                    {"tolerance", m.options.tolerance}};
    j["totals"] = figuresJson(m.total);
    j["unassigned"] = figuresJson(m.unassigned);
    nlohmann::ordered_json bal;
    for (int k = 0; k < kPlanMetricCount; ++k) {
        const auto mk = static_cast<PlanMetric>(k);
        bal[planMetricName(mk)] = {{"max_deviation", m.balance.maxAbsDeviation[static_cast<std::size_t>(k)]},
                                   {"gini", m.balance.gini[static_cast<std::size_t>(k)]}};
    }
    j["balance"] = bal;
    j["outside_tolerance"] = m.balance.outsideTolerance;
    const Disruption& d = m.disruption;
    j["disruption"] = {{"accounts_moved", d.accountsMoved},
                       {"accounts_moved_share", d.accountsMovedShare},
                       {"owner_changed", d.ownerChanged},
                       {"customers_moved", d.customersMoved},
                       {"customers_moved_share", d.customersMovedShare},
                       {"arr_moved", std::round(d.arrMoved) / 100.0},
                       {"arr_moved_share", d.arrMovedShare},
                       {"potential_moved", std::round(d.potentialMoved) / 100.0},
                       {"potential_moved_share", d.potentialMovedShare}};
    auto& ts = j["territories"] = nlohmann::ordered_json::array();
    for (const TerritoryFigures& t : m.territories) {
        nlohmann::ordered_json o;
        o["id"] = t.id;
        o["name"] = t.name;
        o["owner_id"] = t.ownerId;
        o["owner_name"] = t.ownerName;
        o["vacant"] = t.vacant;
        o.update(figuresJson(t.f));
        o["moved_in"] = t.movedIn;
        o["moved_out"] = t.movedOut;
        o["arr_in"] = std::round(t.arrIn) / 100.0;
        o["arr_out"] = std::round(t.arrOut) / 100.0;
        ts.push_back(std::move(o));
    }
    for (auto [key, list] : {std::pair{"districts", &m.districts}, std::pair{"regions", &m.regions}}) {
        auto& arr = j[key] = nlohmann::ordered_json::array();
        for (const RollupFigures& r : *list) {
            nlohmann::ordered_json o;
            o["id"] = r.id;
            o["name"] = r.name;
            o["territories"] = r.territories;
            o.update(figuresJson(r.f));
            arr.push_back(std::move(o));
        }
    }
    return j.dump();
}

std::string assignmentCsv(const Workspace& ws, const Scenario& sc, const Scenario& baseline) {
    const Table& acc = ws.accounts();
    const Table& reps = ws.reps();
    const int aId = acc.indexOf("account_id"), aName = acc.indexOf("name"), rName = reps.indexOf("name");
    auto ownerOf = [](const Scenario& s, std::int32_t t) -> std::string_view {
        return t < 0 ? std::string_view{} : s.territories.str(s.territories.indexOf("owner"), static_cast<std::size_t>(t));
    };
    auto repName = [&](std::string_view id) -> std::string_view {
        auto r = reps.rowOf(id);
        return r ? reps.str(rName, *r) : std::string_view{};
    };
    auto ancestor = [&](std::int32_t t, std::string_view level) -> std::string_view {
        const Table& ter = sc.territories;
        for (int depth = 0; t >= 0 && depth < 8; ++depth) {
            const std::string_view p = ter.str(ter.indexOf("parent_id"), static_cast<std::size_t>(t));
            auto r = ter.rowOf(p);
            if (!r) return {};
            t = static_cast<std::int32_t>(*r);
            if (ter.str(ter.indexOf("level"), *r) == level) return ter.str(ter.indexOf("name"), *r);
        }
        return {};
    };
    std::string out;
    CsvWriter w(out);
    for (const char* h : {"account_id", "account_name", "owner_id", "owner_name", "territory", "territory_name", "district", "region",
                          "changed", "previous_territory", "previous_owner_id", "previous_owner_name"})
        w.field(h);
    w.endRow();
    for (std::size_t a = 0; a < acc.rows(); ++a) {
        const std::int32_t t = a < sc.assignment.size() ? sc.assignment[a] : -1;
        const std::int32_t b = a < baseline.assignment.size() ? baseline.assignment[a] : -1;
        const std::string_view owner = ownerOf(sc, t), prevOwner = ownerOf(baseline, b);
        const std::string_view tid = sc.territoryId(t), prevTid = baseline.territoryId(b);
        w.field(acc.str(aId, a)).field(acc.str(aName, a)).field(owner).field(repName(owner)).field(tid);
        w.field(t < 0 ? std::string_view{} : sc.territoryName(t)).field(ancestor(t, "district")).field(ancestor(t, "region"));
        w.field(tid != prevTid ? "true" : "false").field(prevTid).field(prevOwner).field(repName(prevOwner));
        w.endRow();
    }
    return out;
}

std::string auditCsv(const Scenario& sc) {
    std::string out;
    CsvWriter w(out);
    for (const char* h : {"step", "time_utc", "action", "command", "accounts", "potential_moved", "arr_moved", "note", "in_effect"})
        w.field(h);
    w.endRow();
    for (std::size_t i = 0; i < sc.log.size(); ++i) {
        const AuditEntry& a = sc.log[i].audit;
        w.field(static_cast<long long>(i + 1)).field(fmt::timeUtc(a.timeMs)).field(a.description).field(commandName(sc.log[i].command));
        w.field(static_cast<long long>(a.accounts)).number(formatMoney(a.potentialMoved)).number(formatMoney(a.arrMoved)).field(a.note);
        w.field(i < sc.cursor ? "true" : "false");
        w.endRow();
    }
    return out;
}

} // namespace terrane
