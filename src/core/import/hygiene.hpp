// Data hygiene: the checks a Sales Ops analyst runs by hand on every CRM export, with counts, the
// affected rows (for click-through and map highlight) and a completeness score per file.
//
// Index
//  [SECTION] report     findings and completeness
//  [SECTION] checks     checkHygiene and its sliced Job
//  [SECTION] actions    merging spellings that differ only by case or spacing
#pragma once

#include "core/base/job.hpp"
#include "core/scenario/workspace.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace terrane {

// [SECTION] report
struct HygieneOptions {
    Date asOf = 0;                      // "today" for close dates and activity
    int staleDays = 30;                 // late-stage deals without activity for this long
    double lateStageProbability = 0.5;  // open deals at or above this probability are late-stage
    double outlierZ = 3.5;              // modified z-score on log10 values (Iglewicz and Hoaglin)
};

enum class FindingSeverity : std::uint8_t { Info, Warning, Error };
const char* findingSeverityName(FindingSeverity s); // "info", "warning", "error"

// Values of one column that differ only by case or spacing, and the spelling to keep.
struct SpellingGroup {
    std::string canonical;
    std::vector<std::string> variants; // the other spellings
    std::uint64_t cells = 0;           // cells holding a variant
};

struct Finding {
    std::string id;    // stable key, e.g. "probable_duplicate_accounts"
    std::string title; // "Probable duplicate accounts"
    std::string basis; // how it is computed, one or two sentences
    DatasetKind dataset = DatasetKind::Accounts;
    std::string column; // the column checked, when there is one
    FindingSeverity severity = FindingSeverity::Warning;
    std::uint64_t count = 0;                 // affected rows of `dataset`
    std::vector<std::uint32_t> rows;         // those rows (table row numbers), ascending or grouped
    std::vector<std::uint32_t> groups;       // duplicates: group number of each entry of `rows`
    std::vector<std::uint32_t> accountRows;  // accounts to highlight on the map
    std::vector<SpellingGroup> spellings;    // spelling findings
    bool checked = true;
    std::string skipped; // why the check could not run (a column or dataset is missing)
};

struct FieldFill {
    std::string field;
    double filled = 0; // share of rows with a value
};

struct FileCompleteness {
    DatasetKind kind = DatasetKind::Accounts;
    std::string fileName; // the source file, "sample" for generated data
    std::uint64_t rows = 0;
    double score = 0; // mean of the key fields' fill shares
    std::vector<FieldFill> fields;
};

struct HygieneReport {
    std::vector<Finding> findings;
    std::vector<FileCompleteness> completeness;
    Date asOf = 0;
    int staleDays = 30;
    const Finding* find(std::string_view id) const;
    // Findings with count > 0.
    std::size_t problems() const;
};

// [SECTION] checks
// All checks on `ws`: duplicate ids, probable duplicate accounts, unknown accounts and owners,
// spelling variants, open deals past their close date, late-stage deals without a next step or
// recent activity, zero/negative and missing amounts, outliers, accounts without a location.
HygieneReport checkHygiene(const Workspace& ws, const HygieneOptions& opt);

// The same checks in slices, for the page. The workspace must not change while it runs.
class HygieneJob : public Job {
  public:
    HygieneJob(const Workspace& ws, HygieneOptions opt);
    ~HygieneJob() override;
    std::string title() const override { return "Checking data quality"; }
    bool step(double budgetMs) override;
    double progress() const override;
    std::string detail() const override;
    HygieneReport& report();

  private:
    struct State;
    std::unique_ptr<State> m_s;
};

// JSON for the CLI: counts per finding with up to `maxRows` example rows (ids), completeness.
std::string hygieneToJson(const Workspace& ws, const HygieneReport& r, std::size_t maxRows);
// Every finding with every affected row, as CSV: finding, title, severity, dataset, row (1-based
// in the dataset), id, detail (the checked column's value; the duplicate group). Text from the
// files is defused so a spreadsheet does not run it.
std::string findingsToCsv(const Workspace& ws, const HygieneReport& r);

// Company names compared for duplicates: case, accents, punctuation and legal suffixes (Ltd,
// Limited, Inc, LLC, Corp, GmbH, plc, ...) removed, "&" read as "and", spaces dropped.
std::string normalizeCompanyName(std::string_view name);

// [SECTION] actions
// Whether a finding's spelling groups merge through mergeProductNames (products and opportunities)
// rather than mergeSpellings on its own column.
bool isProductNameFinding(const Finding& f);
// Rewrites every products.name and opportunities.product cell holding one of `variants` to
// `canonical`; one DataEdit per dataset changed. Returns the cells changed.
std::uint64_t mergeProductNames(Workspace& ws, const std::vector<std::string>& variants, std::string_view canonical);
// Rewrites every cell of `column` in dataset `kind` that holds one of `variants` to `canonical`,
// records a DataEdit in `ws`, and returns the number of cells changed. Throws
// std::invalid_argument when the column does not exist or is not text.
std::uint64_t mergeSpellings(Workspace& ws, DatasetKind kind, std::string_view column, const std::vector<std::string>& variants,
                             std::string_view canonical);

} // namespace terrane
