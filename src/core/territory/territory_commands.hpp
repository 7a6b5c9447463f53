// The territory plan's commands: moving accounts, locks, and the territory hierarchy. Each is
// validated and applied by core (see core/scenario/command.hpp for what every command provides).
#pragma once

#include "core/scenario/command.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace terrane::territory {

// Moves accounts to one territory (-1 unassigns). `previous` is filled when applied.
struct ReassignAccounts {
    TERRANE_COMMAND(ReassignAccounts, "reassign_accounts", CommandDomain::Territory);
    std::vector<std::uint32_t> accounts;
    std::int32_t to = -1;
    std::vector<std::int32_t> previous;
    void movedAccounts(std::vector<std::uint32_t>& out) const;
    std::size_t auditAccounts() const { return accounts.size(); }
};

// Sets many accounts' territories at once (an optimiser plan or a rebalance proposal).
struct ApplyAssignment {
    TERRANE_COMMAND(ApplyAssignment, "apply_assignment", CommandDomain::Territory);
    std::vector<std::uint32_t> accounts;
    std::vector<std::int32_t> to;
    std::string source; // "optimiser (seed 7)", "rebalance"
    std::vector<std::int32_t> previous;
    void movedAccounts(std::vector<std::uint32_t>& out) const;
    std::size_t auditAccounts() const { return accounts.size(); }
};

struct SetLocked {
    TERRANE_COMMAND(SetLocked, "set_locked", CommandDomain::Territory);
    std::vector<std::uint32_t> accounts;
    bool locked = true;
    std::vector<std::uint8_t> previous;
    void movedAccounts(std::vector<std::uint32_t>& out) const { out.clear(); }
    std::size_t auditAccounts() const { return accounts.size(); }
};

struct CreateTerritory {
    TERRANE_COMMAND(CreateTerritory, "create_territory", CommandDomain::Territory);
    std::string id, name, parentId, owner;
    std::string level = "territory";
    std::int32_t row = -1; // filled when applied
};

// Several new leaf territories at once with the accounts placed in them: territories from the
// reps, from the values of a column or numbered ones (core/territory/planning.hpp drafts them).
// One undo step. `to` indexes `territories`, so the log does not depend on row numbers.
struct NewTerritory {
    std::string id, name, owner;
};
struct CreateTerritories {
    TERRANE_COMMAND(CreateTerritories, "create_territories", CommandDomain::Territory);
    std::vector<NewTerritory> territories;
    std::vector<std::uint32_t> accounts; // accounts placed in a new territory
    std::vector<std::int32_t> to;        // per account: index into `territories`
    std::string source;                  // "one per rep", "one per Region", "12 numbered"
    std::vector<std::int32_t> rows;      // territory rows made (filled when applied)
    std::vector<std::int32_t> previous;
    void movedAccounts(std::vector<std::uint32_t>& out) const;
    std::size_t auditAccounts() const { return accounts.size(); }
};

struct RenameTerritory {
    TERRANE_COMMAND(RenameTerritory, "rename_territory", CommandDomain::Territory);
    std::int32_t territory = -1;
    std::string name;
    std::string previous;
};

struct SetTerritoryOwner {
    TERRANE_COMMAND(SetTerritoryOwner, "set_territory_owner", CommandDomain::Territory);
    std::int32_t territory = -1;
    std::string owner; // rep id, "" for none
    std::string previous;
};

struct SetTerritoryColor {
    TERRANE_COMMAND(SetTerritoryColor, "set_territory_color", CommandDomain::Territory);
    std::int32_t territory = -1;
    std::int64_t color = -1; // 0xRRGGBB, -1 automatic
    std::int64_t previous = -1;
};

struct SetTerritoryParent {
    TERRANE_COMMAND(SetTerritoryParent, "set_territory_parent", CommandDomain::Territory);
    std::int32_t territory = -1;
    std::string parentId;
    std::string previous;
};

// Moves every account of `from` into `into` and deletes `from`.
struct MergeTerritories {
    TERRANE_COMMAND(MergeTerritories, "merge_territories", CommandDomain::Territory);
    std::int32_t from = -1, into = -1;
    std::vector<std::uint32_t> moved;
    void movedAccounts(std::vector<std::uint32_t>& out) const { out = moved; }
    std::size_t auditAccounts() const { return moved.size(); }
};

// Deletes a territory; its accounts become unassigned.
struct DeleteTerritory {
    TERRANE_COMMAND(DeleteTerritory, "delete_territory", CommandDomain::Territory);
    std::int32_t territory = -1;
    std::vector<std::uint32_t> unassigned;
    void movedAccounts(std::vector<std::uint32_t>& out) const { out = unassigned; }
    std::size_t auditAccounts() const { return unassigned.size(); }
};

} // namespace terrane::territory
