// UI state of the Forecast workspace (Analyse > Forecast): the settings being edited, the run
// in flight, and the figures of the last completed run as the panel shows them (ForecastView,
// built from core's forecast, backtest and pipeline results by forecast_view.cpp).
//
// Index
//  [SECTION] view    what the panel draws, in display units
//  [SECTION] state   ForecastUi
//  [SECTION] api     the functions the panel's files share
#pragma once

#include "app/job_handle.hpp"
#include "core/base/job.hpp"
#include "core/base/types.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace terrane {

class App;

// [SECTION] view
struct ForecastView {
    struct Method {
        std::string id;          // the JSON key ("team_call")
        std::string name, basis; // "Team's call", "roll-up of forecast categories ..."
        Money value = 0;         // won in the period (closed to date included)
        bool headline = false;
    };
    struct PeriodRow {
        std::string label; // "2026-Q4"
        Date start = kDateNull, end = kDateNull;
        Money closedWon = 0, p10 = 0, p50 = 0, p90 = 0;
        Money quota = 0;       // 0: none (quotaNote says why)
        std::string quotaNote; // why there is no quota for the period ("no target set", "the plan covers 2027")
        Money openDue = 0;     // open pipeline due in the period
        double coverage = 0;   // openDue / (quota - closedWon); 0 without a quota
        std::vector<Method> methods;
        // Waterfall parts (won value expected in the period): closed, commit, best case, model
        // on the rest of the pipeline, new business not yet in it.
        Money commit = 0, bestCase = 0, pipelineModel = 0, newBusiness = 0;
    };
    struct DealRow {
        std::string id, account, owner, stage, category;
        std::int64_t accountRow = -1; // accounts table row, -1 when not in it
        Money amount = 0;
        Date closeDate = kDateNull, created = kDateNull;
        int ageDays = 0, pushes = 0;
        double probability = 0; // of winning within the first period
        std::string explanation; // the features that moved it most
        std::uint32_t flags = 0; // bit i: flags[i]
        std::string flagNotes;   // one line per flag: what the deal was compared with
    };
    struct Flag {
        std::string id, name, description; // "oversized", "Far larger than usual", the rule
        std::size_t unscored = 0;          // flagged open deals the forecast did not score (not in deals)
        bool risk = true; // false: upside
        std::vector<std::uint32_t> deals; // indices into deals
    };
    struct GroupRow {
        std::string group, name; // "owner", "Priya Wilson"
        Money closedWon = 0, p10 = 0, p50 = 0, p90 = 0, quota = 0;
        std::size_t openDeals = 0;
    };
    struct StageRow {
        std::string stage;
        std::size_t deals = 0;
        Money value = 0;
        double conversion = -1; // to the next stage (history), -1 unknown
        double daysInStage = -1;
    };
    struct TrendRow {
        std::string label;
        double winRate = 0, cycleDays = 0, velocityPerDay = 0;
        double createdValue = 0; // minor units
    };
    struct BacktestRow {
        std::string label;
        Money p10 = 0, p50 = 0, p90 = 0, actual = 0, seasonalNaive = 0, trailingMean = 0, stageWeighted = 0;
    };
    struct CalibrationBin {
        double predicted = 0, observed = 0;
        std::size_t count = 0;
    };

    bool valid = false;
    std::string error; // why there is no forecast (no opportunities, ...)
    std::string quotaNote; // where group quotas come from, or why there are none
    Date asOf = kDateNull;
    std::string period; // "month", "quarter", "year"
    std::uint64_t seed = 1;
    std::uint32_t trials = 0;
    std::string headlineMethod, headlineBasis;
    std::vector<std::string> notes; // what limits this forecast: thin history, overdue deals, dates out of order ...
    std::string settingsJson; // the core settings as JSON (saved with the forecast)
    std::vector<PeriodRow> periods;
    std::vector<DealRow> deals;
    std::vector<Flag> flags;
    std::vector<GroupRow> groups;
    std::vector<StageRow> funnel;
    std::vector<TrendRow> trends;
    // Backtest and calibration (filled when the backtest has run).
    bool backtested = false;
    std::vector<BacktestRow> backtest;
    double mdape = 0, bias = 0, coverage = 0, brier = 0;
    int scoredPeriods = 0;                 // periods with wins the headline's error is taken over
    double baselineMdape[3] = {0, 0, 0};   // seasonal naive, trailing mean, stage-weighted
    int baselinePeriods[3] = {0, 0, 0};    // periods each was scored on (0: no figure)
    std::size_t calibrationDeals = 0;      // deals behind the calibration and the Brier score
    std::vector<std::string> backtestNotes;
    std::vector<CalibrationBin> calibration;
    double computeMs = 0, forecastMs = 0, backtestMs = 0; // compute time of the run and its stages (all slices)
    std::uint64_t fingerprint = 0;                      // of the forecast's headline figures (core)
};

// [SECTION] state
struct ForecastUi {
    bool show = false;
    int tab = 0, tabRequest = -1; // 0 forecast, 1 pipeline, 2 deals, 3 breakdown, 4 accuracy
    // Settings being edited (applied with Run).
    char asOf[16] = {};
    int period = 1; // 0 month, 1 quarter, 2 year
    int periods = 4, trials = 2000, seed = 1;
    int backtestPeriods = 8;
    std::uint64_t settingsFor = 0; // the datasets version the settings were filled for (from its saved forecast, else defaults)
    // The run in flight and the view of the last completed one, for dataVersion `version`.
    JobHandle<Job> job;
    std::shared_ptr<const ForecastView> view;
    std::uint64_t version = ~0ull; // forecastInputsVersion() the view is for
    bool autoRun = true; // run when the workspace changes while the panel is open
    // The deal table.
    int sortColumn = 6; // probability (forecast_deals.cpp's column order)
    bool descending = true;
    char filter[64] = {};
    int flagFilter = -1; // index into view->flags, -1 all deals
    int selectedDeal = -1;
    int breakdownBy = 0; // 0 owner, 1 team (manager/region), 2 segment
};

// [SECTION] api
// Starts a run with the edited settings (cancelling one in flight).
void runForecast(App& app);
// Fills the settings from the scenario's saved forecast, else from the workspace (as-of: the
// data's as-of date), once per workspace.
void initForecastSettings(App& app);
// Opens the workspace and runs it with the settings in `json` (the page's bench and test hook).
void startForecastFromJson(App& app, std::string_view json);
// Saves the last completed forecast into the active scenario (an undoable command).
void saveForecastToScenario(App& app);
// The figures and controls as JSON for tests (window.terrane.state().forecast).
std::string forecastStateJson(const App& app);
// Selects the accounts of deals (view->deals indices) on the map and highlights them.
void selectDealAccounts(App& app, const std::vector<std::uint32_t>& deals, const std::string& label);

void drawForecastWorkspace(App& app, float x, float y, float w, float h); // panel_forecast.cpp
void drawForecastOverview(App& app, const ForecastView& v);              // forecast_overview.cpp
void drawForecastPipeline(App& app, const ForecastView& v);              // forecast_pipeline.cpp
void drawForecastDeals(App& app, const ForecastView& v);                 // forecast_deals.cpp
void drawForecastBreakdown(App& app, const ForecastView& v);             // forecast_breakdown.cpp
void drawForecastAccuracy(App& app, const ForecastView& v);              // forecast_accuracy.cpp

} // namespace terrane
