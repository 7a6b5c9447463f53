// The forecast engine shared by runForecast and runBacktest: the deals' states at past period
// starts (cached compact snapshots), the model fitted as of a date, each method's raw figures as
// of a date, and the headline chosen from the raw figures of the periods before it. A date's
// figures depend only on data up to that date, which is what makes a backtest period equal to a
// forecast made on the file cut at its start.
//
// Index
//  [SECTION] history   compact deal states per date, dictionaries, closed facts
//  [SECTION] model     the fitted win and timing models as of a date
//  [SECTION] raw       every method's figures as of a date
//  [SECTION] headline  the best method or blend on the periods before a date, and its band
#pragma once

#include "core/forecast/forecast.hpp"
#include "core/forecast/logistic.hpp"
#include "core/forecast/pipeline.hpp"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace terrane::forecast::detail {

// [SECTION] history
struct Dict {
    std::unordered_map<std::string, std::uint32_t> index;
    std::vector<std::string> names;
    std::uint32_t id(std::string_view s);
};

enum Category : std::uint8_t { kCatNone, kCatCommit, kCatBest, kCatPipeline, kCatOmitted };
Category categoryCode(std::string_view text); // the forecast category as the model reads it

// An open deal as it stood on a date.
struct Obs {
    std::uint32_t deal = 0; // index into PipelineSource::deals (row order)
    std::uint32_t stage = 0, owner = 0, team = 0, segment = 0, product = 0; // Dict ids
    int stageOrder = 0;
    Money amount = 0;
    Date created = kDateNull, close = kDateNull, activity = kDateNull, stageEntered = kDateNull;
    float crm = -1; // CRM probability 0..1, -1 unknown
    std::uint8_t pushes = 0;
    Category category = kCatNone;
};

class History {
  public:
    explicit History(const Workspace& ws);
    const PipelineSource& source() const { return m_src; }
    // Open deals on `d`, row order (cached).
    const std::vector<Obs>& openAt(Date d);
    // Won value with closedOn in [a, b] (b <= the as-of date of the caller).
    Money wonBetween(Date a, Date b) const;
    // Won value of deals created and won inside [a, b].
    Money newBusiness(Date a, Date b) const;
    Date firstDate() const { return m_first; }
    Date lastDate() const { return m_src.dataEnd; }
    Dict stages, owners, teams, segments, products;
    std::size_t snapshotsTaken = 0;

  private:
    PipelineSource m_src;
    std::map<Date, std::vector<Obs>> m_open;
    std::vector<std::uint32_t> m_wonByClose; // won deals by closedOn
    Date m_first = kDateNull;
};

// [SECTION] model
constexpr int kDueClasses = 4;
struct FitModel {
    bool ok = false;
    int p = 0;
    std::vector<std::string> stageLevels; // by stage order
    std::vector<std::uint32_t> stageIds, productIds;
    std::vector<double> mean, sd;       // column standardisation
    std::vector<std::uint8_t> group;    // each column's feature group (contributions)
    LogisticFit timing, win;
    std::vector<double> timingOwner, timingSegment, winOwner, winSegment; // by Dict id
    IsotonicMap calibration;
    double brier = -1;            // calibration fold, after the map
    std::size_t rows = 0, deals = 0, wins = 0;
    std::vector<double> stageRate; // learnt win rate by Dict stage id (the plain stage-weighted baseline)
    double overallRate = 0;
    // Learnt value-weighted P(won within a period) by Dict stage id and close-date class: due in
    // the period, overdue, due later, no close date (stage_weighted).
    std::vector<std::array<double, kDueClasses>> conversion;
};

// P(won within [a, b]) for deals open at `from` (a >= from): the timing x win products before
// calibration and the features' contributions, per Obs.
struct DealProb {
    double timing = 0, win = 0, p = 0;
};

FitModel fitModel(History& h, Date asOf, PeriodKind kind);
// `survival` in/out: P(still open at a); the deal's P(won within [a, b]).
DealProb predictDeal(const FitModel& m, const History& h, const Obs& o, Date a, Date b, double fraction);
// The three groups that push the deal's log-odds most for [a, b].
std::array<Contribution, 3> explainDeal(const FitModel& m, const History& h, const Obs& o, Date a, Date b);

// [SECTION] raw
struct RawPeriod {
    Period period;
    Money closed = 0;          // won in the period up to asOf
    double model = 0, modelSd = 0; // closed + expected (open deals + new business), its sd
    double newBiz = 0, newBizSd = 0;
    double stageWeighted = 0; // closed + open deals x learnt within-period conversion + new business
    double stagePlain = 0;    // closed + deals due in the period x their stage's win rate (baseline)
    double teamCall = 0, teamBest = 0;
    double runRate = 0; // mean won value of the trailing complete periods (3 months, 4 quarters, 2 years)
    bool hasCategories = false;
    Money openInPeriod = 0;
};
struct Raw {
    Date asOf = kDateNull;
    std::vector<RawPeriod> periods;
    std::vector<std::uint32_t> dealIdx; // open deals on asOf (source index) and their
    std::vector<float> firstP;          // calibrated P(won within the first period)
};
// Every method's figures for `periods` periods from the one containing asOf. `probs` (optional)
// receives per open deal on asOf its P(won) per period and the first period's timing/win.
struct DealProbs {
    std::vector<Obs> deals;
    std::vector<DealProb> first;
    std::vector<double> byPeriod; // deals x periods
    std::vector<double> stageProb;
};
Raw rawForecast(History& h, Date asOf, PeriodKind kind, int periods, FitModel* keep = nullptr, DealProbs* probs = nullptr);

// [SECTION] headline
struct Headline {
    std::string method = "model", basis;
    double wModel = 1, wStage = 0, wTeam = 0, wRate = 0; // blend weights on the remaining (after closed)
    double correction = 1; // multiplicative correction of the remaining part
    double bandScale = 1;
    double coverage = 0;
    std::vector<MethodScore> scores;
    int periods = 0;
};
// Chooses the headline from the raw figures (first period) of the `history` periods ending by
// asOf; `rawAt` returns (cached) rawForecast for a period start.
struct RawCache {
    History& h;
    PeriodKind kind;
    std::map<Date, Raw> raws;
    const Raw& at(Date start);
};
int defaultHistory(PeriodKind k);
Headline chooseHeadline(RawCache& cache, Date asOf, int history);
// The headline point and band for one raw period.
void headlineFigures(const Headline& hd, const RawPeriod& r, Money& p10, Money& p50, Money& p90);

} // namespace terrane::forecast::detail
