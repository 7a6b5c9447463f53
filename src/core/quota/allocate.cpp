// Quota allocation.
//
// Index
//  [SECTION] dates and ramp   plan-year months, ramp factors, seasonality weights
//  [SECTION] tree             hierarchy from the scenario's territories, inputs per territory
//  [SECTION] allocation       pools, splits with locks, periods, basis text
//  [SECTION] reconciliation   the invariants, checked from scratch
#include "core/base/format.hpp"
#include "core/quota/allocate.hpp"

#include "core/quota/apportion.hpp"
#include "core/base/text.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>

namespace terrane::quota {

namespace {
using Sev = QuotaIssue::Severity;
constexpr const char* kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int monthIndex(Date d) {
    const Ymd y = civilFromDays(d);
    return y.year * 12 + (y.month - 1);
}

std::string monthLabel(Date d) {
    const Ymd y = civilFromDays(d);
    return std::string(kMonthNames[y.month - 1]) + " " + std::to_string(y.year);
}

// "1.05", "0.9", "1.125"
std::string factorLabel(std::int64_t ppm) {
    const std::int64_t v = 1000000 + ppm;
    std::string s = std::to_string(v / 1000000);
    std::string frac = std::to_string(1000000 + v % 1000000).substr(1);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (frac.size() < 2) frac.resize(2, '0');
    return s + "." + frac;
}
} // namespace

// [SECTION] dates and ramp
std::array<double, 12> monthlyRamp(Date start, Date planStart, const std::vector<double>& ramp,
                                   int stepMonths) {
    std::array<double, 12> f{};
    if (ramp.empty()) {
        f.fill(1.0);
        return f;
    }
    const int step = std::max(1, stepMonths);
    for (int m = 0; m < 12; ++m) {
        if (start == kDateNull) {
            f[static_cast<std::size_t>(m)] = ramp.back();
            continue;
        }
        const Date monthStart = addMonths(planStart, m);
        const Date monthEnd = addMonths(planStart, m + 1);
        if (start >= monthEnd) continue; // not started yet
        const int tenure = monthIndex(monthStart) - monthIndex(start);
        const int k = std::max(0, tenure) / step;
        f[static_cast<std::size_t>(m)] =
            static_cast<std::size_t>(k) < ramp.size() ? ramp[static_cast<std::size_t>(k)] : ramp.back();
    }
    return f;
}

std::array<double, 12> monthlyWeights(const std::vector<double>& seasonality) {
    std::array<double, 12> w{};
    double sum = 0;
    for (double x : seasonality) sum += x > 0 ? x : 0;
    for (int m = 0; m < 12; ++m) {
        double x = 1.0 / 12.0;
        if (sum > 0 && seasonality.size() == 12)
            x = std::max(0.0, seasonality[static_cast<std::size_t>(m)]) / sum;
        else if (sum > 0 && seasonality.size() == 4)
            x = std::max(0.0, seasonality[static_cast<std::size_t>(m / 3)]) / sum / 3.0;
        w[static_cast<std::size_t>(m)] = x;
    }
    return w;
}

Date dataAsOf(const Workspace& ws) {
    Date best = kDateNull;
    auto see = [&](std::int64_t d) {
        if (d != kI64Null && (best == kDateNull || d > best)) best = static_cast<Date>(d);
    };
    const Table& opp = ws.opportunities();
    const int created = opp.indexOf("created_date"), close = opp.indexOf("close_date"),
              closed = opp.indexOf("is_closed");
    for (std::size_t r = 0; r < opp.rows(); ++r) {
        see(opp.i64(created, r));
        if (opp.flag(closed, r)) see(opp.i64(close, r));
    }
    const Table& bk = ws.table(DatasetKind::Bookings);
    const int date = bk.indexOf("date");
    for (std::size_t r = 0; r < bk.rows(); ++r) see(bk.i64(date, r));
    return best;
}

// [SECTION] tree
QuotaTree buildQuotaTree(const Workspace& ws, const Scenario& sc, const QuotaPlan& plan,
                         const CapacityPlan& capacity) {
    QuotaTree t;
    const Table& ter = sc.territories;
    const std::size_t R = ter.rows();
    const int cId = ter.indexOf("territory_id"), cName = ter.indexOf("name"), cLevel = ter.indexOf("level"),
              cParent = ter.indexOf("parent_id"), cOwner = ter.indexOf("owner");
    std::vector<char> alive(R, 0), leaf(R, 0);
    for (std::size_t r = 0; r < R; ++r) {
        alive[r] = !sc.isDeleted(static_cast<std::int32_t>(r)) && !ter.str(cId, r).empty();
        const std::string_view lv = ter.str(cLevel, r);
        leaf[r] = lv.empty() || lv == "territory";
    }
    // Parents: an alive, non-territory row; anything else hangs under the company.
    std::vector<std::int32_t> par(R, -1);
    for (std::size_t r = 0; r < R; ++r) {
        if (!alive[r]) continue;
        const std::string_view pid = ter.str(cParent, r);
        if (pid.empty()) continue;
        auto p = sc.territoryRow(pid);
        if (p && alive[static_cast<std::size_t>(*p)] && !leaf[static_cast<std::size_t>(*p)] &&
            static_cast<std::size_t>(*p) != r)
            par[r] = *p;
        else if (!p || !alive[static_cast<std::size_t>(*p)])
            t.issues.push_back(
                {Sev::Warning, std::string(ter.str(cId, r)),
                 "parent '" + std::string(pid) + "' is not in the hierarchy; placed under the company",
                 "hierarchy"});
    }
    // Break cycles: a row whose parent chain does not reach the top in R steps.
    for (std::size_t r = 0; r < R; ++r) {
        if (!alive[r]) continue;
        std::int32_t p = par[r];
        std::size_t steps = 0;
        while (p >= 0 && steps <= R) p = par[static_cast<std::size_t>(p)], ++steps;
        if (p >= 0) {
            t.issues.push_back({Sev::Warning, std::string(ter.str(cId, r)),
                                "its parents form a cycle; placed under the company", "hierarchy"});
            par[r] = -1;
        }
    }
    std::vector<char> hasLeaf(R, 0);
    for (std::size_t r = 0; r < R; ++r) {
        if (!alive[r] || !leaf[r]) continue;
        for (std::int32_t p = par[r]; p >= 0 && !hasLeaf[static_cast<std::size_t>(p)];
             p = par[static_cast<std::size_t>(p)])
            hasLeaf[static_cast<std::size_t>(p)] = 1;
    }
    // Depth of each internal row, to assign levels top-down.
    std::vector<int> depth(R, 0);
    for (std::size_t r = 0; r < R; ++r) {
        int d = 0;
        for (std::int32_t p = par[r]; p >= 0; p = par[static_cast<std::size_t>(p)]) ++d;
        depth[r] = d;
    }
    std::vector<std::size_t> internal;
    for (std::size_t r = 0; r < R; ++r) {
        if (!alive[r] || leaf[r]) continue;
        if (!hasLeaf[r]) {
            t.issues.push_back({Sev::Info, std::string(ter.str(cId, r)),
                                "has no territories below it; left out of the quota plan", "hierarchy"});
            continue;
        }
        internal.push_back(r);
    }
    std::stable_sort(internal.begin(), internal.end(),
                     [&](std::size_t a, std::size_t b) { return depth[a] < depth[b]; });
    // kept level of an internal row (Company = not kept); nearest kept ancestor of any row.
    std::vector<QuotaLevel> level(R, QuotaLevel::Company);
    std::vector<std::int32_t> effParent(R, -1);
    auto nearestKept = [&](std::size_t r) {
        std::int32_t p = par[r];
        while (p >= 0 && level[static_cast<std::size_t>(p)] == QuotaLevel::Company)
            p = par[static_cast<std::size_t>(p)];
        return p;
    };
    for (std::size_t r : internal) {
        const std::int32_t p = nearestKept(r);
        effParent[r] = p;
        const QuotaLevel pl = p < 0 ? QuotaLevel::Company : level[static_cast<std::size_t>(p)];
        if (pl == QuotaLevel::Company)
            level[r] = ter.str(cLevel, r) == "district" ? QuotaLevel::District : QuotaLevel::Region;
        else if (pl == QuotaLevel::Region)
            level[r] = QuotaLevel::District;
        else
            t.issues.push_back(
                {Sev::Info, std::string(ter.str(cId, r)),
                 "deeper than region > district > territory; its territories count under its district",
                 "hierarchy"});
    }
    for (std::size_t r = 0; r < R; ++r)
        if (alive[r] && leaf[r]) effParent[r] = nearestKept(r);

    // Nodes in depth-first order, children by id.
    std::vector<std::vector<std::size_t>> kids(R + 1); // index R = company
    for (std::size_t r = 0; r < R; ++r) {
        const bool kept = alive[r] && (leaf[r] || level[r] != QuotaLevel::Company);
        if (!kept) continue;
        kids[effParent[r] < 0 ? R : static_cast<std::size_t>(effParent[r])].push_back(r);
    }
    for (auto& k : kids)
        std::sort(k.begin(), k.end(),
                  [&](std::size_t a, std::size_t b) { return ter.str(cId, a) < ter.str(cId, b); });
    QuotaNode company;
    company.id = "company";
    company.name = "Company";
    company.level = QuotaLevel::Company;
    t.nodes.push_back(std::move(company));
    std::vector<std::int32_t> nodeOfRow(R, -1);
    std::vector<std::pair<std::size_t, std::int32_t>> stack; // (row or R, node index of parent)
    for (auto it = kids[R].rbegin(); it != kids[R].rend(); ++it) stack.emplace_back(*it, 0);
    while (!stack.empty()) {
        auto [r, parentNode] = stack.back();
        stack.pop_back();
        QuotaNode n;
        n.id = std::string(ter.str(cId, r));
        n.name = std::string(ter.str(cName, r));
        if (n.name.empty()) n.name = n.id;
        n.level = leaf[r] ? QuotaLevel::Territory : level[r];
        n.parent = parentNode;
        n.territoryRow = static_cast<std::int32_t>(r);
        if (leaf[r]) {
            n.owner = std::string(ter.str(cOwner, r));
            n.territories = 1;
        }
        const auto idx = static_cast<std::int32_t>(t.nodes.size());
        nodeOfRow[r] = idx;
        t.nodes[static_cast<std::size_t>(parentNode)].children.push_back(idx);
        t.nodes.push_back(std::move(n));
        for (auto it = kids[r].rbegin(); it != kids[r].rend(); ++it) stack.emplace_back(*it, idx);
    }

    // Plan year and history window.
    t.asOf = dataAsOf(ws);
    if (plan.planYear > 0)
        t.planYear = plan.planYear;
    else if (t.asOf != kDateNull)
        t.planYear = civilFromDays(t.asOf).year + 1;
    else {
        const auto now = std::chrono::duration_cast<std::chrono::hours>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count() /
                         24;
        t.planYear = civilFromDays(static_cast<Date>(now)).year + 1;
        t.issues.push_back(
            {Sev::Info, "", "no dated history: planning for " + std::to_string(t.planYear), "data"});
    }
    t.planStart = daysFromCivil(t.planYear, 1, 1);
    t.planEnd = daysFromCivil(t.planYear + 1, 1, 1);
    const Date histEnd = t.asOf == kDateNull ? t.planStart : t.asOf + 1;
    t.historyTo = plan.allocation.historyTo != kDateNull ? plan.allocation.historyTo : histEnd;
    t.historyFrom =
        plan.allocation.historyFrom != kDateNull ? plan.allocation.historyFrom : addMonths(t.historyTo, -12);

    // Potential and accounts per territory from the assignment.
    const Table& acc = ws.accounts();
    const Column* pot = acc.find("potential");
    for (std::size_t a = 0; a < acc.rows() && a < sc.assignment.size(); ++a) {
        const std::int32_t tr = sc.assignment[a];
        if (tr < 0 || static_cast<std::size_t>(tr) >= R) continue;
        const std::int32_t nd = nodeOfRow[static_cast<std::size_t>(tr)];
        if (nd < 0 || t.nodes[static_cast<std::size_t>(nd)].level != QuotaLevel::Territory) continue;
        QuotaNode& n = t.nodes[static_cast<std::size_t>(nd)];
        ++n.accounts;
        if (pot && !pot->isNull(a)) n.potential += pot->i64()[a];
    }
    // First territory owned by each rep (history that names only a rep lands there).
    std::unordered_map<std::string, std::int32_t> leafOfOwner;
    for (std::size_t i = 1; i < t.nodes.size(); ++i)
        if (t.nodes[i].level == QuotaLevel::Territory && !t.nodes[i].owner.empty())
            leafOfOwner.emplace(t.nodes[i].owner, static_cast<std::int32_t>(i));
    auto leafOfAccount = [&](std::string_view accountId) -> std::int32_t {
        if (accountId.empty()) return -1;
        auto a = acc.rowOf(accountId);
        if (!a || *a >= sc.assignment.size()) return -1;
        const std::int32_t tr = sc.assignment[*a];
        if (tr < 0) return -1;
        const std::int32_t nd = nodeOfRow[static_cast<std::size_t>(tr)];
        return nd >= 0 && t.nodes[static_cast<std::size_t>(nd)].level == QuotaLevel::Territory ? nd : -1;
    };
    auto leafOfRep = [&](std::string_view rep) -> std::int32_t {
        auto it = leafOfOwner.find(std::string(rep));
        return it == leafOfOwner.end() ? -1 : it->second;
    };
    auto credit = [&](std::int32_t leafNode, Money amount) {
        t.historyTotal += amount;
        if (leafNode < 0)
            t.historyUnattributed += amount;
        else
            t.nodes[static_cast<std::size_t>(leafNode)].history += amount;
    };
    const Table& bk = ws.table(DatasetKind::Bookings);
    const HistorySource want = plan.allocation.historySource;
    bool useBookings = (want == HistorySource::Bookings || want == HistorySource::Auto) && bk.rows() > 0;
    if (want == HistorySource::Bookings && bk.rows() == 0)
        t.issues.push_back(
            {Sev::Warning, "", "no bookings dataset is loaded: history uses won opportunities", "data"});
    t.historyUsed = useBookings ? HistorySource::Bookings : HistorySource::Opportunities;
    if (useBookings) {
        const int cAcc = bk.indexOf("account_id"), cTer = bk.indexOf("territory"),
                  cRep = bk.indexOf("rep_id"), cDate = bk.indexOf("date"), cAmt = bk.indexOf("amount");
        for (std::size_t r = 0; r < bk.rows(); ++r) {
            const std::int64_t d = bk.i64(cDate, r), amt = bk.i64(cAmt, r);
            if (d == kI64Null || amt == kI64Null || d < t.historyFrom || d >= t.historyTo) continue;
            std::int32_t nd = leafOfAccount(bk.str(cAcc, r));
            if (nd < 0) {
                if (auto tr = sc.territoryRow(bk.str(cTer, r));
                    tr && nodeOfRow[static_cast<std::size_t>(*tr)] >= 0 &&
                    t.nodes[static_cast<std::size_t>(nodeOfRow[static_cast<std::size_t>(*tr)])].level ==
                        QuotaLevel::Territory)
                    nd = nodeOfRow[static_cast<std::size_t>(*tr)];
            }
            if (nd < 0) nd = leafOfRep(bk.str(cRep, r));
            credit(nd, amt);
        }
    } else {
        const Table& opp = ws.opportunities();
        const int cAcc = opp.indexOf("account_id"), cOwn = opp.indexOf("owner"), cWon = opp.indexOf("is_won"),
                  cClosed = opp.indexOf("is_closed"), cClose = opp.indexOf("close_date"),
                  cAmt = opp.indexOf("amount");
        for (std::size_t r = 0; r < opp.rows(); ++r) {
            if (!opp.flag(cClosed, r) || !opp.flag(cWon, r)) continue;
            const std::int64_t d = opp.i64(cClose, r), amt = opp.i64(cAmt, r);
            if (d == kI64Null || amt == kI64Null || d < t.historyFrom || d >= t.historyTo) continue;
            std::int32_t nd = leafOfAccount(opp.str(cAcc, r));
            if (nd < 0) nd = leafOfRep(opp.str(cOwn, r));
            credit(nd, amt);
        }
    }
    if (t.historyUnattributed > 0)
        t.issues.push_back(
            {Sev::Info, "",
             fmt::moneyExact(t.historyUnattributed) + " of history maps to no territory of this plan", "data"});

    // Owners: vacancy and ramp over the plan year.
    const Table& reps = ws.reps();
    const int rVacant = reps.indexOf("vacant"), rStart = reps.indexOf("start_date"),
              rCap = reps.indexOf("capacity");
    const std::array<double, 12> mw = monthlyWeights(plan.seasonality);
    auto annual = [&](const std::array<double, 12>& f) {
        double s = 0;
        for (int m = 0; m < 12; ++m) s += mw[static_cast<std::size_t>(m)] * f[static_cast<std::size_t>(m)];
        return s;
    };
    for (QuotaNode& n : t.nodes) {
        if (n.level != QuotaLevel::Territory) continue;
        auto rr = n.owner.empty() ? std::nullopt : reps.rowOf(n.owner);
        if (!n.owner.empty() && !rr)
            t.issues.push_back({Sev::Warning, n.id,
                                "owner '" + n.owner + "' is not in the reps data; treated as a vacant seat",
                                "data"});
        n.vacant = !rr || reps.flag(rVacant, *rr);
        if (n.vacant) {
            n.capacity = plan.vacancy == VacancyPolicy::Hold
                             ? 1.0
                             : annual(monthlyRamp(addMonths(t.planStart, capacity.timeToHireMonths),
                                                  t.planStart, capacity.ramp, capacity.rampStepMonths));
            continue;
        }
        const std::int64_t start = reps.i64(rStart, *rr);
        if (start == kI64Null) {
            const double c = reps.f64(rCap, *rr);
            n.capacity = std::isnan(c) ? 1.0 : std::clamp(c, 0.0, 2.0);
        } else {
            n.capacity = annual(
                monthlyRamp(static_cast<Date>(start), t.planStart, capacity.ramp, capacity.rampStepMonths));
        }
    }
    // Roll inputs up (children come after parents).
    for (std::size_t i = t.nodes.size(); i-- > 1;) {
        QuotaNode& n = t.nodes[i];
        QuotaNode& p = t.nodes[static_cast<std::size_t>(n.parent)];
        p.potential += n.potential;
        p.history += n.history;
        p.accounts += n.accounts;
        p.territories += n.territories;
    }
    return t;
}

// [SECTION] allocation
namespace {

struct Ctx {
    QuotaResult& r;
    const QuotaPlan& plan;
    std::vector<std::int64_t> seasonW;
    std::string historyLabel;
};

std::string parentLabel(const QuotaNode& p) {
    if (p.level == QuotaLevel::Company) return "the company";
    return std::string(quotaLevelName(p.level)) + " " + p.name;
}

std::string methodNoun(const Ctx& c, QuotaMethod m) {
    const BlendWeights& b = c.plan.allocation.blend;
    switch (m) {
    case QuotaMethod::Equal:
        return "territories";
    case QuotaMethod::Potential:
        return "potential";
    case QuotaMethod::History:
        return "bookings " + c.historyLabel;
    case QuotaMethod::Blend: {
        const double s = b.potential + b.history + b.equal;
        std::string out = "blend (";
        bool first = true;
        auto part = [&](double w, const char* what) {
            if (w <= 0) return;
            out += (first ? "" : ", ") + fmt::percent(w / s, 0) + " " + what;
            first = false;
        };
        part(b.potential, "potential");
        part(b.history, "history");
        part(b.equal, "equal");
        return out + ")";
    }
    case QuotaMethod::Capacity:
        return "ramp-weighted " + methodNoun(c, c.plan.allocation.capacityBase);
    }
    return "";
}

// Leaf weights for `method` as doubles (blend) or exact integers.
std::vector<std::int64_t> leafWeights(const QuotaTree& t, const QuotaPlan& plan, QuotaMethod method) {
    const std::size_t n = t.nodes.size();
    std::vector<std::int64_t> w(n, 0);
    auto isLeaf = [&](std::size_t i) { return t.nodes[i].level == QuotaLevel::Territory; };
    Money totalPot = 0, totalHist = 0;
    double leaves = 0;
    for (std::size_t i = 1; i < n; ++i)
        if (isLeaf(i))
            totalPot += std::max<Money>(0, t.nodes[i].potential),
                totalHist += std::max<Money>(0, t.nodes[i].history), leaves += 1;
    switch (method) {
    case QuotaMethod::Equal:
        for (std::size_t i = 1; i < n; ++i) w[i] = isLeaf(i) ? 1 : 0;
        return w;
    case QuotaMethod::Potential:
        for (std::size_t i = 1; i < n; ++i) w[i] = isLeaf(i) ? std::max<Money>(0, t.nodes[i].potential) : 0;
        return w;
    case QuotaMethod::History:
        for (std::size_t i = 1; i < n; ++i) w[i] = isLeaf(i) ? std::max<Money>(0, t.nodes[i].history) : 0;
        return w;
    case QuotaMethod::Blend:
    case QuotaMethod::Capacity: {
        std::vector<double> d(n, 0.0);
        if (method == QuotaMethod::Blend) {
            const BlendWeights& b = plan.allocation.blend;
            const double s = b.potential + b.history + b.equal;
            for (std::size_t i = 1; i < n; ++i) {
                if (!isLeaf(i) || s <= 0) continue;
                const QuotaNode& x = t.nodes[i];
                double v = 0;
                if (totalPot > 0)
                    v += b.potential / s * static_cast<double>(std::max<Money>(0, x.potential)) /
                         static_cast<double>(totalPot);
                if (totalHist > 0)
                    v += b.history / s * static_cast<double>(std::max<Money>(0, x.history)) /
                         static_cast<double>(totalHist);
                v += b.equal / s / leaves;
                d[i] = v;
            }
        } else {
            const QuotaMethod base = plan.allocation.capacityBase == QuotaMethod::Capacity
                                         ? QuotaMethod::Potential
                                         : plan.allocation.capacityBase;
            const std::vector<std::int64_t> bw = leafWeights(t, plan, base);
            for (std::size_t i = 1; i < n; ++i)
                d[i] = isLeaf(i) ? static_cast<double>(bw[i]) * std::max(0.0, t.nodes[i].capacity) : 0.0;
        }
        return quantizeWeights(d);
    }
    }
    return w;
}

void issue(Ctx& c, Sev s, std::string node, std::string msg, std::string code) {
    if (s == Sev::Error) c.r.ok = false;
    c.r.issues.push_back({s, std::move(node), std::move(msg), std::move(code)});
}

void noteRemainder(Ctx& c, QuotaNode& holder, Money rem, const std::string& what) {
    if (rem == 0) return;
    holder.remainder += rem;
    if (c.plan.remainder == RemainderPolicy::Reject)
        issue(c, Sev::Error, holder.id,
              what + " is not a whole number of rounding units (" + fmt::moneyExact(c.r.unit) +
                  "): " + fmt::moneyExact(rem) +
                  " would be left over. Choose a target and over-assignment whose totals are multiples of " +
                  fmt::moneyExact(c.r.unit) + ", or place the remainder on the largest quota",
              "remainder");
    else
        issue(c, Sev::Info, holder.id,
              fmt::moneyExact(rem) + " rounding remainder of " + what + " placed on " + holder.name, "remainder");
}

std::string childBasis(const Ctx& c, const QuotaNode& child, const QuotaNode& parent,
                       Money lockedAmongSiblings, std::uint32_t freeTerritories, bool equalFallback,
                       std::int64_t ppm) {
    if (child.locked) return "manual override " + fmt::moneyExact(child.quota) + " (locked)";
    const QuotaMethod m = c.plan.allocation.method;
    std::string s;
    if (equalFallback) {
        s = "equal split of " + parentLabel(parent) + " (no " + methodNoun(c, m) + " below it)";
    } else if (m == QuotaMethod::Equal) {
        s = std::to_string(child.territories) + " of " + std::to_string(freeTerritories) +
            " territories in " + parentLabel(parent);
    } else {
        s = fmt::percent(child.share) + " of " + parentLabel(parent) + " " + methodNoun(c, m);
        if (m == QuotaMethod::Capacity && child.level == QuotaLevel::Territory)
            s += " (ramp " + fmt::percent(child.capacity, 0) + ")";
    }
    if (lockedAmongSiblings > 0) s += " after " + fmt::moneyExact(lockedAmongSiblings) + " locked";
    if (ppm != 0) s += " × " + factorLabel(ppm);
    if (child.remainder != 0) s += " + " + fmt::moneyExact(child.remainder) + " rounding remainder";
    if (child.held) s += "; held by the manager of " + parent.name + " (vacant seat)";
    return s;
}

} // namespace

const QuotaNode* QuotaResult::find(std::string_view id) const {
    for (const QuotaNode& n : tree.nodes)
        if (n.id == id) return &n;
    return nullptr;
}

const RepQuota* QuotaResult::findRep(std::string_view repId) const {
    for (const RepQuota& r : reps)
        if (r.repId == repId) return &r;
    return nullptr;
}

QuotaResult allocateQuotas(QuotaTree tree, const QuotaPlan& plan) {
    QuotaResult res;
    res.tree = std::move(tree);
    res.issues = res.tree.issues;
    for (const QuotaIssue& i : res.issues)
        if (i.severity == Sev::Error) res.ok = false;
    auto& N = res.tree.nodes;
    res.target = plan.target;
    res.unit = std::max<Money>(1, plan.roundingUnit);
    res.overAssignPpm = plan.overAssignPpm;
    res.periods = plan.seasonality.size() == 12 ? 12 : 4;
    for (int p = 0; p < res.periods; ++p) {
        const std::string y = " " + std::to_string(res.tree.planYear);
        res.periodLabels.push_back(res.periods == 12 ? kMonthNames[p] + y : "Q" + std::to_string(p + 1) + y);
    }
    Ctx c{res, plan, {}, {}};
    {
        std::vector<double> sw(plan.seasonality.begin(), plan.seasonality.end());
        if (static_cast<int>(sw.size()) != res.periods || validateSeasonality(sw).size())
            sw.assign(static_cast<std::size_t>(res.periods), 1.0);
        c.seasonW = quantizeWeights(sw);
    }
    c.historyLabel = res.tree.historyFrom == kDateNull
                         ? ""
                         : monthLabel(res.tree.historyFrom) + "–" + monthLabel(res.tree.historyTo - 1);
    if (N.empty() || N[0].children.empty()) {
        issue(c, Sev::Error, "", "there are no territories to allocate quota to", "no_territories");
        return res;
    }
    if (plan.target <= 0) issue(c, Sev::Warning, "", "the company target is not set", "target");

    // Weights rolled up.
    const std::vector<std::int64_t> lw = leafWeights(res.tree, plan, plan.allocation.method);
    for (std::size_t i = 0; i < N.size(); ++i) N[i].weight = N[i].level == QuotaLevel::Territory ? lw[i] : 0;
    for (std::size_t i = N.size(); i-- > 1;) N[static_cast<std::size_t>(N[i].parent)].weight += N[i].weight;
    // Locks.
    std::unordered_map<std::string, std::size_t> byId;
    for (std::size_t i = 0; i < N.size(); ++i) byId.emplace(N[i].id, i);
    std::vector<Money> lockAmount(N.size(), kMoneyNull);
    for (const QuotaOverride& o : plan.overrides) {
        auto it = byId.find(o.node);
        if (it == byId.end() || it->second == 0) {
            issue(c, Sev::Warning, o.node,
                  "the override of '" + o.node + "' is not applied: it is not a node of this quota plan",
                  "override");
            continue;
        }
        lockAmount[it->second] = o.amount;
    }
    for (QuotaNode& n : N)
        if (n.level == QuotaLevel::Territory) n.held = n.vacant && plan.vacancy == VacancyPolicy::Hold;

    // Company.
    N[0].quota = plan.target;
    N[0].basis = "company target";
    {
        const Money g = commonUnit(res.unit, std::span<const Money>(&plan.target, 1));
        N[0].periods = apportion(plan.target, c.seasonW, {}, g).amounts;
    }
    // Child level of each internal node: the shallowest level among its children.
    auto childLevel = [&](const QuotaNode& n) {
        QuotaLevel l = QuotaLevel::Territory;
        for (std::int32_t ch : n.children) l = std::min(l, N[static_cast<std::size_t>(ch)].level);
        return l;
    };
    Money expected = plan.target;
    for (QuotaLevel X : {QuotaLevel::Region, QuotaLevel::District, QuotaLevel::Territory}) {
        std::vector<std::size_t> G;
        for (std::size_t i = 0; i < N.size(); ++i)
            if (!N[i].children.empty() && childLevel(N[i]) == X) G.push_back(i);
        if (G.empty()) continue;
        const std::int64_t ppm = plan.overAssignPpm[static_cast<std::size_t>(X) - 1];
        expected = applyPpm(expected, ppm);
        // Pools.
        if (ppm == 0) {
            for (std::size_t i : G) N[i].pool = N[i].quota, N[i].poolPeriods = N[i].periods;
        } else {
            std::vector<std::int64_t> qs;
            Money sumQ = 0;
            for (std::size_t i : G) qs.push_back(N[i].quota), sumQ += N[i].quota;
            const Money L = applyPpm(sumQ, ppm);
            Apportionment a = apportion(L, qs, {}, res.unit);
            for (std::size_t k = 0; k < G.size(); ++k) N[G[k]].pool = a.amounts[k];
            if (a.remainder != 0) {
                QuotaNode& h = N[G[static_cast<std::size_t>(a.remainderAt)]];
                if (plan.remainder == RemainderPolicy::Reject)
                    issue(c, Sev::Error, h.id,
                          "the " + std::string(quotaLevelName(X)) + " total " + fmt::moneyExact(L) + " (" +
                              formatPpm(ppm) + " over-assignment) is not a whole number of rounding units (" +
                              fmt::moneyExact(res.unit) + "); " + fmt::moneyExact(a.remainder) + " would be left over",
                          "remainder");
                else
                    issue(c, Sev::Info, h.id,
                          fmt::moneyExact(a.remainder) + " rounding remainder of the " + quotaLevelName(X) +
                              " total placed under " + h.name,
                          "remainder");
            }
            std::vector<Money> poolVals;
            for (std::size_t i : G) poolVals.push_back(N[i].pool);
            poolVals.push_back(L);
            const Money g = commonUnit(res.unit, poolVals);
            poolVals.pop_back();
            const std::vector<Money> cols = apportion(L, c.seasonW, {}, g).amounts;
            const std::vector<Money> m = roundMatrix(poolVals, cols, g);
            const std::size_t P = cols.size();
            for (std::size_t k = 0; k < G.size(); ++k)
                N[G[k]].poolPeriods.assign(m.begin() + static_cast<std::ptrdiff_t>(k * P),
                                           m.begin() + static_cast<std::ptrdiff_t>((k + 1) * P));
        }
        // Children of each pool.
        for (std::size_t pi : G) {
            QuotaNode& p = N[pi];
            const std::size_t K = p.children.size();
            std::vector<std::int64_t> w(K);
            std::vector<Money> locks(K, kMoneyNull);
            bool anyLock = false;
            for (std::size_t k = 0; k < K; ++k) {
                const auto ci = static_cast<std::size_t>(p.children[k]);
                w[k] = N[ci].weight;
                locks[k] = lockAmount[ci];
                anyLock |= locks[k] != kMoneyNull;
            }
            Apportionment a = apportion(
                p.pool, w, anyLock ? std::span<const Money>(locks) : std::span<const Money>(), res.unit);
            if (a.locksIgnored) {
                Money ls = 0;
                for (Money l : locks) ls += l == kMoneyNull ? 0 : l;
                issue(c, Sev::Error, p.id,
                      "the locked quotas under " + p.name + " (" + fmt::moneyExact(ls) +
                          ") cannot be honoured within its pool of " + fmt::moneyExact(p.pool) +
                          (ls <= p.pool ? " (every child is locked)" : "") + "; they are not applied",
                      "locks");
            }
            if (a.equalFallback && a.free > 0 && plan.allocation.method != QuotaMethod::Equal)
                issue(c, Sev::Warning, p.id,
                      "no " + methodNoun(c, plan.allocation.method) + " below " + p.name + ": split equally",
                      "data");
            const bool useLocks = anyLock && !a.locksIgnored;
            std::int64_t freeW = 0;
            std::uint32_t freeTer = 0;
            Money lockedSum = 0;
            for (std::size_t k = 0; k < K; ++k) {
                QuotaNode& ch = N[static_cast<std::size_t>(p.children[k])];
                ch.quota = a.amounts[k];
                ch.locked = useLocks && locks[k] != kMoneyNull;
                if (ch.locked)
                    lockedSum += ch.quota;
                else
                    freeW += a.equalFallback ? 1 : w[k], freeTer += ch.territories;
            }
            for (std::size_t k = 0; k < K; ++k) {
                QuotaNode& ch = N[static_cast<std::size_t>(p.children[k])];
                if (ch.locked)
                    ch.share = p.pool > 0 ? static_cast<double>(ch.quota) / static_cast<double>(p.pool) : 0;
                else
                    ch.share = freeW > 0 ? static_cast<double>(a.equalFallback ? 1 : w[k]) /
                                               static_cast<double>(freeW)
                                         : 0;
            }
            if (a.remainder != 0)
                noteRemainder(
                    c, N[static_cast<std::size_t>(p.children[static_cast<std::size_t>(a.remainderAt)])],
                    a.remainder, "the split of " + p.name);
            for (std::size_t k = 0; k < K; ++k) {
                QuotaNode& ch = N[static_cast<std::size_t>(p.children[k])];
                if (ch.locked && ch.quota % res.unit != 0 && plan.remainder == RemainderPolicy::Reject)
                    issue(c, Sev::Error, ch.id,
                          "the locked quota of " + ch.name + " (" + fmt::moneyExact(ch.quota) +
                              ") is not a multiple of the rounding unit " + fmt::moneyExact(res.unit),
                          "remainder");
                ch.basis = childBasis(c, ch, p, lockedSum, freeTer, a.equalFallback, ppm);
            }
            // Periods: rows = children's quotas, columns = the pool's periods.
            std::vector<Money> rows(K), vals;
            for (std::size_t k = 0; k < K; ++k) rows[k] = N[static_cast<std::size_t>(p.children[k])].quota;
            vals = rows;
            vals.insert(vals.end(), p.poolPeriods.begin(), p.poolPeriods.end());
            const Money g = commonUnit(res.unit, vals);
            const std::vector<Money> m = roundMatrix(rows, p.poolPeriods, g);
            const std::size_t P = p.poolPeriods.size();
            for (std::size_t k = 0; k < K; ++k)
                N[static_cast<std::size_t>(p.children[k])].periods.assign(
                    m.begin() + static_cast<std::ptrdiff_t>(k * P),
                    m.begin() + static_cast<std::ptrdiff_t>((k + 1) * P));
        }
    }
    res.expectedLeafTotal = expected;

    // Totals and reps.
    std::map<std::string, std::size_t> repIndex;
    for (std::size_t i = 0; i < N.size(); ++i) {
        QuotaNode& n = N[i];
        res.levelTotals[static_cast<std::size_t>(n.level)] += n.quota;
        if (n.level != QuotaLevel::Territory) continue;
        res.leafTotal += n.quota;
        if (n.held) {
            res.heldTotal += n.quota;
            continue;
        }
        res.repTotal += n.quota;
        std::size_t ri;
        if (!n.owner.empty() && repIndex.count(n.owner)) {
            ri = repIndex[n.owner];
        } else {
            ri = res.reps.size();
            RepQuota rq;
            rq.repId = n.owner;
            rq.vacant = n.vacant;
            rq.capacity = n.capacity;
            rq.periods.assign(static_cast<std::size_t>(res.periods), 0);
            res.reps.push_back(std::move(rq));
            if (!n.owner.empty()) repIndex[n.owner] = ri;
        }
        RepQuota& rq = res.reps[ri];
        rq.territories.push_back(static_cast<std::int32_t>(i));
        rq.quota += n.quota;
        rq.potential += n.potential;
        rq.history += n.history;
        for (std::size_t p = 0; p < rq.periods.size() && p < n.periods.size(); ++p)
            rq.periods[p] += n.periods[p];
    }
    for (RepQuota& rq : res.reps) {
        if (rq.territories.size() == 1) {
            rq.basis = N[static_cast<std::size_t>(rq.territories[0])].basis;
        } else {
            rq.basis = "sum of " + std::to_string(rq.territories.size()) + " territories:";
            for (std::int32_t t : rq.territories) rq.basis += " " + N[static_cast<std::size_t>(t)].id;
        }
    }
    const std::string err = checkReconciliation(res);
    res.reconciled = err.empty();
    if (!err.empty())
        issue(c, Sev::Error, "", "internal reconciliation check failed: " + err, "reconciliation");
    return res;
}

QuotaResult computeQuotas(const Workspace& ws, const Scenario& sc) {
    QuotaResult r = allocateQuotas(buildQuotaTree(ws, sc, sc.quota, sc.capacity), sc.quota);
    const Table& reps = ws.reps();
    const int cName = reps.indexOf("name");
    for (RepQuota& rq : r.reps) {
        if (rq.repId.empty()) {
            rq.name = "No owner: " + r.tree.nodes[static_cast<std::size_t>(rq.territories[0])].name;
            continue;
        }
        auto row = reps.rowOf(rq.repId);
        rq.name = row ? std::string(reps.str(cName, *row)) : rq.repId;
        if (rq.name.empty()) rq.name = rq.repId;
    }
    return r;
}

// [SECTION] reconciliation
std::string checkReconciliation(const QuotaResult& r) {
    const auto& N = r.tree.nodes;
    if (N.empty()) return "no nodes";
    if (N[0].quota != r.target) return "the company quota differs from the target";
    auto sum = [](const std::vector<Money>& v) {
        Money s = 0;
        for (Money x : v) s += x;
        return s;
    };
    for (const QuotaNode& n : N) {
        if (static_cast<int>(n.periods.size()) != r.periods) return n.id + ": wrong number of periods";
        if (sum(n.periods) != n.quota) return n.id + ": periods do not sum to its quota";
        if (n.quota < 0) return n.id + ": negative quota";
        if (n.level != QuotaLevel::Company && !n.locked && (n.quota - n.remainder) % r.unit != 0)
            return n.id + ": quota is not a whole number of rounding units";
        if (n.children.empty()) continue;
        if (sum(n.poolPeriods) != n.pool) return n.id + ": pool periods do not sum to its pool";
        Money cs = 0;
        std::vector<Money> cp(static_cast<std::size_t>(r.periods), 0);
        for (std::int32_t ch : n.children) {
            const QuotaNode& x = N[static_cast<std::size_t>(ch)];
            if (x.parent != static_cast<std::int32_t>(&n - N.data())) return x.id + ": parent link broken";
            cs += x.quota;
            for (std::size_t p = 0; p < cp.size(); ++p) cp[p] += x.periods[p];
        }
        if (cs != n.pool)
            return n.id + ": children sum to " + fmt::moneyExact(cs) + ", not its pool " + fmt::moneyExact(n.pool);
        if (cp != n.poolPeriods) return n.id + ": children's periods do not sum to its pool's periods";
    }
    // Pools of all nodes whose children are at one level: the uplifted total of their quotas.
    for (QuotaLevel X : {QuotaLevel::Region, QuotaLevel::District, QuotaLevel::Territory}) {
        Money q = 0, p = 0;
        bool any = false;
        for (const QuotaNode& n : N) {
            if (n.children.empty()) continue;
            QuotaLevel l = QuotaLevel::Territory;
            for (std::int32_t ch : n.children) l = std::min(l, N[static_cast<std::size_t>(ch)].level);
            if (l != X) continue;
            any = true;
            q += n.quota;
            p += n.pool;
            if (r.overAssignPpm[static_cast<std::size_t>(X) - 1] == 0 && n.pool != n.quota)
                return n.id + ": pool differs from quota at 0% over-assignment";
        }
        if (any && p != applyPpm(q, r.overAssignPpm[static_cast<std::size_t>(X) - 1]))
            return std::string("the ") + quotaLevelName(X) + " pools do not sum to the uplifted total";
    }
    Money reps = 0, leaves = 0, held = 0;
    for (const RepQuota& q : r.reps) {
        reps += q.quota;
        if (sum(q.periods) != q.quota) return "rep " + q.repId + ": periods do not sum to its quota";
    }
    for (const QuotaNode& n : N)
        if (n.level == QuotaLevel::Territory) leaves += n.quota, held += n.held ? n.quota : 0;
    if (reps != r.repTotal || leaves != r.leafTotal || held != r.heldTotal || reps + held != leaves)
        return "rep and territory totals differ";
    return {};
}

} // namespace terrane::quota
