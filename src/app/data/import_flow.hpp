// The page's import flow: files waiting for the mapping dialog with their previews and the
// user's choices, reports of finished imports, remembered mappings and the data-quality report.
#pragma once

#include "core/import/hygiene.hpp"
#include "core/import/import.hpp"
#include "core/import/merge.hpp"

#include <array>
#include <optional>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace terrane {

// A file read by the page, waiting for the user to confirm kind and mapping.
struct PendingFile {
    std::string name;
    std::string bytes;
    std::string sha256; // from the host (WebCrypto), or empty
    ImportPreview preview;
    DatasetKind kind = DatasetKind::Accounts;
    std::vector<int> fieldColumn; // per fieldsOf(kind): the source column, or -1
    DateOrder dateOrder = DateOrder::Auto;
    char delimiter = 0;                  // 0: as detected
    std::vector<StageRow> stageChoices;  // opportunities: the user's meaning of stages
    std::vector<std::pair<std::string, double>> multipliers; // field -> factor (a column in thousands)
};

// The outcome of one import, for the report view.
struct ImportRecord {
    std::string fileName;
    bool ok = false;
    std::string error;  // when the file could not be read
    bool skipped = false; // a CRM file Terrane does not plan with (contacts, leads, ...)
    std::string reason;   // skipped: the one-line reason
    bool merged = false;  // imported into rows already there: `mode` and `counts` say how
    ImportMode mode = ImportMode::Replace;
    MergeCounts counts;
    ImportReport report;
};

// A read file whose kind already holds rows, waiting for replace / add / update by id.
struct AwaitingMode {
    std::string name;
    std::shared_ptr<StringPool> pool;
    std::shared_ptr<ImportResult> result;
    std::array<MergeCounts, 3> counts{}; // by ImportMode
    bool canUpdate = false;              // the kind has ids
};

struct ImportFlow {
    std::deque<PendingFile> pending;
    std::vector<ImportRecord> records;
    std::optional<AwaitingMode> awaitingMode;
    MappingMemory memory;
    HygieneReport hygiene;
    bool hygieneValid = false;   // `hygiene` describes the current workspace
    bool hygieneQueued = false;  // a hygiene job is waiting or running
    // The pool imports intern into while the workspace is still the built-in sample; the first
    // successful import replaces the sample with a workspace over this pool.
    std::shared_ptr<StringPool> freshPool;
};

// Builds the preview of `file` for its current kind and choices (explicit when `useChoices`).
void refreshPreview(PendingFile& file, const MappingMemory& memory, DateOrder ambiguous, bool useChoices);
// The options that import `file` exactly as the dialog shows it.
ImportOptions importOptionsFor(const PendingFile& file, DateOrder ambiguous);

} // namespace terrane
