// The quota panels' derived figures: recomputation on change, the attainment simulation job,
// the capacity draft, and the JSON the page's test hook reads.
#include "app/app.hpp"
#include "platform/platform.hpp"

#include <imgui.h>
#include <nlohmann/json.hpp>

namespace terrane {
using namespace quota;

namespace {
void startSimulation(App& app) {
    QuotaUi& q = app.ui().quota;
    if (q.simJob) {
        q.simJob->cancel(); // its completion is ignored: it belongs to an older plan
        q.simJob.reset();
    }
    const Workspace& ws = app.workspace();
    const Scenario& sc = ws.active();
    if (!q.result || !q.result->ok || q.result->target <= 0) return;
    auto model =
        std::make_shared<const SimModel>(buildSimModel(ws, sc, *q.result, sc.quota.seed, sc.quota.trials));
    q.simModel = model;
    auto job = std::make_shared<SimulationJob>(model);
    q.simJob = job;
    q.jobVersion = q.version;
    const std::uint64_t version = q.version;
    app.startJob(std::move(job), [&app, version](Job& j) {
        QuotaUi& qq = app.ui().quota;
        auto& sj = static_cast<SimulationJob&>(j);
        if (j.cancelled() || version != qq.version || !sj.result().complete) return;
        qq.sim = sj.result();
        qq.simComputeMs = sj.computeMs();
        qq.simVersion = version;
        platform::requestFrame();
    });
}
} // namespace

const QuotaResult& refreshQuotas(App& app) {
    UiState& ui = app.ui();
    QuotaUi& q = ui.quota;
    if (!q.result || q.version != ui.dataVersion) {
        const Workspace& ws = app.workspace();
        auto r = std::make_shared<const QuotaResult>(computeQuotas(ws, ws.active()));
        q.fairness = assessFairness(*r, q.fairnessThreshold);
        q.result = r;
        q.version = ui.dataVersion;
        startSimulation(app);
    }
    return *q.result;
}

const CapacityResult& refreshCapacity(App& app) {
    UiState& ui = app.ui();
    QuotaUi& q = ui.quota;
    const QuotaResult& r = refreshQuotas(app);
    const Workspace& ws = app.workspace();
    // The draft follows the scenario when its saved plan changes (a save, undo, another
    // scenario); unsaved what-if changes survive any other edit.
    const Scenario& sc = ws.active();
    if (!q.draftValid || q.draftScenario != ws.activeScenario || !(q.draftBase == sc.capacity)) {
        q.draft = sc.capacity;
        q.draftBase = sc.capacity;
        q.draftScenario = ws.activeScenario;
        q.draftValid = true;
    }
    q.capacityInputs = capacityInputsFrom(ws, sc.quota, q.draft, r);
    q.capacity = planCapacity(q.capacityInputs);
    return q.capacity;
}

std::string quotaStateJson(const App& app) {
    const UiState& ui = app.ui();
    const QuotaUi& q = ui.quota;
    nlohmann::ordered_json j;
    const Scenario& sc = app.workspace().active();
    j["open"] = q.showQuota;
    j["capacity_open"] = q.showCapacity;
    j["tab"] = q.tab;
    j["target"] = moneyToMajor(sc.quota.target);
    j["method"] = quotaMethodName(sc.quota.allocation.method);
    j["over_assign"] = {static_cast<double>(sc.quota.overAssignPpm[0]) / 1e6,
                        static_cast<double>(sc.quota.overAssignPpm[1]) / 1e6,
                        static_cast<double>(sc.quota.overAssignPpm[2]) / 1e6};
    j["rounding_unit"] = moneyToMajor(sc.quota.roundingUnit);
    j["remainder"] = remainderPolicyName(sc.quota.remainder);
    j["vacancy"] = vacancyPolicyName(sc.quota.vacancy);
    j["seasonality"] = sc.quota.seasonality;
    nlohmann::ordered_json ov = nlohmann::ordered_json::array();
    for (const QuotaOverride& o : sc.quota.overrides)
        ov.push_back({{"node", o.node}, {"amount", moneyToMajor(o.amount)}});
    j["overrides"] = ov;
    j["selected_node"] = q.selectedNode;
    const bool fresh = q.result && q.version == ui.dataVersion;
    j["fresh"] = fresh;
    if (q.result) {
        const QuotaResult& r = *q.result;
        j["ok"] = r.ok;
        j["totals"] = {{"target", moneyToMajor(r.target)},
                       {"territories", moneyToMajor(r.leafTotal)},
                       {"reps", moneyToMajor(r.repTotal)},
                       {"held", moneyToMajor(r.heldTotal)},
                       {"expected", moneyToMajor(r.expectedLeafTotal)},
                       {"reconciled", r.reconciled}};
        nlohmann::ordered_json reps = nlohmann::ordered_json::array();
        for (const RepQuota& rq : r.reps) {
            nlohmann::ordered_json ts = nlohmann::ordered_json::array();
            for (std::int32_t t : rq.territories) ts.push_back(r.tree.nodes[static_cast<std::size_t>(t)].id);
            reps.push_back({{"rep_id", rq.repId},
                            {"territories", ts},
                            {"quota", moneyToMajor(rq.quota)},
                            {"basis", rq.basis}});
        }
        j["reps"] = reps;
        nlohmann::ordered_json issues = nlohmann::ordered_json::array();
        for (const QuotaIssue& i : r.issues)
            if (i.severity != QuotaIssue::Severity::Info)
                issues.push_back({{"code", i.code}, {"node", i.node}, {"message", i.message}});
        j["issues"] = issues;
        j["fairness"] = {{"cv_potential", q.fairness.potential.cv},
                         {"gini_potential", q.fairness.potential.gini},
                         {"outliers", q.fairness.outliers}};
    }
    const bool simFresh = fresh && q.simVersion == q.version && q.sim.complete;
    j["simulation"] = {{"running", static_cast<bool>(q.simJob)},
                       {"progress", q.simJob ? q.simJob->progress() : (simFresh ? 1.0 : 0.0)},
                       {"complete", simFresh},
                       {"seed", sc.quota.seed},
                       {"trials", sc.quota.trials},
                       {"share_reps_at_or_above_100", simFresh ? q.sim.shareAtQuota : 0.0},
                       {"expected_total", simFresh ? q.sim.expectedTotal / 100.0 : 0.0},
                       {"reps", simFresh && q.simModel ? q.simModel->reps.size() : 0},
                       {"compute_ms", simFresh ? q.simComputeMs : 0.0},
                       {"fingerprint", simFresh ? [&] {
                            char buf[20];
                            std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(q.sim.fingerprint));
                            return std::string(buf);
                        }()
                                                : std::string()}};
    if (q.capacity.ok) {
        const CapacityInputs& in = q.capacityInputs;
        j["capacity"] = {{"reps_needed", q.capacity.repsNeeded},
                         {"hires_at_start", q.capacity.hiresAtStart},
                         {"starting_headcount", q.capacity.startingHeadcount},
                         {"annual_capacity", moneyToMajor(q.capacity.annualCapacity)},
                         {"reps_needed_formula", q.capacity.repsNeededFormula},
                         {"target", moneyToMajor(in.target)},
                         {"productivity", moneyToMajor(in.productivity)},
                         {"ramp", in.ramp},
                         {"ramp_step_months", in.rampStepMonths},
                         {"attrition", in.attrition},
                         {"time_to_hire_months", in.timeToHireMonths},
                         {"saved", q.draft == app.workspace().active().capacity},
                         {"warnings", q.capacity.warnings}};
    }
    return j.dump();
}

} // namespace terrane
