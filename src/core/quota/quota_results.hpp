// The quota figures a scenario file records and compares: the headline quota results saved with
// each scenario, and the quota part of `terrane scenario diff`.
#pragma once

#include "core/scenario/command_json.hpp"

namespace terrane {
class Workspace;
struct Scenario;
} // namespace terrane

namespace terrane::quota {

// {target, reps, held, method, reconciled} in major units; null when the scenario sets no target.
Json quotaResultsJson(const Workspace& ws, const Scenario& sc);
// {target, reps_total, reps_changed, regions, reps} between two scenarios; null when neither sets
// a target and their set-ups are equal.
Json quotaDiffJson(const Workspace& a, const Scenario& sa, const Workspace& b, const Scenario& sb);

} // namespace terrane::quota
