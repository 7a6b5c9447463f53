// The built-in sample workspace: a deterministic, realistic US sales organisation.
#pragma once

#include "core/base/types.hpp"
#include "core/scenario/workspace.hpp"

#include <cstdint>
#include <string>

namespace terrane {

struct SampleOptions {
    std::size_t accounts = 5000;
    std::size_t reps = 40;
    std::uint64_t seed = 42;
    Date asOf = daysFromCivil(2026, 10, 1); // data "as of" date; planning for the next year
};

// Fills `ws` with accounts at real US ZIP centroids (population weighted), reps and seats in
// four regions with districts, a region > district > territory hierarchy, a plausible but
// unbalanced existing assignment, and ~8 quarters of opportunities with their stage history
// (forecast categories, close-date pushes, wins bunched at quarter ends, reps better and worse
// than average). Same options -> same data.
// Throws std::invalid_argument when accounts < 1 or reps < 4.
void generateSample(const SampleOptions& opt, Workspace& ws);

// A dataset table as CSV: canonical columns first (snake_case headers), then extra columns.
std::string tableToCsv(const Table& table, DatasetKind kind);

} // namespace terrane
