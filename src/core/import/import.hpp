// Importing a CSV export into a typed dataset table, with a report that loses nothing.
//
// Index
//  [SECTION] options and report
//  [SECTION] preview       the start of a file, for the mapping dialog
//  [SECTION] job           the whole file, in slices (progress, cancel)
//  [SECTION] helpers
#pragma once

#include "core/io/encoding.hpp"
#include "core/geo/geocode.hpp"
#include "core/base/job.hpp"
#include "core/import/mapping.hpp"
#include "core/import/stages.hpp"
#include "core/data/schema.hpp"
#include "core/data/table.hpp"
#include "core/data/values.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace terrane {

// [SECTION] options and report
struct ImportOptions {
    DatasetKind kind = DatasetKind::Accounts;
    bool detectKind = false; // choose the kind from the header (guessKinds) instead of `kind`
    std::string fileName;
    // Explicit field -> source header pairs; a pair with an empty header leaves the field
    // unmapped. Other fields come from a remembered mapping for this header, else by alias.
    std::vector<std::pair<std::string, std::string>> mapping;
    const MappingMemory* memory = nullptr;
    // Opportunities: the user's meaning of stages ("Signed" is won); with those of a remembered
    // mapping for the same header, they shape the stage table (stages.hpp) of the import.
    std::vector<StageRow> stages;
    // Per field: a factor its numbers are multiplied by ("revenue" x 1,000,000 for a column in
    // millions). Money stays exact: the product is rounded to the cent.
    std::vector<std::pair<std::string, double>> multipliers;
    Date asOf = kDateNull;                         // "in the past" for the stage table; kDateNull: today
    char delimiter = 0;                            // 0: detect
    // Decimal separator of numbers: 0 decides by the file (',' in semicolon-separated files, as
    // European Excel writes them, else '.'); ',' reads "1.234,5" as 1234.5.
    char decimalSeparator = 0;
    DateOrder dateOrder = DateOrder::Auto;         // Auto: decided per column from the data
    DateOrder ambiguousDateOrder = DateOrder::MDY; // for columns whose dates fit both orders
    bool geocode = true;                           // accounts: fill lat/lon, write geo_precision
    // The SHA-256 (lowercase hex) of the bytes when the host already computed it (the page uses
    // the browser's native WebCrypto while the file is read); empty: the job computes it.
    std::string knownSha256;
    // Native builds read the rows of a large file on several threads, each from a line end near
    // its share of the text, and merge them in file order: the table, pool ids and report are
    // those of reading in order. The page, and text smaller than this after the header, read in
    // order on one thread; rowThreads 0 takes one thread per core (up to 8), 1 reads in order.
    std::size_t parallelMinBytes = std::size_t{8} << 20;
    unsigned rowThreads = 0;
    bool mergeEveryPart = false; // tests: the job reads none of the parts itself, it merges them all
};

struct FieldMapping {
    std::string field;  // canonical name, or the column name for extra columns
    std::string header; // source header ("" when the field is not in the file)
    int sourceColumn = -1;
    ColumnType type = ColumnType::String;
    bool extra = false;  // a column kept as text, not a canonical field
    std::string source;  // "explicit", "remembered", "alias", "" (not mapped), "extra"
};

// What one source column holds, for the mapping dialog and the report.
struct ColumnProfile {
    std::string header;
    std::string field;                      // canonical field it feeds, "" for an extra column
    ColumnType detected = ColumnType::String; // what the values look like
    ColumnType target = ColumnType::String;   // what the field needs
    std::uint64_t values = 0;   // non-empty cells
    std::uint64_t empty = 0;    // empty or null-spelled cells
    std::uint64_t failures = 0; // cells that do not parse as the target type
    std::vector<std::string> failSamples; // up to 5 distinct failing values
    std::vector<std::string> samples;     // up to 3 distinct values
    DateOrder dateOrder = DateOrder::Auto; // dates: the order used
    bool dateOrderAmbiguous = false;       // the data fits both orders; the setting decided
    std::string note;                      // e.g. "read as percentages"
    double multiplier = 1;                 // the factor applied (ImportOptions::multipliers)
    double suggestedMultiplier = 0;        // money that looks like thousands or millions: 1e3 or 1e6
};

struct RejectedRow {
    std::uint64_t line = 0;   // 1-based physical line in the file
    std::uint64_t record = 0; // 1-based data record (header excluded)
    std::string column;       // source header of the failing cell, or "" for row-level problems
    std::string raw;          // the failing cell's text
    std::string expected;     // what was expected, e.g. "an amount like 1250.00"
    std::string text;         // the record as it is in the file (after decoding to UTF-8)
};

struct ImportReport {
    std::string fileName;
    std::uint64_t bytes = 0;
    std::string sha256;
    std::string encoding = "utf-8";
    char delimiter = ',';
    char decimalSeparator = '.';
    DatasetKind kind = DatasetKind::Accounts;
    bool kindDetected = false; // chosen from the header
    std::string signature;     // headerSignature of the header
    bool rememberedMapping = false;
    std::uint64_t rowsRead = 0;
    std::uint64_t rowsAccepted = 0;
    std::uint64_t rowsRejected = 0;
    std::vector<std::string> header;
    std::vector<FieldMapping> mapping;
    std::vector<ColumnProfile> columns; // one per source column, in file order
    std::vector<RejectedRow> rejects;
    std::vector<std::string> warnings;
    std::vector<StageRow> stageChoices; // opportunities: the user's stage meanings (options, remembered)
    GeocodeSummary geocode; // accounts only
    std::uint32_t partsMerged = 0; // natively: stretches of rows read on other threads and merged
    double elapsedMs = 0;   // time spent in the job's steps
};

struct ImportResult {
    bool ok = false;
    std::string error; // set when the file could not be read at all
    Table table;
    ImportReport report;
};

// [SECTION] preview
struct ImportPreview {
    bool ok = false;       // readable and the mapping covers the required fields
    bool readable = false; // CSV text with a header row (`error` may be a mapping problem)
    std::string error;
    std::string encoding;
    char delimiter = ',';
    char decimalSeparator = '.';
    std::uint64_t bytes = 0;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows; // the first rows, as text
    std::vector<KindGuess> kinds;               // ranked
    DatasetKind kind = DatasetKind::Accounts;
    bool kindConfident = false;
    bool rememberedMapping = false;
    std::string signature;
    std::vector<FieldMapping> mapping;  // canonical fields first, then extras
    std::vector<ColumnProfile> columns; // profiles over the sampled rows
    std::uint64_t sampledRows = 0;
    StageTable stages;                  // opportunities with a stage column: over the sampled rows
    std::vector<std::string> warnings;
};

// Reads the start of `bytes` (about 1 MB) and proposes kind, mapping and types, as importing
// with `opt` would. `sampleRows` rows are profiled; the first `previewRows` are returned as text.
ImportPreview previewImport(std::string_view bytes, const ImportOptions& opt, std::size_t sampleRows = 2000,
                            std::size_t previewRows = 8);

// [SECTION] job
// The import of one file as a Job: decode, hash, parse and type every row, settle per-column
// date orders, geocode accounts. The result is ready when step() returns true; nothing outside
// the job changes except strings interned into `pool`.
class ImportJob : public Job {
  public:
    // Views `bytes`, which must outlive the job.
    ImportJob(std::string_view bytes, ImportOptions opt, std::shared_ptr<StringPool> pool);
    // Owns `bytes`.
    ImportJob(std::string&& bytes, ImportOptions opt, std::shared_ptr<StringPool> pool);
    ~ImportJob() override;

    std::string title() const override;
    bool step(double budgetMs) override;
    double progress() const override;
    std::string detail() const override;

    bool finished() const;
    ImportResult& result();
    const ImportOptions& options() const;

  private:
    struct State;
    std::unique_ptr<State> m_s;
};

// Runs an ImportJob to completion. Never throws on bad input: unreadable files give ok=false
// with a specific error; bad rows are rejected into the report with the reason.
ImportResult importCsv(std::string_view bytes, const ImportOptions& opt, std::shared_ptr<StringPool> pool);

// [SECTION] helpers
// The rejected rows as CSV: the original header plus `_line` and `_reason` columns.
std::string rejectsToCsv(const ImportReport& report);
// What a column of type `t` expects, for messages ("an amount like 1250.00").
const char* expectedText(ColumnType t);
// The type values look like: the first of bool, date, integer, money, number that at least 95%
// of the non-empty values fit; text otherwise.
ColumnType detectValueType(const std::vector<std::string_view>& values);

} // namespace terrane
