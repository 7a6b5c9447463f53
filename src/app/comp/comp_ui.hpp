// UI state of the Compensation panel (Plan > Compensation...): the plan being edited (a draft the
// widgets change live; a finished edit becomes a command), the figures derived from the active
// scenario (recomputed when UiState::dataVersion or the plan changes), the comparison of two
// plans, the cost simulation job and solving for the plan.
#pragma once

#include "app/job_handle.hpp"
#include "core/comp/checks.hpp"
#include "core/comp/comp_setup.hpp"
#include "core/comp/model.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace terrane {

class App;

struct CompUi {
    bool show = false;
    int tab = 0;         // 0 plan, 1 payouts, 2 compare, 3 cost simulation (shown last frame)
    int tabRequest = -1;
    int plan = 0;        // the plan shown, an index into the scenario's plans
    // The set-up in use: the scenario's, or the starting plan while the scenario has none.
    comp::CompSetup setup;
    bool starter = false; // `setup` is the starting plan, not yet in the scenario
    // The draft of plan `plan`: the editor's widgets change it; it follows the scenario when the
    // saved plan changes and no widget is being edited.
    comp::Plan draft, draftBase;
    bool draftValid = false;
    bool editing = false; // a widget of the editor was active last frame
    // Figures of the saved plan for dataVersion `version`.
    std::uint64_t version = ~0ull;
    int computedPlan = -1;
    std::shared_ptr<const comp::PayoutInputs> inputs;
    comp::PlanPayouts payouts;
    std::vector<comp::PlanCheck> checks;
    std::string error;    // why there are no payouts (a missing column, no quotas)
    bool noQuotas = false; // the scenario has no quota target yet
    // Payouts drill-down.
    int rep = -1, line = -1;
    char repFilter[64] = {};
    // Comparison of plans a and b (indices), for (version, a, b).
    int compareA = 0, compareB = 1;
    std::uint64_t compareVersion = ~0ull;
    int comparedA = -1, comparedB = -1;
    comp::PlanComparison comparison;
    comp::Attribution attribution;
    int whyRep = -1;
    // Cost simulation of the saved plan for `simVersion`; the job in flight was started for
    // `jobVersion`.
    JobHandle<comp::CostSimulationJob> simJob;
    std::uint64_t jobVersion = ~0ull, simVersion = ~0ull;
    comp::CostSimResult sim;
    double simMs = 0, simComputeMs = 0; // wall time from start; time spent computing (all slices)
    // Solve for the plan (cost simulation tab): the target expected cost of sales, what is solved
    // for (comp::SolveParameter), the job in flight and the result for (solvedVersion, solvedPlan).
    double solveTarget = 0; // 0.12 = 12%; 0 until set (the field then offers the simulated cost)
    int solveParam = 0;
    JobHandle<comp::SolveJob> solveJob;
    comp::SolveResult solved;
    bool solvedValid = false;
    std::uint64_t solvedVersion = ~0ull;
    int solvedPlan = -1, solvedParam = 0;
    double solvedTarget = 0;
    // Edit buffers.
    char tiText[32] = {}, budgetText[32] = {};
    bool tiActive = false, budgetActive = false;
};

// The set-up, draft and figures of the active scenario's plan `CompUi::plan` (recomputed after
// any change); returns the payouts (empty when the inputs could not be built).
const comp::PlanPayouts& refreshComp(App& app);
// Applies the draft as a command (the starting plan is added to the scenario first, with its
// default target incentive).
void commitCompDraft(App& app);
// Starts the cost simulation when the saved plan changed since the last one (needs the quota
// panel's attainment model).
void refreshCompSimulation(App& app);
// Starts solving plan `CompUi::plan` for `solveParam` and `solveTarget` (a job: the attainment
// simulation with every rep-trial kept, then the bisection).
void startCompSolve(App& app);
// Applies the solved plan as a command (undoable); false when the result is stale or refused.
bool applyCompSolve(App& app);
// The comparison of plans compareA and compareB (recomputed when either or the data changed).
void refreshCompComparison(App& app);
// True when individual payouts must be hidden (an opened file's rep names are redacted).
bool compPayoutsHidden(const App& app);
// Plan, payouts, checks, simulation and comparison as JSON, for tests.
std::string compStateJson(const App& app);

} // namespace terrane

namespace terrane {
// The panel's parts, one file each (drawn inside panel_comp.cpp's window).
void drawCompEditor(App& app);     // comp_editor.cpp: the plan editor, the payout curve, the checks
void drawCompPayouts(App& app);    // comp_payouts.cpp: payouts per rep, their lines and deals
void drawCompCompare(App& app);    // comp_compare.cpp: two plans side by side, why pay changed
void drawCompSimulation(App& app); // comp_simulation.cpp: the plan's cost under uncertainty
} // namespace terrane
