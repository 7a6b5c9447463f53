// Scenarios and the edits that make them: every change to a plan is a command that core
// validates and applies, which gives undo/redo, an audit log and scenario diffs.
//
// Index
//  [SECTION] commands   the closed set of plan edits (std::variant), each undoable
//  [SECTION] Scenario   a territory hierarchy + assignment + locks, built from commands
//  [SECTION] apply      execute / undo / redo with validation and audit entries
#pragma once

#include "core/quota/quota_plan.hpp"
#include "core/table.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace terrane {

class Workspace;

// [SECTION] commands
// Moves accounts to one territory (-1 unassigns). `previous` is filled when applied.
struct ReassignAccounts {
    std::vector<std::uint32_t> accounts;
    std::int32_t to = -1;
    std::vector<std::int32_t> previous;
};
// Sets many accounts' territories at once (an optimiser plan or a rebalance proposal).
struct ApplyAssignment {
    std::vector<std::uint32_t> accounts;
    std::vector<std::int32_t> to;
    std::string source; // "optimiser (seed 7)", "rebalance"
    std::vector<std::int32_t> previous;
};
struct SetLocked {
    std::vector<std::uint32_t> accounts;
    bool locked = true;
    std::vector<std::uint8_t> previous;
};
struct CreateTerritory {
    std::string id, name, parentId, owner;
    std::string level = "territory";
    std::int32_t row = -1; // filled when applied
};
struct RenameTerritory {
    std::int32_t territory = -1;
    std::string name;
    std::string previous;
};
struct SetTerritoryOwner {
    std::int32_t territory = -1;
    std::string owner; // rep id, "" for none
    std::string previous;
};
struct SetTerritoryColor {
    std::int32_t territory = -1;
    std::int64_t color = -1; // 0xRRGGBB, -1 automatic
    std::int64_t previous = -1;
};
struct SetTerritoryParent {
    std::int32_t territory = -1;
    std::string parentId;
    std::string previous;
};
// Moves every account of `from` into `into` and deletes `from`.
struct MergeTerritories {
    std::int32_t from = -1, into = -1;
    std::vector<std::uint32_t> moved;
};
// Deletes a territory; its accounts become unassigned.
struct DeleteTerritory {
    std::int32_t territory = -1;
    std::vector<std::uint32_t> unassigned;
};

// Quota and capacity set-up (Scenario::quota, Scenario::capacity). `previous` is filled when applied.
struct SetQuotaTarget {
    Money target = 0;
    int planYear = 0; // 0: automatic
    Money previous = 0;
    int previousYear = 0;
};
struct SetQuotaSeasonality {
    std::vector<double> weights; // 4 or 12
    std::vector<double> previous;
};
struct SetQuotaOverAssign {
    QuotaLevel level = QuotaLevel::Territory; // Region, District or Territory
    std::int64_t ppm = 0;
    std::int64_t previous = 0;
};
struct SetQuotaMethod {
    AllocationSettings allocation;
    AllocationSettings previous;
};
// Locks `node` (a territory, district or region id) at `amount`; no amount unlocks it.
struct SetQuotaOverride {
    std::string node;
    std::optional<Money> amount;
    std::optional<Money> previous;
};
struct SetQuotaRounding {
    Money unit = 100;
    RemainderPolicy remainder = RemainderPolicy::Largest;
    Money previousUnit = 100;
    RemainderPolicy previousRemainder = RemainderPolicy::Largest;
};
struct SetQuotaVacancy {
    VacancyPolicy policy = VacancyPolicy::Allocate;
    VacancyPolicy previous = VacancyPolicy::Allocate;
};
struct SetQuotaSimulation {
    std::uint64_t seed = 1;
    std::uint32_t trials = 2000;
    std::uint64_t previousSeed = 1;
    std::uint32_t previousTrials = 2000;
};
struct SetCapacityPlan {
    CapacityPlan plan;
    CapacityPlan previous;
};

using Command = std::variant<ReassignAccounts, ApplyAssignment, SetLocked, CreateTerritory, RenameTerritory,
                             SetTerritoryOwner, SetTerritoryColor, SetTerritoryParent, MergeTerritories, DeleteTerritory,
                             SetQuotaTarget, SetQuotaSeasonality, SetQuotaOverAssign, SetQuotaMethod, SetQuotaOverride,
                             SetQuotaRounding, SetQuotaVacancy, SetQuotaSimulation, SetCapacityPlan>;

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
    QuotaPlan quota;                      // quota set-up (core/quota/allocate.hpp computes it)
    CapacityPlan capacity;                // capacity set-up (core/quota/capacity.hpp)
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
// True for commands that change only the quota or capacity set-up (no account or territory).
bool isQuotaCommand(const Command& cmd);

} // namespace terrane
