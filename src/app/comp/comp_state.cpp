// The Compensation panel's derived figures: the set-up in use (the scenario's, or the starting
// plan), the draft, payouts and checks, the comparison, the cost simulation job, and the JSON the
// page's test hook reads.
//
// Index
//  [SECTION] set-up and payouts
//  [SECTION] commit
//  [SECTION] simulation
//  [SECTION] comparison
//  [SECTION] test hook
#include "app/app.hpp"
#include "platform/platform.hpp"

#include <imgui.h>
#include <nlohmann/json.hpp>

namespace terrane {
using namespace comp;

// [SECTION] set-up and payouts
const PlanPayouts& refreshComp(App& app) {
    UiState& ui = app.ui();
    CompUi& c = ui.comp;
    const quota::QuotaResult& q = refreshQuotas(app);
    const Workspace& ws = app.workspace();
    const Scenario& sc = ws.active();
    if (c.version == ui.dataVersion && c.computedPlan == c.plan) return c.payouts;
    c.starter = sc.comp.plans.empty();
    c.setup = c.starter ? starterSetup(ws, q) : sc.comp;
    if (c.starter && sc.comp.defaultTargetIncentive > 0) c.setup.defaultTargetIncentive = sc.comp.defaultTargetIncentive;
    if (c.starter) c.setup.budget = sc.comp.budget;
    c.plan = std::clamp(c.plan, 0, static_cast<int>(c.setup.plans.size()) - 1);
    const Plan& plan = c.setup.plans[static_cast<std::size_t>(c.plan)];
    // The draft follows the saved plan unless the user is in the middle of an edit.
    if (!c.draftValid || (!c.editing && !(c.draftBase == plan)) || c.computedPlan != c.plan) {
        c.draft = plan;
        c.draftBase = plan;
        c.draftValid = true;
    }
    c.noQuotas = q.target <= 0 || !q.ok;
    c.error.clear();
    c.payouts = PlanPayouts{};
    c.checks.clear();
    try {
        auto in = std::make_shared<const PayoutInputs>(scenarioInputs(plan, ws, c.noQuotas ? nullptr : &q, c.setup));
        c.payouts = computePayouts(plan, *in);
        c.checks = checkPlan(plan, *in);
        c.inputs = std::move(in);
    } catch (const std::exception& e) {
        c.error = e.what();
        c.inputs.reset();
        c.checks = checkPlan(plan);
    }
    if (c.rep >= static_cast<int>(c.payouts.reps.size())) c.rep = -1, c.line = -1;
    c.version = ui.dataVersion;
    c.computedPlan = c.plan;
    return c.payouts;
}

// [SECTION] commit
void commitCompDraft(App& app) {
    CompUi& c = app.ui().comp;
    if (!c.draftValid || c.draft == c.draftBase) return;
    const Scenario& sc = app.workspace().active();
    bool ok = true;
    if (c.starter) {
        // The starting plan becomes the scenario's first plan, with its default target incentive.
        if (sc.comp.defaultTargetIncentive != c.setup.defaultTargetIncentive)
            ok = app.runCommand(SetCompSettings{c.setup.defaultTargetIncentive, c.setup.budget, 0, 0});
        if (ok && (ok = app.runCommand(SetCompPlan{0, c.draft, std::nullopt}))) c.plan = 0;
    } else {
        ok = app.runCommand(SetCompPlan{static_cast<std::size_t>(c.plan), c.draft, std::nullopt});
    }
    c.editing = false;
    if (!ok) { // refused (the status bar says why): the editor shows the saved plan again
        c.draft = c.draftBase;
        return;
    }
    app.notify(app.workspace().active().log.back().audit.description);
    refreshComp(app);
}

bool compPayoutsHidden(const App& app) {
    return app.openedFile().meta.redaction.repNames != Redaction::RepNames::Keep;
}

// [SECTION] simulation
void refreshCompSimulation(App& app) {
    UiState& ui = app.ui();
    CompUi& c = ui.comp;
    refreshComp(app);
    const QuotaUi& q = ui.quota;
    if (!c.inputs || c.noQuotas || !q.simModel || q.simVersion != q.version) return; // waits for the attainment model
    if (c.simVersion == c.version || (c.simJob && c.jobVersion == c.version)) return;
    if (c.simJob) c.simJob->cancel();
    auto job = std::make_shared<CostSimulationJob>(c.setup.plans[static_cast<std::size_t>(c.plan)], q.simModel, *c.inputs,
                                                   c.setup.budget, &c.payouts);
    c.simJob = job;
    c.jobVersion = c.version;
    const std::uint64_t version = c.version;
    const double t0 = platform::nowMs();
    app.startJob(std::move(job), [&app, version, t0](Job& j) {
        CompUi& cc = app.ui().comp;
        auto& sj = static_cast<CostSimulationJob&>(j);
        if (j.cancelled() || version != cc.version || !sj.result().complete) return;
        cc.sim = sj.result();
        cc.simVersion = version;
        cc.simMs = platform::nowMs() - t0;
        cc.simComputeMs = sj.computeMs();
        platform::requestFrame();
    });
}

void startCompSolve(App& app) {
    UiState& ui = app.ui();
    CompUi& c = ui.comp;
    refreshComp(app);
    const QuotaUi& q = ui.quota;
    if (!c.inputs || c.noQuotas || !q.simModel || c.solveTarget <= 0) return;
    if (c.solveJob) c.solveJob->cancel();
    const auto param = static_cast<SolveParameter>(c.solveParam);
    auto job = std::make_shared<SolveJob>(c.setup.plans[static_cast<std::size_t>(c.plan)], param, c.solveTarget, q.simModel, c.inputs);
    c.solveJob = job;
    c.solvedValid = false;
    const std::uint64_t version = c.version;
    const int plan = c.plan, which = c.solveParam;
    const double target = c.solveTarget;
    app.startJob(std::move(job), [&app, version, plan, which, target](Job& j) {
        CompUi& cc = app.ui().comp;
        auto& sj = static_cast<SolveJob&>(j);
        if (j.cancelled() || !sj.complete()) return;
        cc.solved = sj.result();
        cc.solvedValid = true;
        cc.solvedVersion = version;
        cc.solvedPlan = plan;
        cc.solvedParam = which;
        cc.solvedTarget = target;
        platform::requestFrame();
    });
}

bool applyCompSolve(App& app) {
    CompUi& c = app.ui().comp;
    if (!c.solvedValid || !c.solved.ok || c.solvedVersion != c.version || c.solvedPlan != c.plan) return false;
    c.draft = c.solved.plan;
    c.draft.name = c.setup.plans[static_cast<std::size_t>(c.plan)].name;
    const bool changed = !(c.draft == c.draftBase);
    commitCompDraft(app);
    if (changed) c.solvedValid = false;
    return changed;
}

// [SECTION] comparison
void refreshCompComparison(App& app) {
    UiState& ui = app.ui();
    CompUi& c = ui.comp;
    refreshComp(app);
    const int n = static_cast<int>(c.setup.plans.size());
    c.compareA = std::clamp(c.compareA, 0, n - 1);
    c.compareB = std::clamp(c.compareB, 0, n - 1);
    if (!c.inputs || (c.compareVersion == c.version && c.comparedA == c.compareA && c.comparedB == c.compareB)) return;
    const Plan& a = c.setup.plans[static_cast<std::size_t>(c.compareA)];
    const Plan& b = c.setup.plans[static_cast<std::size_t>(c.compareB)];
    // Both plans on the same deals and reps: the inputs of plan A (credit rules may differ; the
    // attribution's "credit" part shows what that changes).
    c.comparison = comparePlans(a, b, *c.inputs);
    c.attribution = attributeChange(a, b, *c.inputs);
    c.compareVersion = c.version;
    c.comparedA = c.compareA;
    c.comparedB = c.compareB;
}

// [SECTION] test hook
std::string compStateJson(const App& app) {
    const CompUi& c = app.ui().comp;
    nlohmann::ordered_json j;
    j["open"] = c.show;
    j["tab"] = c.tab;
    j["plan"] = c.plan;
    j["plans"] = app.workspace().active().comp.plans.size();
    j["starter"] = c.starter;
    j["fresh"] = c.version == app.ui().dataVersion;
    j["no_quotas"] = c.noQuotas;
    j["error"] = c.error;
    if (c.draftValid) {
        j["draft"] = planToJson(c.draft);
        j["editing"] = c.editing;
    }
    if (!c.setup.plans.empty()) j["saved"] = planToJson(c.setup.plans[static_cast<std::size_t>(c.plan)]);
    j["default_target_incentive"] = moneyToMajor(c.setup.defaultTargetIncentive);
    j["budget"] = moneyToMajor(c.setup.budget);
    const PlanPayouts& p = c.payouts;
    j["total_payout"] = moneyToMajor(p.totalPayout);
    j["total_credited"] = moneyToMajor(p.totalCredited);
    j["cost_of_sales"] = p.costOfSales;
    j["reps_at_target"] = p.repsAtTarget;
    j["hidden"] = compPayoutsHidden(app);
    nlohmann::ordered_json reps = nlohmann::ordered_json::array();
    for (const RepPayout& r : p.reps)
        reps.push_back({{"rep_id", r.repId}, {"credited", moneyToMajor(r.credited)}, {"attainment", r.attainment},
                        {"payout", moneyToMajor(r.payout)}, {"lines", r.lines.size()}});
    j["reps"] = reps;
    j["selected_rep"] = c.rep;
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (const PlanCheck& k : c.checks) checks.push_back({{"severity", checkSeverityName(k.severity)}, {"code", k.code}, {"message", k.message}});
    j["checks"] = checks;
    const bool simFresh = c.simVersion == c.version && c.sim.complete;
    j["simulation"] = {{"running", static_cast<bool>(c.simJob)},
                       {"progress", c.simJob ? c.simJob->progress() : (simFresh ? 1.0 : 0.0)},
                       {"complete", simFresh},
                       {"trials", simFresh ? c.sim.trials : 0},
                       {"payout_p50", simFresh ? moneyToMajor(c.sim.payoutP50) : 0.0},
                       {"cost_of_sales_p50", simFresh ? c.sim.cosP50 : 0.0},
                       {"prob_exceed_budget", simFresh ? c.sim.probExceedBudget : 0.0},
                       {"share_at_ote", simFresh ? c.sim.shareAtOte : 0.0},
                       {"ms", simFresh ? c.simMs : 0.0},
                       {"compute_ms", simFresh ? c.simComputeMs : 0.0},
                       {"reps", simFresh ? c.sim.reps : 0},
                       {"seed", app.workspace().active().quota.seed},
                       {"expected_cost_of_sales", simFresh ? c.sim.expectedCostOfSales : 0.0},
                       {"spiffs_mean", simFresh ? c.sim.spiffMean / 100.0 : 0.0},
                       {"clawbacks_mean", simFresh ? c.sim.clawbackMean / 100.0 : 0.0},
                       {"draws_mean", simFresh ? c.sim.drawMean / 100.0 : 0.0},
                       {"assumptions", simFresh ? c.sim.assumptions.text : std::string()}};
    j["solve"] = {{"running", static_cast<bool>(c.solveJob)},
                  {"target", c.solveTarget},
                  {"parameter", solveParameterName(static_cast<SolveParameter>(c.solveParam))},
                  {"complete", c.solvedValid},
                  {"fresh", c.solvedValid && c.solvedVersion == c.version && c.solvedPlan == c.plan},
                  {"ok", c.solvedValid && c.solved.ok},
                  {"value", c.solvedValid ? c.solved.value : 0.0},
                  {"cost_of_sales", c.solvedValid ? c.solved.costOfSales : 0.0},
                  {"iterations", c.solvedValid ? c.solved.iterations : 0},
                  {"message", c.solvedValid ? c.solved.message : std::string()}};
    if (c.solvedValid) j["solve"]["plan"] = planToJson(c.solved.plan);
    if (c.comparedA >= 0)
        j["comparison"] = {{"a", c.comparedA}, {"b", c.comparedB}, {"total_a", moneyToMajor(c.comparison.totalA)},
                           {"total_b", moneyToMajor(c.comparison.totalB)}, {"winners", c.comparison.winners},
                           {"losers", c.comparison.losers}};
    return j.dump();
}

} // namespace terrane
