// The .terrane scenario file: everything needed to reproduce a plan (datasets, scenarios as
// command logs, settings, seeds), a results summary, a SHA-256 of the content, and the review
// trail (comments and approvals) sealed by a hash chain. Format: src/core/scenario/SCENARIO_FORMAT.md.
//
// Index
//  [SECTION] review     comments and approvals, hash chain
//  [SECTION] redaction  what a shared copy hides
//  [SECTION] save/load  serialisation, validation of untrusted files, migration
#pragma once

#include "core/scenario/workspace.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace terrane {

inline constexpr int kScenarioSchemaVersion = 2;

// [SECTION] review
struct ReviewEntry {
    enum class Kind : std::uint8_t { Comment, Approval } kind = Kind::Comment;
    std::string author;
    std::string decision; // approvals: "approved", "rejected" or "changes requested"
    std::string text;     // comment text or approval note
    std::string scenario; // the scenario it is about ("" for the whole file)
    std::int64_t timeMs = 0;
    std::string contentSha256; // content the entry was made on
    std::string previousHash;  // hash of the previous entry ("" for the first)
    std::string hash;          // SHA-256 over the fields above
};

// Appends an entry sealed to `contentSha256` and to the previous entry.
void appendReview(std::vector<ReviewEntry>& trail, ReviewEntry entry, const std::string& contentSha256);
// "" when the chain is intact, else what is wrong ("entry 2 was altered").
std::string verifyReviewChain(const std::vector<ReviewEntry>& trail);

// [SECTION] redaction
struct Redaction {
    enum class RepNames : std::uint8_t { Keep, Initials, Aliases } repNames = RepNames::Keep;
    bool hideAccountNames = false; // account names become their ids
    bool bandMoney = false;        // account-level money becomes the lower bound of its band
    std::vector<std::string> omitColumns; // "accounts.industry", "opportunities.next_step", ...
    bool any() const { return repNames != RepNames::Keep || hideAccountNames || bandMoney || !omitColumns.empty(); }
};
// Money bands used when banding: 0, 10K, 50K, 250K, 1M, 5M, 25M (major units).
std::string moneyBandLabel(Money m);
// Applies the redaction to a copy of the workspace's datasets (figures computed before
// redaction are kept by the caller in the results summary).
void applyRedaction(Workspace& ws, const Redaction& r);

// [SECTION] save/load
struct ScenarioFileMeta {
    int schemaVersion = kScenarioSchemaVersion;
    std::string appVersion;
    std::string created; // ISO 8601 UTC
    std::string author;
    std::string title;
    std::string description;
    std::string contentSha256;
    Redaction redaction;
    std::vector<ReviewEntry> review;
    std::string resultsJson; // the results summary as saved (headline figures per scenario)
};

struct SaveOptions {
    std::string author, title, description;
    Redaction redaction;
    std::int64_t nowMs = 0; // 0: the current time
    bool includeDatasets = true; // false: the datasets go separately (see datasetsJson)
    bool includeResults = true;
};

// The datasets section alone, and a document with it put back (autosave stores them apart,
// so an edit rewrites only the small part).
std::string datasetsJson(const Workspace& ws);

// Writes datasetsJson's text in steps, so a large workspace (1M accounts) is serialised across
// frames. The workspace's datasets must not change between steps: the caller starts again when
// they do.
class DatasetsJsonWriter {
  public:
    // `omit`: columns left out, as "accounts.industry" (redaction).
    explicit DatasetsJsonWriter(const Workspace& ws, std::vector<std::string> omit = {});
    // Writes about `cells` more values; true when the text is complete.
    bool step(std::size_t cells);
    bool done() const { return m_done; }
    double progress() const; // 0..1, by cells written
    std::string take();
    // The text written since the last call (the chunks in order make the whole text), for
    // callers that pass it on as it comes instead of holding it all.
    std::string takeChunk();
    std::size_t pendingBytes() const { return m_out.size(); }

  private:
    enum class Phase : std::uint8_t { TableHead, Scan, Dict, Values };
    void putString(std::string_view s);
    void putDouble(double v);
    void putInt(std::int64_t v);

    const Workspace* m_ws;
    std::string m_out;
    int m_kind = 0;
    int m_tables = 0;
    std::vector<std::string> m_omit;
    std::size_t m_col = 0, m_row = 0, m_colsWritten = 0;
    Phase m_phase = Phase::TableHead;
    bool m_dict = false, m_done = false;
    std::unordered_map<std::uint32_t, std::uint32_t> m_code; // string id -> dictionary index
    std::vector<std::uint32_t> m_order;                      // dictionary index -> string id
    std::size_t m_cellsTotal = 0, m_cellsDone = 0;
};
std::string withDatasets(std::string_view documentWithoutDatasets, std::string_view datasets);
// The datasets section built as a JSON document and dumped: the reference the writer above is
// checked against (tests), slow for big workspaces.
std::string datasetsJsonViaDocument(const Workspace& ws);

// The .terrane JSON document for `ws`. `review` carries the existing review trail (kept as is).
std::string saveScenarioFile(const Workspace& ws, const SaveOptions& opt, const std::vector<ReviewEntry>& review = {});

struct LoadLimits {
    std::uint64_t maxBytes = 1ull << 30;
    std::uint64_t maxRows = 20'000'000;
    std::uint32_t maxColumns = 512;
    std::uint64_t maxCommands = 2'000'000;
    std::uint32_t maxDepth = 64;
};

struct ScenarioFileLoad {
    bool ok = false;
    std::string error; // why the file cannot be opened (the caller's workspace is untouched)
    std::vector<std::string> warnings;
    Workspace ws;
    ScenarioFileMeta meta;
    bool tampered = false;            // content differs from its recorded SHA-256
    bool changedAfterApproval = false; // content differs from what the last approval sealed
    std::string reviewProblem;        // a broken review chain
    int migratedFrom = 0;             // the older schema version it was migrated from, 0 if none
    // Saved results that the replayed plan does not give (they are outside the content hash), as
    // "results[1].max_deviation.potential (scenario 'Plan B'): the file says 0.01, recomputed 0.0734";
    // each is also in `warnings`.
    std::vector<std::string> resultsDifferences;
};

// Treats `bytes` as untrusted: size and nesting limits, schema validation, migration of older
// versions, a clear refusal of newer ones; commands are replayed through core validation, and the
// saved results are recomputed from the replayed plan and compared (not for redacted files).
ScenarioFileLoad loadScenarioFile(std::string_view bytes, const LoadLimits& limits = {});

// The canonical content hash of a parsed document (review and hash fields excluded).
std::string contentHashOf(std::string_view documentJson);

// Headline figures of every scenario of a workspace (the "results" section of a file).
std::string scenarioResultsJson(const Workspace& ws);
// What `terrane scenario summary` prints and the page's review mode shows: file facts, integrity,
// review trail, and the figures recomputed from the file's data.
std::string scenarioFileSummaryJson(const ScenarioFileLoad& file);

} // namespace terrane
