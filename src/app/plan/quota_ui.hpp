// UI state of the quota and capacity panels: edit buffers, the figures derived from the active
// scenario (recomputed when UiState::dataVersion changes), the attainment simulation job, and
// the capacity what-if draft.
#pragma once

#include "app/job_handle.hpp"
#include "core/quota/allocate.hpp"
#include "core/quota/capacity.hpp"
#include "core/quota/compare.hpp"
#include "core/quota/fairness.hpp"
#include "core/quota/simulate.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace terrane {

class App;

struct QuotaUi {
    bool showQuota = false;
    bool showCapacity = false;
    int tabRequest = -1; // 0 allocation, 1 fairness, 2 attainment, 3 compare
    int tab = 0;         // the tab shown in the last frame
    // Figures of the active scenario, for dataVersion `version`.
    std::uint64_t version = ~0ull;
    std::shared_ptr<const quota::QuotaResult> result;
    quota::Fairness fairness;
    // Attainment simulation: the job in flight and the last completed result, for plan version
    // `simVersion`.
    JobHandle<quota::SimulationJob> simJob;
    std::uint64_t jobVersion = ~0ull;
    std::shared_ptr<const quota::SimModel> simModel;
    quota::SimResult sim;
    double simComputeMs = 0; // time the last completed run spent computing (all slices)
    std::uint64_t simVersion = ~0ull;
    // Capacity what-if: a draft of the scenario's capacity plan that the controls change live.
    quota::CapacityPlan draft;
    bool draftValid = false;
    quota::CapacityPlan draftBase;              // the scenario's plan the draft started from
    std::size_t draftScenario = ~std::size_t{0};
    quota::CapacityInputs capacityInputs;
    quota::CapacityResult capacity;
    // Scenario comparison, cached for (a, b, version).
    int compareA = 0, compareB = -1;
    std::uint64_t compareVersion = ~0ull;
    int comparedA = -1, comparedB = -1;
    std::shared_ptr<const quota::QuotaComparison> comparison;
    // Edit buffers (synchronised from the plan while the widget is not active).
    char targetText[32] = {};
    bool targetActive = false;
    float overAssign[3] = {0, 0, 0};
    bool overAssignActive[3] = {false, false, false};
    float blend[3] = {50, 50, 0};
    bool blendActive = false;
    float seasonality[12] = {};
    bool seasonalityActive = false;
    int trials = 2000, seed = 1;
    std::string selectedNode;
    char overrideText[32] = {};
    std::string overrideFor; // node the override buffer was filled for
    float fairnessThreshold = 0.25f;
};

// The quota plan of the active scenario (recomputed after any change); (re)starts the attainment
// simulation when the plan changed.
const quota::QuotaResult& refreshQuotas(App& app);
// The capacity plan for the current draft (recomputed when the draft or the scenario changed).
const quota::CapacityResult& refreshCapacity(App& app);
// Quota figures, simulation state and widget rectangles as JSON, for tests.
std::string quotaStateJson(const App& app);

} // namespace terrane
