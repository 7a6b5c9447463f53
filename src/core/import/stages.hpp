// Deal outcomes from stages: the stage table of an opportunities dataset (each distinct stage,
// its deal count, whether it means open, won or lost, its order and probability, and where that
// meaning came from) and the one rule that writes is_closed / is_won (and probability) from it,
// so every reader of outcomes (summary, hygiene, quotas, metrics) sees the same answer.
//
// Index
//  [SECTION] names         what a stage's name says (any case, spacing, punctuation)
//  [SECTION] table         the stage table, inferred from names, then the data, then the user
//  [SECTION] apply         outcomes and probabilities written into the opportunities
//  [SECTION] json          the table and user choices as JSON (workspace, remembered mappings)
#pragma once

#include "core/data/table.hpp"
#include "core/data/values.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace terrane {

// [SECTION] names
enum class StageOutcome : std::uint8_t { Open, Won, Lost };
// Where a stage's meaning came from: its name, the data (probabilities, close dates, the file's
// closed/won columns), the user, or nothing (an unknown name with no evidence is taken as open).
enum class StageSource : std::uint8_t { Name, Data, File, User, Assumed };

const char* stageOutcomeName(StageOutcome o); // "open", "won", "lost"
bool parseStageOutcome(std::string_view text, StageOutcome& out);
const char* stageSourceName(StageSource s); // "name", "data", "file", "user", "assumed"

struct StageNameMeaning {
    bool known = false;  // the name says open, won or lost
    bool closed = false; // the name says closed without saying won or lost ("Closed")
    StageOutcome outcome = StageOutcome::Open;
    double probability = std::nan(""); // a CRM's default for this open stage, when it is a common one
    int rank = -1;                     // position among common open stages (pipeline order), -1 unknown
};
// What `name` says: "Closed Won", "closed_won", "closedwon", "Won", "Signed" are won; "Lost",
// "Closed - Lost", "Dead", "Disqualified", "No decision" are lost; "Prospecting",
// "Appointment scheduled", "In progress" are open.
StageNameMeaning classifyStageName(std::string_view name);

// [SECTION] table
struct StageRow {
    std::string name;
    std::uint64_t count = 0; // deals in the stage
    StageOutcome outcome = StageOutcome::Open;
    int order = 0;                     // 1-based position in the pipeline (open stages first)
    double probability = std::nan(""); // 0..1; NaN when unknown
    StageSource source = StageSource::Assumed;
    std::string why; // one line: what decided the meaning
};

struct StageTable {
    std::vector<StageRow> stages; // in order
    // The opportunities had no closed / won columns: their outcomes come from this table.
    bool outcomesFromStages = false;
    // The opportunities had no probability column: each deal takes its stage's probability.
    bool probabilityFromStages = false;
    std::vector<std::string> warnings; // e.g. a stage named "Closed" that says neither won nor lost

    bool empty() const { return stages.empty(); }
    // By name, ignoring case, spaces and punctuation.
    const StageRow* find(std::string_view name) const;
    StageRow* find(std::string_view name);
    std::uint64_t deals(StageOutcome o) const;
};

struct StageInputs {
    bool outcomeColumns = false;     // the file supplied is_closed and is_won
    bool probabilityColumn = false;  // the file supplied probability
    Date asOf = kDateNull;           // "in the past" for the close-date rule; kDateNull: not used
    const Table* history = nullptr;  // stage history (opportunity_id, stage, date), for the order
    std::vector<StageRow> user;      // the user's choices (matched by name), applied last
};

// The stage table of `opp` (its stage column): each stage's meaning from its name; for names that
// say nothing, from the data (every deal at probability 100% or 0%; the file's closed/won
// columns; every deal with an amount and a close date in the past while other stages have deals
// closing later); the user's choices over both. Order: stage history when given, else
// probability and common pipeline order, won then lost last.
StageTable inferStages(const Table& opp, const StageInputs& in);

// The user's choices in `t` (rows whose source is User).
std::vector<StageRow> userStageRows(const StageTable& t);
// Sets (or replaces) a user choice for the stage named `row.name` in `user`.
void setUserStage(std::vector<StageRow>& user, StageRow row);

// [SECTION] apply
// Writes is_closed / is_won of every deal from its stage's meaning when the table says outcomes
// come from stages (and for stages the user set, always), and probability when the file had
// none. Returns the number of cells changed.
std::uint64_t applyStageOutcomes(Table& opp, const StageTable& t);

// A status column beside the stage (Pipedrive's and Dynamics' open / won / lost): when at least
// 95% of its non-empty cells say open, won or lost (classifyStageName), writes is_closed / is_won
// of every deal from it (a cell that says nothing: open) and returns true; otherwise changes
// nothing and returns false.
bool applyStatusOutcomes(Table& opp);

// [SECTION] json
std::string stageTableToJson(const StageTable& t);
bool stageTableFromJson(std::string_view text, StageTable& out, std::string& error);
// "Signed=won", "Demo=open:40%" (CLI --stage): a user choice; false with `error` when malformed.
bool parseStageChoice(std::string_view text, StageRow& out, std::string& error);

} // namespace terrane
