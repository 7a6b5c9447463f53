// The territory plan's commands: validation, application, undo, descriptions, JSON.
//
// Index
//  [SECTION] ReassignAccounts
//  [SECTION] ApplyAssignment
//  [SECTION] SetLocked
//  [SECTION] CreateTerritory
//  [SECTION] CreateTerritories
//  [SECTION] RenameTerritory
//  [SECTION] SetTerritoryOwner
//  [SECTION] SetTerritoryColor
//  [SECTION] SetTerritoryParent
//  [SECTION] MergeTerritories
//  [SECTION] DeleteTerritory
#include "core/territory/territory_commands.hpp"

#include "core/base/format.hpp"
#include "core/scenario/scenario.hpp"
#include "core/scenario/workspace.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_set>

namespace terrane::territory {

namespace {
bool validTerritory(const Scenario& sc, std::int32_t t) {
    return t >= 0 && static_cast<std::size_t>(t) < sc.territories.rows() && !sc.isDeleted(t);
}

bool isLeaf(const Scenario& sc, std::int32_t t) {
    const std::string_view lv = sc.territories.str(sc.territories.indexOf("level"), static_cast<std::size_t>(t));
    return lv.empty() || lv == "territory";
}

void setStr(Scenario& sc, const char* col, std::int32_t row, std::string_view v) {
    sc.territories.find(col)->ids()[static_cast<std::size_t>(row)] = sc.territories.pool().intern(v);
}

std::string tn(const Scenario& sc, std::int32_t t) { return std::string(sc.territoryName(t)); }

std::string checkAccounts(const Scenario& sc, const std::vector<std::uint32_t>& accounts) {
    for (std::uint32_t a : accounts)
        if (a >= sc.assignment.size()) return "account row " + std::to_string(a) + " does not exist";
    return {};
}
} // namespace

// [SECTION] ReassignAccounts
std::string ReassignAccounts::apply(const CommandContext& ctx, Scenario& sc) {
    if (auto e = checkAccounts(sc, accounts); !e.empty()) return e;
    if (to != -1 && (!validTerritory(sc, to) || !isLeaf(sc, to))) return "the target is not a territory of this scenario";
    if (!ctx.force) {
        std::size_t lk = 0;
        for (std::uint32_t a : accounts) lk += sc.locked[a] ? 1 : 0;
        if (lk > 0) return fmt::countOf(lk, "selected account is", "selected accounts are") + " locked; unlock them first";
    }
    previous.resize(accounts.size());
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        previous[i] = sc.assignment[accounts[i]];
        sc.assignment[accounts[i]] = to;
    }
    return {};
}
void ReassignAccounts::undo(Scenario& sc) const {
    for (std::size_t i = accounts.size(); i-- > 0;) sc.assignment[accounts[i]] = previous[i];
}
std::string ReassignAccounts::describe(const Scenario& sc) const {
    return to < 0 ? "Unassign " + fmt::countOf(accounts.size(), "account", "accounts")
                  : "Move " + fmt::countOf(accounts.size(), "account", "accounts") + " to " + tn(sc, to);
}
void ReassignAccounts::write(Json& j, const Scenario& sc) const {
    j["accounts"] = accountRowsJson(accounts);
    j["to"] = to;
    j["to_id"] = to < 0 ? Json(nullptr) : Json(std::string(sc.territoryId(to)));
}
ReassignAccounts ReassignAccounts::read(const CommandReader& r) { return ReassignAccounts{r.accountRows("accounts"), r.territory("to", true), {}}; }
void ReassignAccounts::movedAccounts(std::vector<std::uint32_t>& out) const {
    out.clear();
    for (std::size_t i = 0; i < accounts.size(); ++i)
        if (previous[i] != to) out.push_back(accounts[i]);
}

// [SECTION] ApplyAssignment
std::string ApplyAssignment::apply(const CommandContext& ctx, Scenario& sc) {
    if (accounts.size() != to.size()) return "accounts and targets differ in length";
    if (auto e = checkAccounts(sc, accounts); !e.empty()) return e;
    for (std::int32_t t : to)
        if (t != -1 && (!validTerritory(sc, t) || !isLeaf(sc, t))) return "a target is not a territory of this scenario";
    if (!ctx.force) {
        std::size_t lk = 0;
        for (std::size_t i = 0; i < accounts.size(); ++i) lk += sc.locked[accounts[i]] && sc.assignment[accounts[i]] != to[i] ? 1 : 0;
        if (lk > 0) return fmt::countOf(lk, "locked account", "locked accounts") + " would move";
    }
    previous.resize(accounts.size());
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        previous[i] = sc.assignment[accounts[i]];
        sc.assignment[accounts[i]] = to[i];
    }
    return {};
}
void ApplyAssignment::undo(Scenario& sc) const {
    for (std::size_t i = accounts.size(); i-- > 0;) sc.assignment[accounts[i]] = previous[i];
}
std::string ApplyAssignment::describe(const Scenario&) const {
    std::size_t moved = 0;
    for (std::size_t i = 0; i < previous.size(); ++i) moved += previous[i] != to[i] ? 1 : 0;
    return "Apply " + (source.empty() ? std::string("plan") : source) + " (" +
           fmt::countOf(previous.empty() ? accounts.size() : moved, "account moves", "accounts move") + ")";
}
void ApplyAssignment::write(Json& j, const Scenario&) const {
    j["accounts"] = accountRowsJson(accounts);
    Json t = Json::array();
    for (auto x : to) t.push_back(x);
    j["to"] = std::move(t);
    j["source"] = source;
}
ApplyAssignment ApplyAssignment::read(const CommandReader& r) {
    ApplyAssignment c;
    c.accounts = r.accountRows("accounts");
    const Json& t = r.member("to");
    if (!t.is_array() || t.size() != c.accounts.size()) r.fail("to", "one territory per account");
    for (std::size_t i = 0; i < t.size(); ++i) c.to.push_back(r.territory(t[i], r.where() + ".to[" + std::to_string(i) + "]", true));
    c.source = r.text("source");
    return c;
}
void ApplyAssignment::movedAccounts(std::vector<std::uint32_t>& out) const {
    out.clear();
    for (std::size_t i = 0; i < accounts.size(); ++i)
        if (previous[i] != to[i]) out.push_back(accounts[i]);
}

// [SECTION] SetLocked
std::string SetLocked::apply(const CommandContext&, Scenario& sc) {
    if (auto e = checkAccounts(sc, accounts); !e.empty()) return e;
    previous.resize(accounts.size());
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        previous[i] = sc.locked[accounts[i]];
        sc.locked[accounts[i]] = locked ? 1 : 0;
    }
    return {};
}
void SetLocked::undo(Scenario& sc) const {
    for (std::size_t i = accounts.size(); i-- > 0;) sc.locked[accounts[i]] = previous[i];
}
std::string SetLocked::describe(const Scenario&) const {
    return std::string(locked ? "Lock " : "Unlock ") + fmt::countOf(accounts.size(), "account", "accounts");
}
void SetLocked::write(Json& j, const Scenario&) const {
    j["accounts"] = accountRowsJson(accounts);
    j["locked"] = locked;
}
SetLocked SetLocked::read(const CommandReader& r) { return SetLocked{r.accountRows("accounts"), r.boolean("locked"), {}}; }

// [SECTION] CreateTerritory
std::string CreateTerritory::apply(const CommandContext& ctx, Scenario& sc) {
    if (id.empty()) return "a territory needs an id";
    if (name.empty()) return "a territory needs a name";
    if (sc.territoryRow(id)) return "territory id '" + id + "' is already used";
    if (!parentId.empty() && !sc.territoryRow(parentId)) return "parent '" + parentId + "' does not exist";
    if (!owner.empty() && !ctx.ws.reps().rowOf(owner)) return "owner '" + owner + "' is not a known rep or seat";
    // A redo reuses the row it made the first time, so later commands still point at it.
    std::size_t r = sc.territories.rows();
    if (row >= 0 && static_cast<std::size_t>(row) < r && sc.isDeleted(row) && sc.territoryId(row).empty())
        r = static_cast<std::size_t>(row);
    else
        sc.territories.resize(r + 1);
    row = static_cast<std::int32_t>(r);
    setStr(sc, "territory_id", row, id);
    setStr(sc, "name", row, name);
    setStr(sc, "level", row, level);
    setStr(sc, "parent_id", row, parentId);
    setStr(sc, "owner", row, owner);
    sc.territories.find("color")->i64()[r] = -1;
    sc.territories.find("deleted")->u8()[r] = 0;
    sc.territories.buildIndex(sc.territories.indexOf("territory_id"));
    return {};
}
void CreateTerritory::undo(Scenario& sc) const {
    // The row stays (indices are stable) but is marked deleted and its id freed.
    sc.territories.find("deleted")->u8()[static_cast<std::size_t>(row)] = 1;
    setStr(sc, "territory_id", row, "");
    sc.territories.buildIndex(sc.territories.indexOf("territory_id"));
}
std::string CreateTerritory::describe(const Scenario&) const { return "Create " + level + " " + name; }
void CreateTerritory::write(Json& j, const Scenario&) const {
    j["id"] = id, j["name"] = name, j["parent_id"] = parentId, j["owner"] = owner, j["level"] = level;
}
CreateTerritory CreateTerritory::read(const CommandReader& r) {
    const std::string lv = r.text("level");
    return CreateTerritory{r.text("id", true), r.text("name", true), r.text("parent_id"), r.text("owner"), lv.empty() ? "territory" : lv, -1};
}

// [SECTION] CreateTerritories
std::string CreateTerritories::apply(const CommandContext& ctx, Scenario& sc) {
    if (territories.empty()) return "no territories to create";
    if (accounts.size() != to.size()) return "accounts and targets differ in length";
    if (auto e = checkAccounts(sc, accounts); !e.empty()) return e;
    std::unordered_set<std::string> ids;
    for (const NewTerritory& t : territories) {
        if (t.id.empty()) return "a territory needs an id";
        if (t.name.empty()) return "territory '" + t.id + "' needs a name";
        if (!ids.insert(t.id).second) return "territory id '" + t.id + "' appears twice";
        if (sc.territoryRow(t.id)) return "territory id '" + t.id + "' is already used";
        if (!t.owner.empty() && !ctx.ws.reps().rowOf(t.owner)) return "owner '" + t.owner + "' is not a known rep or seat";
    }
    for (std::int32_t k : to)
        if (k < 0 || static_cast<std::size_t>(k) >= territories.size()) return "a target is not one of the new territories";
    if (!ctx.force) {
        std::size_t lk = 0;
        for (std::uint32_t a : accounts) lk += sc.locked[a] ? 1 : 0;
        if (lk > 0) return fmt::countOf(lk, "locked account", "locked accounts") + " would move";
    }
    // A redo reuses the rows it made the first time, so later commands still point at them.
    const bool reuse = rows.size() == territories.size() &&
                       std::all_of(rows.begin(), rows.end(), [&](std::int32_t r) {
                           return r >= 0 && static_cast<std::size_t>(r) < sc.territories.rows() && sc.isDeleted(r) &&
                                  sc.territoryId(r).empty();
                       });
    if (!reuse) {
        rows.clear();
        const std::size_t first = sc.territories.rows();
        sc.territories.resize(first + territories.size());
        for (std::size_t k = 0; k < territories.size(); ++k) rows.push_back(static_cast<std::int32_t>(first + k));
    }
    for (std::size_t k = 0; k < territories.size(); ++k) {
        const std::int32_t row = rows[k];
        setStr(sc, "territory_id", row, territories[k].id);
        setStr(sc, "name", row, territories[k].name);
        setStr(sc, "level", row, "territory");
        setStr(sc, "parent_id", row, "");
        setStr(sc, "owner", row, territories[k].owner);
        sc.territories.find("color")->i64()[static_cast<std::size_t>(row)] = -1;
        sc.territories.find("deleted")->u8()[static_cast<std::size_t>(row)] = 0;
    }
    sc.territories.buildIndex(sc.territories.indexOf("territory_id"));
    previous.resize(accounts.size());
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        previous[i] = sc.assignment[accounts[i]];
        sc.assignment[accounts[i]] = rows[static_cast<std::size_t>(to[i])];
    }
    return {};
}
void CreateTerritories::undo(Scenario& sc) const {
    for (std::size_t i = accounts.size(); i-- > 0;) sc.assignment[accounts[i]] = previous[i];
    for (std::int32_t row : rows) {
        sc.territories.find("deleted")->u8()[static_cast<std::size_t>(row)] = 1;
        setStr(sc, "territory_id", row, "");
    }
    sc.territories.buildIndex(sc.territories.indexOf("territory_id"));
}
std::string CreateTerritories::describe(const Scenario&) const {
    return "Create " + fmt::countOf(territories.size(), "territory", "territories") +
           (source.empty() ? std::string() : " (" + source + ")") + ", " +
           fmt::countOf(accounts.size(), "account", "accounts") + " placed";
}
void CreateTerritories::write(Json& j, const Scenario&) const {
    Json ts = Json::array();
    for (const NewTerritory& t : territories) ts.push_back({{"id", t.id}, {"name", t.name}, {"owner", t.owner}});
    j["territories"] = std::move(ts);
    j["accounts"] = accountRowsJson(accounts);
    Json t = Json::array();
    for (auto x : to) t.push_back(x);
    j["to"] = std::move(t);
    j["source"] = source;
}
CreateTerritories CreateTerritories::read(const CommandReader& r) {
    CreateTerritories c;
    const Json& ts = r.member("territories");
    if (!ts.is_array() || ts.empty()) r.fail("territories", "a list of territories");
    for (std::size_t k = 0; k < ts.size(); ++k) {
        const std::string where = r.where() + ".territories[" + std::to_string(k) + "]";
        c.territories.push_back({jsonString(ts[k], "id", where, true), jsonString(ts[k], "name", where, true),
                                 jsonString(ts[k], "owner", where)});
    }
    c.accounts = r.accountRows("accounts");
    const Json& t = r.member("to");
    if (!t.is_array() || t.size() != c.accounts.size()) r.fail("to", "one new territory's index per account");
    for (std::size_t i = 0; i < t.size(); ++i)
        c.to.push_back(static_cast<std::int32_t>(jsonInteger(t[i], r.where() + ".to[" + std::to_string(i) + "]", 0,
                                                             static_cast<std::int64_t>(c.territories.size()) - 1)));
    c.source = r.text("source");
    return c;
}
void CreateTerritories::movedAccounts(std::vector<std::uint32_t>& out) const {
    out.clear();
    for (std::size_t i = 0; i < accounts.size(); ++i)
        if (previous[i] != rows[static_cast<std::size_t>(to[i])]) out.push_back(accounts[i]);
}

// [SECTION] RenameTerritory
std::string RenameTerritory::apply(const CommandContext&, Scenario& sc) {
    if (!validTerritory(sc, territory)) return "no such territory";
    if (name.empty()) return "the name cannot be empty";
    previous = std::string(sc.territoryName(territory));
    setStr(sc, "name", territory, name);
    return {};
}
void RenameTerritory::undo(Scenario& sc) const { setStr(sc, "name", territory, previous); }
std::string RenameTerritory::describe(const Scenario& sc) const {
    return "Rename " + (previous.empty() ? tn(sc, territory) : previous) + " to " + name;
}
void RenameTerritory::write(Json& j, const Scenario&) const { j["territory"] = territory, j["name"] = name; }
RenameTerritory RenameTerritory::read(const CommandReader& r) { return RenameTerritory{r.territory("territory", false), r.text("name", true), {}}; }

// [SECTION] SetTerritoryOwner
std::string SetTerritoryOwner::apply(const CommandContext& ctx, Scenario& sc) {
    if (!validTerritory(sc, territory)) return "no such territory";
    if (!owner.empty() && !ctx.ws.reps().rowOf(owner)) return "owner '" + owner + "' is not a known rep or seat";
    previous = std::string(sc.territories.str(sc.territories.indexOf("owner"), static_cast<std::size_t>(territory)));
    setStr(sc, "owner", territory, owner);
    return {};
}
void SetTerritoryOwner::undo(Scenario& sc) const { setStr(sc, "owner", territory, previous); }
std::string SetTerritoryOwner::describe(const Scenario& sc) const {
    return "Set owner of " + tn(sc, territory) + " to " + (owner.empty() ? "nobody" : owner);
}
void SetTerritoryOwner::write(Json& j, const Scenario&) const { j["territory"] = territory, j["owner"] = owner; }
SetTerritoryOwner SetTerritoryOwner::read(const CommandReader& r) { return SetTerritoryOwner{r.territory("territory", false), r.text("owner"), {}}; }

// [SECTION] SetTerritoryColor
std::string SetTerritoryColor::apply(const CommandContext&, Scenario& sc) {
    if (!validTerritory(sc, territory)) return "no such territory";
    if (color < -1 || color > 0xFFFFFF) return "colour must be 0xRRGGBB or automatic";
    auto& col = sc.territories.find("color")->i64()[static_cast<std::size_t>(territory)];
    previous = col == kI64Null ? -1 : col;
    col = color;
    return {};
}
void SetTerritoryColor::undo(Scenario& sc) const { sc.territories.find("color")->i64()[static_cast<std::size_t>(territory)] = previous; }
std::string SetTerritoryColor::describe(const Scenario& sc) const { return "Recolour " + tn(sc, territory); }
void SetTerritoryColor::write(Json& j, const Scenario&) const { j["territory"] = territory, j["color"] = color; }
SetTerritoryColor SetTerritoryColor::read(const CommandReader& r) {
    return SetTerritoryColor{r.territory("territory", false), r.integer("color", -1, 0xFFFFFF), -1};
}

// [SECTION] SetTerritoryParent
std::string SetTerritoryParent::apply(const CommandContext&, Scenario& sc) {
    if (!validTerritory(sc, territory)) return "no such territory";
    auto p = sc.territoryRow(parentId);
    if (!parentId.empty() && (!p || *p == territory || isLeaf(sc, *p))) return "the parent must be another region or district";
    previous = std::string(sc.territories.str(sc.territories.indexOf("parent_id"), static_cast<std::size_t>(territory)));
    setStr(sc, "parent_id", territory, parentId);
    return {};
}
void SetTerritoryParent::undo(Scenario& sc) const { setStr(sc, "parent_id", territory, previous); }
std::string SetTerritoryParent::describe(const Scenario& sc) const {
    return "Move " + tn(sc, territory) + " under " + (parentId.empty() ? "the top level" : parentId);
}
void SetTerritoryParent::write(Json& j, const Scenario&) const { j["territory"] = territory, j["parent_id"] = parentId; }
SetTerritoryParent SetTerritoryParent::read(const CommandReader& r) {
    return SetTerritoryParent{r.territory("territory", false), r.text("parent_id"), {}};
}

// [SECTION] MergeTerritories
std::string MergeTerritories::apply(const CommandContext&, Scenario& sc) {
    if (from == into) return "cannot merge a territory into itself";
    if (!validTerritory(sc, from) || !validTerritory(sc, into) || !isLeaf(sc, from) || !isLeaf(sc, into))
        return "both must be territories of this scenario";
    moved.clear();
    for (std::size_t a = 0; a < sc.assignment.size(); ++a)
        if (sc.assignment[a] == from) moved.push_back(static_cast<std::uint32_t>(a)), sc.assignment[a] = into;
    sc.territories.find("deleted")->u8()[static_cast<std::size_t>(from)] = 1;
    return {};
}
void MergeTerritories::undo(Scenario& sc) const {
    sc.territories.find("deleted")->u8()[static_cast<std::size_t>(from)] = 0;
    for (std::uint32_t a : moved) sc.assignment[a] = from;
}
std::string MergeTerritories::describe(const Scenario& sc) const { return "Merge " + tn(sc, from) + " into " + tn(sc, into); }
void MergeTerritories::write(Json& j, const Scenario&) const { j["from"] = from, j["into"] = into; }
MergeTerritories MergeTerritories::read(const CommandReader& r) {
    return MergeTerritories{r.territory("from", false), r.territory("into", false), {}};
}

// [SECTION] DeleteTerritory
std::string DeleteTerritory::apply(const CommandContext&, Scenario& sc) {
    if (!validTerritory(sc, territory)) return "no such territory";
    for (std::size_t r = 0; r < sc.territories.rows(); ++r) {
        if (sc.isDeleted(static_cast<std::int32_t>(r))) continue;
        if (sc.territories.str(sc.territories.indexOf("parent_id"), r) == sc.territoryId(territory))
            return "it still has child territories; move or delete them first";
    }
    unassigned.clear();
    for (std::size_t a = 0; a < sc.assignment.size(); ++a)
        if (sc.assignment[a] == territory) unassigned.push_back(static_cast<std::uint32_t>(a)), sc.assignment[a] = -1;
    sc.territories.find("deleted")->u8()[static_cast<std::size_t>(territory)] = 1;
    return {};
}
void DeleteTerritory::undo(Scenario& sc) const {
    sc.territories.find("deleted")->u8()[static_cast<std::size_t>(territory)] = 0;
    for (std::uint32_t a : unassigned) sc.assignment[a] = territory;
}
std::string DeleteTerritory::describe(const Scenario& sc) const { return "Delete " + tn(sc, territory); }
void DeleteTerritory::write(Json& j, const Scenario&) const { j["territory"] = territory; }
DeleteTerritory DeleteTerritory::read(const CommandReader& r) { return DeleteTerritory{r.territory("territory", false), {}}; }

} // namespace terrane::territory
