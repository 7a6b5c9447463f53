// Assignment files: `account_id,territory` CSVs (what `terrane balance` writes and the CRM export
// carries), read into a scenario as one undoable command.
#pragma once

#include "core/scenario/workspace.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace terrane {

struct AssignmentFile {
    std::vector<std::uint32_t> accounts;   // account rows
    std::vector<std::string> territoryIds; // "" unassigns
    std::vector<std::string> errors;       // "assignment.csv row 12: account 'A9' is not in the accounts file"
    std::uint64_t rowsRead = 0;
};

// Parses `csv` (header with account_id and territory columns; other columns are ignored).
// Unknown accounts are reported in `errors` and skipped. Returns false with `error` set when the
// file cannot be read at all (no such columns).
bool parseAssignment(const Workspace& ws, std::string_view csv, const std::string& fileName, AssignmentFile& out, std::string& error);

// Applies the file to `sc`: creates leaf territories it names that `sc` lacks (under no parent),
// then one ApplyAssignment command (locks are overridden: the file is the plan).
CommandResult applyAssignmentFile(const Workspace& ws, Scenario& sc, const AssignmentFile& file, const std::string& source);

} // namespace terrane
