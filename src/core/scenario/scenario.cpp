// Scenarios and command dispatch: every use of a command visits its domain's implementation.
//
// Index
//  [SECTION] Scenario
//  [SECTION] apply
#include "core/scenario/scenario.hpp"

#include "core/scenario/workspace.hpp"

#include "core/base/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <type_traits>

namespace terrane {

namespace {
std::int64_t unixMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
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
AuditEntry makeAudit(const Workspace& ws, const Scenario& sc, const Command& cmd, std::string note) {
    AuditEntry a;
    a.timeMs = unixMs();
    a.description = describe(sc, cmd);
    a.note = std::move(note);
    std::vector<std::uint32_t> moved;
    std::visit(
        [&](const auto& c) {
            if constexpr (requires { c.movedAccounts(moved); }) {
                c.movedAccounts(moved);
                a.accounts = c.auditAccounts();
            }
        },
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

std::string applyForward(const Workspace& ws, Scenario& sc, Command& cmd, bool force) {
    const CommandContext ctx{ws, force};
    return std::visit([&](auto& c) { return c.apply(ctx, sc); }, cmd);
}

// Reads the alternative whose kName is `type`; false when none is.
template <std::size_t I = 0> bool readAlternative(const std::string& type, const CommandReader& r, Command& out) {
    if constexpr (I == std::variant_size_v<Command>) {
        return false;
    } else {
        using T = std::variant_alternative_t<I, Command>;
        if (type == T::kName) {
            out = T::read(r);
            return true;
        }
        return readAlternative<I + 1>(type, r, out);
    }
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

bool undo(const Workspace&, Scenario& sc) {
    if (!sc.canUndo()) return false;
    std::visit([&](const auto& c) { c.undo(sc); }, sc.log[sc.cursor - 1].command);
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

const char* commandName(const Command& cmd) {
    return std::visit([](const auto& c) { return std::decay_t<decltype(c)>::kName; }, cmd);
}

CommandDomain commandDomain(const Command& cmd) {
    return std::visit([](const auto& c) { return std::decay_t<decltype(c)>::kDomain; }, cmd);
}

std::string describe(const Scenario& sc, const Command& cmd) {
    return std::visit([&](const auto& c) { return c.describe(sc); }, cmd);
}

void writeCommand(Json& j, const Scenario& sc, const Command& cmd) {
    j["type"] = commandName(cmd);
    std::visit([&](const auto& c) { c.write(j, sc); }, cmd);
}

Command readCommand(const CommandReader& r) {
    const std::string type = r.text("type", true);
    Command out;
    if (!readAlternative(type, r, out)) throw JsonFieldError(r.where() + ".type: unknown command '" + type + "'");
    return out;
}

} // namespace terrane
