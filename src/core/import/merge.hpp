// Importing into a dataset that already holds rows: replace it, add the new rows, or update rows
// by id - with the row counts before and after, so the choice can be shown before it is made.
#pragma once

#include "core/data/schema.hpp"
#include "core/data/table.hpp"

#include <cstdint>
#include <string_view>

namespace terrane {

enum class ImportMode : std::uint8_t { Replace, Add, UpdateById };
const char* importModeName(ImportMode m); // "replace", "add", "update"
bool parseImportMode(std::string_view name, ImportMode& out);
// Update by id needs an id column (accounts, reps, territories, opportunities, products).
bool canUpdateById(DatasetKind kind);

struct MergeCounts {
    std::uint64_t before = 0;   // rows in the dataset before
    std::uint64_t incoming = 0; // rows of the new file
    std::uint64_t after = 0;    // rows after
    std::uint64_t removed = 0;  // replace: rows dropped
    std::uint64_t added = 0;    // rows appended
    std::uint64_t updated = 0;  // update: existing rows that took the new file's values
};

// What merging `incoming` into `existing` by `mode` gives, changing nothing.
MergeCounts mergeCounts(const Table& existing, const Table& incoming, DatasetKind kind, ImportMode mode);

// Merges `incoming` into `existing` (the tables may use different string pools):
//  Replace     the dataset becomes the new file's rows;
//  Add         every new row is appended (ids that repeat show up as duplicates in data quality);
//  UpdateById  a row whose id is already present (products without an id: whose name is) takes
//              the new file's non-empty values, the other rows are appended.
// Columns of both tables are kept. Throws std::invalid_argument for UpdateById on a kind without
// ids, or when a column has a different type in the two tables.
MergeCounts mergeTables(Table& existing, const Table& incoming, DatasetKind kind, ImportMode mode);

} // namespace terrane
