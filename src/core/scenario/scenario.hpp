// Scenarios and the edits that make them: every change to a plan is a command that core
// validates and applies, which gives undo/redo, an audit log and scenario diffs.
//
// Index
//  [SECTION] commands   the closed set of plan edits (std::variant), each owned by its domain
//  [SECTION] Scenario   a territory hierarchy + assignment + locks, built from commands
//  [SECTION] apply      execute / undo / redo with validation and audit entries
#pragma once

#include "core/comp/comp_commands.hpp"
#include "core/forecast/forecast_commands.hpp"
#include "core/quota/quota_commands.hpp"
#include "core/quota/quota_plan.hpp"
#include "core/territory/territory_commands.hpp"
#include "core/data/table.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace terrane {

class Workspace;

// [SECTION] commands
// Each domain owns its commands (apply, undo, description, JSON); adding one is one struct in its
// domain's file plus one line here. Every use dispatches with std::visit over core/scenario/command.hpp's
// interface, so a command missing any part does not compile.
using Command = std::variant<
    // core/territory/territory_commands.hpp
    territory::ReassignAccounts, territory::ApplyAssignment, territory::SetLocked, territory::CreateTerritory,
    territory::CreateTerritories,
    territory::RenameTerritory, territory::SetTerritoryOwner, territory::SetTerritoryColor, territory::SetTerritoryParent,
    territory::MergeTerritories, territory::DeleteTerritory,
    // core/quota/quota_commands.hpp
    quota::SetQuotaTarget, quota::SetQuotaSeasonality, quota::SetQuotaOverAssign, quota::SetQuotaMethod, quota::SetQuotaOverride,
    quota::SetQuotaRounding, quota::SetQuotaVacancy, quota::SetQuotaSimulation, quota::SetCapacityPlan,
    // core/comp/comp_commands.hpp
    comp::SetCompPlan, comp::RemoveCompPlan, comp::SetCompSettings,
    // core/forecast/forecast_commands.hpp
    forecast::SaveForecast>;

struct AuditEntry {
    std::int64_t timeMs = 0;    // Unix time in milliseconds when applied
    std::string description;    // "Moved 42 accounts to Chicago"
    std::uint64_t accounts = 0; // accounts affected
    Money potentialMoved = 0;   // potential of accounts that changed territory
    Money arrMoved = 0;
    std::string note;
};

struct CommandRecord {
    Command command;
    AuditEntry audit;
};

// [SECTION] Scenario
struct Scenario {
    std::string name;
    std::uint64_t seed = 1;
    std::string origin = "baseline"; // how it was made: "baseline", "copy of Baseline", "optimiser"
    // This scenario's own territory hierarchy: territory_id, name, level, parent_id, owner,
    // color (I64, -1 automatic), deleted (Bool). Rows are never removed, so indices are stable.
    Table territories;
    std::vector<std::int32_t> assignment; // account row -> territories row, -1 unassigned
    std::vector<std::uint8_t> locked;     // account row -> 1 locked
    quota::QuotaPlan quota;                      // quota set-up (core/quota/allocate.hpp computes it)
    quota::CapacityPlan capacity;                // capacity set-up (core/quota/capacity.hpp)
    comp::CompSetup comp;                        // commission plans (core/comp/comp_setup.hpp)
    std::optional<forecast::SavedForecast> forecast; // the forecast saved with the plan (forecast_commands.hpp)
    std::vector<CommandRecord> log;       // applied commands; [0, cursor) are in effect
    std::size_t cursor = 0;

    // Rows of assignable territories: level "territory" (or blank) and not deleted.
    std::vector<std::int32_t> leaves() const;
    bool isDeleted(std::int32_t territory) const;
    std::string_view territoryName(std::int32_t territory) const;
    std::string_view territoryId(std::int32_t territory) const;
    std::optional<std::int32_t> territoryRow(std::string_view id) const;
    bool canUndo() const { return cursor > 0; }
    bool canRedo() const { return cursor < log.size(); }
};

// Adds the scenario-only columns (color, deleted) to a copy of a territories table.
Table makeScenarioTerritories(const Table& source);

// [SECTION] apply
struct CommandResult {
    bool ok = false;
    std::string error; // why it was refused
};

// Validates and applies `cmd` to `sc`, recording it (with an audit entry) and dropping any redo
// tail. Locked accounts are refused by ReassignAccounts / ApplyAssignment unless `force`.
CommandResult execute(const Workspace& ws, Scenario& sc, Command cmd, std::string note = {}, bool force = false);
bool undo(const Workspace& ws, Scenario& sc);
bool redo(const Workspace& ws, Scenario& sc);
// A one-line description of a command ("Move 42 accounts to Chicago").
std::string describe(const Scenario& sc, const Command& cmd);
const char* commandName(const Command& cmd); // "reassign_accounts", ...
CommandDomain commandDomain(const Command& cmd);
// True for commands that change only the quota or capacity set-up (no account or territory).
inline bool isQuotaCommand(const Command& cmd) { return commandDomain(cmd) == CommandDomain::Quota; }
// True for commands that change only the compensation set-up.
inline bool isCompCommand(const Command& cmd) { return commandDomain(cmd) == CommandDomain::Comp; }
// The command log's JSON object of one command (its "type" and fields), and back. The reader
// throws JsonFieldError naming the path; an unknown type is an error.
void writeCommand(Json& j, const Scenario& sc, const Command& cmd);
Command readCommand(const CommandReader& r);

} // namespace terrane
