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
MergeCounts commitImport(Workspace& ws, ImportResult& result, ImportMode mode = ImportMode::Replace);

} // namespace terrane
