// Loading datasets into a workspace: all or nothing per file.
#pragma once

#include "core/import.hpp"
#include "core/workspace.hpp"

#include <string>
#include <string_view>

namespace terrane {

// Imports `bytes` as `opt.kind` and replaces that dataset in `ws`. On an unreadable file, `ws` is
// left exactly as it was and `error` says why. Accounts and territories rebuild the baseline.
bool importInto(Workspace& ws, std::string_view bytes, const ImportOptions& opt, ImportReport& report, std::string& error);

} // namespace terrane
