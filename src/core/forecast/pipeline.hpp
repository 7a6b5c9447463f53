// The pipeline as it stood on a date D: every deal created by D, with the stage, amount, close
// date, probability and forecast category the stage history gave it on D (the export's values
// where nothing changed after D), an outcome only when it closed by D, its close-date pushes and
// its stage history up to D. Nothing after D leaks into a snapshot: a snapshot of the full data
// equals one of the data cut at D (tests/unit/test_pipeline.cpp checks it as a property).
//
// Limitation: a deal that closed after D and has no stage history keeps its exported amount and
// close date; its stage on D is unknown (stage empty, stageKnown false) and so are its
// probability and forecast category.
//
// Index
//  [SECTION] deal        one deal as it stood on D, and one step of its stage history
//  [SECTION] source      the workspace's deals resolved once (history grouped, owners' regions)
//  [SECTION] snapshot    the pipeline on D
#pragma once

#include "core/base/types.hpp"
#include "core/scenario/workspace.hpp"

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace terrane::forecast {

// [SECTION] deal
enum class DealOutcome : std::uint8_t { Open, Won, Lost };
const char* dealOutcomeName(DealOutcome o); // "open", "won", "lost"

// The forecast categories of Salesforce (Pipeline, Best Case, Commit, Closed, Omitted) and their
// spellings elsewhere ("best_case", "COMMIT", "Upside" is Best Case); None when empty or unknown.
enum class ForecastCategory : std::uint8_t { None, Pipeline, BestCase, Commit, Closed, Omitted };
ForecastCategory categoryOf(std::string_view text);
const char* forecastCategoryName(ForecastCategory c); // "", "Pipeline", "Best Case", "Commit", "Closed", "Omitted"

// One stage-history row of a deal (fields the history lacks are null: kMoneyNull, kDateNull,
// NaN, empty).
struct StageStep {
    Date date = kDateNull;
    std::string_view stage;
    int stageOrder = 0; // 1-based position in the workspace's stage table; 0 when not in it
    DealOutcome stageOutcome = DealOutcome::Open;
    Money amount = kMoneyNull;
    Date closeDate = kDateNull;
    double probability = std::nan(""); // 0..1
    std::string_view forecastCategory;
};

// A deal as it stood on the snapshot's date. Text fields are views into the workspace's string
// pool (empty when the data has none).
struct Deal {
    std::uint32_t row = 0; // row of the opportunities table
    std::string_view id, accountId, owner;
    std::string_view region, manager; // from the owner's row in reps, when present
    std::string_view segment;         // from the account's row in accounts, when present
    std::string_view product;
    std::string_view stage; // empty when unknown on D (closed later, no history)
    int stageOrder = 0;     // 1-based position in ws.settings.stages; 0 when unknown
    bool stageKnown = true;
    Money amount = kMoneyNull;
    Date created = kDateNull;
    Date closeDate = kDateNull; // expected close (open) or the close date (closed); may be null
    DealOutcome outcome = DealOutcome::Open;
    Date closedOn = kDateNull;         // when it was won or lost; only set when <= D
    double probability = std::nan(""); // the CRM's (its stage's default when only that is known), 0..1; NaN when absent
    std::string_view forecastCategory;
    Date lastActivity = kDateNull; // only when <= D
    int pushes = 0;                // close-date pushes seen in the history up to D
    int pushDays = 0;              // total days the close date moved out
    Date stageEntered = kDateNull; // when the current stage was entered, when the history says
    bool fromHistory = false;      // stage / amount / close date are the history's values on D
    std::uint32_t firstStep = 0, stepCount = 0; // its history up to D in PipelineSnapshot::steps

    bool open() const { return outcome == DealOutcome::Open; }
    bool won() const { return outcome == DealOutcome::Won; }
};

// [SECTION] source
// The workspace's deals resolved once: export values, final outcomes and close dates, history
// grouped per deal and sorted by date, owners' regions and accounts' segments. Snapshots at many
// dates (a backtest) read it without touching the tables again. Holds views into the
// workspace's string pool: the workspace must outlive it.
struct PipelineSource {
    std::vector<Deal> deals;            // as exported; outcome and closedOn final
    std::vector<std::uint32_t> stepOf;  // deals.size() + 1 offsets into steps
    std::vector<StageStep> steps;       // every deal's history, by date
    std::vector<std::string> stageNames;  // the stage table's names, in order
    std::vector<double> stageProbability;     // the stage table's probabilities (NaN unknown)
    Date dataEnd = kDateNull; // the latest date in the data (taken as the export date)
    bool hasHistory = false;  // some history rows belong to known deals
    bool historyAmounts = false, historyCloseDates = false, historyProbabilities = false, historyCategories = false;
    bool hasCloseDates = false, hasCategories = false, hasProbability = false, hasActivity = false;
    bool hasOwner = false, hasRegion = false, hasManager = false, hasSegment = false, hasProduct = false;
    std::size_t unmatchedHistory = 0; // history rows naming no known opportunity
    std::size_t createdAfterClose = 0; // closed deals whose created date came after their close (taken as created by then)
};

// The stage table is the workspace's (ws.settings.stages); a workspace without one (the
// generated sample, a table built by hand) gets one inferred from its stage names and history.
PipelineSource pipelineSource(const Workspace& ws);

// [SECTION] snapshot
struct PipelineSnapshot {
    Date asOf = kDateNull;
    std::vector<Deal> deals; // created by asOf, in row order
    std::vector<StageStep> steps;
    bool hasHistory = false;
    bool hasCloseDates = false, hasCategories = false, hasProbability = false, hasActivity = false;
    bool hasOwner = false, hasRegion = false, hasManager = false, hasSegment = false, hasProduct = false;
    std::vector<std::string> stageNames; // the stage table's names, in order
    std::size_t unknownStage = 0; // open deals whose stage on D is unknown (closed later, no history)

    std::span<const StageStep> history(const Deal& d) const {
        return {steps.data() + d.firstStep, d.stepCount};
    }
};

PipelineSnapshot snapshotAsOf(const PipelineSource& src, Date asOf);
PipelineSnapshot snapshotAsOf(const Workspace& ws, Date asOf);

} // namespace terrane::forecast
