// Loading the dataset files named by the common options (--accounts, --reps, ...).
#pragma once

#include "cli/args.hpp"
#include "core/scenario/workspace.hpp"

#include <initializer_list>
#include <string>
#include <vector>

namespace terrane::cli {

// The option names of every dataset kind plus `extra` (and --date-order, --map).
std::vector<std::string> datasetOptionNames(std::initializer_list<std::string> extra);
// Imports each dataset option present into `ws`; `required` kinds must be given; `skip` kinds are
// not read even when their option is present (a command that uses the option otherwise). Column
// mappings come from `--map field=Header` (accounts) or `--map kind.field=Header`. Reports
// rejected rows on stderr; throws InputError when a file cannot be read.
void loadDatasets(const Args& a, Workspace& ws, std::initializer_list<DatasetKind> required,
                  std::initializer_list<DatasetKind> skip = {});
// The source header mapped to `field` of `kind` by --map, or "" when not mapped.
std::string mappedHeader(const Args& a, DatasetKind kind, const std::string& field);

} // namespace terrane::cli
