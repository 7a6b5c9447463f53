// .terrane scenario files.
//
// Index
//  [SECTION] review      hash chain
//  [SECTION] redaction   initials, aliases, hidden names, money bands, omitted columns
//  [SECTION] tables      columnar JSON for datasets and territory tables
//  [SECTION] commands    command logs as JSON
//  [SECTION] save        the document: scenarios, results, redaction, review, content hash
//  [SECTION] datasets    the datasets' JSON written in steps (1M accounts across frames)
//  [SECTION] load        limits, parse, migrate, validate, replay, recompute the results
//  [SECTION] summary     the file's summary
#include "core/base/format.hpp"
#include "core/scenario/scenario_file.hpp"

#include "core/comp/comp_setup.hpp"
#include "core/quota/quota_json.hpp"
#include "core/quota/quota_results.hpp"

#include "core/scenario/metrics.hpp"
#include "core/base/sha256.hpp"
#include "core/scenario/summary.hpp"
#include "core/base/text.hpp"
#include "core/base/version.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <memory>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <variant>

namespace terrane {

using Json = nlohmann::ordered_json;

namespace {
// A validation failure with the JSON path where it happened.
using FileError = JsonFieldError;

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace

// [SECTION] review
namespace {
std::string reviewHash(const ReviewEntry& e) {
    Sha256 h;
    const std::string kind = e.kind == ReviewEntry::Kind::Approval ? "approval" : "comment";
    for (const std::string* f : {&kind, &e.author, &e.decision, &e.text, &e.scenario, &e.contentSha256, &e.previousHash}) {
        h.update(*f);
        h.update("\x1f", 1);
    }
    h.update(std::to_string(e.timeMs));
    return h.hexDigest();
}
} // namespace

void appendReview(std::vector<ReviewEntry>& trail, ReviewEntry entry, const std::string& contentSha256) {
    entry.contentSha256 = contentSha256;
    entry.previousHash = trail.empty() ? std::string() : trail.back().hash;
    if (entry.timeMs == 0) entry.timeMs = nowMs();
    entry.hash = reviewHash(entry);
    trail.push_back(std::move(entry));
}

std::string verifyReviewChain(const std::vector<ReviewEntry>& trail) {
    for (std::size_t i = 0; i < trail.size(); ++i) {
        const ReviewEntry& e = trail[i];
        const std::string expectedPrev = i == 0 ? std::string() : trail[i - 1].hash;
        if (e.previousHash != expectedPrev) return "review entry " + std::to_string(i + 1) + " is out of order or an entry before it was removed";
        if (reviewHash(e) != e.hash) return "review entry " + std::to_string(i + 1) + " (" + e.author + ") was altered after it was made";
    }
    return {};
}

// [SECTION] redaction
std::string moneyBandLabel(Money m) {
    static constexpr std::pair<double, const char*> kBands[] = {{25e6, "$25M+"},  {5e6, "$5M-$25M"},     {1e6, "$1M-$5M"},
                                                                {250e3, "$250K-$1M"}, {50e3, "$50K-$250K"}, {10e3, "$10K-$50K"},
                                                                {0, "under $10K"}};
    const double v = static_cast<double>(m) / 100.0;
    for (const auto& [lo, label] : kBands)
        if (v >= lo) return label;
    return "negative";
}

namespace {
Money bandLowerBound(Money m) {
    static constexpr double kBounds[] = {25e6, 5e6, 1e6, 250e3, 50e3, 10e3, 0};
    const double v = static_cast<double>(m) / 100.0;
    for (double b : kBounds)
        if (v >= b) return static_cast<Money>(b * 100);
    return m;
}

std::string initialsOf(std::string_view name) {
    std::string out;
    bool start = true;
    for (char c : name) {
        if (c == ' ' || c == '-') {
            start = true;
            continue;
        }
        if (start && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) out += static_cast<char>(c & ~0x20), out += ".";
        start = false;
    }
    return out.empty() ? "?" : out;
}
} // namespace

void applyRedaction(Workspace& ws, const Redaction& r) {
    StringPool& pool = *ws.pool;
    if (r.repNames != Redaction::RepNames::Keep) {
        Table& reps = ws.reps();
        Column* name = reps.find("name");
        Column* manager = reps.find("manager");
        std::unordered_map<std::uint32_t, std::uint32_t> managerAlias;
        for (std::size_t i = 0; i < reps.rows(); ++i) {
            if (name) {
                const std::string_view n = pool.view(name->ids()[i]);
                std::string alias = r.repNames == Redaction::RepNames::Initials ? initialsOf(n) : "Rep " + std::to_string(i + 1);
                if (startsWith(n, "TBH")) alias = "TBH";
                name->ids()[i] = pool.intern(alias);
            }
            if (manager && manager->ids()[i]) {
                const std::uint32_t m = manager->ids()[i];
                auto [it, fresh] = managerAlias.try_emplace(m, 0u);
                if (fresh)
                    it->second = pool.intern(r.repNames == Redaction::RepNames::Initials ? initialsOf(pool.view(m))
                                                                                        : "Manager " + std::to_string(managerAlias.size()));
                manager->ids()[i] = it->second;
            }
        }
    }
    if (r.hideAccountNames) {
        Table& acc = ws.accounts();
        if (Column* n = acc.find("name"))
            for (std::size_t i = 0; i < acc.rows(); ++i) n->ids()[i] = acc.find("account_id")->ids()[i];
        Table& opp = ws.opportunities();
        if (Column* n = opp.find("name"))
            for (std::size_t i = 0; i < opp.rows(); ++i) n->ids()[i] = opp.find("opportunity_id")->ids()[i];
    }
    if (r.bandMoney) {
        for (Table* t : {&ws.accounts(), &ws.opportunities(), &ws.table(DatasetKind::Bookings), &ws.table(DatasetKind::StageHistory)})
            for (std::size_t c = 0; c < t->columnCount(); ++c) {
                Column& col = t->column(c);
                if (col.type() != ColumnType::Money) continue;
                for (auto& v : col.i64())
                    if (v != kI64Null) v = bandLowerBound(v);
            }
    }
}

// [SECTION] tables
namespace {
const char* typeKey(ColumnType t) { return columnTypeName(t); }

Json tableToJson(const Table& t, const std::set<std::string>& omit, const std::string& dataset) {
    Json j;
    j["rows"] = t.rows();
    Json cols = Json::array();
    const StringPool& pool = t.pool();
    for (std::size_t ci = 0; ci < t.columnCount(); ++ci) {
        const Column& c = t.column(ci);
        if (omit.count(dataset + "." + c.name())) continue;
        Json col;
        col["name"] = c.name();
        col["type"] = typeKey(c.type());
        Json values = Json::array();
        switch (c.type()) {
        case ColumnType::String: {
            // Dictionary encoding when values repeat (segments, stages, owners).
            std::unordered_map<std::uint32_t, std::uint32_t> code;
            for (std::uint32_t id : c.ids())
                if (id) code.try_emplace(id, static_cast<std::uint32_t>(code.size()));
            if (code.size() * 4 < c.size()) {
                std::vector<std::uint32_t> order(code.size());
                for (auto [id, k] : code) order[k] = id;
                Json dict = Json::array();
                for (std::uint32_t id : order) dict.push_back(std::string(pool.view(id)));
                col["dict"] = std::move(dict);
                for (std::uint32_t id : c.ids()) values.push_back(id ? Json(code[id]) : Json(nullptr));
            } else {
                for (std::uint32_t id : c.ids()) values.push_back(id ? Json(std::string(pool.view(id))) : Json(nullptr));
            }
            break;
        }
        case ColumnType::F64:
            for (double v : c.f64()) values.push_back(std::isnan(v) ? Json(nullptr) : Json(v));
            break;
        case ColumnType::I64:
        case ColumnType::Money:
            for (std::int64_t v : c.i64()) values.push_back(v == kI64Null ? Json(nullptr) : Json(v));
            break;
        case ColumnType::Date:
            for (std::int64_t v : c.i64()) values.push_back(v == kI64Null ? Json(nullptr) : Json(formatDate(static_cast<Date>(v))));
            break;
        case ColumnType::Bool:
            for (std::uint8_t v : c.u8()) values.push_back(v == kBoolNull ? Json(nullptr) : Json(v == 1));
            break;
        }
        col["values"] = std::move(values);
        cols.push_back(std::move(col));
    }
    j["columns"] = std::move(cols);
    return j;
}

void tableFromJson(const Json& j, Table& t, const LoadLimits& lim, const std::string& where) {
    const std::int64_t rows = jsonInteger(jsonMember(j, "rows", where), where + ".rows", 0, static_cast<std::int64_t>(lim.maxRows));
    const Json& cols = jsonMember(j, "columns", where);
    if (!cols.is_array()) throw FileError(where + ".columns: expected a list");
    if (cols.size() > lim.maxColumns) throw FileError(where + ".columns: more than " + std::to_string(lim.maxColumns) + " columns");
    t.resize(static_cast<std::size_t>(rows));
    StringPool& pool = t.pool();
    for (std::size_t ci = 0; ci < cols.size(); ++ci) {
        const std::string cw = where + ".columns[" + std::to_string(ci) + "]";
        const std::string name = jsonString(cols[ci], "name", cw, true);
        if (name.empty() || name.size() > 200) throw FileError(cw + ".name: expected a column name");
        ColumnType type;
        if (!parseColumnType(jsonString(cols[ci], "type", cw, true), type)) throw FileError(cw + ".type: unknown column type");
        Column* existing = t.find(name);
        if (existing && existing->type() != type)
            throw FileError(cw + ": column '" + name + "' is " + columnTypeName(existing->type()) + " in this version, the file says " + columnTypeName(type));
        Column& c = t.addColumn(name, type);
        const Json& values = jsonMember(cols[ci], "values", cw);
        if (!values.is_array() || values.size() != static_cast<std::size_t>(rows))
            throw FileError(cw + ".values: expected " + std::to_string(rows) + " values");
        std::vector<std::uint32_t> dict;
        if (auto d = cols[ci].find("dict"); d != cols[ci].end()) {
            if (type != ColumnType::String || !d->is_array()) throw FileError(cw + ".dict: only text columns have a dictionary");
            for (const Json& s : *d) {
                if (!s.is_string()) throw FileError(cw + ".dict: expected text");
                dict.push_back(pool.intern(s.get<std::string>()));
            }
        }
        for (std::size_t r = 0; r < values.size(); ++r) {
            const Json& v = values[r];
            if (v.is_null()) continue; // the column was created with nulls
            auto bad = [&](const char* expected) {
                return FileError(cw + ".values[" + std::to_string(r) + "]: expected " + expected);
            };
            switch (type) {
            case ColumnType::String:
                if (!dict.empty()) {
                    if (!v.is_number_unsigned() || v.get<std::uint64_t>() >= dict.size()) throw bad("a dictionary code");
                    c.ids()[r] = dict[v.get<std::size_t>()];
                } else {
                    if (!v.is_string()) throw bad("text");
                    c.ids()[r] = pool.intern(v.get<std::string>());
                }
                break;
            case ColumnType::F64:
                if (!v.is_number()) throw bad("a number");
                c.f64()[r] = v.get<double>();
                break;
            case ColumnType::I64:
            case ColumnType::Money:
                if (!v.is_number_integer()) throw bad(type == ColumnType::Money ? "an amount in minor units (cents)" : "a whole number");
                c.i64()[r] = v.get<std::int64_t>();
                if (c.i64()[r] == kI64Null) throw bad("a value in range");
                break;
            case ColumnType::Date: {
                Date d = 0;
                if (!v.is_string() || !parseIsoDate(v.get<std::string>(), d)) throw bad("a date like 2025-03-31");
                c.i64()[r] = d;
                break;
            }
            case ColumnType::Bool:
                if (!v.is_boolean()) throw bad("true or false");
                c.u8()[r] = v.get<bool>() ? 1 : 0;
                break;
            }
        }
    }
}
} // namespace

// [SECTION] commands
namespace {
Json commandToJson(const Scenario& sc, const CommandRecord& rec) {
    Json j;
    writeCommand(j, sc, rec.command);
    const AuditEntry& a = rec.audit;
    j["audit"] = {{"time", a.timeMs}, {"description", a.description}, {"accounts", a.accounts},
                  {"potential_moved", a.potentialMoved}, {"arr_moved", a.arrMoved}, {"note", a.note}};
    return j;
}

// The state a scenario started from, recovered by undoing its whole log on a copy.
Scenario startState(const Workspace& ws, const Scenario& sc) {
    Scenario s = sc;
    s.territories.buildIndex(s.territories.indexOf("territory_id"));
    while (undo(ws, s)) {
    }
    // Rows made by this log's CreateTerritory(ies) commands are appended at the end; a replay makes
    // them again, so the start state ends before the first of them.
    std::size_t firstCreated = s.territories.rows();
    for (const CommandRecord& rec : sc.log)
        if (const auto* c = std::get_if<territory::CreateTerritory>(&rec.command); c && c->row >= 0)
            firstCreated = std::min(firstCreated, static_cast<std::size_t>(c->row));
        else if (const auto* cs = std::get_if<territory::CreateTerritories>(&rec.command))
            for (std::int32_t row : cs->rows) firstCreated = std::min(firstCreated, static_cast<std::size_t>(row));
    s.territories.resize(firstCreated);
    s.territories.buildIndex(s.territories.indexOf("territory_id"));
    return s;
}

} // namespace

// [SECTION] save
namespace {
Json datasetsObject(const Workspace& ws, const std::set<std::string>& omit) {
    Json datasets = Json::object();
    for (int k = 0; k < kDatasetKindCount; ++k) {
        const auto kind = static_cast<DatasetKind>(k);
        const Table& t = ws.table(kind);
        if (t.rows() == 0) continue;
        datasets[datasetKindName(kind)] = tableToJson(t, omit, datasetKindName(kind));
    }
    return datasets;
}

Json scenarioToJson(const Workspace& ws, const Scenario& sc, const std::vector<std::int32_t>& baseAssign,
                    const std::vector<std::uint8_t>& baseLocked, const std::set<std::string>& omit) {
    const Scenario start = startState(ws, sc);
    Json j;
    j["name"] = sc.name;
    j["seed"] = sc.seed;
    j["origin"] = sc.origin;
    j["territories"] = tableToJson(start.territories, omit, "territories.scenario");
    // Where the start differs from the datasets' assignment and locks.
    Json assign = Json::array(), locks = Json::array();
    for (std::size_t a = 0; a < start.assignment.size(); ++a) {
        if (a >= baseAssign.size() || start.assignment[a] != baseAssign[a]) assign.push_back(Json::array({a, start.assignment[a]}));
        if (a >= baseLocked.size() || start.locked[a] != baseLocked[a]) locks.push_back(Json::array({a, start.locked[a] != 0}));
    }
    j["start"] = {{"assignment", std::move(assign)}, {"locked", std::move(locks)}, {"quota", quota::quotaPlanToJson(start.quota)},
                  {"capacity", quota::capacityPlanToJson(start.capacity)}};
    // Files without compensation plans stay as they were (and keep their content hash).
    if (!(start.comp == comp::CompSetup{})) j["start"]["comp"] = comp::compSetupToJson(start.comp);
    if (start.forecast) j["start"]["forecast"] = forecast::savedForecastToJson(*start.forecast);
    Json log = Json::array();
    for (const CommandRecord& rec : sc.log) log.push_back(commandToJson(sc, rec));
    j["commands"] = std::move(log);
    j["cursor"] = sc.cursor;
    return j;
}

Json resultsJson(const Workspace& ws) {
    Json r = Json::array();
    const AccountValues values = AccountValues::compute(ws);
    for (const Scenario& sc : ws.scenarios) {
        const PlanMetrics m = computePlanMetrics(ws, values, sc, &ws.baseline(), ws.settings.metrics);
        Json o;
        o["scenario"] = sc.name;
        o["territories"] = m.territories.size();
        o["edits"] = sc.cursor;
        o["max_deviation"] = {{"potential", m.balance.maxAbsDeviation[static_cast<int>(PlanMetric::Potential)]},
                              {"workload", m.balance.maxAbsDeviation[static_cast<int>(PlanMetric::Workload)]},
                              {"accounts", m.balance.maxAbsDeviation[static_cast<int>(PlanMetric::Accounts)]}};
        o["gini_potential"] = m.balance.gini[static_cast<int>(PlanMetric::Potential)];
        o["outside_tolerance"] = m.balance.outsideTolerance;
        o["accounts_moved"] = m.disruption.accountsMoved;
        o["accounts_moved_share"] = m.disruption.accountsMovedShare;
        o["arr_moved_share"] = m.disruption.arrMovedShare;
        o["potential"] = std::round(m.total.sum[static_cast<int>(PlanMetric::Potential)]) / 100.0;
        o["arr"] = std::round(m.total.sum[static_cast<int>(PlanMetric::Arr)]) / 100.0;
        o["pipeline"] = std::round(m.total.sum[static_cast<int>(PlanMetric::Pipeline)]) / 100.0;
        if (Json q = quota::quotaResultsJson(ws, sc); !q.is_null()) o["quota"] = std::move(q);
        r.push_back(std::move(o));
    }
    return r;
}

Json redactionJson(const Redaction& r) {
    static constexpr const char* kRep[] = {"keep", "initials", "aliases"};
    Json o;
    o["rep_names"] = kRep[static_cast<int>(r.repNames)];
    o["hide_account_names"] = r.hideAccountNames;
    o["band_money"] = r.bandMoney;
    o["omit_columns"] = r.omitColumns;
    return o;
}

Json reviewJson(const std::vector<ReviewEntry>& trail) {
    Json a = Json::array();
    for (const ReviewEntry& e : trail) {
        Json o;
        o["kind"] = e.kind == ReviewEntry::Kind::Approval ? "approval" : "comment";
        o["author"] = e.author;
        o["decision"] = e.decision;
        o["text"] = e.text;
        o["scenario"] = e.scenario;
        o["time"] = e.timeMs;
        o["content_sha256"] = e.contentSha256;
        o["previous_hash"] = e.previousHash;
        o["hash"] = e.hash;
        a.push_back(std::move(o));
    }
    return a;
}

// The plan content: what an approval vouches for. File facts (created, author, title,
// description, app version), derived results, the view's active scenario and the review trail
// are outside it, so saving an unchanged plan again keeps its hash.
// Where a save puts the datasets' text, written apart by DatasetsJsonWriter (a document of 1M
// rows takes seconds to build): the dumped marker string is replaced by the text.
constexpr const char* kDatasetsMarker = "\x01terrane-datasets\x01";

std::string dumpWithDatasets(const Json& doc, const std::string* datasets) {
    std::string text = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!datasets) return text;
    const std::string token = Json(kDatasetsMarker).dump();
    const std::size_t at = text.find(token);
    if (at == std::string::npos) throw std::logic_error("datasets marker missing from the saved document");
    text.replace(at, token.size(), *datasets);
    return text;
}

std::string hashOfContent(const Json& doc, const std::string* datasets = nullptr) {
    Json content = Json::object();
    for (const char* key : {"format", "schema_version", "redaction", "workspace", "scenarios"})
        if (doc.contains(key)) content[key] = doc[key];
    return sha256Hex(dumpWithDatasets(content, datasets));
}
} // namespace

namespace {
// The assignment and locks the datasets imply, as a fresh load rebuilds them
// (Workspace::rebuildBaseline: territories named by accounts but missing from the territories
// dataset become new rows, in order of first mention), without copying the datasets.
void impliedBaseline(const Workspace& ws, std::vector<std::int32_t>& assign, std::vector<std::uint8_t>& locked) {
    const Table& acc = ws.table(DatasetKind::Accounts);
    const Table& ter = ws.table(DatasetKind::Territories);
    assign.assign(acc.rows(), -1);
    locked.assign(acc.rows(), 0);
    const Column* accTer = acc.find("territory");
    const Column* accLocked = acc.find("locked");
    const Column* terId = ter.find("territory_id");
    std::unordered_map<std::uint32_t, std::int32_t> rowOf;
    std::int32_t rows = static_cast<std::int32_t>(ter.rows());
    if (terId)
        for (std::size_t r = 0; r < ter.rows(); ++r)
            if (const std::uint32_t sid = terId->ids()[r]) rowOf.try_emplace(sid, static_cast<std::int32_t>(r));
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        if (accLocked && accLocked->type() == ColumnType::Bool) locked[r] = accLocked->u8()[r] == 1 ? 1 : 0;
        if (!accTer || accTer->type() != ColumnType::String) continue;
        const std::uint32_t sid = accTer->ids()[r];
        if (sid == 0) continue;
        auto [it, added] = rowOf.try_emplace(sid, rows);
        if (added) ++rows;
        assign[r] = it->second;
    }
}
} // namespace

std::string datasetsJson(const Workspace& ws) {
    DatasetsJsonWriter w(ws);
    while (!w.step(std::size_t{1} << 30)) {
    }
    return w.take();
}

// [SECTION] datasets writer
// Writes the same text as datasetsObject(ws, {}).dump() without building the document: the
// state is a cursor (dataset, column, phase, row), so the work can stop after any cell.
DatasetsJsonWriter::DatasetsJsonWriter(const Workspace& ws, std::vector<std::string> omit) : m_ws(&ws), m_omit(std::move(omit)) {
    for (int k = 0; k < kDatasetKindCount; ++k) {
        const Table& t = ws.table(static_cast<DatasetKind>(k));
        m_cellsTotal += t.rows() * t.columnCount();
    }
    m_out += '{';
}

double DatasetsJsonWriter::progress() const {
    if (m_done) return 1.0;
    return m_cellsTotal ? std::min(0.999, static_cast<double>(m_cellsDone) / static_cast<double>(m_cellsTotal)) : 0.0;
}

void DatasetsJsonWriter::putString(std::string_view s) {
    // Plain ASCII without quotes, backslashes or control characters is written as is; anything
    // else goes through the JSON library's escaping (invalid UTF-8 replaced), as the document did.
    bool plain = true;
    for (char ch : s) {
        const auto u = static_cast<unsigned char>(ch);
        if (u < 0x20 || u >= 0x80 || u == '"' || u == '\\') {
            plain = false;
            break;
        }
    }
    if (plain) {
        m_out += '"';
        m_out.append(s);
        m_out += '"';
    } else {
        m_out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
}

void DatasetsJsonWriter::putDouble(double v) {
    if (!std::isfinite(v)) {
        m_out += "null";
        return;
    }
    char buf[64];
    char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
    m_out.append(buf, end);
}

void DatasetsJsonWriter::putInt(std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_out.append(buf, r.ptr);
}

bool DatasetsJsonWriter::step(std::size_t cells) {
    std::size_t budget = cells;
    while (!m_done) {
        if (m_kind >= kDatasetKindCount) {
            m_out += '}';
            m_done = true;
            break;
        }
        const auto kind = static_cast<DatasetKind>(m_kind);
        const Table& t = m_ws->table(kind);
        if (t.rows() == 0) {
            ++m_kind;
            continue;
        }
        if (m_col == 0 && m_phase == Phase::TableHead) {
            if (m_tables++) m_out += ',';
            putString(datasetKindName(kind));
            m_out += ":{\"rows\":";
            putInt(static_cast<std::int64_t>(t.rows()));
            m_out += ",\"columns\":[";
            m_phase = Phase::Scan;
            m_row = 0;
            m_colsWritten = 0;
        }
        if (m_col < t.columnCount() && m_phase == Phase::Scan && m_row == 0 && !m_omit.empty() &&
            std::find(m_omit.begin(), m_omit.end(), std::string(datasetKindName(kind)) + "." + t.column(m_col).name()) != m_omit.end()) {
            m_cellsDone += t.rows();
            ++m_col;
            continue;
        }
        if (m_col >= t.columnCount()) {
            m_out += "]}";
            ++m_kind;
            m_col = 0;
            m_phase = Phase::TableHead;
            continue;
        }
        if (budget == 0) return false;
        const Column& c = t.column(m_col);
        const std::size_t n = c.size();
        const StringPool& pool = t.pool();
        switch (m_phase) {
        case Phase::TableHead:
        case Phase::Scan: {
            if (c.type() == ColumnType::String) {
                // Dictionary encoding when values repeat (segments, stages, owners); stops as
                // soon as the values are too many to repeat.
                const auto& ids = c.ids();
                const std::size_t start = m_row;
                const std::size_t end = std::min(n, m_row + budget);
                for (; m_row < end && m_code.size() * 4 < n; ++m_row)
                    if (ids[m_row]) m_code.try_emplace(ids[m_row], static_cast<std::uint32_t>(m_code.size()));
                budget -= std::min(budget, m_row - start);
                if (m_row < n && m_code.size() * 4 < n) return false;
                m_dict = m_code.size() * 4 < n;
                if (m_dict) {
                    m_order.assign(m_code.size(), 0);
                    for (auto [id, k] : m_code) m_order[k] = id;
                }
            }
            m_out += m_colsWritten++ ? ",{\"name\":" : "{\"name\":";
            putString(c.name());
            m_out += ",\"type\":";
            putString(typeKey(c.type()));
            m_row = 0;
            if (m_dict) {
                m_out += ",\"dict\":[";
                m_phase = Phase::Dict;
            } else {
                m_out += ",\"values\":[";
                m_phase = Phase::Values;
            }
            break;
        }
        case Phase::Dict: {
            const std::size_t start = m_row;
            const std::size_t end = std::min(m_order.size(), m_row + budget);
            for (; m_row < end; ++m_row) {
                if (m_row) m_out += ',';
                putString(pool.view(m_order[m_row]));
            }
            budget -= std::min(budget, m_row - start);
            if (m_row < m_order.size()) return false;
            m_out += "],\"values\":[";
            m_row = 0;
            m_phase = Phase::Values;
            break;
        }
        case Phase::Values: {
            const std::size_t start = m_row;
            const std::size_t end = std::min(n, m_row + budget);
            for (; m_row < end; ++m_row) {
                if (m_row) m_out += ',';
                switch (c.type()) {
                case ColumnType::String: {
                    const std::uint32_t id = c.ids()[m_row];
                    if (!id)
                        m_out += "null";
                    else if (const auto it = m_dict ? m_code.find(id) : m_code.end(); it != m_code.end())
                        putInt(it->second);
                    else
                        putString(pool.view(id));
                    break;
                }
                case ColumnType::F64: putDouble(c.f64()[m_row]); break;
                case ColumnType::I64:
                case ColumnType::Money: {
                    const std::int64_t v = c.i64()[m_row];
                    if (v == kI64Null)
                        m_out += "null";
                    else
                        putInt(v);
                    break;
                }
                case ColumnType::Date: {
                    const std::int64_t v = c.i64()[m_row];
                    if (v == kI64Null)
                        m_out += "null";
                    else
                        putString(formatDate(static_cast<Date>(v)));
                    break;
                }
                case ColumnType::Bool: {
                    const std::uint8_t v = c.u8()[m_row];
                    m_out += v == kBoolNull ? "null" : v == 1 ? "true" : "false";
                    break;
                }
                }
            }
            budget -= std::min(budget, m_row - start);
            m_cellsDone += m_row - start;
            if (m_row < n) return false;
            m_out += "]}";
            ++m_col;
            m_row = 0;
            m_phase = Phase::Scan;
            m_dict = false;
            m_code.clear();
            m_order.clear();
            break;
        }
        }
    }
    return true;
}

std::string DatasetsJsonWriter::take() { return std::move(m_out); }

std::string DatasetsJsonWriter::takeChunk() {
    std::string chunk = std::move(m_out);
    m_out.clear();
    return chunk;
}

std::string datasetsJsonViaDocument(const Workspace& ws) {
    return datasetsObject(ws, {}).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string withDatasets(std::string_view documentWithoutDatasets, std::string_view datasets) {
    Json doc = Json::parse(documentWithoutDatasets, nullptr, false);
    Json ds = Json::parse(datasets, nullptr, false);
    if (doc.is_discarded() || ds.is_discarded() || !doc.is_object() || !doc.contains("workspace")) return {};
    doc["workspace"]["datasets"] = std::move(ds);
    return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string saveScenarioFile(const Workspace& src, const SaveOptions& opt, const std::vector<ReviewEntry>& review) {
    const std::int64_t now = opt.nowMs ? opt.nowMs : nowMs();
    Json doc;
    doc["format"] = "terrane-scenario";
    doc["schema_version"] = kScenarioSchemaVersion;
    doc["app_version"] = kVersion;
    doc["created"] = fmt::isoTimestamp(now);
    doc["author"] = opt.author;
    doc["title"] = opt.title.empty() ? src.name : opt.title;
    doc["description"] = opt.description;
    doc["redaction"] = redactionJson(opt.redaction);
    // Figures are computed on the real data; the shared copy may be redacted.
    doc["results"] = opt.includeResults ? resultsJson(src) : Json::array();
    // A redacted save works on a redacted copy; otherwise nothing is copied.
    std::unique_ptr<Workspace> redacted;
    if (opt.redaction.any()) {
        redacted = std::make_unique<Workspace>(src);
        applyRedaction(*redacted, opt.redaction);
    }
    const Workspace& ws = redacted ? *redacted : src;
    const std::set<std::string> omit(opt.redaction.omitColumns.begin(), opt.redaction.omitColumns.end());
    Json w;
    w["name"] = ws.name;
    const MetricsOptions& m = ws.settings.metrics;
    w["settings"] = {{"metrics", {{"capacity_adjusted", m.capacityAdjusted}, {"vacant_capacity", m.vacantCapacity}, {"tolerance", m.tolerance}}}};
    if (!ws.settings.stages.empty()) w["settings"]["stages"] = Json::parse(stageTableToJson(ws.settings.stages));
    Json sources = Json::array();
    for (const SourceFile& s : ws.sources)
        sources.push_back({{"kind", datasetKindName(s.kind)}, {"name", s.name}, {"bytes", s.bytes}, {"sha256", s.sha256},
                           {"rows_accepted", s.rowsAccepted}, {"rows_rejected", s.rowsRejected}});
    w["sources"] = std::move(sources);
    std::string datasets;
    if (opt.includeDatasets) {
        DatasetsJsonWriter writer(ws, opt.redaction.omitColumns);
        while (!writer.step(std::size_t{1} << 30)) {
        }
        datasets = writer.take();
        w["datasets"] = kDatasetsMarker;
    } else {
        w["datasets"] = Json::object();
    }
    doc["workspace"] = std::move(w);
    std::vector<std::int32_t> baseAssign;
    std::vector<std::uint8_t> baseLocked;
    impliedBaseline(ws, baseAssign, baseLocked);
    Json scenarios = Json::array();
    for (const Scenario& sc : ws.scenarios) scenarios.push_back(scenarioToJson(ws, sc, baseAssign, baseLocked, omit));
    doc["scenarios"] = std::move(scenarios);
    doc["active_scenario"] = ws.activeScenario;
    const std::string* ds = opt.includeDatasets ? &datasets : nullptr;
    const std::string hash = hashOfContent(doc, ds);
    doc["content_sha256"] = hash;
    doc["review"] = reviewJson(review);
    return dumpWithDatasets(doc, ds);
}

// [SECTION] load
namespace {
// Deepest nesting of arrays/objects outside strings; stops early past `limit`.
std::uint32_t nestingDepth(std::string_view s, std::uint32_t limit) {
    std::uint32_t depth = 0, maxDepth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (inString) {
            if (c == '\\') ++i;
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') inString = true;
        else if (c == '[' || c == '{') {
            maxDepth = std::max(maxDepth, ++depth);
            if (maxDepth > limit) return maxDepth;
        } else if ((c == ']' || c == '}') && depth > 0) --depth;
    }
    return maxDepth;
}

std::string lineColumn(std::string_view s, std::size_t byte) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < byte && i < s.size(); ++i) {
        if (s[i] == '\n') ++line, col = 1;
        else ++col;
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

// Schema 1 (pre-release builds) stored each scenario as a full list of territory ids per
// account; schema 2 stores a start state and a command log. The migration turns the list into
// one apply_assignment command on a copy of the baseline.
void migrateV1(Json& doc, std::vector<std::string>& warnings) {
    Json& scenarios = doc["scenarios"];
    if (!scenarios.is_array()) throw FileError("scenarios: expected a list");
    const Json& datasets = doc["workspace"]["datasets"];
    const Json* terr = datasets.contains("territories") ? &datasets["territories"] : nullptr;
    std::unordered_map<std::string, std::int64_t> rowOf;
    if (terr) {
        for (const Json& col : (*terr)["columns"])
            if (col.value("name", "") == "territory_id")
                for (std::size_t r = 0; r < col["values"].size(); ++r)
                    if (col["values"][r].is_string()) rowOf.emplace(col["values"][r].get<std::string>(), static_cast<std::int64_t>(r));
    }
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        Json& sc = scenarios[i];
        const std::string where = "scenarios[" + std::to_string(i) + "]";
        const Json ids = sc.contains("assignment") ? sc["assignment"] : Json::array();
        if (!ids.is_array()) throw FileError(where + ".assignment: expected a list of territory ids");
        Json accounts = Json::array(), to = Json::array();
        for (std::size_t a = 0; a < ids.size(); ++a) {
            if (ids[a].is_null()) continue;
            if (!ids[a].is_string()) throw FileError(where + ".assignment[" + std::to_string(a) + "]: expected a territory id");
            auto it = rowOf.find(ids[a].get<std::string>());
            if (it == rowOf.end()) throw FileError(where + ".assignment[" + std::to_string(a) + "]: unknown territory '" + ids[a].get<std::string>() + "'");
            accounts.push_back(a);
            to.push_back(it->second);
        }
        Json out;
        out["name"] = sc.value("name", "Scenario " + std::to_string(i));
        out["seed"] = sc.value("seed", 1);
        out["origin"] = "migrated from schema 1";
        out["start"] = {{"assignment", Json::array()}, {"locked", Json::array()}};
        out["commands"] = Json::array();
        if (i > 0 && !accounts.empty()) {
            out["commands"].push_back({{"type", "apply_assignment"}, {"accounts", accounts}, {"to", to}, {"source", "schema 1 assignment"},
                                       {"audit", {{"time", 0}, {"description", "Assignment from a schema 1 file"}, {"accounts", accounts.size()},
                                                  {"potential_moved", 0}, {"arr_moved", 0}, {"note", ""}}}});
        }
        out["cursor"] = out["commands"].size();
        sc = std::move(out);
    }
    doc["schema_version"] = 2;
    warnings.push_back("This file was written in schema 1 by an earlier Terrane and was converted; save it again to keep the new format.");
}

Redaction redactionFrom(const Json& j) {
    Redaction r;
    if (!j.is_object()) return r;
    const std::string rep = j.value("rep_names", "keep");
    r.repNames = rep == "initials" ? Redaction::RepNames::Initials : rep == "aliases" ? Redaction::RepNames::Aliases : Redaction::RepNames::Keep;
    r.hideAccountNames = j.value("hide_account_names", false);
    r.bandMoney = j.value("band_money", false);
    if (j.contains("omit_columns") && j["omit_columns"].is_array())
        for (const Json& c : j["omit_columns"])
            if (c.is_string()) r.omitColumns.push_back(c.get<std::string>());
    return r;
}

std::vector<ReviewEntry> reviewFrom(const Json& j) {
    std::vector<ReviewEntry> out;
    if (!j.is_array()) throw FileError("review: expected a list");
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string where = "review[" + std::to_string(i) + "]";
        ReviewEntry e;
        const std::string kind = jsonString(j[i], "kind", where, true);
        if (kind != "comment" && kind != "approval") throw FileError(where + ".kind: expected comment or approval");
        e.kind = kind == "approval" ? ReviewEntry::Kind::Approval : ReviewEntry::Kind::Comment;
        e.author = jsonString(j[i], "author", where);
        e.decision = jsonString(j[i], "decision", where);
        e.text = jsonString(j[i], "text", where);
        e.scenario = jsonString(j[i], "scenario", where);
        e.timeMs = jsonInteger(jsonMember(j[i], "time", where), where + ".time", 0, std::numeric_limits<std::int64_t>::max());
        e.contentSha256 = jsonString(j[i], "content_sha256", where);
        e.previousHash = jsonString(j[i], "previous_hash", where);
        e.hash = jsonString(j[i], "hash", where);
        out.push_back(std::move(e));
    }
    return out;
}
} // namespace

std::string contentHashOf(std::string_view documentJson) {
    if (nestingDepth(documentJson, 64) > 64) return {};
    Json doc = Json::parse(documentJson, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return {};
    return hashOfContent(std::move(doc));
}

namespace {
// A value as a warning quotes it: JSON text, cut short when long.
std::string quoted(const Json& v) {
    std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (s.size() > 80) s = s.substr(0, 77) + "...";
    return s;
}

// Adds to `out` every figure of `saved` (at `path`) that `recomputed` does not match: numbers
// beyond a relative 1e-9 (absolute below 1), other values exactly, figures not recomputed at all.
// Figures the file leaves out are not claims and pass.
void compareFigures(const Json& saved, const Json& recomputed, const std::string& path, const std::string& scenario,
                    std::vector<std::string>& out) {
    auto differ = [&](const std::string& now) {
        out.push_back(path + " (scenario '" + scenario + "'): the file says " + quoted(saved) + ", recomputed " + now);
    };
    if (saved.is_object() && recomputed.is_object()) {
        for (auto it = saved.begin(); it != saved.end(); ++it) {
            if (recomputed.contains(it.key())) compareFigures(it.value(), recomputed[it.key()], path + "." + it.key(), scenario, out);
            else compareFigures(it.value(), Json(), path + "." + it.key(), scenario, out);
        }
        return;
    }
    if (saved.is_array() && recomputed.is_array()) {
        for (std::size_t i = 0; i < saved.size(); ++i)
            compareFigures(saved[i], i < recomputed.size() ? recomputed[i] : Json(), path + "[" + std::to_string(i) + "]", scenario, out);
        return;
    }
    if (recomputed.is_null() && !saved.is_null()) {
        differ("nothing");
        return;
    }
    if (saved.is_number() && recomputed.is_number()) {
        const double a = saved.get<double>(), b = recomputed.get<double>();
        if (!(std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)}))) differ(quoted(recomputed));
        return;
    }
    if (saved != recomputed) differ(quoted(recomputed));
}

// The file's results against the ones recomputed from the replayed workspace; none when the file
// has no results (older files, autosaves) or is redacted (its results came from data it does not hold).
std::vector<std::string> resultsDifferences(const Json& doc, const Workspace& ws, const Redaction& redaction) {
    std::vector<std::string> out;
    if (!doc.contains("results") || redaction.any()) return out;
    const Json& saved = doc["results"];
    if (saved.is_array() && saved.empty()) return out;
    if (!saved.is_array()) {
        out.push_back("results: expected a list of figures per scenario, the file has " + quoted(saved));
        return out;
    }
    // Through the same serialisation as the saved figures (NaN becomes null, doubles round-trip).
    const Json recomputed = Json::parse(resultsJson(ws).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    for (std::size_t i = 0; i < saved.size(); ++i) {
        const std::string path = "results[" + std::to_string(i) + "]";
        if (i >= recomputed.size()) {
            out.push_back(path + ": the file has figures for a scenario it does not hold: " + quoted(saved[i]));
            continue;
        }
        compareFigures(saved[i], recomputed[i], path, ws.scenarios[i].name, out);
    }
    return out;
}
} // namespace

ScenarioFileLoad loadScenarioFile(std::string_view bytes, const LoadLimits& lim) {
    ScenarioFileLoad res;
    if (bytes.size() > lim.maxBytes) {
        res.error = "the file is " + std::to_string(bytes.size() >> 20) + " MB; the limit is " + std::to_string(lim.maxBytes >> 20) + " MB";
        return res;
    }
    if (trim(bytes).empty()) {
        res.error = "the file is empty";
        return res;
    }
    if (nestingDepth(bytes, lim.maxDepth) > lim.maxDepth) {
        res.error = "the file nests deeper than " + std::to_string(lim.maxDepth) + " levels: it is not a Terrane scenario file";
        return res;
    }
    Json doc;
    try {
        doc = Json::parse(bytes);
    } catch (const nlohmann::json::parse_error& e) {
        res.error = "the file is damaged or cut short (" + lineColumn(bytes, e.byte > 0 ? e.byte - 1 : 0) + "): it is not valid JSON";
        return res;
    } catch (const nlohmann::json::exception& e) {
        // Out-of-range numbers (1e999, 56e8611) and similar: not a file Terrane wrote.
        res.error = std::string("the file holds a value no Terrane file has (") + e.what() + "): it is not a valid scenario file";
        return res;
    }
    try {
        if (!doc.is_object() || doc.value("format", "") != "terrane-scenario")
            throw FileError("this is not a Terrane scenario file (no \"format\": \"terrane-scenario\")");
        const std::int64_t version = jsonInteger(jsonMember(doc, "schema_version", "file"), "schema_version", 1, 1000000);
        if (version > kScenarioSchemaVersion)
            throw FileError("this file was made by a newer Terrane (" + doc.value("app_version", std::string("unknown")) + ", schema " +
                            std::to_string(version) + "); this version reads schema " + std::to_string(kScenarioSchemaVersion) +
                            " and older. Open it in a newer Terrane.");
        // The recorded hash is checked against the content as written, before any migration.
        const std::string recorded = jsonString(doc, "content_sha256", "file");
        const std::string actual = hashOfContent(doc);
        res.tampered = recorded.empty() || recorded != actual;
        if (version < kScenarioSchemaVersion) {
            res.migratedFrom = static_cast<int>(version);
            if (version == 1) migrateV1(doc, res.warnings);
        }
        ScenarioFileMeta& meta = res.meta;
        meta.schemaVersion = static_cast<int>(version);
        meta.appVersion = jsonString(doc, "app_version", "file");
        meta.created = jsonString(doc, "created", "file");
        meta.author = jsonString(doc, "author", "file");
        meta.title = jsonString(doc, "title", "file");
        meta.description = jsonString(doc, "description", "file");
        meta.contentSha256 = actual;
        meta.redaction = redactionFrom(doc.contains("redaction") ? doc["redaction"] : Json());
        meta.resultsJson = doc.contains("results") ? doc["results"].dump() : "[]";
        meta.review = reviewFrom(doc.contains("review") ? doc["review"] : Json::array());
        res.reviewProblem = verifyReviewChain(meta.review);
        for (auto it = meta.review.rbegin(); it != meta.review.rend(); ++it)
            if (it->kind == ReviewEntry::Kind::Approval) {
                res.changedAfterApproval = it->contentSha256 != actual;
                break;
            }

        Workspace& ws = res.ws;
        const Json& w = jsonMember(doc, "workspace", "file");
        ws.name = jsonString(w, "name", "workspace");
        if (w.contains("settings") && w["settings"].contains("metrics")) {
            const Json& m = w["settings"]["metrics"];
            ws.settings.metrics.capacityAdjusted = m.value("capacity_adjusted", true);
            ws.settings.metrics.vacantCapacity = std::clamp(m.value("vacant_capacity", 0.5), 0.0, 1.0);
            ws.settings.metrics.tolerance = std::clamp(m.value("tolerance", 0.05), 0.0, 1.0);
        }
        if (w.contains("settings") && w["settings"].is_object() && w["settings"].contains("stages")) {
            std::string err;
            if (!stageTableFromJson(w["settings"]["stages"].dump(), ws.settings.stages, err))
                res.warnings.push_back("workspace.settings.stages: " + err + "; outcomes are read from the saved columns");
        }
        if (w.contains("sources") && w["sources"].is_array())
            for (const Json& s : w["sources"]) {
                SourceFile f;
                DatasetKind k;
                if (!s.is_object() || !parseDatasetKind(s.value("kind", ""), k)) continue;
                f.kind = k;
                f.name = s.value("name", "");
                f.bytes = s.value("bytes", std::uint64_t{0});
                f.sha256 = s.value("sha256", "");
                f.rowsAccepted = s.value("rows_accepted", std::uint64_t{0});
                f.rowsRejected = s.value("rows_rejected", std::uint64_t{0});
                ws.sources.push_back(std::move(f));
            }
        const Json& datasets = jsonMember(w, "datasets", "workspace");
        if (!datasets.is_object()) throw FileError("workspace.datasets: expected an object");
        for (auto it = datasets.begin(); it != datasets.end(); ++it) {
            DatasetKind k;
            if (!parseDatasetKind(it.key(), k)) {
                res.warnings.push_back("dataset '" + it.key() + "' is not known to this version and was skipped");
                continue;
            }
            tableFromJson(it.value(), ws.table(k), lim, "workspace.datasets." + it.key());
        }
        ws.ensureSchemas();
        // Outcomes read through the saved stage table (the same rule as at import).
        if (!ws.settings.stages.empty()) applyStageOutcomes(ws.opportunities(), ws.settings.stages);
        ws.rebuildIndexes();
        ws.rebuildBaseline();
        const std::vector<std::int32_t> baseAssign = ws.baseline().assignment;
        const std::vector<std::uint8_t> baseLocked = ws.baseline().locked;
        const std::size_t n = ws.accounts().rows();

        const Json& scenarios = jsonMember(doc, "scenarios", "file");
        if (!scenarios.is_array() || scenarios.empty()) throw FileError("scenarios: expected at least the baseline");
        std::vector<Scenario> built;
        std::uint64_t commands = 0;
        for (std::size_t si = 0; si < scenarios.size(); ++si) {
            const std::string where = "scenarios[" + std::to_string(si) + "]";
            const Json& js = scenarios[si];
            Scenario sc;
            sc.name = jsonString(js, "name", where, true);
            if (sc.name.empty()) throw FileError(where + ".name: a scenario needs a name");
            sc.seed = static_cast<std::uint64_t>(jsonInteger(js.contains("seed") ? js["seed"] : Json(1), where + ".seed", 0, std::numeric_limits<std::int64_t>::max()));
            sc.origin = jsonString(js, "origin", where);
            if (js.contains("territories")) {
                sc.territories = Table(ws.pool);
                for (const FieldSpec& f : fieldsOf(DatasetKind::Territories)) sc.territories.addColumn(f.name, f.type);
                tableFromJson(js["territories"], sc.territories, lim, where + ".territories");
                sc.territories = makeScenarioTerritories(sc.territories);
            } else {
                sc.territories = ws.baseline().territories;
            }
            sc.assignment = baseAssign;
            sc.locked = baseLocked;
            const Json& start = js.contains("start") ? js["start"] : Json::object();
            const std::int64_t terrRows = static_cast<std::int64_t>(sc.territories.rows());
            if (start.contains("assignment")) {
                const Json& a = start["assignment"];
                if (!a.is_array()) throw FileError(where + ".start.assignment: expected a list of [account row, territory row]");
                for (std::size_t i = 0; i < a.size(); ++i) {
                    const std::string pw = where + ".start.assignment[" + std::to_string(i) + "]";
                    if (!a[i].is_array() || a[i].size() != 2) throw FileError(pw + ": expected [account row, territory row]");
                    const auto acc = jsonInteger(a[i][0], pw, 0, static_cast<std::int64_t>(n) - 1);
                    sc.assignment[static_cast<std::size_t>(acc)] = static_cast<std::int32_t>(jsonInteger(a[i][1], pw, -1, terrRows - 1));
                }
            }
            if (start.contains("locked")) {
                const Json& l = start["locked"];
                if (!l.is_array()) throw FileError(where + ".start.locked: expected a list of [account row, locked]");
                for (std::size_t i = 0; i < l.size(); ++i) {
                    const std::string pw = where + ".start.locked[" + std::to_string(i) + "]";
                    if (!l[i].is_array() || l[i].size() != 2 || !l[i][1].is_boolean()) throw FileError(pw + ": expected [account row, true/false]");
                    sc.locked[static_cast<std::size_t>(jsonInteger(l[i][0], pw, 0, static_cast<std::int64_t>(n) - 1))] = l[i][1].get<bool>() ? 1 : 0;
                }
            }
            for (std::int32_t t : sc.assignment) {
                if (t >= static_cast<std::int32_t>(sc.territories.rows()))
                    throw FileError(where + ".start: an account is in territory row " + std::to_string(t) + ", but the scenario has " +
                                    std::to_string(sc.territories.rows()) + " territories");
                if (t >= 0 && sc.isDeleted(t)) throw FileError(where + ".start: an account is in a deleted territory");
            }
            try {
                if (start.contains("quota")) sc.quota = quota::quotaPlanFromJson(start["quota"], where + ".start.quota");
                if (start.contains("capacity")) sc.capacity = quota::capacityPlanFromJson(start["capacity"], where + ".start.capacity");
            } catch (const quota::QuotaJsonError& e) {
                throw FileError(e.what());
            }
            if (start.contains("comp")) sc.comp = comp::compSetupFromJson(start["comp"], where + ".start.comp");
            if (start.contains("forecast") && !start["forecast"].is_null())
                sc.forecast = forecast::savedForecastFromJson(start["forecast"], where + ".start.forecast");
            const Json& log = js.contains("commands") ? js["commands"] : Json::array();
            if (!log.is_array()) throw FileError(where + ".commands: expected a list");
            commands += log.size();
            if (commands > lim.maxCommands) throw FileError("the file holds more than " + std::to_string(lim.maxCommands) + " commands");
            for (std::size_t ci = 0; ci < log.size(); ++ci) {
                const std::string cw = where + ".commands[" + std::to_string(ci) + "]";
                Command cmd = readCommand(CommandReader(log[ci], cw, n, sc.territories.rows()));
                // Replayed through core validation; locks were checked when the edit was made.
                const CommandResult r = execute(ws, sc, std::move(cmd), {}, true);
                if (!r.ok) throw FileError(cw + ": " + r.error);
                if (log[ci].contains("audit") && log[ci]["audit"].is_object()) {
                    const Json& a = log[ci]["audit"];
                    AuditEntry& e = sc.log.back().audit;
                    e.timeMs = a.value("time", std::int64_t{0});
                    e.description = a.value("description", e.description);
                    e.note = a.value("note", "");
                }
            }
            const std::int64_t cursor = jsonInteger(js.contains("cursor") ? js["cursor"] : Json(log.size()), where + ".cursor", 0,
                                                static_cast<std::int64_t>(log.size()));
            while (sc.cursor > static_cast<std::size_t>(cursor)) undo(ws, sc);
            built.push_back(std::move(sc));
        }
        ws.scenarios = std::move(built);
        ws.activeScenario = static_cast<std::size_t>(
            jsonInteger(doc.contains("active_scenario") ? doc["active_scenario"] : Json(0), "active_scenario", 0, static_cast<std::int64_t>(ws.scenarios.size()) - 1));
        // The results are outside the content hash: recompute them and flag what was edited.
        res.resultsDifferences = resultsDifferences(doc, ws, meta.redaction);
        res.warnings.insert(res.warnings.end(), res.resultsDifferences.begin(), res.resultsDifferences.end());
        res.ok = true;
    } catch (const FileError& e) {
        res.ok = false;
        res.error = e.what();
        res.ws = Workspace();
    } catch (const std::exception& e) {
        res.ok = false;
        res.error = std::string("the file could not be read: ") + e.what();
        res.ws = Workspace();
    }
    return res;
}

// [SECTION] summary
std::string scenarioResultsJson(const Workspace& ws) { return resultsJson(ws).dump(); }

std::string scenarioFileSummaryJson(const ScenarioFileLoad& f) {
    Json j;
    const ScenarioFileMeta& m = f.meta;
    j["title"] = m.title;
    j["author"] = m.author;
    j["created"] = m.created;
    j["app_version"] = m.appVersion;
    j["schema_version"] = m.schemaVersion;
    j["migrated_from"] = f.migratedFrom;
    j["content_sha256"] = m.contentSha256;
    j["integrity"] = {{"tampered", f.tampered},
                      {"changed_after_approval", f.changedAfterApproval},
                      {"review_chain", f.reviewProblem.empty() ? "intact" : f.reviewProblem},
                      {"results_match", f.resultsDifferences.empty()},
                      {"results_differences", f.resultsDifferences}};
    j["redaction"] = redactionJson(m.redaction);
    Json review = Json::array();
    for (const ReviewEntry& e : m.review)
        review.push_back({{"kind", e.kind == ReviewEntry::Kind::Approval ? "approval" : "comment"}, {"author", e.author},
                          {"decision", e.decision}, {"text", e.text}, {"scenario", e.scenario}, {"time", fmt::isoTimestamp(e.timeMs)}});
    j["review"] = std::move(review);
    const WorkspaceSummary s = summarize(f.ws);
    j["workspace"] = {{"name", f.ws.name}, {"summary", Json::parse(summaryToJson(s))}, {"scenarios", f.ws.scenarios.size()},
                      {"active_scenario", f.ws.active().name}};
    j["scenarios"] = resultsJson(f.ws);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace terrane
