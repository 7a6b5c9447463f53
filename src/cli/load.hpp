// Loading the dataset files named by the common options (--accounts, --reps, ...).
#pragma once

#include "cli/args.hpp"
#include "core/workspace.hpp"

#include <initializer_list>
#include <string>
#include <vector>

namespace terrane::cli {

// The option names of every dataset kind plus `extra`.
std::vector<std::string> datasetOptionNames(std::initializer_list<std::string> extra);
// Imports each dataset option present into `ws`; `required` kinds must be given. Reports
// rejected rows on stderr; throws InputError when a file cannot be read.
void loadDatasets(const Args& a, Workspace& ws, std::initializer_list<DatasetKind> required);

} // namespace terrane::cli
