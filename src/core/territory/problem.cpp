#include "core/territory/problem.hpp"

#include "core/base/text.hpp"
#include "core/data/values.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace terrane::territory {

namespace {

std::string rowText(std::size_t r) {
    return "row " + std::to_string(r + 1);
}

// Numeric view of a column cell; extra (text) columns are parsed as numbers.
double cellNumber(const Table& t, const Column& c, std::size_t r, bool& bad) {
    bad = false;
    if (c.type() == ColumnType::String) {
        const std::string_view s = trim(t.pool().view(c.ids()[r]));
        if (s.empty()) return std::nan("");
        double v = 0;
        if (!parseNumberText(s, v)) {
            bad = true;
            return std::nan("");
        }
        return v;
    }
    return c.number(r);
}

} // namespace

bool isBuiltInMetric(std::string_view name) {
    return name == "potential" || name == "workload" || name == "accounts" || name == "arr" || name == "pipeline" ||
           name == "customers" || name == "whitespace";
}

BalanceOptions balanceOptionsFor(const Workspace& ws) {
    BalanceOptions o;
    o.vacancyFactor = ws.settings.metrics.vacantCapacity;
    o.capacityAdjusted = ws.settings.metrics.capacityAdjusted;
    return o;
}

BalanceMetric parseBalanceMetric(std::string_view spec) {
    const std::size_t colon = spec.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 >= spec.size())
        throw BalanceInputError("'" + std::string(spec) + "' is not METRIC:TOLERANCE (e.g. potential:0.05)");
    BalanceMetric m;
    m.name = std::string(trim(spec.substr(0, colon)));
    const std::string_view tol = trim(spec.substr(colon + 1));
    double v = 0;
    if (!parseNumberText(tol, v) || !(v > 0) || v >= 1.0)
        throw BalanceInputError("tolerance '" + std::string(tol) + "' of " + m.name +
                                " must be a fraction between 0 and 1 (0.05 or 5%)");
    m.tolerance = v;
    return m;
}

std::vector<double> accountMetricValues(const Workspace& ws, std::string_view metric) {
    const Table& acc = ws.accounts();
    const std::size_t n = acc.rows();
    std::vector<double> out(n, 0.0);
    if (metric == "accounts") {
        std::fill(out.begin(), out.end(), 1.0);
        return out;
    }
    if (metric == "customers" || metric == "whitespace") {
        const Column& arr = *acc.find("arr");
        const Column& pot = *acc.find("potential");
        for (std::size_t r = 0; r < n; ++r) {
            const double a = arr.isNull(r) ? 0.0 : arr.number(r);
            const double p = pot.isNull(r) ? 0.0 : pot.number(r);
            out[r] = metric == "customers" ? (a > 0 ? 1.0 : 0.0) : std::max(0.0, p - a);
        }
        return out;
    }
    if (metric == "pipeline") {
        const Table& opp = ws.opportunities();
        if (opp.rows() == 0)
            throw BalanceInputError(
                "metric 'pipeline' needs opportunities (sum of open amounts per account)");
        const Column& oAcc = *opp.find("account_id");
        const Column& amt = *opp.find("amount");
        const Column& closed = *opp.find("is_closed");
        for (std::size_t r = 0; r < opp.rows(); ++r) {
            if (closed.u8()[r] == 1 || amt.isNull(r)) continue;
            const auto row = acc.rowOfStringId(oAcc.ids()[r]);
            if (!row) continue;
            out[*row] += amt.number(r);
        }
        return out;
    }
    const Column* c = acc.find(metric);
    if (!c) {
        std::string cols;
        for (std::size_t i = 0; i < acc.columnCount(); ++i)
            if (acc.column(i).type() != ColumnType::String ||
                !findField(DatasetKind::Accounts, acc.column(i).name()))
                cols += (cols.empty() ? "" : ", ") + acc.column(i).name();
        throw BalanceInputError(
            "unknown metric '" + std::string(metric) +
            "': use potential, workload, accounts, arr, pipeline or a numeric account column (" + cols + ")");
    }
    if (c->type() == ColumnType::String && findField(DatasetKind::Accounts, metric))
        throw BalanceInputError("account column '" + std::string(metric) + "' is text, not a number");
    if (c->type() == ColumnType::Date || c->type() == ColumnType::Bool)
        throw BalanceInputError("account column '" + std::string(metric) + "' is a " +
                                columnTypeName(c->type()) + ", not an amount");
    for (std::size_t r = 0; r < n; ++r) {
        bool bad = false;
        const double v = cellNumber(acc, *c, r, bad);
        if (bad)
            throw BalanceInputError("accounts " + rowText(r) + ", column '" + std::string(metric) + "': '" +
                                    std::string(acc.pool().view(c->ids()[r])) + "' is not a number");
        out[r] = std::isnan(v) ? 0.0 : v;
    }
    return out;
}

BalanceProblem makeBalanceProblem(const Workspace& ws, const Scenario& sc, const BalanceOptions& opt) {
    BalanceProblem p;
    const Table& acc = ws.accounts();
    const std::size_t n = acc.rows();
    if (n == 0) throw BalanceInputError("there are no accounts to balance");
    if (opt.metrics.empty())
        throw BalanceInputError("name at least one metric to balance (e.g. potential:0.05)");
    if (opt.metrics.size() > 5) throw BalanceInputError("balance at most 5 metrics at once");
    if (sc.assignment.size() != n)
        throw BalanceInputError("the scenario does not match the accounts; reload the workspace");
    p.accounts = n;
    p.pool = ws.pool;

    // [coordinates]
    p.travel = travelGraphOf(ws);
    std::size_t graphPlaced = 0;
    if (opt.coords == CoordSystem::LatLon) {
        const Column& lat = *acc.find("lat");
        const Column& lon = *acc.find("lon");
        std::size_t located = 0;
        for (std::size_t r = 0; r < n; ++r) located += (!lat.isNull(r) && !lon.isNull(r)) ? 1 : 0;
        if (located == 0)
            throw BalanceInputError(
                "the accounts have no coordinates: expected 'lat' and 'lon' columns (map them with --map "
                "lat=Header --map lon=Header), or 'x' and 'y' with --coords xy");
        if (p.travel) {
            std::vector<double> la(n), lo(n);
            for (std::size_t r = 0; r < n; ++r) {
                const bool has = !lat.isNull(r) && !lon.isNull(r);
                la[r] = has ? lat.f64()[r] : std::nan(""), lo[r] = has ? lon.f64()[r] : std::nan("");
            }
            graphPlaced = placeOnGraph(*p.travel, la, lo);
            p.geo = PlanGeometry::fromLatLon(la, lo);
        } else {
            p.geo = PlanGeometry::fromLatLon(lat.f64(), lon.f64());
        }
    } else {
        const Column* xc = acc.find(opt.xColumn);
        const Column* yc = acc.find(opt.yColumn);
        if (!xc || !yc)
            throw BalanceInputError("planar coordinates need columns '" + opt.xColumn + "' and '" +
                                    opt.yColumn +
                                    "' in the accounts (or map them with --map x=Header --map y=Header)");
        std::vector<double> xs(n), ys(n);
        for (std::size_t r = 0; r < n; ++r) {
            bool bx = false, by = false;
            xs[r] = cellNumber(acc, *xc, r, bx);
            ys[r] = cellNumber(acc, *yc, r, by);
            if (bx || by)
                throw BalanceInputError("accounts " + rowText(r) + ", column '" +
                                        (bx ? opt.xColumn : opt.yColumn) + "': expected a number");
        }
        if (p.travel) graphPlaced = placeOnGraph(*p.travel, xs, ys);
        p.geo = PlanGeometry::fromPlanar(xs, ys);
        bool any = false;
        for (std::size_t r = 0; r < n && !any; ++r) any = p.geo.placed(r);
        if (!any)
            throw BalanceInputError("no account has numbers in both '" + opt.xColumn + "' and '" +
                                    opt.yColumn + "'");
    }

    if (graphPlaced > 0)
        p.warnings.push_back(std::to_string(graphPlaced) +
                             " accounts without coordinates are placed by their neighbours on the travel graph");
    if (p.travel) {
        std::size_t off = 0;
        for (std::size_t r = 0; r < n; ++r) off += p.geo.placed(r) && !p.travel->onGraph[r] ? 1 : 0;
        if (off > 0)
            p.warnings.push_back(std::to_string(off) +
                                 " located accounts have no edge in the travel graph; each is a piece of its own");
    }

    // [territories]
    const auto leaves = sc.leaves();
    if (leaves.empty()) throw BalanceInputError("the scenario has no territories to balance");
    std::vector<std::int32_t> indexOfRow(sc.territories.rows(), -1);
    const Table& reps = ws.reps();
    const int ownerCol = sc.territories.indexOf("owner");
    const Column& repCap = *reps.find("capacity");
    const Column& repVacant = *reps.find("vacant");
    const Column& homeLat = *reps.find("home_lat");
    const Column& homeLon = *reps.find("home_lon");
    std::size_t vacant = 0;
    for (std::size_t k = 0; k < leaves.size(); ++k) {
        const std::int32_t row = leaves[k];
        indexOfRow[static_cast<std::size_t>(row)] = static_cast<std::int32_t>(k);
        p.territoryRow.push_back(row);
        p.territoryId.emplace_back(sc.territoryId(row));
        const std::string_view nm = sc.territoryName(row);
        p.territoryName.emplace_back(nm.empty() ? sc.territoryId(row) : nm);
        const std::string_view owner =
            ownerCol >= 0 ? sc.territories.str(ownerCol, static_cast<std::size_t>(row)) : std::string_view{};
        p.owner.emplace_back(owner);
        double cap = 1.0, hx = std::nan(""), hy = std::nan("");
        if (const auto rr = owner.empty() ? std::nullopt : reps.rowOf(owner)) {
            const double c = repCap.number(*rr);
            if (repVacant.u8()[*rr] == 1) {
                cap = opt.vacancyFactor;
                ++vacant;
            } else {
                cap = std::isnan(c) ? 1.0 : std::clamp(c, 0.0, 1.0);
            }
            if (!homeLat.isNull(*rr) && !homeLon.isNull(*rr) && opt.coords == CoordSystem::LatLon)
                p.geo.project(homeLat.f64()[*rr], homeLon.f64()[*rr], hx, hy);
        }
        if (!opt.capacityAdjusted) cap = 1.0;
        p.capacity.push_back(std::max(0.0, cap));
        p.homeX.push_back(hx);
        p.homeY.push_back(hy);
    }
    double capTotal = 0;
    for (double c : p.capacity) capTotal += c;
    if (!(capTotal > 0))
        throw BalanceInputError("every territory has capacity 0 (vacant seats with a vacancy factor of 0)");
    if (vacant > 0 && opt.capacityAdjusted)
        p.warnings.push_back(std::to_string(vacant) + " vacant seats planned at " + formatDouble(opt.vacancyFactor) +
                             " of a full seat");

    // [accounts]
    const Column& idCol = *acc.find("account_id");
    p.accountId = idCol.ids();
    p.current.assign(n, -1);
    p.fixed.assign(n, Fixed::Free);
    for (std::size_t r = 0; r < n; ++r) {
        const std::int32_t t = sc.assignment[r];
        if (t >= 0 && static_cast<std::size_t>(t) < indexOfRow.size())
            p.current[r] = indexOfRow[static_cast<std::size_t>(t)];
    }
    const Column& arrCol = *acc.find("arr");
    const Column& potCol = *acc.find("potential");
    bool anyArr = false, anyPot = false;
    for (std::size_t r = 0; r < n; ++r) {
        anyArr |= !arrCol.isNull(r) && arrCol.i64()[r] > 0;
        anyPot |= !potCol.isNull(r) && potCol.i64()[r] > 0;
    }
    std::size_t lockedOutside = 0, unplacedKept = 0, unplacedDropped = 0;
    for (std::size_t r = 0; r < n; ++r) {
        const bool placed = p.geo.placed(r);
        if (!placed) {
            if (p.current[r] >= 0)
                p.fixed[r] = Fixed::Unplaced, ++unplacedKept;
            else
                p.fixed[r] = Fixed::Excluded, ++unplacedDropped;
            continue;
        }
        if (r < sc.locked.size() && sc.locked[r]) {
            if (p.current[r] >= 0)
                p.fixed[r] = Fixed::Locked;
            else
                ++lockedOutside;
            continue;
        }
        if (!opt.moveCustomers && p.current[r] >= 0 && !arrCol.isNull(r) && arrCol.i64()[r] > 0)
            p.fixed[r] = Fixed::Customer;
    }
    if (lockedOutside > 0)
        p.warnings.push_back(
            std::to_string(lockedOutside) +
            " locked accounts are not in any territory of this plan; their locks cannot apply");
    if (unplacedKept > 0)
        p.warnings.push_back(std::to_string(unplacedKept) +
                             " accounts without a location keep their current territory");
    if (unplacedDropped > 0)
        p.warnings.push_back(std::to_string(unplacedDropped) +
                             " accounts without a location or territory are left unassigned");

    // [metrics]
    const std::size_t M = opt.metrics.size();
    p.values.assign(n * M, 0.0);
    for (std::size_t m = 0; m < M; ++m) {
        const BalanceMetric& bm = opt.metrics[m];
        for (std::size_t j = 0; j < m; ++j)
            if (opt.metrics[j].name == bm.name)
                throw BalanceInputError("metric '" + bm.name + "' is named twice");
        if (!(bm.tolerance > 0) || bm.tolerance >= 1.0)
            throw BalanceInputError("tolerance of " + bm.name + " must be between 0 and 1");
        const std::vector<double> v = accountMetricValues(ws, bm.name);
        std::size_t negative = 0;
        double total = 0;
        for (std::size_t r = 0; r < n; ++r) {
            double x = v[r];
            if (x < 0) x = 0, ++negative;
            p.values[r * M + m] = x;
            if (p.inPlan(r)) total += x;
        }
        if (negative > 0)
            p.warnings.push_back(std::to_string(negative) + " accounts have a negative " + bm.name +
                                 "; counted as 0");
        if (!(total > 0))
            throw BalanceInputError("metric '" + bm.name +
                                    "' sums to 0 over the accounts; nothing to balance");
        p.metricName.push_back(bm.name);
        p.tolerance.push_back(bm.tolerance);
        p.total.push_back(total);
    }
    p.reportTarget.assign(p.K() * M, 0.0);
    for (std::size_t k = 0; k < p.K(); ++k)
        for (std::size_t m = 0; m < M; ++m) p.reportTarget[k * M + m] = p.total[m] * p.capacity[k] / capTotal;
    // Oversize accounts: above the largest territory's band even after the targets shrink by them.
    p.oversize.assign(n, 0);
    double maxCap = 0;
    for (double c : p.capacity) maxCap = std::max(maxCap, c);
    std::size_t oversize = 0;
    std::uint32_t biggest = 0;
    double biggestRatio = 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t r = 0; r < n; ++r) {
            if (!p.inPlan(r) || p.oversize[r]) continue;
            for (std::size_t m = 0; m < M; ++m) {
                const double hi = p.total[m] * maxCap / capTotal * (1.0 + p.tolerance[m]);
                if (p.values[r * M + m] > hi) {
                    p.oversize[r] = 1;
                    ++oversize;
                    changed = true;
                    if (p.values[r * M + m] / hi > biggestRatio)
                        biggestRatio = p.values[r * M + m] / hi, biggest = static_cast<std::uint32_t>(r);
                    for (std::size_t q = 0; q < M; ++q) p.total[q] -= p.values[r * M + q];
                    if (p.current[r] >= 0 && p.fixed[r] == Fixed::Free) p.fixed[r] = Fixed::Oversize;
                    break;
                }
            }
        }
    }
    for (std::size_t m = 0; m < M; ++m)
        if (!(p.total[m] > 0))
            throw BalanceInputError("every account is larger than a territory's share of " + p.metricName[m] +
                                    "; use fewer territories");
    if (oversize > 0) {
        const std::string name(p.pool->view(p.accountId[biggest]));
        const std::string ratio = formatDouble(std::floor(biggestRatio * 10 + 0.5) / 10) + "x the upper bound";
        p.oversizeNote = oversize == 1 ? "1 account is larger than any territory's band (" + name + ", " + ratio +
                                             "); it keeps its territory and the other accounts are balanced around it"
                                       : std::to_string(oversize) + " accounts are larger than any territory's band (the largest, " +
                                             name + ", is " + ratio +
                                             "); they keep their territory and the other accounts are balanced around them";
        p.warnings.push_back(p.oversizeNote);
    }
    p.target.assign(p.K() * M, 0.0);
    for (std::size_t k = 0; k < p.K(); ++k)
        for (std::size_t m = 0; m < M; ++m) p.target[k * M + m] = p.total[m] * p.capacity[k] / capTotal;

    p.weight.assign(n, 1.0);
    p.weightName = anyPot ? "potential" : "accounts";
    if (anyPot)
        for (std::size_t r = 0; r < n; ++r)
            p.weight[r] = potCol.isNull(r) ? 0.0 : std::max(0.0, potCol.number(r));
    p.moveValue.assign(n, 1.0);
    p.moveValueName = anyArr ? "arr" : anyPot ? "potential" : "accounts";
    const Column& mv = anyArr ? arrCol : potCol;
    if (anyArr || anyPot)
        for (std::size_t r = 0; r < n; ++r) p.moveValue[r] = mv.isNull(r) ? 0.0 : std::max(0.0, mv.number(r));
    return p;
}

} // namespace terrane::territory
