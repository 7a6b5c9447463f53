#include "core/scenario.hpp"

#include "core/workspace.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <chrono>
#include <type_traits>

namespace terrane {

namespace {
template <class... Ts> struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

std::int64_t unixMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

constexpr Money kMaxQuotaTarget = 1000000000000000LL; // 10 trillion major units

bool validTerritory(const Scenario& sc, std::int32_t t) {
    return t >= 0 && static_cast<std::size_t>(t) < sc.territories.rows() && !sc.isDeleted(t);
}

bool isLeaf(const Scenario& sc, std::int32_t t) {
    const std::string_view lv = sc.territories.str(sc.territories.indexOf("level"), static_cast<std::size_t>(t));
    return lv.empty() || lv == "territory";
}

std::string plural(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

void setStr(Scenario& sc, const char* col, std::int32_t row, std::string_view v) {
    sc.territories.find(col)->ids()[static_cast<std::size_t>(row)] = sc.territories.pool().intern(v);
}
} // namespace

// [SECTION] Scenario
Table makeScenarioTerritories(const Table& source) {
    Table t = source;
    t.addColumn("color", ColumnType::I64);
    t.addColumn("deleted", ColumnType::Bool);
    Column& deleted = *t.find("deleted");
    for (std::size_t r = 0; r < t.rows(); ++r)
        if (deleted.u8()[r] == kBoolNull) deleted.u8()[r] = 0;
    t.buildIndex(t.indexOf("territory_id"));
    return t;
}

std::vector<std::int32_t> Scenario::leaves() const {
    std::vector<std::int32_t> out;
    const int level = territories.indexOf("level");
    for (std::size_t r = 0; r < territories.rows(); ++r) {
        const std::string_view lv = territories.str(level, r);
        if ((lv.empty() || lv == "territory") && !isDeleted(static_cast<std::int32_t>(r))) out.push_back(static_cast<std::int32_t>(r));
    }
    return out;
}

bool Scenario::isDeleted(std::int32_t t) const {
    if (t < 0 || static_cast<std::size_t>(t) >= territories.rows()) return false;
    return territories.flag(territories.indexOf("deleted"), static_cast<std::size_t>(t));
}

std::string_view Scenario::territoryName(std::int32_t t) const {
    if (t < 0 || static_cast<std::size_t>(t) >= territories.rows()) return "unassigned";
    return territories.str(territories.indexOf("name"), static_cast<std::size_t>(t));
}

std::string_view Scenario::territoryId(std::int32_t t) const {
    if (t < 0 || static_cast<std::size_t>(t) >= territories.rows()) return {};
    return territories.str(territories.indexOf("territory_id"), static_cast<std::size_t>(t));
}

std::optional<std::int32_t> Scenario::territoryRow(std::string_view id) const {
    if (auto r = territories.rowOf(id)) return static_cast<std::int32_t>(*r);
    return std::nullopt;
}

// [SECTION] apply
namespace {

// Forward application; fills the undo data. Returns "" or an error (nothing changed then).
std::string applyForward(const Workspace& ws, Scenario& sc, Command& cmd, bool force) {
    const std::size_t n = sc.assignment.size();
    auto checkAccounts = [&](const std::vector<std::uint32_t>& accounts) -> std::string {
        for (std::uint32_t a : accounts)
            if (a >= n) return "account row " + std::to_string(a) + " does not exist";
        return {};
    };
    auto lockedCount = [&](const std::vector<std::uint32_t>& accounts) {
        std::size_t c = 0;
        for (std::uint32_t a : accounts) c += sc.locked[a] ? 1 : 0;
        return c;
    };
    return std::visit(
        Overloaded{
            [&](ReassignAccounts& c) -> std::string {
                if (auto e = checkAccounts(c.accounts); !e.empty()) return e;
                if (c.to != -1 && (!validTerritory(sc, c.to) || !isLeaf(sc, c.to))) return "the target is not a territory of this scenario";
                if (!force) {
                    if (std::size_t lk = lockedCount(c.accounts); lk > 0)
                        return plural(lk, "selected account is", "selected accounts are") + " locked; unlock them first";
                }
                c.previous.resize(c.accounts.size());
                for (std::size_t i = 0; i < c.accounts.size(); ++i) {
                    c.previous[i] = sc.assignment[c.accounts[i]];
                    sc.assignment[c.accounts[i]] = c.to;
                }
                return {};
            },
            [&](ApplyAssignment& c) -> std::string {
                if (c.accounts.size() != c.to.size()) return "accounts and targets differ in length";
                if (auto e = checkAccounts(c.accounts); !e.empty()) return e;
                for (std::int32_t t : c.to)
                    if (t != -1 && (!validTerritory(sc, t) || !isLeaf(sc, t))) return "a target is not a territory of this scenario";
                if (!force) {
                    std::size_t lk = 0;
                    for (std::size_t i = 0; i < c.accounts.size(); ++i)
                        lk += sc.locked[c.accounts[i]] && sc.assignment[c.accounts[i]] != c.to[i] ? 1 : 0;
                    if (lk > 0) return plural(lk, "locked account", "locked accounts") + " would move";
                }
                c.previous.resize(c.accounts.size());
                for (std::size_t i = 0; i < c.accounts.size(); ++i) {
                    c.previous[i] = sc.assignment[c.accounts[i]];
                    sc.assignment[c.accounts[i]] = c.to[i];
                }
                return {};
            },
            [&](SetLocked& c) -> std::string {
                if (auto e = checkAccounts(c.accounts); !e.empty()) return e;
                c.previous.resize(c.accounts.size());
                for (std::size_t i = 0; i < c.accounts.size(); ++i) {
                    c.previous[i] = sc.locked[c.accounts[i]];
                    sc.locked[c.accounts[i]] = c.locked ? 1 : 0;
                }
                return {};
            },
            [&](CreateTerritory& c) -> std::string {
                if (c.id.empty()) return "a territory needs an id";
                if (c.name.empty()) return "a territory needs a name";
                if (sc.territoryRow(c.id)) return "territory id '" + c.id + "' is already used";
                if (!c.parentId.empty() && !sc.territoryRow(c.parentId)) return "parent '" + c.parentId + "' does not exist";
                if (!c.owner.empty() && !ws.reps().rowOf(c.owner)) return "owner '" + c.owner + "' is not a known rep or seat";
                // A redo reuses the row it made the first time, so later commands still point at it.
                std::size_t row = sc.territories.rows();
                if (c.row >= 0 && static_cast<std::size_t>(c.row) < row && sc.isDeleted(c.row) && sc.territoryId(c.row).empty())
                    row = static_cast<std::size_t>(c.row);
                else
                    sc.territories.resize(row + 1);
                c.row = static_cast<std::int32_t>(row);
                setStr(sc, "territory_id", c.row, c.id);
                setStr(sc, "name", c.row, c.name);
                setStr(sc, "level", c.row, c.level);
                setStr(sc, "parent_id", c.row, c.parentId);
                setStr(sc, "owner", c.row, c.owner);
                sc.territories.find("color")->i64()[row] = -1;
                sc.territories.find("deleted")->u8()[row] = 0;
                sc.territories.buildIndex(sc.territories.indexOf("territory_id"));
                return {};
            },
            [&](RenameTerritory& c) -> std::string {
                if (!validTerritory(sc, c.territory)) return "no such territory";
                if (c.name.empty()) return "the name cannot be empty";
                c.previous = std::string(sc.territoryName(c.territory));
                setStr(sc, "name", c.territory, c.name);
                return {};
            },
            [&](SetTerritoryOwner& c) -> std::string {
                if (!validTerritory(sc, c.territory)) return "no such territory";
                if (!c.owner.empty() && !ws.reps().rowOf(c.owner)) return "owner '" + c.owner + "' is not a known rep or seat";
                c.previous = std::string(sc.territories.str(sc.territories.indexOf("owner"), static_cast<std::size_t>(c.territory)));
                setStr(sc, "owner", c.territory, c.owner);
                return {};
            },
            [&](SetTerritoryColor& c) -> std::string {
                if (!validTerritory(sc, c.territory)) return "no such territory";
                if (c.color < -1 || c.color > 0xFFFFFF) return "colour must be 0xRRGGBB or automatic";
                auto& col = sc.territories.find("color")->i64()[static_cast<std::size_t>(c.territory)];
                c.previous = col == kI64Null ? -1 : col;
                col = c.color;
                return {};
            },
            [&](SetTerritoryParent& c) -> std::string {
                if (!validTerritory(sc, c.territory)) return "no such territory";
                auto p = sc.territoryRow(c.parentId);
                if (!c.parentId.empty() && (!p || *p == c.territory || isLeaf(sc, *p))) return "the parent must be another region or district";
                c.previous = std::string(sc.territories.str(sc.territories.indexOf("parent_id"), static_cast<std::size_t>(c.territory)));
                setStr(sc, "parent_id", c.territory, c.parentId);
                return {};
            },
            [&](MergeTerritories& c) -> std::string {
                if (c.from == c.into) return "cannot merge a territory into itself";
                if (!validTerritory(sc, c.from) || !validTerritory(sc, c.into) || !isLeaf(sc, c.from) || !isLeaf(sc, c.into))
                    return "both must be territories of this scenario";
                c.moved.clear();
                for (std::size_t a = 0; a < n; ++a)
                    if (sc.assignment[a] == c.from) c.moved.push_back(static_cast<std::uint32_t>(a)), sc.assignment[a] = c.into;
                sc.territories.find("deleted")->u8()[static_cast<std::size_t>(c.from)] = 1;
                return {};
            },
            [&](DeleteTerritory& c) -> std::string {
                if (!validTerritory(sc, c.territory)) return "no such territory";
                for (std::size_t r = 0; r < sc.territories.rows(); ++r) {
                    if (sc.isDeleted(static_cast<std::int32_t>(r))) continue;
                    if (sc.territories.str(sc.territories.indexOf("parent_id"), r) == sc.territoryId(c.territory))
                        return "it still has child territories; move or delete them first";
                }
                c.unassigned.clear();
                for (std::size_t a = 0; a < n; ++a)
                    if (sc.assignment[a] == c.territory) c.unassigned.push_back(static_cast<std::uint32_t>(a)), sc.assignment[a] = -1;
                sc.territories.find("deleted")->u8()[static_cast<std::size_t>(c.territory)] = 1;
                return {};
            },
            [&](SetQuotaTarget& c) -> std::string {
                if (c.target < 0 || c.target > kMaxQuotaTarget) return "the target must be between 0 and 10 trillion";
                if (c.planYear != 0 && (c.planYear < 1900 || c.planYear > 9998)) return "the plan year must be between 1900 and 9998";
                c.previous = sc.quota.target;
                c.previousYear = sc.quota.planYear;
                sc.quota.target = c.target;
                sc.quota.planYear = c.planYear;
                return {};
            },
            [&](SetQuotaSeasonality& c) -> std::string {
                if (auto e = validateSeasonality(c.weights); !e.empty()) return e;
                c.previous = sc.quota.seasonality;
                sc.quota.seasonality = c.weights;
                return {};
            },
            [&](SetQuotaOverAssign& c) -> std::string {
                if (c.level == QuotaLevel::Company) return "over-assignment is set for regions, districts or territories";
                if (c.ppm < -500000 || c.ppm > 2000000) return "over-assignment must be between -50% and +200%";
                auto& slot = sc.quota.overAssignPpm[static_cast<std::size_t>(c.level) - 1];
                c.previous = slot;
                slot = c.ppm;
                return {};
            },
            [&](SetQuotaMethod& c) -> std::string {
                if (auto e = validateBlend(c.allocation.blend); !e.empty()) return e;
                if (c.allocation.capacityBase == QuotaMethod::Capacity) return "capacity adjustment needs a base method other than capacity";
                if (c.allocation.historyFrom != kDateNull && c.allocation.historyTo != kDateNull &&
                    c.allocation.historyFrom >= c.allocation.historyTo)
                    return "the history window must end after it starts";
                c.previous = sc.quota.allocation;
                sc.quota.allocation = c.allocation;
                return {};
            },
            [&](SetQuotaOverride& c) -> std::string {
                auto row = sc.territoryRow(c.node);
                if (c.node.empty() || !row || sc.isDeleted(*row)) return "'" + c.node + "' is not a territory, district or region of this scenario";
                if (c.amount && (*c.amount < 0 || *c.amount > kMaxQuotaTarget)) return "a quota override must be between 0 and 10 trillion";
                auto& ov = sc.quota.overrides;
                auto it = std::find_if(ov.begin(), ov.end(), [&](const QuotaOverride& o) { return o.node == c.node; });
                c.previous = it == ov.end() ? std::nullopt : std::optional<Money>(it->amount);
                if (it != ov.end()) ov.erase(it);
                if (c.amount) {
                    ov.push_back(QuotaOverride{c.node, *c.amount});
                    std::sort(ov.begin(), ov.end(), [](const QuotaOverride& a, const QuotaOverride& b) { return a.node < b.node; });
                }
                return {};
            },
            [&](SetQuotaRounding& c) -> std::string {
                if (c.unit < 1 || c.unit > 100000000000LL) return "the rounding unit must be from 0.01 to 1,000,000,000";
                c.previousUnit = sc.quota.roundingUnit;
                c.previousRemainder = sc.quota.remainder;
                sc.quota.roundingUnit = c.unit;
                sc.quota.remainder = c.remainder;
                return {};
            },
            [&](SetQuotaVacancy& c) -> std::string {
                c.previous = sc.quota.vacancy;
                sc.quota.vacancy = c.policy;
                return {};
            },
            [&](SetQuotaSimulation& c) -> std::string {
                if (c.trials < 1 || c.trials > 100000) return "trials must be between 1 and 100,000";
                c.previousSeed = sc.quota.seed;
                c.previousTrials = sc.quota.trials;
                sc.quota.seed = c.seed;
                sc.quota.trials = c.trials;
                return {};
            },
            [&](SetCapacityPlan& c) -> std::string {
                if (auto e = validateCapacityPlan(c.plan); !e.empty()) return e;
                c.previous = sc.capacity;
                sc.capacity = c.plan;
                return {};
            },
        },
        cmd);
}

void applyBackward(Scenario& sc, const Command& cmd) {
    std::visit(Overloaded{
                   [&](const ReassignAccounts& c) {
                       for (std::size_t i = c.accounts.size(); i-- > 0;) sc.assignment[c.accounts[i]] = c.previous[i];
                   },
                   [&](const ApplyAssignment& c) {
                       for (std::size_t i = c.accounts.size(); i-- > 0;) sc.assignment[c.accounts[i]] = c.previous[i];
                   },
                   [&](const SetLocked& c) {
                       for (std::size_t i = c.accounts.size(); i-- > 0;) sc.locked[c.accounts[i]] = c.previous[i];
                   },
                   [&](const CreateTerritory& c) {
                       // The row stays (indices are stable) but is marked deleted and its id freed.
                       sc.territories.find("deleted")->u8()[static_cast<std::size_t>(c.row)] = 1;
                       setStr(sc, "territory_id", c.row, "");
                       sc.territories.buildIndex(sc.territories.indexOf("territory_id"));
                   },
                   [&](const RenameTerritory& c) { setStr(sc, "name", c.territory, c.previous); },
                   [&](const SetTerritoryOwner& c) { setStr(sc, "owner", c.territory, c.previous); },
                   [&](const SetTerritoryColor& c) { sc.territories.find("color")->i64()[static_cast<std::size_t>(c.territory)] = c.previous; },
                   [&](const SetTerritoryParent& c) { setStr(sc, "parent_id", c.territory, c.previous); },
                   [&](const MergeTerritories& c) {
                       sc.territories.find("deleted")->u8()[static_cast<std::size_t>(c.from)] = 0;
                       for (std::uint32_t a : c.moved) sc.assignment[a] = c.from;
                   },
                   [&](const DeleteTerritory& c) {
                       sc.territories.find("deleted")->u8()[static_cast<std::size_t>(c.territory)] = 0;
                       for (std::uint32_t a : c.unassigned) sc.assignment[a] = c.territory;
                   },
                   [&](const SetQuotaTarget& c) {
                       sc.quota.target = c.previous;
                       sc.quota.planYear = c.previousYear;
                   },
                   [&](const SetQuotaSeasonality& c) { sc.quota.seasonality = c.previous; },
                   [&](const SetQuotaOverAssign& c) { sc.quota.overAssignPpm[static_cast<std::size_t>(c.level) - 1] = c.previous; },
                   [&](const SetQuotaMethod& c) { sc.quota.allocation = c.previous; },
                   [&](const SetQuotaOverride& c) {
                       auto& ov = sc.quota.overrides;
                       ov.erase(std::remove_if(ov.begin(), ov.end(), [&](const QuotaOverride& o) { return o.node == c.node; }), ov.end());
                       if (c.previous) {
                           ov.push_back(QuotaOverride{c.node, *c.previous});
                           std::sort(ov.begin(), ov.end(), [](const QuotaOverride& a, const QuotaOverride& b) { return a.node < b.node; });
                       }
                   },
                   [&](const SetQuotaRounding& c) {
                       sc.quota.roundingUnit = c.previousUnit;
                       sc.quota.remainder = c.previousRemainder;
                   },
                   [&](const SetQuotaVacancy& c) { sc.quota.vacancy = c.previous; },
                   [&](const SetQuotaSimulation& c) {
                       sc.quota.seed = c.previousSeed;
                       sc.quota.trials = c.previousTrials;
                   },
                   [&](const SetCapacityPlan& c) { sc.capacity = c.previous; },
               },
               cmd);
}

// Accounts that change territory under an applied command, with their old territory.
void movedAccounts(const Command& cmd, std::vector<std::uint32_t>& out) {
    out.clear();
    std::visit(Overloaded{
                   [&](const ReassignAccounts& c) {
                       for (std::size_t i = 0; i < c.accounts.size(); ++i)
                           if (c.previous[i] != c.to) out.push_back(c.accounts[i]);
                   },
                   [&](const ApplyAssignment& c) {
                       for (std::size_t i = 0; i < c.accounts.size(); ++i)
                           if (c.previous[i] != c.to[i]) out.push_back(c.accounts[i]);
                   },
                   [&](const MergeTerritories& c) { out = c.moved; },
                   [&](const DeleteTerritory& c) { out = c.unassigned; },
                   [&](const auto&) {},
               },
               cmd);
}

AuditEntry makeAudit(const Workspace& ws, const Scenario& sc, const Command& cmd, std::string note) {
    AuditEntry a;
    a.timeMs = unixMs();
    a.description = describe(sc, cmd);
    a.note = std::move(note);
    std::vector<std::uint32_t> moved;
    movedAccounts(cmd, moved);
    std::visit(Overloaded{[&](const SetLocked& c) { a.accounts = c.accounts.size(); },
                          [&](const ReassignAccounts& c) { a.accounts = c.accounts.size(); },
                          [&](const ApplyAssignment& c) { a.accounts = c.accounts.size(); },
                          [&](const auto&) { a.accounts = moved.size(); }},
               cmd);
    const Table& acc = ws.accounts();
    const Column* pot = acc.find("potential");
    const Column* arr = acc.find("arr");
    for (std::uint32_t r : moved) {
        if (r >= acc.rows()) continue;
        if (pot && !pot->isNull(r)) a.potentialMoved += pot->i64()[r];
        if (arr && !arr->isNull(r)) a.arrMoved += arr->i64()[r];
    }
    return a;
}

} // namespace

CommandResult execute(const Workspace& ws, Scenario& sc, Command cmd, std::string note, bool force) {
    if (sc.assignment.size() != ws.accounts().rows() || sc.locked.size() != ws.accounts().rows())
        return {false, "the scenario does not match the accounts; reload the workspace"};
    std::string err = applyForward(ws, sc, cmd, force);
    if (!err.empty()) return {false, err};
    AuditEntry audit = makeAudit(ws, sc, cmd, std::move(note));
    sc.log.resize(sc.cursor);
    sc.log.push_back(CommandRecord{std::move(cmd), std::move(audit)});
    sc.cursor = sc.log.size();
    return {true, {}};
}

bool undo(const Workspace& ws, Scenario& sc) {
    (void)ws;
    if (!sc.canUndo()) return false;
    applyBackward(sc, sc.log[sc.cursor - 1].command);
    --sc.cursor;
    return true;
}

bool redo(const Workspace& ws, Scenario& sc) {
    if (!sc.canRedo()) return false;
    // Re-applying recomputes the undo data; it cannot fail because the state equals the one
    // the command was first applied to. Locks were checked then, so force.
    const std::string err = applyForward(ws, sc, sc.log[sc.cursor].command, true);
    if (!err.empty()) return false;
    ++sc.cursor;
    return true;
}

bool isQuotaCommand(const Command& cmd) {
    return std::holds_alternative<SetQuotaTarget>(cmd) || std::holds_alternative<SetQuotaSeasonality>(cmd) ||
           std::holds_alternative<SetQuotaOverAssign>(cmd) || std::holds_alternative<SetQuotaMethod>(cmd) ||
           std::holds_alternative<SetQuotaOverride>(cmd) || std::holds_alternative<SetQuotaRounding>(cmd) ||
           std::holds_alternative<SetQuotaVacancy>(cmd) || std::holds_alternative<SetQuotaSimulation>(cmd) ||
           std::holds_alternative<SetCapacityPlan>(cmd);
}

const char* commandName(const Command& cmd) {
    return std::visit(Overloaded{[](const ReassignAccounts&) { return "reassign_accounts"; },
                                 [](const ApplyAssignment&) { return "apply_assignment"; },
                                 [](const SetLocked&) { return "set_locked"; },
                                 [](const CreateTerritory&) { return "create_territory"; },
                                 [](const RenameTerritory&) { return "rename_territory"; },
                                 [](const SetTerritoryOwner&) { return "set_territory_owner"; },
                                 [](const SetTerritoryColor&) { return "set_territory_color"; },
                                 [](const SetTerritoryParent&) { return "set_territory_parent"; },
                                 [](const MergeTerritories&) { return "merge_territories"; },
                                 [](const DeleteTerritory&) { return "delete_territory"; },
                                 [](const SetQuotaTarget&) { return "set_quota_target"; },
                                 [](const SetQuotaSeasonality&) { return "set_quota_seasonality"; },
                                 [](const SetQuotaOverAssign&) { return "set_quota_over_assign"; },
                                 [](const SetQuotaMethod&) { return "set_quota_method"; },
                                 [](const SetQuotaOverride&) { return "set_quota_override"; },
                                 [](const SetQuotaRounding&) { return "set_quota_rounding"; },
                                 [](const SetQuotaVacancy&) { return "set_quota_vacancy"; },
                                 [](const SetQuotaSimulation&) { return "set_quota_simulation"; },
                                 [](const SetCapacityPlan&) { return "set_capacity_plan"; }},
                      cmd);
}

std::string describe(const Scenario& sc, const Command& cmd) {
    auto tn = [&](std::int32_t t) { return std::string(sc.territoryName(t)); };
    return std::visit(
        Overloaded{
            [&](const ReassignAccounts& c) {
                return c.to < 0 ? "Unassign " + plural(c.accounts.size(), "account", "accounts")
                                : "Move " + plural(c.accounts.size(), "account", "accounts") + " to " + tn(c.to);
            },
            [&](const ApplyAssignment& c) {
                std::size_t moved = 0;
                for (std::size_t i = 0; i < c.previous.size(); ++i) moved += c.previous[i] != c.to[i] ? 1 : 0;
                return "Apply " + (c.source.empty() ? std::string("plan") : c.source) + " (" +
                       plural(c.previous.empty() ? c.accounts.size() : moved, "account moves", "accounts move") + ")";
            },
            [&](const SetLocked& c) { return std::string(c.locked ? "Lock " : "Unlock ") + plural(c.accounts.size(), "account", "accounts"); },
            [&](const CreateTerritory& c) { return "Create " + c.level + " " + c.name; },
            [&](const RenameTerritory& c) { return "Rename " + (c.previous.empty() ? tn(c.territory) : c.previous) + " to " + c.name; },
            [&](const SetTerritoryOwner& c) { return "Set owner of " + tn(c.territory) + " to " + (c.owner.empty() ? "nobody" : c.owner); },
            [&](const SetTerritoryColor& c) { return "Recolour " + tn(c.territory); },
            [&](const SetTerritoryParent& c) { return "Move " + tn(c.territory) + " under " + (c.parentId.empty() ? "the top level" : c.parentId); },
            [&](const MergeTerritories& c) { return "Merge " + tn(c.from) + " into " + tn(c.into); },
            [&](const DeleteTerritory& c) { return "Delete " + tn(c.territory); },
            [&](const SetQuotaTarget& c) {
                return "Set the company target to " + moneyLabel(c.target) + (c.planYear ? " for " + std::to_string(c.planYear) : std::string());
            },
            [&](const SetQuotaSeasonality& c) {
                double sum = 0;
                for (double w : c.weights) sum += w;
                std::string s = std::string(c.weights.size() == 4 ? "Set quarterly" : "Set monthly") + " seasonality to ";
                for (std::size_t i = 0; i < c.weights.size(); ++i) {
                    if (i) s += '/';
                    s += percentLabel(sum > 0 ? c.weights[i] / sum : 0, 0);
                }
                return s;
            },
            [&](const SetQuotaOverAssign& c) {
                return std::string("Set over-assignment to ") + quotaLevelName(c.level) + "s at " + formatPpm(c.ppm);
            },
            [&](const SetQuotaMethod& c) {
                std::string s = std::string("Allocate quotas by ") + quotaMethodLabel(c.allocation.method);
                if (c.allocation.method == QuotaMethod::Blend)
                    s += " (potential " + formatDouble(c.allocation.blend.potential) + ", history " + formatDouble(c.allocation.blend.history) +
                         ", equal " + formatDouble(c.allocation.blend.equal) + ")";
                if (c.allocation.method == QuotaMethod::Capacity) s += std::string(" of ") + quotaMethodLabel(c.allocation.capacityBase);
                return s;
            },
            [&](const SetQuotaOverride& c) {
                const auto row = sc.territoryRow(c.node);
                const std::string n = row ? tn(*row) : c.node;
                return c.amount ? "Lock the quota of " + n + " at " + moneyLabel(*c.amount) : "Unlock the quota of " + n;
            },
            [&](const SetQuotaRounding& c) {
                return "Round quotas to " + moneyLabel(c.unit) +
                       (c.remainder == RemainderPolicy::Reject ? " (refuse remainders)" : " (remainder to the largest share)");
            },
            [&](const SetQuotaVacancy& c) {
                return std::string(c.policy == VacancyPolicy::Hold ? "Hold vacant seats' quota at the manager"
                                                                   : "Allocate quota to vacant seats");
            },
            [&](const SetQuotaSimulation& c) {
                return "Simulate attainment with " + std::to_string(c.trials) + " trials, seed " + std::to_string(c.seed);
            },
            [&](const SetCapacityPlan& c) {
                return "Set the capacity plan (productivity " + moneyLabel(c.plan.productivity) + ", attrition " +
                       percentLabel(c.plan.attrition, 0) + ", " + std::to_string(c.plan.timeToHireMonths) + " months to hire)";
            },
        },
        cmd);
}

} // namespace terrane
