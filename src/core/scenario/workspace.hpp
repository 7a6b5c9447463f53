// The Workspace: every dataset the user brought plus the scenarios built on them.
#pragma once

#include "core/scenario/scenario.hpp"
#include "core/data/schema.hpp"
#include "core/data/table.hpp"
#include "core/data/values.hpp"
#include "core/import/stages.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace terrane {

// Where a dataset came from (recorded so every figure can be traced to a file).
struct SourceFile {
    DatasetKind kind = DatasetKind::Accounts;
    std::string name;
    std::uint64_t bytes = 0;
    std::string sha256;
    std::uint64_t rowsAccepted = 0;
    std::uint64_t rowsRejected = 0;
    std::uint64_t rowsRead = 0;
    std::string encoding;   // "utf-8", "windows-1252", ...
    char delimiter = ',';
    std::vector<std::string> fields; // canonical fields the file supplied (mapped columns)
};

// A change made to imported data after the import (a merge of spellings), for the audit trail.
struct DataEdit {
    DatasetKind kind = DatasetKind::Accounts;
    std::string description; // "Merged 'closed won' into 'Closed Won' in opportunities.stage (3 cells)"
    std::uint64_t cells = 0;
};

// Options that shape the figures (saved with the workspace in scenario files).
struct MetricsOptions {
    // Targets follow the owner's capacity (reps.capacity: ramping reps get less). When false,
    // every territory's target is the mean.
    bool capacityAdjusted = true;
    // Capacity planned for a vacant seat (a hire ramps during the year).
    double vacantCapacity = 0.5;
    // The band used to flag territories outside tolerance, as a fraction of target.
    double tolerance = 0.05;
};

// Choices that shape how files are read and checked and how the figures are computed; saved
// with the workspace.
struct WorkspaceSettings {
    DateOrder ambiguousDateOrder = DateOrder::MDY; // date columns whose values fit DD/MM and MM/DD
    int staleDays = 30; // late-stage deals with no activity for this long are flagged
    MetricsOptions metrics;
    // The opportunities' stages and what each means (open / won / lost); outcomes are read
    // through it when the file had no closed/won columns (core/import/stages.hpp).
    StageTable stages;
};

class Workspace {
  public:
    Workspace();

    std::shared_ptr<StringPool> pool;
    std::array<Table, kDatasetKindCount> tables;
    std::vector<SourceFile> sources;
    WorkspaceSettings settings;
    std::vector<DataEdit> dataEdits;
    std::vector<Scenario> scenarios;
    std::size_t activeScenario = 0;
    std::string name = "Untitled workspace";

    Table& table(DatasetKind k) { return tables[static_cast<std::size_t>(k)]; }
    const Table& table(DatasetKind k) const { return tables[static_cast<std::size_t>(k)]; }
    Table& accounts() { return table(DatasetKind::Accounts); }
    const Table& accounts() const { return table(DatasetKind::Accounts); }
    Table& reps() { return table(DatasetKind::Reps); }
    const Table& reps() const { return table(DatasetKind::Reps); }
    Table& territories() { return table(DatasetKind::Territories); }
    const Table& territories() const { return table(DatasetKind::Territories); }
    Table& opportunities() { return table(DatasetKind::Opportunities); }
    const Table& opportunities() const { return table(DatasetKind::Opportunities); }

    Scenario& baseline() { return scenarios.front(); }
    const Scenario& baseline() const { return scenarios.front(); }
    Scenario& active() { return scenarios[activeScenario]; }
    const Scenario& active() const { return scenarios[activeScenario]; }

    // Gives every dataset table its canonical columns (empty tables keep their schema).
    void ensureSchemas();
    // Rebuilds id indexes of all tables after a load.
    void rebuildIndexes();
    // Adds leaf territories for any territory named by accounts but missing from the
    // territories table, then rebuilds the baseline scenario (scenario 0) from the territories
    // table and the accounts' territory and locked columns. Other scenarios are dropped.
    void rebuildBaseline();
    // A new scenario that starts as a copy of `from` (its current state, without its history);
    // returns its index.
    std::size_t addScenarioCopy(std::size_t from, std::string name);
    // A name not used by any scenario yet ("Scenario 3").
    std::string freshScenarioName(std::string_view stem = "Scenario") const;
    // Whether `field` of dataset `kind` came from the data: mapped from a column of its source
    // file, or present in generated data (no source recorded).
    bool suppliedField(DatasetKind kind, std::string_view field) const;
};

} // namespace terrane
