// terrane quota: allocates a company target to territories and reps, checks fairness and
// simulates attainment; writes quotas.csv and (with --json) the figures as one JSON object.
//
// Index
//  [SECTION] options      method, shares, amounts, overrides
//  [SECTION] assignment   account_id,territory CSV (what `terrane balance` writes)
//  [SECTION] output       JSON
//  [SECTION] run
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/base/format.hpp"
#include "core/scenario/assignment.hpp"
#include "core/io/csv.hpp"
#include "core/base/job.hpp"
#include "core/quota/allocate.hpp"
#include "core/quota/export.hpp"
#include "core/quota/fairness.hpp"
#include "core/quota/simulate.hpp"
#include "core/base/text.hpp"
#include "core/data/values.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace terrane::cli {
using namespace quota;
namespace {
using json = nlohmann::ordered_json;

// [SECTION] options
Money parseAmount(const Args& a, const std::string& key) {
    Money m = 0;
    if (!parseMoneyText(a.get(key), m))
        throw UsageError("option --" + key + " expects an amount like 12000000 or 12,000,000.00, got '" +
                         a.get(key) + "'");
    return m;
}

std::int64_t parseShare(const Args& a, const std::string& key) {
    std::int64_t ppm = 0;
    if (!parseSharePpm(a.get(key), ppm))
        throw UsageError("option --" + key + " expects a share like 0.1 or 10%, got '" + a.get(key) + "'");
    return ppm;
}

// equal | potential | history | blend:W | blend:P,H[,E] | capacity[:BASE]
AllocationSettings parseMethod(const std::string& s, AllocationSettings base) {
    const std::string head = s.substr(0, s.find(':'));
    const std::string arg = s.find(':') == std::string::npos ? "" : s.substr(s.find(':') + 1);
    if (!parseQuotaMethod(head, base.method))
        throw UsageError("--method must be equal, potential, history, blend:W (W = weight of potential, 1 - "
                         "W of history) or capacity[:BASE], got '" +
                         s + "'");
    if (base.method == QuotaMethod::Blend) {
        if (arg.empty())
            throw UsageError(
                "--method blend needs weights: blend:0.6 (60% potential, 40% history) or blend:P,H,E");
        const std::vector<double> w = parseNumberList("method", arg);
        if (w.size() == 1) {
            if (w[0] < 0 || w[0] > 1) throw UsageError("--method blend:W needs W between 0 and 1");
            base.blend = BlendWeights{w[0], 1.0 - w[0], 0.0};
        } else if (w.size() == 2 || w.size() == 3) {
            base.blend = BlendWeights{w[0], w[1], w.size() == 3 ? w[2] : 0.0};
        } else {
            throw UsageError("--method blend takes 1 to 3 weights");
        }
        if (auto e = validateBlend(base.blend); !e.empty()) throw UsageError("--method: " + e);
    } else if (base.method == QuotaMethod::Capacity) {
        base.capacityBase = QuotaMethod::Potential;
        if (!arg.empty()) {
            AllocationSettings inner = parseMethod(arg, base);
            if (inner.method == QuotaMethod::Capacity)
                throw UsageError("--method capacity:BASE needs a base other than capacity");
            base.capacityBase = inner.method;
            base.blend = inner.blend;
        }
    } else if (!arg.empty()) {
        throw UsageError("--method " + head + " takes no weights");
    }
    return base;
}

void apply(const Workspace& ws, Scenario& sc, terrane::Command cmd, const std::string& option) {
    const CommandResult r = execute(ws, sc, std::move(cmd));
    if (!r.ok) throw UsageError("--" + option + ": " + r.error);
}

// [SECTION] assignment
// The shared assignment-file reader (as `terrane metrics`): unknown accounts are reported and
// skipped, listed accounts move, territories named only by the file are created without a parent.
void loadAssignment(const std::string& path, Workspace& ws) {
    AssignmentFile f;
    std::string error;
    if (!parseAssignment(ws, readFile(path), path, f, error)) throw InputError(error);
    for (std::size_t i = 0; i < f.errors.size() && i < 5; ++i)
        std::fprintf(stderr, "%s\n", f.errors[i].c_str());
    if (f.errors.size() > 5)
        std::fprintf(stderr, "%s: %zu rows rejected in all\n", path.c_str(), f.errors.size());
    const CommandResult r = applyAssignmentFile(ws, ws.baseline(), f, path);
    if (!r.ok) throw InputError(path + ": " + r.error);
}

// [SECTION] output
json issuesJson(const std::vector<QuotaIssue>& issues) {
    json arr = json::array();
    for (const QuotaIssue& i : issues) {
        const char* sev = i.severity == QuotaIssue::Severity::Error     ? "error"
                          : i.severity == QuotaIssue::Severity::Warning ? "warning"
                                                                        : "info";
        arr.push_back({{"severity", sev}, {"code", i.code}, {"node", i.node}, {"message", i.message}});
    }
    return arr;
}

json statsJson(const RatioStats& s) {
    auto num = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
    return {{"territories", s.count}, {"mean", num(s.mean)}, {"median", num(s.median)}, {"min", num(s.min)},
            {"max", num(s.max)},      {"cv", num(s.cv)},     {"gini", num(s.gini)}};
}

char hexDigit(unsigned v) {
    return static_cast<char>(v < 10 ? '0' + v : 'a' + v - 10);
}
std::string hex64(std::uint64_t v) {
    std::string s(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4)
        s[static_cast<std::size_t>(i)] = hexDigit(static_cast<unsigned>(v & 15));
    return s;
}

// [SECTION] run
int run(int argc, char** argv) {
    Args a(argc, argv, 2, {"json", "timings"});
    a.allowOnly(datasetOptionNames({"assignment",
                                    "target",
                                    "method",
                                    "over-assign",
                                    "over-assign-region",
                                    "over-assign-district",
                                    "rounding",
                                    "remainder",
                                    "vacancy",
                                    "seasonality",
                                    "plan-year",
                                    "history-from",
                                    "history-to",
                                    "history-source",
                                    "override",
                                    "seed",
                                    "trials",
                                    "engine",
                                    "out",
                                    "out-nodes",
                                    "xlsx",
                                    "ramp",
                                    "ramp-step-months",
                                    "time-to-hire",
                                    "json",
                                    "timings"}));
    if (!a.has("target")) throw UsageError("missing required option --target");
    const Money target = parseAmount(a, "target");
    if (target <= 0) throw UsageError("--target must be positive");
    const Stopwatch total;
    Workspace ws;
    loadDatasets(a, ws, {DatasetKind::Accounts});
    if (a.has("assignment")) loadAssignment(a.get("assignment"), ws);
    const double loadMs = total.ms();
    Scenario& sc = ws.baseline();

    // Settings through the same commands the page issues (same validation, same messages).
    apply(ws, sc, SetQuotaTarget{target, static_cast<int>(a.integer("plan-year", 0)), 0, 0}, "target");
    AllocationSettings alloc = parseMethod(a.get("method", "potential"), sc.quota.allocation);
    if (a.has("history-source")) {
        const std::string h = a.get("history-source");
        if (h == "bookings")
            alloc.historySource = HistorySource::Bookings;
        else if (h == "opportunities")
            alloc.historySource = HistorySource::Opportunities;
        else if (h != "auto")
            throw UsageError("--history-source must be auto, bookings or opportunities");
    } else if (a.has("bookings")) {
        alloc.historySource = HistorySource::Bookings;
    }
    for (const char* k : {"history-from", "history-to"}) {
        if (!a.has(k)) continue;
        Date d = kDateNull;
        if (!parseIsoDate(a.get(k), d))
            throw UsageError(std::string("--") + k + " expects a date like 2025-10-01");
        (std::string(k) == "history-from" ? alloc.historyFrom : alloc.historyTo) = d;
    }
    apply(ws, sc, SetQuotaMethod{alloc, {}}, "method");
    if (a.has("over-assign-region"))
        apply(ws, sc, SetQuotaOverAssign{QuotaLevel::Region, parseShare(a, "over-assign-region"), 0},
              "over-assign-region");
    if (a.has("over-assign-district"))
        apply(ws, sc, SetQuotaOverAssign{QuotaLevel::District, parseShare(a, "over-assign-district"), 0},
              "over-assign-district");
    if (a.has("over-assign"))
        apply(ws, sc, SetQuotaOverAssign{QuotaLevel::Territory, parseShare(a, "over-assign"), 0},
              "over-assign");
    Money unit = 1;
    if (a.has("rounding")) {
        unit = parseAmount(a, "rounding");
        if (unit <= 0) throw UsageError("--rounding must be positive (e.g. 1000 for whole thousands)");
    }
    RemainderPolicy rem = RemainderPolicy::Reject;
    const std::string remText = a.get("remainder", "reject");
    if (remText == "largest")
        rem = RemainderPolicy::Largest;
    else if (remText != "reject")
        throw UsageError("--remainder must be reject or largest");
    apply(ws, sc, SetQuotaRounding{unit, rem, 0, {}}, "rounding");
    const std::string vac = a.get("vacancy", "allocate");
    if (vac != "allocate" && vac != "hold") throw UsageError("--vacancy must be allocate or hold");
    apply(ws, sc, SetQuotaVacancy{vac == "hold" ? VacancyPolicy::Hold : VacancyPolicy::Allocate, {}},
          "vacancy");
    if (a.has("seasonality"))
        apply(ws, sc, SetQuotaSeasonality{parseNumberList("seasonality", a.get("seasonality")), {}}, "seasonality");
    if (a.has("ramp") || a.has("ramp-step-months") || a.has("time-to-hire")) {
        CapacityPlan cp = sc.capacity;
        if (a.has("ramp")) cp.ramp = parseNumberList("ramp", a.get("ramp"));
        cp.rampStepMonths = static_cast<int>(a.integer("ramp-step-months", cp.rampStepMonths));
        cp.timeToHireMonths = static_cast<int>(a.integer("time-to-hire", cp.timeToHireMonths));
        apply(ws, sc, SetCapacityPlan{cp, {}}, "ramp");
    }
    // Overrides: NODE=AMOUNT where NODE is a territory, district or region id, or a rep owning
    // exactly one territory.
    for (const std::string& o : a.all("override")) {
        const auto eq = o.find('=');
        if (eq == std::string::npos) throw UsageError("--override expects NODE=AMOUNT, got '" + o + "'");
        std::string node = o.substr(0, eq);
        Money amount = 0;
        if (!parseMoneyText(o.substr(eq + 1), amount) || amount < 0)
            throw UsageError("--override " + node + ": expects a non-negative amount");
        if (!sc.territoryRow(node)) {
            std::vector<std::string> owned;
            const Table& t = sc.territories;
            for (std::int32_t leaf : sc.leaves())
                if (t.str(t.indexOf("owner"), static_cast<std::size_t>(leaf)) == node)
                    owned.emplace_back(sc.territoryId(leaf));
            if (owned.size() != 1)
                throw UsageError("--override " + node + ": not a territory, district or region" +
                                 (owned.empty() ? std::string(", nor a rep who owns a territory")
                                                : ", and that rep owns " + std::to_string(owned.size()) +
                                                      " territories; name one"));
            node = owned[0];
        }
        apply(ws, sc, SetQuotaOverride{node, amount, std::nullopt}, "override");
    }
    const long long seed = a.integer("seed", 1), trials = a.integer("trials", 2000);
    if (seed < 0) throw UsageError("--seed must be a non-negative whole number");
    if (trials < 0 || trials > 100000) throw UsageError("--trials must be between 0 and 100000");
    if (trials > 0)
        apply(ws, sc,
              SetQuotaSimulation{static_cast<std::uint64_t>(seed), static_cast<std::uint32_t>(trials), 0, 0},
              "trials");
    const std::string engine = a.get("engine", "fast");
    if (engine != "fast" && engine != "naive") throw UsageError("--engine must be fast or naive");

    const Stopwatch allocWatch;
    const QuotaResult q = computeQuotas(ws, sc);
    const double allocMs = allocWatch.ms();
    for (const QuotaIssue& i : q.issues)
        if (i.severity != QuotaIssue::Severity::Info)
            std::fprintf(stderr, "%s%s%s\n", i.node.empty() ? "" : i.node.c_str(), i.node.empty() ? "" : ": ",
                         i.message.c_str());
    if (!q.ok) {
        bool usage = false;
        std::string first;
        for (const QuotaIssue& i : q.issues)
            if (i.severity == QuotaIssue::Severity::Error) {
                usage |= i.code == "remainder" || i.code == "locks";
                if (first.empty()) first = (i.node.empty() ? "" : i.node + ": ") + i.message;
            }
        if (usage)
            throw UsageError("the quota plan cannot be made: " + first +
                             " (--remainder largest puts the remainder on the largest quota)");
        throw InputError("the quota plan cannot be made: " + first);
    }
    const Fairness fair = assessFairness(q);
    SimModel model;
    SimResult sim;
    double buildMs = 0, simMs = 0;
    if (trials > 0) {
        const Stopwatch b;
        model = buildSimModel(ws, sc, q, sc.quota.seed, sc.quota.trials);
        buildMs = b.ms();
        const Stopwatch s;
        sim = engine == "naive" ? simulateAttainmentNaive(model) : simulateAttainment(model);
        simMs = s.ms();
    }
    const SimModel* mp = trials > 0 ? &model : nullptr;
    const SimResult* sp = trials > 0 ? &sim : nullptr;
    if (a.has("out")) writeFile(a.get("out"), quotaRepsCsv(q, mp, sp));
    if (a.has("out-nodes")) writeFile(a.get("out-nodes"), quotaNodesCsv(q));
    if (a.has("xlsx")) writeFile(a.get("xlsx"), quotaWorkbook(q, sc.quota, mp, sp));

    std::unordered_map<std::string, std::size_t> simIndex;
    for (std::size_t i = 0; i < model.reps.size(); ++i) simIndex[model.reps[i].repId] = i;
    json j;
    j["plan_year"] = q.tree.planYear;
    j["as_of"] = formatDate(q.tree.asOf);
    j["target"] = moneyToMajor(q.target);
    j["method"] = quotaMethodName(sc.quota.allocation.method);
    if (sc.quota.allocation.method == QuotaMethod::Blend ||
        (sc.quota.allocation.method == QuotaMethod::Capacity &&
         sc.quota.allocation.capacityBase == QuotaMethod::Blend))
        j["blend"] = {{"potential", sc.quota.allocation.blend.potential},
                      {"history", sc.quota.allocation.blend.history},
                      {"equal", sc.quota.allocation.blend.equal}};
    if (sc.quota.allocation.method == QuotaMethod::Capacity)
        j["capacity_base"] = quotaMethodName(sc.quota.allocation.capacityBase);
    j["over_assign"] = {{"region", static_cast<double>(sc.quota.overAssignPpm[0]) / 1e6},
                        {"district", static_cast<double>(sc.quota.overAssignPpm[1]) / 1e6},
                        {"territory", static_cast<double>(sc.quota.overAssignPpm[2]) / 1e6}};
    j["rounding_unit"] = moneyToMajor(q.unit);
    j["remainder"] = remainderPolicyName(sc.quota.remainder);
    j["vacancy"] = vacancyPolicyName(sc.quota.vacancy);
    j["history"] = {{"source", historySourceName(q.tree.historyUsed)},
                    {"from", formatDate(q.tree.historyFrom)},
                    {"to", formatDate(q.tree.historyTo - 1)},
                    {"total", moneyToMajor(q.tree.historyTotal)},
                    {"unattributed", moneyToMajor(q.tree.historyUnattributed)}};
    j["totals"] = {{"target", moneyToMajor(q.target)},
                   {"expected_territory_total", moneyToMajor(q.expectedLeafTotal)},
                   {"regions", moneyToMajor(q.levelTotals[1])},
                   {"districts", moneyToMajor(q.levelTotals[2])},
                   {"territories", moneyToMajor(q.leafTotal)},
                   {"reps", moneyToMajor(q.repTotal)},
                   {"held", moneyToMajor(q.heldTotal)},
                   {"reconciled", q.reconciled && q.leafTotal == q.expectedLeafTotal}};
    j["periods"] = q.periodLabels;
    json reps = json::array();
    for (const RepQuota& r : q.reps) {
        json o;
        o["rep_id"] = r.repId;
        o["name"] = r.name;
        json ts = json::array();
        for (std::int32_t t : r.territories) ts.push_back(q.tree.nodes[static_cast<std::size_t>(t)].id);
        o["territories"] = ts;
        o["status"] = r.repId.empty() ? "no_owner" : r.vacant ? "vacant" : "rep";
        o["quota"] = moneyToMajor(r.quota);
        json per = json::array();
        for (Money m : r.periods) per.push_back(moneyToMajor(m));
        o["periods"] = per;
        o["capacity"] = r.capacity;
        o["basis"] = r.basis;
        auto it = r.repId.empty() ? simIndex.end() : simIndex.find(r.repId);
        if (trials > 0 && it != simIndex.end()) {
            const RepAttainment& at = sim.reps[it->second];
            o["expected_attainment"] = at.mean;
            o["attainment_p10"] = at.p10;
            o["attainment_p50"] = at.p50;
            o["attainment_p90"] = at.p90;
            o["probability_at_quota"] = at.probAtQuota;
        }
        reps.push_back(std::move(o));
    }
    j["reps"] = reps;
    if (q.heldTotal > 0) {
        json held = json::array();
        for (const QuotaNode& n : q.tree.nodes)
            if (n.held)
                held.push_back({{"territory", n.id},
                                {"seat", n.owner},
                                {"quota", moneyToMajor(n.quota)},
                                {"held_by", q.tree.nodes[static_cast<std::size_t>(n.parent)].id}});
        j["held"] = held;
    }
    if (trials > 0) {
        j["simulation"] = {
            {"seed", sim.seed},
            {"trials", sim.trials},
            {"engine", engine},
            {"reps", model.reps.size()},
            {"share_reps_at_or_above_100", sim.shareAtQuota},
            {"share_p10", sim.shareP10},
            {"share_p50", sim.shareP50},
            {"share_p90", sim.shareP90},
            {"healthy", sim.healthy()},
            {"expected_total", sim.expectedTotal / 100.0},
            {"expected_vs_target", q.target > 0 ? sim.expectedTotal / static_cast<double>(q.target) : 0.0},
            {"total_p10", moneyToMajor(sim.totalP10)},
            {"total_p50", moneyToMajor(sim.totalP50)},
            {"total_p90", moneyToMajor(sim.totalP90)},
            {"win_rate_source", model.winRateSource},
            {"fingerprint", hex64(sim.fingerprint)}};
    }
    json outliers = json::array();
    for (const FairnessRow& r : fair.rows) {
        if (!r.outlierPotential && !r.outlierHistory) continue;
        const QuotaNode& n = q.tree.nodes[static_cast<std::size_t>(r.node)];
        auto num = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
        outliers.push_back({{"territory", n.id},
                            {"name", n.name},
                            {"quota_to_potential", num(r.quotaToPotential)},
                            {"potential_deviation", num(r.potentialDeviation)},
                            {"quota_to_history", num(r.quotaToHistory)},
                            {"history_deviation", num(r.historyDeviation)}});
    }
    j["fairness"] = {{"threshold", fair.threshold},
                     {"quota_to_potential", statsJson(fair.potential)},
                     {"quota_to_history", statsJson(fair.history)},
                     {"outliers", outliers}};
    j["issues"] = issuesJson(q.issues);
    if (a.has("timings"))
        j["timings_ms"] = {
            {"load", loadMs}, {"allocate", allocMs}, {"simulation_model", buildMs}, {"simulation", simMs}};
    if (a.has("json")) {
        std::printf("%s\n", j.dump().c_str());
    } else {
        std::printf("%zu reps, total quota %s (target %s; territories %s, held %s)\n", q.reps.size(),
                    fmt::moneyExact(q.repTotal).c_str(), fmt::moneyExact(q.target).c_str(),
                    fmt::moneyExact(q.leafTotal).c_str(), fmt::moneyExact(q.heldTotal).c_str());
        if (trials > 0)
            std::printf("simulation (seed %llu, %u trials): %.1f%% of reps expected at or above 100%%; "
                        "bookings P10 %s, P50 %s, P90 %s\n",
                        static_cast<unsigned long long>(sim.seed), sim.trials, sim.shareAtQuota * 100.0,
                        fmt::moneyExact(sim.totalP10).c_str(), fmt::moneyExact(sim.totalP50).c_str(),
                        fmt::moneyExact(sim.totalP90).c_str());
    }
    return 0;
}

const Command
    kCmd("quota",
         "--accounts A.csv [--reps R.csv] [--territories T.csv] [--assignment X.csv] [--opportunities O.csv] "
         "[--bookings B.csv]\n"
         "    --target AMOUNT [--method equal|potential|history|blend:W|blend:P,H,E|capacity[:BASE]] "
         "[--over-assign SHARE]\n"
         "    [--over-assign-region SHARE] [--over-assign-district SHARE] [--rounding UNIT] [--remainder "
         "reject|largest]\n"
         "    [--vacancy allocate|hold] [--seasonality W1,..,W4|W1,..,W12] [--plan-year Y] [--history-from "
         "D] [--history-to D]\n"
         "    [--override NODE=AMOUNT ...] [--seed S] [--trials N] [--out quotas.csv] [--out-nodes "
         "nodes.csv] [--xlsx plan.xlsx] [--json]\n"
         "    [--ramp F,..] [--ramp-step-months M] [--time-to-hire M] [--engine fast|naive] [--timings]\n\n"
         "Quotas sum exactly to target x (1 + over-assignment) at each level and every quota is a whole "
         "number of rounding\n"
         "units. When a total is not a whole number of units both cannot hold: by default the command "
         "refuses (exit 2)\n"
         "and names the amount; --remainder largest puts the sub-unit remainder on the largest quota (its "
         "basis says so).\n"
         "--over-assign is the uplift from districts to territories (reps); --trials 0 skips the simulation; "
         "--engine naive runs\n"
         "the baseline simulation (benchmarks); --timings adds timings_ms to the JSON.",
         "Allocate a target to territories and reps; fairness and simulated attainment", &run);

} // namespace
} // namespace terrane::cli
