// What changed between two workspaces' plans (`terrane scenario diff`): scenarios matched by name,
// accounts whose territory differs, per-territory account and potential deltas, and quotas.
#pragma once

#include "core/scenario/workspace.hpp"

#include <string>

namespace terrane {

// One JSON object: {same_accounts, scenarios: [{scenario, accounts_in_different_territories,
// examples, territories, max_deviation_potential, accounts_moved_vs_baseline, quota} or
// {scenario, only_in}]}. Accounts are matched by id.
std::string scenarioDiffJson(const Workspace& a, const Workspace& b);

} // namespace terrane
