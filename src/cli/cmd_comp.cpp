// terrane comp: a commission plan's payouts on deals — per rep, line by line, explained — from a
// plan file with opportunities and quotas files, or from a scenario file (its plan, quotas and
// data). Writes the payouts CSV and the XLSX statements; --json prints everything.
//
// Index
//  [SECTION] inputs
//  [SECTION] baseline     a straightforward payout computation (benchmarks)
//  [SECTION] run
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/base/format.hpp"
#include "core/comp/checks.hpp"
#include "core/comp/comp_setup.hpp"
#include "core/comp/export.hpp"
#include "core/comp/model.hpp"
#include "core/comp/payout.hpp"
#include "core/quota/allocate.hpp"
#include "core/quota/quota_commands.hpp"
#include "core/quota/simulate.hpp"
#include "core/data/values.hpp"
#include "core/scenario/scenario_file.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <map>

namespace terrane::cli {
namespace {
using namespace comp;

// [SECTION] inputs
Plan readPlan(const std::string& path) {
    try {
        return parsePlanText(readFile(path));
    } catch (const JsonFieldError& e) {
        throw InputError(path + ": " + e.what());
    }
}

// [SECTION] baseline
// Owners' deals grouped in a std::map of strings, commission per tier in long double, no deal
// lists: what a first implementation would do. Only the commission and SPIFFs (the bench's plan).
Money naivePayoutTotal(const Plan& plan, const PayoutInputs& in) {
    std::map<std::string, std::vector<const Deal*>> byOwner;
    for (const Deal& d : in.deals)
        if ((!plan.credit.wonOnly || d.won) && d.date >= plan.start && d.date <= plan.end && d.measure != kMoneyNull)
            byOwner[d.owner].push_back(&d);
    Money total = 0;
    for (const RepInput& r : in.reps) {
        long double credited = 0;
        const auto it = byOwner.find(r.repId);
        if (it == byOwner.end()) continue;
        for (const Deal* d : it->second) credited += static_cast<long double>(d->measure);
        const Commission& c = plan.commission;
        long double com = 0;
        if (c.enabled && r.quota > 0) {
            const long double q = static_cast<long double>(r.quota), rate = static_cast<long double>(r.targetIncentive) / q;
            for (std::size_t i = 0; i < c.tiers.size(); ++i) {
                const long double lo = q * static_cast<long double>(c.tiers[i].fromPpm) / 1e6L;
                const long double hi = i + 1 < c.tiers.size() ? q * static_cast<long double>(c.tiers[i + 1].fromPpm) / 1e6L : 1e30L;
                if (credited <= lo) break;
                const long double band = std::min(credited, hi) - lo;
                com += std::llround(band * rate * static_cast<long double>(c.tiers[i].multiplierPpm) / 1e6L);
            }
            if (c.capOfTargetIncentivePpm > 0)
                com = std::min(com, static_cast<long double>(std::llround(static_cast<long double>(r.targetIncentive) *
                                                                          static_cast<long double>(c.capOfTargetIncentivePpm) / 1e6L)));
        }
        Money spiff = 0;
        for (const Spiff& sp : plan.spiffs)
            for (const Deal* d : it->second)
                if ((sp.product.empty() || sp.product == d->product) && d->date >= (sp.from == kDateNull ? plan.start : sp.from) &&
                    d->date <= (sp.to == kDateNull ? plan.end : sp.to) && d->measure >= sp.minAmount)
                    spiff += sp.perDeal + std::llround(static_cast<long double>(d->measure) * sp.percentPpm / 1e6L);
        total += static_cast<Money>(com) + spiff;
    }
    return total;
}

// [SECTION] run
int run(int argc, char** argv) {
    Args a(argc, argv, 2, {"json", "no-deals", "timings"});
    a.allowOnly(datasetOptionNames({"plan", "quotas", "splits", "scenario", "out", "statements", "json", "no-deals", "compare",
                                    "plan-name", "target", "trials", "seed", "engine", "budget", "solve", "solve-cos", "default-ti-share",
                                    "timings"}));
    const Stopwatch total;
    Json timings;
    Workspace ws;
    Plan plan;
    PayoutInputs in;
    Money scenarioBudget = 0;
    if (a.has("scenario")) {
        const std::string path = a.get("scenario");
        ScenarioFileLoad f = loadScenarioFile(readFile(path));
        if (!f.ok) throw InputError(path + ": " + f.error);
        for (const std::string& w : f.warnings) std::fprintf(stderr, "%s: %s\n", path.c_str(), w.c_str());
        ws = std::move(f.ws);
        const Scenario& sc = ws.active();
        // The active scenario's plan named by --plan-name (default: its first), or --plan.
        if (a.has("plan")) {
            plan = readPlan(a.get("plan"));
        } else {
            if (sc.comp.plans.empty())
                throw InputError(path + ": the active scenario '" + sc.name + "' has no commission plan (give --plan PLAN.json)");
            const std::string name = a.get("plan-name");
            const Plan* found = nullptr;
            for (const Plan& p : sc.comp.plans)
                if (name.empty() || p.name == name) {
                    found = &p;
                    break;
                }
            if (!found) throw InputError(path + ": the active scenario '" + sc.name + "' has no plan named '" + name + "'");
            plan = *found;
        }
        if (!a.has("budget") && sc.comp.budget > 0) scenarioBudget = sc.comp.budget;
        const quota::QuotaResult q = quota::computeQuotas(ws, sc);
        try {
            in = scenarioInputs(plan, ws, &q, sc.comp);
        } catch (const std::runtime_error& e) {
            throw InputError(path + ": " + e.what());
        }
    } else {
        plan = readPlan(a.required("plan"));
        if (!a.has("opportunities")) throw UsageError("give --opportunities O.csv (or --scenario FILE.terrane)");
        if (!a.has("quotas") && !a.has("target")) throw UsageError("give --quotas Q.csv (rep_id, quota, target_incentive) or --target");
        const Stopwatch load;
        loadDatasets(a, ws, {DatasetKind::Opportunities});
        timings["load"] = load.ms();
        // With --target the quotas come from Terrane's quota plan of the datasets (as `terrane quota`).
        quota::QuotaResult q;
        if (a.has("target")) {
            Money target = 0;
            if (!parseMoneyText(a.get("target"), target) || target <= 0) throw UsageError("--target expects an amount, got '" + a.get("target") + "'");
            Scenario& sc = ws.active();
            const CommandResult r = execute(ws, sc, quota::SetQuotaTarget{target, 0, 0, 0});
            if (!r.ok) throw UsageError("--target: " + r.error);
            q = quota::computeQuotas(ws, sc);
        }
        try {
            in = inputsFromWorkspace(plan, ws, a.has("target") ? &q : nullptr);
        } catch (const std::runtime_error& e) {
            throw InputError(a.get("opportunities") + ": " + e.what());
        }
    }
    try {
        if (a.has("quotas")) applyQuotaCsv(in, readFile(a.get("quotas")), a.get("quotas"));
        if (a.has("splits")) applySplitsCsv(in, readFile(a.get("splits")), a.get("splits"));
    } catch (const std::runtime_error& e) {
        throw InputError(e.what());
    }
    if (a.has("default-ti-share")) {
        const double share = a.number("default-ti-share", 0);
        if (!(share > 0 && share <= 10)) throw UsageError("--default-ti-share expects a share of quota such as 0.1");
        std::size_t n = 0;
        for (RepInput& r : in.reps)
            if (r.targetIncentive == 0 && r.quota > 0) r.targetIncentive = moneyFromMajor(moneyToMajor(r.quota) * share), ++n;
        in.notes.push_back("Target incentive = " + fmt::percent(share, 2) + " of quota for " + fmt::countOf(n, "rep", "reps") +
                           " without one (--default-ti-share)");
    }
    const Stopwatch pay;
    const PlanPayouts out = computePayouts(plan, in);
    timings["payouts"] = pay.ms();
    if (a.has("timings")) {
        const Stopwatch naive;
        const Money t = naivePayoutTotal(plan, in);
        timings["payouts_naive"] = naive.ms();
        timings["naive_total_payout"] = moneyToMajor(t);
    }
    const std::vector<PlanCheck> checks = checkPlan(plan, in);
    for (const PlanCheck& c : checks)
        std::fprintf(stderr, "%s%s%s: %s\n", checkSeverityName(c.severity), c.field.empty() ? "" : " ", c.field.c_str(),
                     c.message.c_str());
    if (a.has("out")) writeFile(a.get("out"), payoutsCsv(out));
    if (a.has("statements")) {
        const std::filesystem::path dir = a.get("statements");
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) throw InputError(dir.string() + ": cannot create the folder (" + ec.message() + ")");
        for (std::size_t r = 0; r < out.reps.size(); ++r) {
            std::string file;
            for (char c : out.reps[r].repId) file += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
            writeFile((dir / ("statement_" + file + ".xlsx")).string(), statementsWorkbook(plan, in, out, {r}));
        }
    }
    Json j = payoutsJson(plan, in, out, !a.has("no-deals"));
    j["checks"] = checksJson(checks);
    if (a.has("compare")) {
        const Plan other = readPlan(a.get("compare"));
        const PlanComparison cmp = comparePlans(plan, other, in);
        const Attribution why = attributeChange(plan, other, in);
        Json c;
        c["plan"] = other.name;
        c["total_payout"] = moneyToMajor(cmp.totalB);
        c["cost_of_sales"] = cmp.costOfSalesB;
        c["winners"] = cmp.winners;
        c["losers"] = cmp.losers;
        c["method"] = why.method;
        Json reps = Json::array();
        for (std::size_t i = 0; i < cmp.reps.size(); ++i) {
            Json parts = Json::object();
            for (const ComponentDelta& d : why.reps[i].parts) parts[d.component] = moneyToMajor(d.delta);
            reps.push_back({{"rep_id", cmp.reps[i].repId}, {"payout", moneyToMajor(cmp.reps[i].b)},
                            {"delta", moneyToMajor(cmp.reps[i].delta)}, {"why", parts}, {"explain", why.reps[i].explain}});
        }
        c["reps"] = reps;
        j["compare"] = c;
    }
    if (a.has("trials")) {
        if (!a.has("target") && !a.has("scenario"))
            throw UsageError("--trials needs --target or --scenario (the quota plan whose attainment is simulated)");
        const long long trials = a.integer("trials", 1000);
        if (trials < 1 || trials > 1000000) throw UsageError("--trials expects 1 to 1,000,000");
        Money budget = scenarioBudget;
        if (a.has("budget") && (!parseMoneyText(a.get("budget"), budget) || budget <= 0))
            throw UsageError("--budget expects an amount, got '" + a.get("budget") + "'");
        const Scenario& sc = ws.active();
        const quota::QuotaResult q = quota::computeQuotas(ws, sc);
        const quota::SimModel model = quota::buildSimModel(ws, sc, q, static_cast<std::uint64_t>(a.integer("seed", 1)),
                                                           static_cast<std::uint32_t>(trials));
        const std::string engine = a.get("engine", "fast");
        if (engine != "fast" && engine != "naive") throw UsageError("--engine must be fast or naive");
        const Stopwatch sim;
        CostSimResult c;
        std::vector<Money> kept;
        if (engine == "fast" && !a.has("solve")) {
            c = simulateCost(plan, model, in, budget, &out);
        } else {
            // The baseline (and solve): every rep's bookings of every trial kept, then evaluated.
            quota::SimulationJob job(std::shared_ptr<const quota::SimModel>(std::shared_ptr<const quota::SimModel>{}, &model));
            job.keepBookings(true);
            while (!job.step(1e9)) {
            }
            kept = job.keptBookings();
            c = engine == "naive" ? costFromBookingsNaive(plan, model, in, kept, budget, &out)
                                : costFromBookings(plan, model, in, kept, budget, &out);
        }
        timings["simulation"] = sim.ms();
        Json sj;
        sj["trials"] = c.trials;
        sj["reps"] = c.reps;
        sj["engine"] = engine;
        sj["payout_p10"] = moneyToMajor(c.payoutP10);
        sj["payout_p50"] = moneyToMajor(c.payoutP50);
        sj["payout_p90"] = moneyToMajor(c.payoutP90);
        sj["payout_mean"] = c.payoutMean / 100.0;
        sj["cost_of_sales_p10"] = c.cosP10;
        sj["cost_of_sales_p50"] = c.cosP50;
        sj["cost_of_sales_p90"] = c.cosP90;
        sj["expected_cost_of_sales"] = c.expectedCostOfSales;
        if (budget > 0) sj["prob_exceed_budget"] = c.probExceedBudget;
        sj["share_reps_at_ote"] = c.shareAtOte;
        sj["seed"] = model.seed;
        sj["spiffs_mean"] = c.spiffMean / 100.0;
        sj["clawbacks_mean"] = c.clawbackMean / 100.0;
        sj["draws_mean"] = c.drawMean / 100.0;
        sj["assumptions"] = {{"spiff_rate", c.assumptions.spiffRate}, {"clawback_share", c.assumptions.clawbackShare},
                             {"draw_per_year", moneyToMajor(c.assumptions.drawPerYear)}, {"text", c.assumptions.text}};
        if (a.has("solve")) {
            const std::string what = a.get("solve");
            if (what != "accelerators" && what != "base_rate") throw UsageError("--solve must be accelerators or base_rate");
            const double target = a.number("solve-cos", 0);
            if (!(target > 0 && target < 10)) throw UsageError("--solve needs --solve-cos, the target cost of sales (e.g. 0.12)");
            const SolveResult sr = solvePlan(plan, what == "base_rate" ? SolveParameter::BaseRate : SolveParameter::Accelerators,
                                             target, model, in, kept);
            sj["solve"] = {{"ok", sr.ok}, {"parameter", what}, {"target", target}, {"iterations", sr.iterations},
                           {"value", sr.value}, {"cost_of_sales", sr.costOfSales}, {"message", sr.message},
                           {"plan", planToJson(sr.plan)}};
        }
        j["simulation"] = sj;
    }
    timings["total"] = total.ms();
    if (a.has("timings")) j["timings_ms"] = timings;
    if (a.has("json")) {
        std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return 0;
    }
    std::printf("%s: %s paid to %s on %s credited (cost of sales %s); %s at or above target incentive\n", plan.name.c_str(),
                fmt::moneyExact(out.totalPayout).c_str(), fmt::countOf(out.reps.size(), "rep", "reps").c_str(),
                fmt::moneyExact(out.totalCredited).c_str(), fmt::percent(out.costOfSales, 2).c_str(),
                fmt::countOf(out.repsAtTarget, "rep", "reps").c_str());
    for (const std::string& n : out.notes) std::printf("  %s\n", n.c_str());
    return 0;
}

const Command kCmd("comp",
                   "--plan PLAN.json --opportunities O.csv --quotas Q.csv [--reps R.csv] [--accounts A.csv] "
                   "[--splits S.csv] [--out payouts.csv] [--statements DIR] [--compare PLAN2.json] [--no-deals] [--json] | "
                   "--scenario FILE.terrane [--plan-name NAME | --plan PLAN.json] [...]. Cost under uncertainty: --accounts A.csv --reps R.csv "
                   "--territories T.csv --target AMOUNT --trials N [--budget B] [--seed S] [--engine fast|naive] "
                   "[--solve accelerators|base_rate --solve-cos 0.12] [--default-ti-share 0.1] [--timings]",
                   "Commission payouts per rep, line by line with explanations; CSV, XLSX statements, plan checks", &run);

} // namespace
} // namespace terrane::cli
