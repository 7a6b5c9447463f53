// What every plan command provides. A command is a plain struct owned by its domain's
// `<domain>_commands.hpp`; scenario.hpp lists them all in the `Command` variant and dispatches
// with std::visit over this interface, so a command that lacks any part does not compile.
//
//   static constexpr const char* kName;           // "reassign_accounts": its JSON "type"
//   static constexpr CommandDomain kDomain;       // which part of the scenario it changes
//   std::string apply(const CommandContext&, Scenario&);  // validate + apply, fill undo data;
//                                                          // "" or why it was refused (nothing changed)
//   void undo(Scenario&) const;                   // exactly reverse an applied command
//   std::string describe(const Scenario&) const;  // "Move 42 accounts to Chicago"
//   void write(Json&, const Scenario&) const;     // its fields into the command-log object
//   static T read(const CommandReader&);          // its fields from a command-log object
//
// Commands that move accounts between territories also provide
//   void movedAccounts(std::vector<std::uint32_t>& out) const;  // after apply: accounts whose territory changed
//   std::size_t auditAccounts() const;                           // accounts the audit entry counts
#pragma once

#include "core/scenario/command_json.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace terrane {

class Workspace;
struct Scenario;

// The part of a scenario a command changes.
enum class CommandDomain : std::uint8_t {
    Territory, // the assignment, locks and the territory hierarchy
    Quota,     // the quota and capacity set-up only
    Comp,      // the compensation plans and their settings only
    Forecast,  // the saved forecast only
};

struct CommandContext {
    const Workspace& ws;
    bool force = false; // apply even to locked accounts (replays, redo)
};

// Declares the members above inside a command struct `Type` with JSON type `name`.
#define TERRANE_COMMAND(Type, name, domain)                                                                              \
    static constexpr const char* kName = name;                                                                           \
    static constexpr CommandDomain kDomain = domain;                                                                     \
    std::string apply(const CommandContext& ctx, Scenario& sc);                                                          \
    void undo(Scenario& sc) const;                                                                                       \
    std::string describe(const Scenario& sc) const;                                                                      \
    void write(Json& j, const Scenario& sc) const;                                                                       \
    static Type read(const CommandReader& r)


} // namespace terrane
