#include "core/import/stages.hpp"

#include "core/base/format.hpp"
#include "core/base/text.hpp"
#include "core/import/mapping.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>
#include <unordered_map>

namespace terrane {

// Index
//  [SECTION] names
//  [SECTION] table
//  [SECTION] apply
//  [SECTION] json

// [SECTION] names
const char* stageOutcomeName(StageOutcome o) {
    switch (o) {
    case StageOutcome::Open:
        return "open";
    case StageOutcome::Won:
        return "won";
    case StageOutcome::Lost:
        return "lost";
    }
    return "?";
}

bool parseStageOutcome(std::string_view text, StageOutcome& out) {
    const std::string t = normalizeHeader(text);
    if (t == "open")
        out = StageOutcome::Open;
    else if (t == "won" || t == "win")
        out = StageOutcome::Won;
    else if (t == "lost" || t == "lose")
        out = StageOutcome::Lost;
    else
        return false;
    return true;
}

const char* stageSourceName(StageSource s) {
    switch (s) {
    case StageSource::Name:
        return "name";
    case StageSource::Data:
        return "data";
    case StageSource::File:
        return "file";
    case StageSource::User:
        return "user";
    case StageSource::Assumed:
        return "assumed";
    }
    return "?";
}

namespace {

// Lower-case words of a name ("Closed - Won" -> closed, won), splitting camelCase ("ClosedWon").
std::vector<std::string> stageWords(std::string_view name) {
    std::vector<std::string> out;
    std::string cur;
    char prev = 0;
    for (char c : name) {
        const bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
        if (!(upper || lower || digit)) {
            if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
        } else {
            if (upper && prev >= 'a' && prev <= 'z' && !cur.empty())
                out.push_back(std::move(cur)), cur.clear();
            cur += upper ? static_cast<char>(c - 'A' + 'a') : c;
        }
        prev = c;
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

// Common open stages of Salesforce, HubSpot, Pipedrive and Dynamics (normalised), in pipeline
// order, with the CRM's default probability where it has one.
struct CommonStage {
    std::string_view name;
    double probability;
};
constexpr double kNoP = -1;
constexpr CommonStage kCommonOpen[] = {
    {"new", kNoP},
    {"leadin", kNoP},
    {"lead", kNoP},
    {"prospecting", 0.10},
    {"contactmade", kNoP},
    {"appointmentscheduled", 0.20},
    {"qualification", 0.20},
    {"qualify", kNoP},
    {"qualified", kNoP},
    {"needsanalysis", 0.20},
    {"needsdefined", kNoP},
    {"discovery", 0.35},
    {"develop", kNoP},
    {"qualifiedtobuy", 0.40},
    {"demoscheduled", kNoP},
    {"valueproposition", 0.50},
    {"proposal", 0.55},
    {"propose", kNoP},
    {"presentationscheduled", 0.60},
    {"iddecisionmakers", 0.60},
    {"perceptionanalysis", 0.70},
    {"proposalmade", kNoP},
    {"proposalpricequote", 0.75},
    {"decisionmakerboughtin", 0.80},
    {"negotiation", 0.80},
    {"negotiationsstarted", kNoP},
    {"negotiationreview", 0.90},
    {"contractsent", 0.90},
    {"close", kNoP},
};

bool hasWord(const std::vector<std::string>& w, std::initializer_list<std::string_view> any) {
    for (const auto& x : w)
        for (std::string_view a : any)
            if (x == a) return true;
    return false;
}

bool containsAny(std::string_view s, std::initializer_list<std::string_view> any) {
    for (std::string_view a : any)
        if (s.find(a) != std::string_view::npos) return true;
    return false;
}

} // namespace

StageNameMeaning classifyStageName(std::string_view name) {
    StageNameMeaning m;
    const std::vector<std::string> w = stageWords(name);
    std::string j;
    for (const auto& x : w) j += x;
    if (j.empty()) return m;
    const bool lost = hasWord(w, {"lost", "lose", "dead", "disqualified", "unqualified", "cancelled",
                                  "canceled", "rejected", "declined", "abandoned", "churned", "killed",
                                  "junk", "closedlost", "nodeal"}) ||
                      endsWith(j, "lost") ||
                      containsAny(j, {"nodecision", "notinterested", "closednodeal", "closeddead"});
    // Words that only open stages use.
    static constexpr std::string_view kOpenStems[] = {
        "prospect", "qualif",   "discover", "demo",    "proposal", "propos",  "negotiat", "quote",
        "meeting",  "contact",  "evaluat",  "trial",   "pilot",    "present", "schedul",  "sent",
        "review",   "progress", "open",     "new",     "lead",     "pending", "pitch",    "analysis",
        "decision", "commit",   "pipeline", "engaged", "working",  "call",    "appointment"};
    bool openWord = false;
    for (const auto& x : w)
        for (std::string_view s : kOpenStems) openWord |= startsWith(x, s);
    // "Booked" and "Signed" alone are won; "Demo booked" and "Meeting booked" are open stages.
    const bool won = hasWord(w, {"won", "purchased", "closedwon"}) || endsWith(j, "won") || startsWith(j, "closedwon") ||
                     j == "win" || (hasWord(w, {"signed", "booked"}) && !openWord);
    if (lost || won) {
        m.known = true;
        m.outcome = lost ? StageOutcome::Lost : StageOutcome::Won;
        m.probability = lost ? 0.0 : 1.0;
        return m;
    }
    if (hasWord(w, {"closed"})) {
        m.closed = true;
        return m;
    }
    for (std::size_t i = 0; i < std::size(kCommonOpen); ++i) {
        if (kCommonOpen[i].name != j) continue;
        m.known = true;
        m.rank = static_cast<int>(i);
        if (kCommonOpen[i].probability >= 0) m.probability = kCommonOpen[i].probability;
        return m;
    }
    if (openWord) m.known = true;
    return m;
}

// [SECTION] table
const StageRow* StageTable::find(std::string_view name) const {
    // The exact spelling first: "In progress" and "In Progress" are rows of their own.
    for (const StageRow& r : stages)
        if (r.name == name) return &r;
    const std::string n = normalizeHeader(name);
    for (const StageRow& r : stages)
        if (normalizeHeader(r.name) == n) return &r;
    return nullptr;
}

StageRow* StageTable::find(std::string_view name) {
    return const_cast<StageRow*>(static_cast<const StageTable&>(*this).find(name));
}

std::uint64_t StageTable::deals(StageOutcome o) const {
    std::uint64_t n = 0;
    for (const StageRow& r : stages) n += r.outcome == o ? r.count : 0;
    return n;
}

namespace {
struct StageStats {
    std::uint64_t count = 0, amount = 0, pastClose = 0, futureClose = 0;
    std::uint64_t prob = 0, prob100 = 0, prob0 = 0;
    double probSum = 0;
    std::uint64_t closed = 0, won = 0;
    std::size_t first = 0; // first row
    double historyPos = 0;
    std::uint64_t historyN = 0;
};
} // namespace

StageTable inferStages(const Table& opp, const StageInputs& in) {
    StageTable t;
    t.outcomesFromStages = !in.outcomeColumns;
    t.probabilityFromStages = !in.probabilityColumn;
    const int cStage = opp.indexOf("stage");
    if (cStage < 0 || opp.column(static_cast<std::size_t>(cStage)).type() != ColumnType::String) return t;
    const Column& stage = opp.column(static_cast<std::size_t>(cStage));
    const int cAmt = opp.indexOf("amount"), cClose = opp.indexOf("close_date"),
              cProb = opp.indexOf("probability");
    const int cClosed = opp.indexOf("is_closed"), cWon = opp.indexOf("is_won");
    std::unordered_map<std::uint32_t, std::size_t> at; // pool id -> index in stats
    std::vector<std::uint32_t> ids;
    std::vector<StageStats> st;
    for (std::size_t r = 0; r < opp.rows(); ++r) {
        const std::uint32_t id = stage.ids()[r];
        if (id == 0) continue;
        auto [it, fresh] = at.emplace(id, st.size());
        if (fresh) {
            ids.push_back(id);
            st.emplace_back().first = r;
        }
        StageStats& s = st[it->second];
        ++s.count;
        const std::int64_t a = opp.i64(cAmt, r);
        s.amount += a != kI64Null && a > 0 ? 1 : 0;
        const std::int64_t cd = opp.i64(cClose, r);
        if (cd != kI64Null && in.asOf != kDateNull) (cd < in.asOf ? s.pastClose : s.futureClose) += 1;
        const double p = opp.f64(cProb, r);
        if (!std::isnan(p)) {
            ++s.prob;
            s.probSum += p;
            s.prob100 += p >= 0.995 ? 1 : 0;
            s.prob0 += p <= 0.005 ? 1 : 0;
        }
        if (in.outcomeColumns && opp.flag(cClosed, r)) {
            ++s.closed;
            s.won += opp.flag(cWon, r) ? 1 : 0;
        }
    }
    // Stage history: the mean relative position of each stage in each deal's sequence.
    if (in.history && in.history->rows() > 0) {
        const Table& h = *in.history;
        const int hId = h.indexOf("opportunity_id"), hStage = h.indexOf("stage"), hDate = h.indexOf("date");
        if (hId >= 0 && hStage >= 0 &&
            h.column(static_cast<std::size_t>(hStage)).type() == ColumnType::String) {
            std::map<std::string_view, std::vector<std::pair<std::int64_t, std::string_view>>> seq;
            for (std::size_t r = 0; r < h.rows(); ++r)
                seq[h.str(hId, r)].emplace_back(h.i64(hDate, r), h.str(hStage, r));
            std::unordered_map<std::string, std::size_t> byName;
            for (std::size_t i = 0; i < ids.size(); ++i)
                byName.emplace(normalizeHeader(opp.pool().view(ids[i])), i);
            for (auto& [opp_, v] : seq) {
                if (v.size() < 2) continue;
                std::stable_sort(v.begin(), v.end(),
                                 [](const auto& a, const auto& b) { return a.first < b.first; });
                for (std::size_t k = 0; k < v.size(); ++k) {
                    auto it = byName.find(normalizeHeader(v[k].second));
                    if (it == byName.end()) continue;
                    st[it->second].historyPos += static_cast<double>(k) / static_cast<double>(v.size() - 1);
                    ++st[it->second].historyN;
                }
            }
        }
    }
    // Is there a deal in another stage closing later? (The close-date rule needs a file that is
    // not simply old.)
    std::uint64_t futureAll = 0;
    for (const StageStats& s : st) futureAll += s.futureClose;

    std::vector<double> pos(st.size(), std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < st.size(); ++i) {
        const StageStats& s = st[i];
        StageRow row;
        row.name = std::string(opp.pool().view(ids[i]));
        row.count = s.count;
        const StageNameMeaning nm = classifyStageName(row.name);
        const std::string n = fmt::count(s.count) + (s.count == 1 ? " deal" : " deals");
        if (in.outcomeColumns) {
            // The file says each deal's outcome. A stage is won or lost when all its deals closed
            // that way (mostly) and its name does not say open; a pipeline stage where deals
            // also closed (Pipedrive's status beside the stage) stays open.
            row.source = StageSource::File;
            if (s.closed == s.count && nm.known && nm.outcome == StageOutcome::Open) {
                row.source = StageSource::Name;
                row.why = "the name says open; its " + n + " closed in the file (" + fmt::count(s.won) + " won, " +
                          fmt::count(s.closed - s.won) + " lost)";
            } else if (s.closed == s.count) {
                row.outcome = s.won * 2 >= s.closed ? StageOutcome::Won : StageOutcome::Lost;
                row.why = fmt::count(row.outcome == StageOutcome::Won ? s.won : s.closed - s.won) + " of " +
                          n + " marked " + stageOutcomeName(row.outcome) + " in the file";
            } else {
                row.why = fmt::count(s.count - s.closed) + " of " + n + " not closed in the file";
            }
        } else if (nm.known) {
            row.outcome = nm.outcome;
            row.source = StageSource::Name;
            row.why = std::string("the name says ") + stageOutcomeName(nm.outcome);
        } else if (s.prob > 0 && s.prob == s.prob100) {
            row.outcome = StageOutcome::Won;
            row.source = StageSource::Data;
            row.why = "every one of its " + n + " has probability 100%";
        } else if (s.prob > 0 && s.prob == s.prob0 && nm.closed) {
            row.outcome = StageOutcome::Lost;
            row.source = StageSource::Data;
            row.why = "closed, and every one of its " + n + " has probability 0%";
        } else if (s.prob > 0 && s.prob == s.prob0 && s.count >= 3) {
            row.outcome = StageOutcome::Lost;
            row.source = StageSource::Data;
            row.why = "every one of its " + n + " has probability 0%";
        } else if (s.count >= 3 && s.amount == s.count && s.pastClose == s.count && futureAll > 0) {
            row.outcome = StageOutcome::Won;
            row.source = StageSource::Data;
            row.why = "every one of its " + n +
                      " has an amount and a close date in the past, while other stages close later";
        } else {
            row.source = StageSource::Assumed;
            row.why = nm.closed ? "closed, but the name does not say won or lost"
                                : "the name does not say; taken as open";
            if (nm.closed)
                t.warnings.push_back("stage '" + row.name + "' says closed but not won or lost: " + n +
                                     " are taken as open until its meaning is set");
        }
        // Probability: won 100%, lost 0%, open from the file's values, else the CRM's default.
        if (row.outcome == StageOutcome::Won)
            row.probability = 1.0;
        else if (row.outcome == StageOutcome::Lost)
            row.probability = 0.0;
        else if (s.prob > 0)
            row.probability = s.probSum / static_cast<double>(s.prob);
        else
            row.probability = nm.probability;
        // Order key for open stages.
        if (row.outcome == StageOutcome::Open) {
            if (s.historyN > 0)
                pos[i] = s.historyPos / static_cast<double>(s.historyN);
            else if (!std::isnan(row.probability))
                pos[i] = row.probability;
            else if (nm.rank >= 0)
                pos[i] = static_cast<double>(nm.rank) / static_cast<double>(std::size(kCommonOpen));
        }
        t.stages.push_back(std::move(row));
    }
    // Open stages by position (unknown ones after, in file order), then won, then lost.
    std::vector<std::size_t> idx(t.stages.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        const int ga = static_cast<int>(t.stages[a].outcome), gb = static_cast<int>(t.stages[b].outcome);
        if (ga != gb) return ga < gb;
        if (pos[a] != pos[b]) return pos[a] < pos[b];
        return st[a].first < st[b].first;
    });
    std::vector<StageRow> sorted;
    for (std::size_t k = 0; k < idx.size(); ++k) {
        sorted.push_back(std::move(t.stages[idx[k]]));
        sorted.back().order = static_cast<int>(k) + 1;
    }
    t.stages = std::move(sorted);
    // The user's choices last: meaning, probability and a place in the order.
    bool reorder = false;
    for (const StageRow& u : in.user) {
        // The stage of that exact spelling; else every spelling of it ("in progress=won").
        std::vector<StageRow*> rows;
        for (StageRow& x : t.stages)
            if (x.name == u.name) rows.push_back(&x);
        if (rows.empty())
            for (StageRow& x : t.stages)
                if (normalizeHeader(x.name) == normalizeHeader(u.name)) rows.push_back(&x);
        for (StageRow* r : rows) {
            r->outcome = u.outcome;
            r->source = StageSource::User;
            r->why = "set by the user";
            r->probability = !std::isnan(u.probability)        ? u.probability
                             : u.outcome == StageOutcome::Won  ? 1.0
                             : u.outcome == StageOutcome::Lost ? 0.0
                                                               : r->probability;
            if (u.order > 0 && u.order != r->order) r->order = u.order, reorder = true;
        }
    }
    if (reorder) {
        // A user's order wins a tie with an inferred one (it moves before the stage that held it).
        std::stable_sort(t.stages.begin(), t.stages.end(), [](const StageRow& a, const StageRow& b) {
            if (a.order != b.order) return a.order < b.order;
            return a.source == StageSource::User && b.source != StageSource::User;
        });
        for (std::size_t k = 0; k < t.stages.size(); ++k) t.stages[k].order = static_cast<int>(k) + 1;
    }
    std::erase_if(t.warnings, [&](const std::string& w) {
        for (const StageRow& r : t.stages)
            if (r.source == StageSource::User && w.find("'" + r.name + "'") != std::string::npos) return true;
        return false;
    });
    return t;
}

std::vector<StageRow> userStageRows(const StageTable& t) {
    std::vector<StageRow> out;
    for (const StageRow& r : t.stages)
        if (r.source == StageSource::User) out.push_back(r);
    return out;
}

void setUserStage(std::vector<StageRow>& user, StageRow row) {
    row.source = StageSource::User;
    for (StageRow& u : user)
        if (u.name == row.name) {
            u = std::move(row);
            return;
        }
    user.push_back(std::move(row));
}

// [SECTION] apply
std::uint64_t applyStageOutcomes(Table& opp, const StageTable& t) {
    const int cStage = opp.indexOf("stage");
    if (cStage < 0 || opp.column(static_cast<std::size_t>(cStage)).type() != ColumnType::String) return 0;
    bool anyUser = false;
    for (const StageRow& r : t.stages) anyUser |= r.source == StageSource::User;
    if (!t.outcomesFromStages && !t.probabilityFromStages && !anyUser) return 0;
    Column* closed = opp.find("is_closed");
    Column* won = opp.find("is_won");
    Column* prob = opp.find("probability");
    if (!closed) closed = &opp.addColumn("is_closed", ColumnType::Bool);
    if (!won) won = &opp.addColumn("is_won", ColumnType::Bool);
    if (!prob) prob = &opp.addColumn("probability", ColumnType::F64);
    if (closed->type() != ColumnType::Bool || won->type() != ColumnType::Bool ||
        prob->type() != ColumnType::F64)
        return 0;
    // Columns the file did not supply may hold no cells yet.
    for (Column* c : {closed, won, prob})
        if (c->size() < opp.rows()) c->resize(opp.rows());
    const Column& stage = opp.column(static_cast<std::size_t>(opp.indexOf("stage")));
    // Per pool id: the stage's row in `t`, or -1.
    std::unordered_map<std::uint32_t, int> row;
    std::uint64_t changed = 0;
    for (std::size_t r = 0; r < opp.rows(); ++r) {
        const std::uint32_t id = stage.ids()[r];
        auto it = row.find(id);
        if (it == row.end()) {
            const StageRow* s = id == 0 ? nullptr : t.find(opp.pool().view(id));
            it = row.emplace(id, s ? static_cast<int>(s - t.stages.data()) : -1).first;
        }
        const StageRow* s = it->second >= 0 ? &t.stages[static_cast<std::size_t>(it->second)] : nullptr;
        if (t.outcomesFromStages || (s && s->source == StageSource::User)) {
            const StageOutcome o = s ? s->outcome : StageOutcome::Open;
            const std::uint8_t c = o != StageOutcome::Open ? 1 : 0, w = o == StageOutcome::Won ? 1 : 0;
            changed += (closed->u8()[r] != c) + (won->u8()[r] != w);
            closed->u8()[r] = c;
            won->u8()[r] = w;
        }
        if (t.probabilityFromStages) {
            const double p = s ? s->probability : std::nan("");
            double& cellP = prob->f64()[r];
            if (!(std::isnan(p) && std::isnan(cellP)) && cellP != p) ++changed;
            cellP = p;
        }
    }
    return changed;
}

bool applyStatusOutcomes(Table& opp) {
    const Column* status = opp.find("status");
    if (!status || status->type() != ColumnType::String) return false;
    std::unordered_map<std::uint32_t, StageNameMeaning> meaning;
    std::uint64_t cells = 0, known = 0;
    for (std::size_t r = 0; r < opp.rows(); ++r) {
        const std::uint32_t id = status->ids()[r];
        if (id == 0) continue;
        auto it = meaning.find(id);
        if (it == meaning.end()) it = meaning.emplace(id, classifyStageName(opp.pool().view(id))).first;
        ++cells;
        known += it->second.known ? 1 : 0;
    }
    if (cells == 0 || known * 100 < cells * 95) return false;
    Column* closed = opp.find("is_closed");
    Column* won = opp.find("is_won");
    if (!closed) closed = &opp.addColumn("is_closed", ColumnType::Bool);
    if (!won) won = &opp.addColumn("is_won", ColumnType::Bool);
    if (closed->type() != ColumnType::Bool || won->type() != ColumnType::Bool) return false;
    for (Column* c : {closed, won})
        if (c->size() < opp.rows()) c->resize(opp.rows());
    for (std::size_t r = 0; r < opp.rows(); ++r) {
        const auto it = meaning.find(status->ids()[r]);
        const StageOutcome o = it != meaning.end() && it->second.known ? it->second.outcome : StageOutcome::Open;
        closed->u8()[r] = o != StageOutcome::Open ? 1 : 0;
        won->u8()[r] = o == StageOutcome::Won ? 1 : 0;
    }
    return true;
}

// [SECTION] json
namespace {
using Json = nlohmann::ordered_json;

Json rowJson(const StageRow& r) {
    Json j;
    j["name"] = r.name;
    j["count"] = r.count;
    j["outcome"] = stageOutcomeName(r.outcome);
    j["order"] = r.order;
    j["probability"] =
        std::isnan(r.probability) ? Json(nullptr) : Json(std::round(r.probability * 1e4) / 1e4);
    j["source"] = stageSourceName(r.source);
    j["why"] = r.why;
    return j;
}
} // namespace

std::string stageTableToJson(const StageTable& t) {
    Json j;
    j["outcomes_from_stages"] = t.outcomesFromStages;
    j["probability_from_stages"] = t.probabilityFromStages;
    Json rows = Json::array();
    for (const StageRow& r : t.stages) rows.push_back(rowJson(r));
    j["stages"] = std::move(rows);
    j["warnings"] = t.warnings;
    return j.dump();
}

bool stageTableFromJson(std::string_view text, StageTable& out, std::string& error) {
    const Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("stages") || !j["stages"].is_array()) {
        error = "stage table: not a JSON object with a \"stages\" array";
        return false;
    }
    StageTable t;
    t.outcomesFromStages = j.value("outcomes_from_stages", false);
    t.probabilityFromStages = j.value("probability_from_stages", false);
    for (const Json& s : j["stages"]) {
        if (!s.is_object() || !s.contains("name") || !s["name"].is_string()) {
            error = "stage table: a stage has no name";
            return false;
        }
        StageRow r;
        r.name = s["name"].get<std::string>();
        if (!parseStageOutcome(s.value("outcome", "open"), r.outcome)) {
            error = "stage table: stage '" + r.name + "' has outcome '" + s.value("outcome", "") +
                    "' (expected open, won or lost)";
            return false;
        }
        r.count = s.value("count", std::uint64_t{0});
        r.order = s.value("order", 0);
        if (s.contains("probability") && s["probability"].is_number())
            r.probability = std::clamp(s["probability"].get<double>(), 0.0, 1.0);
        const std::string src = s.value("source", "assumed");
        for (StageSource k : {StageSource::Name, StageSource::Data, StageSource::File, StageSource::User,
                              StageSource::Assumed})
            if (src == stageSourceName(k)) r.source = k;
        r.why = s.value("why", "");
        t.stages.push_back(std::move(r));
    }
    if (j.contains("warnings") && j["warnings"].is_array())
        for (const Json& w : j["warnings"])
            if (w.is_string()) t.warnings.push_back(w.get<std::string>());
    out = std::move(t);
    return true;
}

bool parseStageChoice(std::string_view text, StageRow& out, std::string& error) {
    const std::size_t eq = text.rfind('=');
    if (eq == std::string_view::npos || eq == 0 || trim(text.substr(0, eq)).empty()) {
        error = "expected STAGE=open|won|lost (optionally :PROBABILITY%), got '" + std::string(text) + "'";
        return false;
    }
    StageRow r;
    r.name = std::string(trim(text.substr(0, eq)));
    std::string_view rest = trim(text.substr(eq + 1));
    std::string_view prob;
    if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
        prob = trim(rest.substr(colon + 1));
        rest = trim(rest.substr(0, colon));
    }
    if (!parseStageOutcome(rest, r.outcome)) {
        error = "stage '" + r.name + "': expected open, won or lost, got '" + std::string(rest) + "'";
        return false;
    }
    if (!prob.empty()) {
        const bool pct = prob.back() == '%';
        if (pct) prob.remove_suffix(1);
        double p = 0;
        if (!parseDouble(trim(prob), p) || p < 0 || p > 100) {
            error =
                "stage '" + r.name + "': probability '" + std::string(prob) + "' is not between 0 and 100%";
            return false;
        }
        r.probability = pct || p > 1 ? p / 100.0 : p;
    }
    r.source = StageSource::User;
    out = std::move(r);
    return true;
}

} // namespace terrane
