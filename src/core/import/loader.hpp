// Loading datasets into a workspace: all or nothing per file.
#pragma once

#include "core/import/import.hpp"
#include "core/import/merge.hpp"
#include "core/scenario/workspace.hpp"

#include <string>
#include <string_view>

namespace terrane {

// Imports `bytes` as `opt.kind` and replaces that dataset in `ws`. On an unreadable file, `ws` is
// left exactly as it was and `error` says why. Accounts and territories rebuild the baseline.
bool importInto(Workspace& ws, std::string_view bytes, const ImportOptions& opt, ImportReport& report, std::string& error);

// Puts a finished, successful import into `ws`: replaces the dataset of report.kind (or adds or
// updates its rows, see mergeTables), records the source file (name, size, SHA-256, encoding, row
// counts; beside the earlier files of that kind when adding or updating), rebuilds indexes (and
// the baseline for accounts and territories). Replace moves the result's table out; the other
// modes leave it. Returns the row counts before and after.
// Opportunities also get their stage table (ws.settings.stages) and outcomes derived from it;
// `asOf` is "today" for its close-date rule (kDateNull: the clock's).
MergeCounts commitImport(Workspace& ws, ImportResult& result, ImportMode mode = ImportMode::Replace, Date asOf = kDateNull);

// Re-infers the workspace's stage table from its opportunities and stage history, with the
// user's choices in it and `choices` over them (matched by stage name), and writes the outcomes
// (is_closed / is_won, probability where the file had none) from it. Returns the cells changed.
std::uint64_t restage(Workspace& ws, const std::vector<StageRow>& choices = {}, Date asOf = kDateNull);

} // namespace terrane
