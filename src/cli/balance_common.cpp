#include "cli/balance_common.hpp"

#include "cli/load.hpp"
#include "core/io/csv.hpp"
#include "core/base/text.hpp"
#include "core/data/values.hpp"

#include <cmath>
#include <limits>

namespace terrane::cli {

using namespace territory;

std::vector<std::string> balanceOptionNames(std::initializer_list<std::string> extra) {
    std::vector<std::string> out = datasetOptionNames(extra);
    for (const char* o :
         {"balance", "coords", "contiguous", "fixed-centres", "max-disruption", "move-customers",
          "vacancy-factor", "seed", "time-limit", "lock-column", "json", "out", "compactness", "iterations"})
        out.push_back(o);
    return out;
}

std::vector<std::string> balanceFlags() {
    return {"json", "contiguous", "fixed-centres", "move-customers", "by-rep", "apply-moves"};
}

namespace {
double shareArg(const std::string& opt, const std::string& text) {
    double v = 0;
    if (!parseNumberText(trim(text), v) || v < 0 || v > 1)
        throw UsageError("--" + opt + " expects a share between 0 and 1 (0.1 or 10%), got '" + text + "'");
    return v;
}
} // namespace

BalanceOptions balanceOptionsFrom(const Args& a, bool metricsRequired) {
    BalanceOptions o;
    for (const std::string& spec : a.all("balance")) {
        try {
            o.metrics.push_back(parseBalanceMetric(spec));
        } catch (const BalanceInputError& e) {
            throw UsageError(std::string("--balance: ") + e.what());
        }
    }
    if (metricsRequired && o.metrics.empty())
        throw UsageError("name at least one --balance METRIC:TOL (e.g. --balance potential:0.05)");
    if (o.metrics.size() > 5) throw UsageError("balance at most 5 metrics at once");
    const std::string coords = a.get("coords", "latlon");
    if (coords == "xy")
        o.coords = CoordSystem::Planar;
    else if (coords != "latlon")
        throw UsageError("--coords must be latlon or xy");
    if (const std::string x = mappedHeader(a, DatasetKind::Accounts, "x"); !x.empty()) o.xColumn = x;
    if (const std::string y = mappedHeader(a, DatasetKind::Accounts, "y"); !y.empty()) o.yColumn = y;
    o.contiguous = a.has("contiguous");
    o.fixedCentres = a.has("fixed-centres");
    o.moveCustomers = a.has("move-customers");
    for (const std::string& d : a.all("max-disruption")) {
        const std::size_t colon = d.find(':');
        if (colon == std::string::npos) {
            o.maxMovedAccounts = o.maxMovedValue = shareArg("max-disruption", d);
            continue;
        }
        const std::string what = d.substr(0, colon);
        const double v = shareArg("max-disruption", d.substr(colon + 1));
        if (what == "accounts")
            o.maxMovedAccounts = v;
        else if (what == "arr" || what == "value")
            o.maxMovedValue = v;
        else
            throw UsageError("--max-disruption takes SHARE, accounts:SHARE or arr:SHARE, got '" + d + "'");
    }
    o.vacancyFactor = a.number("vacancy-factor", 0.5);
    if (o.vacancyFactor < 0 || o.vacancyFactor > 1)
        throw UsageError("--vacancy-factor must be between 0 and 1");
    const long long seed = a.integer("seed", 1);
    if (seed < 0) throw UsageError("--seed must be a non-negative whole number");
    o.seed = static_cast<std::uint64_t>(seed);
    const std::string compact = a.get("compactness", o.fixedCentres ? "home" : "distance");
    if (!parseCompactness(compact, o.compactness))
        throw UsageError("--compactness must be distance, diameter or home, got '" + compact + "'");
    if (o.compactness == Compactness::Home) o.fixedCentres = true;
    const long long iters = a.integer("iterations", 0);
    if (iters < 0) throw UsageError("--iterations must be a non-negative whole number of moves");
    o.improveIterations = static_cast<std::uint64_t>(iters);
    // A time limit without --iterations: improve until it is reached.
    if (iters == 0 && a.has("time-limit")) o.improveIterations = std::numeric_limits<std::uint64_t>::max();
    const double limit = a.number("time-limit", 0);
    if (limit < 0) throw UsageError("--time-limit must be a number of seconds");
    o.timeLimitMs = limit * 1000.0;
    return o;
}

std::vector<std::uint8_t> locksFrom(const Args& a, const Workspace& ws) {
    const std::string col = a.get("lock-column", "locked");
    if (a.has("lock-column") && !ws.accounts().find(col))
        throw InputError(a.get("accounts") + ": no column '" + col + "' (named by --lock-column)");
    try {
        return accountFlags(ws, col);
    } catch (const BalanceInputError& e) {
        throw InputError(a.get("accounts") + ": " + e.what());
    }
}

BalanceProblem problemFrom(const Workspace& ws, const Scenario& sc, const BalanceOptions& o) {
    try {
        return makeBalanceProblem(ws, sc, o);
    } catch (const BalanceInputError& e) {
        std::string file;
        for (const SourceFile& s : ws.sources)
            if (s.kind == DatasetKind::Accounts) file = s.name;
        throw InputError((file.empty() ? std::string() : file + ": ") + e.what());
    }
}

void addFiguresJson(nlohmann::ordered_json& j, const BalanceProblem& p, const PlanFigures& f,
                    bool territories) {
    using nlohmann::ordered_json;
    if (territories) {
        ordered_json ts = ordered_json::array();
        for (std::size_t k = 0; k < p.K(); ++k) {
            const TerritoryFigures& t = f.territories[k];
            ordered_json tj;
            tj["id"] = p.territoryId[k];
            tj["name"] = p.territoryName[k];
            tj["owner"] = p.owner[k];
            tj["capacity"] = p.capacity[k];
            tj["accounts"] = t.accounts;
            ordered_json totals, targets, dev;
            for (std::size_t m = 0; m < p.M(); ++m) {
                totals[p.metricName[m]] = t.totals[m];
                targets[p.metricName[m]] = p.reportTargetOf(k, m);
                dev[p.metricName[m]] = t.deviation[m];
            }
            tj["totals"] = totals;
            tj["targets"] = targets;
            tj["deviation"] = dev;
            tj["diameter"] = t.diameter;
            tj["pieces"] = t.pieces;
            ts.push_back(std::move(tj));
        }
        j["territories"] = std::move(ts);
    }
    ordered_json md, tol;
    for (std::size_t m = 0; m < p.M(); ++m) {
        md[p.metricName[m]] = f.maxDeviation[m];
        tol[p.metricName[m]] = p.tolerance[m];
    }
    j["max_deviation"] = md;
    j["tolerance"] = tol;
    ordered_json mb;
    std::size_t oversize = 0;
    for (std::size_t i = 0; i < p.accounts; ++i) oversize += p.inPlan(i) && p.oversize[i] ? 1 : 0;
    for (std::size_t m = 0; m < p.M(); ++m) mb[p.metricName[m]] = f.maxDeviationBalanceable[m];
    j["oversize_accounts"] = oversize;
    j["max_deviation_excluding_oversize"] = mb;
    j["weighted_mean_distance"] = f.weightedMeanDistance;
    j["inertia"] = f.inertia;
    j["max_diameter"] = f.maxDiameter;
    j["distance_unit"] = p.geo.system() == CoordSystem::LatLon ? "km" : "xy";
    j["compactness_weight"] = p.weightName;
    j["contiguous"] = f.contiguous;
    j["extra_pieces"] = f.extraPieces;
    j["cut_edge_share"] = f.cutEdgeShare;
    j["moved_accounts"] = f.movedAccounts;
    j["moved_accounts_share"] = f.movedAccountsShare;
    j["moved_value_share"] = f.movedValueShare;
    j["moved_value_basis"] = p.moveValueName;
    j["unassigned"] = f.unassigned;
}

std::string assignmentCsv(const BalanceProblem& p, std::span<const std::int32_t> plan) {
    std::string out;
    out.reserve(p.accounts * 20 + 32);
    CsvWriter w(out);
    w.field("account_id").field("territory");
    w.endRow();
    for (std::size_t i = 0; i < p.accounts; ++i) {
        w.field(p.accountName(i));
        w.field(plan[i] >= 0 ? std::string_view(p.territoryId[static_cast<std::size_t>(plan[i])])
                             : std::string_view());
        w.endRow();
    }
    return out;
}

} // namespace terrane::cli
