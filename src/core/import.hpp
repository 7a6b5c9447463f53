// Importing a CSV export into a typed dataset table, with a report that loses nothing.
#pragma once

#include "core/schema.hpp"
#include "core/table.hpp"
#include "core/values.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace terrane {

struct ImportOptions {
    DatasetKind kind = DatasetKind::Accounts;
    std::string fileName;
    // Explicit field -> source header pairs; others are matched by name.
    std::vector<std::pair<std::string, std::string>> mapping;
    char delimiter = 0; // 0: detect
    DateOrder dateOrder = DateOrder::Auto;
};

struct FieldMapping {
    std::string field;  // canonical name, or the header itself for extra columns
    std::string header; // source header ("" when the field is not in the file)
    int sourceColumn = -1;
    ColumnType type = ColumnType::String;
    bool extra = false; // a column kept as is, not a canonical field
};

struct RejectedRow {
    std::uint64_t line = 0;   // 1-based physical line in the file
    std::uint64_t record = 0; // 1-based data record (header excluded)
    std::string column;       // source header of the failing cell, or "" for row-level problems
    std::string raw;          // the failing cell's text
    std::string expected;     // what was expected, e.g. "money like 1250.00"
    std::vector<std::string> fields; // the whole original row
};

struct ImportReport {
    std::string fileName;
    std::uint64_t bytes = 0;
    std::string sha256;
    std::string encoding = "utf-8";
    char delimiter = ',';
    std::uint64_t rowsRead = 0;
    std::uint64_t rowsAccepted = 0;
    std::uint64_t rowsRejected = 0;
    std::vector<std::string> header;
    std::vector<FieldMapping> mapping;
    std::vector<RejectedRow> rejects;
    std::vector<std::string> warnings;
};

struct ImportResult {
    bool ok = false;
    std::string error; // set when the file could not be read at all
    Table table;
    ImportReport report;
};

// Reads `bytes` as the dataset kind in `opt`. Never throws on bad input: unreadable files give
// ok=false with a specific error; bad rows are rejected into the report with the reason.
ImportResult importCsv(std::string_view bytes, const ImportOptions& opt, std::shared_ptr<StringPool> pool);

// The rejected rows as CSV: the original header plus `_line` and `_reason` columns.
std::string rejectsToCsv(const ImportReport& report);

// Header normalisation used for matching: lower case, spaces/underscores/dashes removed.
std::string normalizeHeader(std::string_view h);

} // namespace terrane
