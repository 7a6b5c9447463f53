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
    static constexpr const char* kName = "reassign_accounts";
    static constexpr CommandDomain kDomain = CommandDomain::Territory;
    std::vector<std::uint32_t> accounts;
    std::int32_t to = -1;
    std::vector<std::int32_t> previous;

    std::string apply(const CommandContext& ctx, Scenario& sc);
    void undo(Scenario& sc) const;
    std::string describe(const Scenario& sc) const;
    void write(Json& j, const Scenario& sc) const;
    static ReassignAccounts read(const CommandReader& r);
    void movedAccounts(std::vector<std::uint32_t>& out) const;
    std::size_t auditAccounts() const { return accounts.size(); }
};

// Sets many accounts' territories at once (an optimiser plan or a rebalance proposal).
struct ApplyAssignment {
    static constexpr const char* kName = "apply_assignment";
    static constexpr CommandDomain kDomain = CommandDomain::Territory;
    std::vector<std::uint32_t> accounts;
    std::vector<std::int32_t> to;
    std::string source; // "optimiser (seed 7)", "rebalance"
    std::vector<std::int32_t> previous;

    std::string apply(const CommandContext& ctx, Scenario& sc);
    void undo(Scenario& sc) const;
    std::string describe(const Scenario& sc) const;
    void write(Json& j, const Scenario& sc) const;
    static ApplyAssignment read(const CommandReader& r);
    void movedAccounts(std::vector<std::uint32_t>& out) const;
    std::size_t auditAccounts() const { return accounts.size(); }
};

struct SetLocked {
    static constexpr const char* kName = "set_locked";
    static constexpr CommandDomain kDomain = CommandDomain::Territory;
    std::vector<std::uint32_t> accounts;
    bool locked = true;
    std::vector<std::uint8_t> previous;

    std::string apply(const CommandContext& ctx, Scenario& sc);
    void undo(Scenario& sc) const;
    std::string describe(const Scenario& sc) const;
    void write(Json& j, const Scenario& sc) const;
    static SetLocked read(const CommandReader& r);
    void movedAccounts(std::vector<std::uint32_t>& out) const { out.clear(); }
    std::size_t auditAccounts() const { return accounts.size(); }
};

struct CreateTerritory {
    static constexpr const char* kName = "create_territory";
    static constexpr CommandDomain kDomain = CommandDomain::Territory;
    std::string id, name, parentId, owner;
    std::string level = "territory";
    std::int32_t row = -1; // filled when applied

    std::string apply(const CommandContext& ctx, Scenario& sc);
    void undo(Scenario& sc) const;
    std::string describe(const Scenario& sc) const;
    void write(Json& j, const Scenario& sc) const;
    static CreateTerritory read(const CommandReader& r);
};

struct RenameTerritory {
    static constexpr const char* kName = "rename_territory";
    static constexpr CommandDomain kDomain = CommandDomain::Territory;
    std::int32_t territory = -1;
    std::string name;
    std::string previous;

    std::string apply(const CommandContext& ctx, Scenario& sc);
    void undo(Scenario& sc) const;
    std::string describe(const Scenario& sc) const;
    void write(Json& j, const Scenario& sc) const;
    static RenameTerritory read(const CommandReader& r);
};

struct SetTerritoryOwner {
    static constexpr const char* kName = "set_territory_owner";
    static constexpr CommandDomain kDomain = CommandDomain::Territory;
    std::int32_t territory = -1;
    std::string owner; // rep id, "" for none
    std::string previous;

    std::string apply(const CommandContext& ctx, Scenario& sc);
    void undo(Scenario& sc) const;
    std::string describe(const Scenario& sc) const;
    void write(Json& j, const Scenario& sc) const;
    static SetTerritoryOwner read(const CommandReader& r);
};

struct SetTerritoryColor {
    static constexpr const char* kName = "set_territory_color";
    static constexpr CommandDomain kDomain = CommandDomain::Territory;
    std::int32_t territory = -1;
    std::int64_t color = -1; // 0xRRGGBB, -1 automatic
    std::int64_t previous = -1;

    std::string apply(const CommandContext& ctx, Scenario& sc);
    void undo(Scenario& sc) const;
    std::string describe(const Scenario& sc) const;
    void write(Json& j, const Scenario& sc) const;
    static SetTerritoryColor read(const CommandReader& r);
};

struct SetTerritoryParent {
    static constexpr const char* kName = "set_territory_parent";
    static constexpr CommandDomain kDomain = CommandDomain::Territory;
    std::int32_t territory = -1;
    std::string parentId;
    std::string previous;

    std::string apply(const CommandContext& ctx, Scenario& sc);
    void undo(Scenario& sc) const;
    std::string describe(const Scenario& sc) const;
    void write(Json& j, const Scenario& sc) const;
    static SetTerritoryParent read(const CommandReader& r);
};

// Moves every account of `from` into `into` and deletes `from`.
struct MergeTerritories {
    static constexpr const char* kName = "merge_territories";
    static constexpr CommandDomain kDomain = CommandDomain::Territory;
    std::int32_t from = -1, into = -1;
    std::vector<std::uint32_t> moved;

    std::string apply(const CommandContext& ctx, Scenario& sc);
    void undo(Scenario& sc) const;
    std::string describe(const Scenario& sc) const;
    void write(Json& j, const Scenario& sc) const;
    static MergeTerritories read(const CommandReader& r);
    void movedAccounts(std::vector<std::uint32_t>& out) const { out = moved; }
    std::size_t auditAccounts() const { return moved.size(); }
};

// Deletes a territory; its accounts become unassigned.
struct DeleteTerritory {
    static constexpr const char* kName = "delete_territory";
    static constexpr CommandDomain kDomain = CommandDomain::Territory;
    std::int32_t territory = -1;
    std::vector<std::uint32_t> unassigned;

    std::string apply(const CommandContext& ctx, Scenario& sc);
    void undo(Scenario& sc) const;
    std::string describe(const Scenario& sc) const;
    void write(Json& j, const Scenario& sc) const;
    static DeleteTerritory read(const CommandReader& r);
    void movedAccounts(std::vector<std::uint32_t>& out) const { out = unassigned; }
    std::size_t auditAccounts() const { return unassigned.size(); }
};

} // namespace terrane::territory
