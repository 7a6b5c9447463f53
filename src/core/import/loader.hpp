// Loading datasets into a workspace: all or nothing per file.
#pragma once

#include "core/import/import.hpp"
#include "core/scenario/workspace.hpp"

#include <string>
#include <string_view>

namespace terrane {

// Imports `bytes` as `opt.kind` and replaces that dataset in `ws`. On an unreadable file, `ws` is
// left exactly as it was and `error` says why. Accounts and territories rebuild the baseline.
bool importInto(Workspace& ws, std::string_view bytes, const ImportOptions& opt, ImportReport& report, std::string& error);

// Puts a finished, successful import into `ws`: replaces the dataset of report.kind, records the
// source file (name, size, SHA-256, encoding, row counts), rebuilds indexes (and the baseline for
// accounts and territories). The result's table is moved out.
void commitImport(Workspace& ws, ImportResult& result);

} // namespace terrane
