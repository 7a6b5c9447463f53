// The pipeline as it stood on a date: the workspace's deals resolved once, then cut at D.
//
// Index
//  [SECTION] source      export values, final outcomes, history grouped per deal
//  [SECTION] snapshot    each deal's state on D
#include "core/forecast/pipeline.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace terrane::forecast {

const char* dealOutcomeName(DealOutcome o) {
    switch (o) {
    case DealOutcome::Open: return "open";
    case DealOutcome::Won: return "won";
    case DealOutcome::Lost: return "lost";
    }
    return "?";
}

ForecastCategory categoryOf(std::string_view text) {
    std::string t;
    for (char c : text)
        if (std::isalpha(static_cast<unsigned char>(c))) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t.empty()) return ForecastCategory::None;
    if (t == "commit" || t == "committed" || t == "forecast") return ForecastCategory::Commit;
    if (t == "bestcase" || t == "upside" || t == "probable") return ForecastCategory::BestCase;
    if (t == "pipeline" || t == "open") return ForecastCategory::Pipeline;
    if (t == "closed" || t == "closedwon" || t == "won") return ForecastCategory::Closed;
    if (t == "omitted" || t == "omit" || t == "closedlost" || t == "lost") return ForecastCategory::Omitted;
    return ForecastCategory::None;
}

const char* forecastCategoryName(ForecastCategory c) {
    switch (c) {
    case ForecastCategory::None: return "";
    case ForecastCategory::Pipeline: return "Pipeline";
    case ForecastCategory::BestCase: return "Best Case";
    case ForecastCategory::Commit: return "Commit";
    case ForecastCategory::Closed: return "Closed";
    case ForecastCategory::Omitted: return "Omitted";
    }
    return "";
}

// [SECTION] source
namespace {

// Column readers that tolerate a missing column (a workspace built by hand).
struct Cols {
    const Table& t;
    explicit Cols(const Table& table) : t(table) {}
    const Column* c(std::string_view name) const { return t.find(name); }
    static std::string_view str(const Table& t, const Column* c, std::size_t r) {
        return c && c->type() == ColumnType::String ? t.pool().view(c->ids()[r]) : std::string_view{};
    }
    static std::int64_t i64(const Column* c, std::size_t r, std::int64_t null) {
        if (!c || (c->type() != ColumnType::Money && c->type() != ColumnType::Date && c->type() != ColumnType::I64)) return null;
        const std::int64_t v = c->i64()[r];
        return v == kI64Null ? null : v;
    }
    static Date date(const Column* c, std::size_t r) {
        const std::int64_t v = i64(c, r, kI64Null);
        return v == kI64Null ? kDateNull : static_cast<Date>(v);
    }
    static double f64(const Column* c, std::size_t r) {
        return c && c->type() == ColumnType::F64 ? c->f64()[r] : std::nan("");
    }
    static int flag(const Column* c, std::size_t r) { // -1 null
        if (!c || c->type() != ColumnType::Bool) return -1;
        const std::uint8_t v = c->u8()[r];
        return v == kBoolNull ? -1 : v;
    }
};

bool anyNonNull(const Column* c) {
    if (!c) return false;
    for (std::size_t r = 0; r < c->size(); ++r)
        if (!c->isNull(r)) return true;
    return false;
}

// A string column's values by string id -> first row.
std::unordered_map<std::uint32_t, std::uint32_t> indexBy(const Table& t, std::string_view col) {
    std::unordered_map<std::uint32_t, std::uint32_t> m;
    const Column* c = t.find(col);
    if (!c || c->type() != ColumnType::String) return m;
    m.reserve(t.rows());
    for (std::size_t r = 0; r < t.rows(); ++r)
        if (c->ids()[r] != 0) m.emplace(c->ids()[r], static_cast<std::uint32_t>(r));
    return m;
}

DealOutcome stageMeaning(const StageTable& st, std::string_view stage, int& order) {
    order = 0;
    if (const StageRow* s = st.find(stage)) {
        order = s->order;
        return s->outcome == StageOutcome::Won ? DealOutcome::Won : s->outcome == StageOutcome::Lost ? DealOutcome::Lost : DealOutcome::Open;
    }
    const StageNameMeaning m = classifyStageName(stage);
    if (m.known && m.outcome == StageOutcome::Won) return DealOutcome::Won;
    if (m.known && m.outcome == StageOutcome::Lost) return DealOutcome::Lost;
    return DealOutcome::Open;
}

} // namespace

PipelineSource pipelineSource(const Workspace& ws) {
    PipelineSource src;
    const Table& opp = ws.opportunities();
    const Table& h = ws.table(DatasetKind::StageHistory);
    StageTable inferred;
    if (ws.settings.stages.empty() && opp.rows() > 0) {
        StageInputs in;
        in.outcomeColumns = anyNonNull(opp.find("is_closed"));
        in.probabilityColumn = anyNonNull(opp.find("probability"));
        in.history = &h;
        inferred = inferStages(opp, in);
    }
    const StageTable& st = ws.settings.stages.empty() ? inferred : ws.settings.stages;
    for (const StageRow& s : st.stages) {
        src.stageNames.push_back(s.name);
        src.stageProbability.push_back(s.probability);
    }
    const std::size_t n = opp.rows();
    const Column *cId = opp.find("opportunity_id"), *cAcc = opp.find("account_id"), *cOwner = opp.find("owner"),
                 *cStage = opp.find("stage"), *cAmt = opp.find("amount"), *cProb = opp.find("probability"),
                 *cCat = opp.find("forecast_category"), *cProd = opp.find("product"), *cCreated = opp.find("created_date"),
                 *cClose = opp.find("close_date"), *cClosed = opp.find("is_closed"), *cWon = opp.find("is_won"),
                 *cAct = opp.find("last_activity_date");
    src.hasCloseDates = anyNonNull(cClose);
    src.hasCategories = anyNonNull(cCat);
    src.hasProbability = anyNonNull(cProb);
    src.hasActivity = anyNonNull(cAct);
    src.hasOwner = anyNonNull(cOwner);
    src.hasProduct = anyNonNull(cProd);

    // Owners' regions and managers (by rep id, else by rep name); accounts' segments.
    const Table& reps = ws.reps();
    const auto repById = indexBy(reps, "rep_id"), repByName = indexBy(reps, "name");
    const Column *rRegion = reps.find("region"), *rManager = reps.find("manager");
    const Table& acc = ws.accounts();
    const auto accById = indexBy(acc, "account_id");
    const Column* aSeg = acc.find("segment");

    // History grouped per deal.
    const Column *hId = h.find("opportunity_id"), *hStage = h.find("stage"), *hDate = h.find("date"),
                 *hAmt = h.find("amount"), *hClose = h.find("close_date"), *hProb = h.find("probability"),
                 *hCat = h.find("forecast_category");
    src.historyAmounts = anyNonNull(hAmt);
    src.historyCloseDates = anyNonNull(hClose);
    src.historyProbabilities = anyNonNull(hProb);
    src.historyCategories = anyNonNull(hCat);
    std::vector<std::uint32_t> histDeal(h.rows(), UINT32_MAX);
    std::vector<std::uint32_t> counts(n + 1, 0);
    if (hId && hId->type() == ColumnType::String && h.rows() > 0) {
        const auto oppById = indexBy(opp, "opportunity_id");
        for (std::size_t r = 0; r < h.rows(); ++r) {
            auto it = oppById.find(hId->ids()[r]);
            if (it == oppById.end() || Cols::date(hDate, r) == kDateNull) {
                ++src.unmatchedHistory;
                continue;
            }
            histDeal[r] = it->second;
            ++counts[it->second + 1];
        }
    }
    src.stepOf.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) src.stepOf[i + 1] = src.stepOf[i] + counts[i + 1];
    src.steps.resize(src.stepOf[n]);
    src.hasHistory = !src.steps.empty();
    {
        std::vector<std::uint32_t> fill(src.stepOf.begin(), src.stepOf.end() - 1);
        for (std::size_t r = 0; r < h.rows(); ++r) {
            if (histDeal[r] == UINT32_MAX) continue;
            StageStep s;
            s.date = Cols::date(hDate, r);
            s.stage = Cols::str(h, hStage, r);
            s.stageOutcome = stageMeaning(st, s.stage, s.stageOrder);
            s.amount = Cols::i64(hAmt, r, kMoneyNull);
            s.closeDate = Cols::date(hClose, r);
            s.probability = Cols::f64(hProb, r);
            s.forecastCategory = Cols::str(h, hCat, r);
            src.steps[fill[histDeal[r]]++] = s;
        }
        for (std::size_t i = 0; i < n; ++i)
            std::stable_sort(src.steps.begin() + src.stepOf[i], src.steps.begin() + src.stepOf[i + 1],
                             [](const StageStep& a, const StageStep& b) { return a.date < b.date; });
    }

    Date dataEnd = kDateNull;
    auto see = [&](Date d) {
        if (d != kDateNull && (dataEnd == kDateNull || d > dataEnd)) dataEnd = d;
    };
    for (const StageStep& s : src.steps) see(s.date);

    src.deals.resize(n);
    for (std::size_t r = 0; r < n; ++r) {
        Deal& d = src.deals[r];
        d.row = static_cast<std::uint32_t>(r);
        d.id = Cols::str(opp, cId, r);
        d.accountId = Cols::str(opp, cAcc, r);
        d.owner = Cols::str(opp, cOwner, r);
        d.product = Cols::str(opp, cProd, r);
        d.stage = Cols::str(opp, cStage, r);
        const DealOutcome byStage = stageMeaning(st, d.stage, d.stageOrder);
        d.amount = Cols::i64(cAmt, r, kMoneyNull);
        d.created = Cols::date(cCreated, r);
        d.closeDate = Cols::date(cClose, r);
        d.probability = Cols::f64(cProb, r);
        d.forecastCategory = Cols::str(opp, cCat, r);
        d.lastActivity = Cols::date(cAct, r);
        const int closed = Cols::flag(cClosed, r), won = Cols::flag(cWon, r);
        d.outcome = closed == 1 ? (won == 1 ? DealOutcome::Won : DealOutcome::Lost) : closed == 0 ? DealOutcome::Open : byStage;
        if (cOwner && cOwner->type() == ColumnType::String && cOwner->ids()[r] != 0) {
            const std::uint32_t o = cOwner->ids()[r];
            auto it = repById.find(o);
            if (it == repById.end()) it = repByName.find(o);
            if (it != repById.end() && it != repByName.end()) {
                d.region = Cols::str(reps, rRegion, it->second);
                d.manager = Cols::str(reps, rManager, it->second);
            }
        }
        if (cAcc && cAcc->type() == ColumnType::String) {
            auto it = accById.find(cAcc->ids()[r]);
            if (it != accById.end()) d.segment = Cols::str(acc, aSeg, it->second);
        }
        src.hasRegion |= !d.region.empty();
        src.hasManager |= !d.manager.empty();
        src.hasSegment |= !d.segment.empty();
        see(d.created);
        see(d.lastActivity);
        if (!d.open()) see(d.closeDate);
    }
    src.dataEnd = dataEnd;

    // Final close dates and creation dates where the columns are empty.
    for (std::size_t r = 0; r < n; ++r) {
        Deal& d = src.deals[r];
        const std::span<const StageStep> hist(src.steps.data() + src.stepOf[r], src.stepOf[r + 1] - src.stepOf[r]);
        if (!d.open()) {
            d.closedOn = d.closeDate;
            if (d.closedOn == kDateNull)
                for (const StageStep& s : hist)
                    if (s.stageOutcome != DealOutcome::Open) {
                        d.closedOn = s.date;
                        break;
                    }
            if (d.closedOn == kDateNull) d.closedOn = d.lastActivity != kDateNull ? d.lastActivity : dataEnd;
        }
        // A deal with no creation date exists from its first history row, else from its close
        // (closed) or the export (open): never earlier than the data can show.
        if (d.created == kDateNull) d.created = !hist.empty() ? hist.front().date : !d.open() ? d.closedOn : dataEnd;
        // A closed deal created after it closed carries a load or migration date (sample orgs,
        // data moved between CRMs): it existed by its close or its first history row.
        if (!d.open() && d.closedOn != kDateNull && d.created > d.closedOn) {
            d.created = hist.empty() ? d.closedOn : std::min(d.closedOn, hist.front().date);
            ++src.createdAfterClose;
        }
    }
    return src;
}

// [SECTION] snapshot
PipelineSnapshot snapshotAsOf(const PipelineSource& src, Date asOf) {
    PipelineSnapshot s;
    s.asOf = asOf;
    s.hasHistory = src.hasHistory;
    s.hasCloseDates = src.hasCloseDates;
    s.hasCategories = src.hasCategories;
    s.hasProbability = src.hasProbability;
    s.hasActivity = src.hasActivity;
    s.hasOwner = src.hasOwner;
    s.hasRegion = src.hasRegion;
    s.hasManager = src.hasManager;
    s.hasSegment = src.hasSegment;
    s.hasProduct = src.hasProduct;
    s.stageNames = src.stageNames;
    s.deals.reserve(src.deals.size());
    for (std::size_t r = 0; r < src.deals.size(); ++r) {
        const Deal& e = src.deals[r];
        if (e.created == kDateNull || e.created > asOf) continue;
        Deal d = e;
        const StageStep* first = src.steps.data() + src.stepOf[r];
        const StageStep* last = src.steps.data() + src.stepOf[r + 1];
        const StageStep* upTo = first; // one past the last step on or before D
        while (upTo != last && upTo->date <= asOf) ++upTo;
        const bool closedByD = !e.open() && e.closedOn <= asOf;
        d.lastActivity = e.lastActivity != kDateNull && e.lastActivity <= asOf ? e.lastActivity : kDateNull;
        if (closedByD) {
            d.closedOn = e.closedOn;
        } else {
            d.outcome = DealOutcome::Open;
            d.closedOn = kDateNull;
            const bool changedLater = upTo != last || !e.open();
            if (changedLater) {
                // The state on D is the history's last row on or before D.
                d.fromHistory = upTo != first;
                d.probability = std::nan("");
                if (!e.open()) d.forecastCategory = {};
                if (upTo == first) {
                    d.stage = {};
                } else {
                    const StageStep& at = *(upTo - 1);
                    d.stage = at.stage;
                    d.stageOrder = at.stageOrder;
                    if (at.amount != kMoneyNull) d.amount = at.amount;
                    if (at.closeDate != kDateNull) d.closeDate = at.closeDate;
                    d.probability = at.probability;
                    if (!at.forecastCategory.empty()) d.forecastCategory = at.forecastCategory;
                    if (std::isnan(d.probability))
                        for (std::size_t i = 0; i < src.stageNames.size(); ++i)
                            if (src.stageNames[i] == d.stage) d.probability = src.stageProbability[i];
                }
            }
        }
        if (d.open() && d.stage.empty()) {
            d.stageKnown = false;
            d.stageOrder = 0;
            ++s.unknownStage;
        }
        // Pushes and the date the current stage was entered, from the history up to D.
        Date prevClose = kDateNull;
        for (const StageStep* p = first; p != upTo; ++p) {
            if (p->closeDate == kDateNull) continue;
            if (prevClose != kDateNull && p->closeDate > prevClose) {
                ++d.pushes;
                d.pushDays += p->closeDate - prevClose;
            }
            prevClose = p->closeDate;
        }
        d.stageEntered = kDateNull;
        if (d.stageKnown)
            for (const StageStep* p = upTo; p != first && (p - 1)->stage == d.stage; --p) d.stageEntered = (p - 1)->date;
        d.firstStep = static_cast<std::uint32_t>(s.steps.size());
        d.stepCount = static_cast<std::uint32_t>(upTo - first);
        s.steps.insert(s.steps.end(), first, upTo);
        s.deals.push_back(d);
    }
    return s;
}

PipelineSnapshot snapshotAsOf(const Workspace& ws, Date asOf) { return snapshotAsOf(pipelineSource(ws), asOf); }

} // namespace terrane::forecast
