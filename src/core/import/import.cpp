#include "core/import/import.hpp"

#include "core/io/csv.hpp"
#include "core/base/format.hpp"
#include "core/base/memory.hpp"
#include "core/base/sha256.hpp"
#include "core/base/text.hpp"
#include "core/geo/geocode.hpp"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "core/base/platform.hpp"

// Native builds fingerprint the file on a second thread while the rows are read; the page (no
// threads in its build) takes the fingerprint from WebCrypto or hashes in the job's own slices.
// They also read the rows of large files on several threads (TERRANE_ROW_THREADS).
#if TERRANE_HAS_THREADS
#define TERRANE_HASH_THREAD 1
#define TERRANE_ROW_THREADS 1
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#endif

namespace terrane {

// Index
//  [SECTION] values        expected texts, value classification, cell parsing
//  [SECTION] header        file checks, header row, kind and mapping decisions
//  [SECTION] preview
//  [SECTION] job           decode, hash, rows, finalize (dates, percentages, late rejects), geocode
//  [SECTION] rejects

// [SECTION] values
const char* expectedText(ColumnType t) {
    switch (t) {
    case ColumnType::F64: return "a number like 12.5";
    case ColumnType::I64: return "a whole number like 250";
    case ColumnType::Money: return "an amount like 1250.00";
    case ColumnType::Date: return "a date like 2025-03-31";
    case ColumnType::Bool: return "true or false";
    case ColumnType::String: return "text";
    }
    return "?";
}

namespace {

enum : unsigned { kIsBool = 1, kIsInt = 2, kIsNumber = 4, kIsMoney = 8, kIsDate = 16, kIsBoolWord = 32 };

unsigned classifyValue(std::string_view v) {
    unsigned bits = 0;
    bool b = false;
    if (parseBoolText(v, b)) {
        bits |= kIsBool;
        if (v != "0" && v != "1") bits |= kIsBoolWord;
    }
    double d = 0;
    const bool number = parseNumberText(v, d);
    if (number) bits |= kIsNumber;
    long long i = 0;
    if (parseIntegerText(v, i)) bits |= kIsInt;
    Money m = 0;
    if (!number && parseMoneyText(v, m)) bits |= kIsMoney;
    Date dt = 0;
    DateParts parts;
    double plain = 0;
    if (!parseDouble(v, plain) && parseDateCell(v, DateOrder::Auto, dt, parts) != DateCellResult::Fail) bits |= kIsDate;
    return bits;
}

// One cell, parsed as the plan's type and stored in row `row`.
enum class CellResult : std::uint8_t { Ok, Bad, Missing };

constexpr std::int64_t kPendingTag = std::int64_t{1} << 52; // above any day count
inline bool isPending(std::int64_t v) { return v >= kPendingTag; }
inline std::int64_t packPending(const DateParts& p) {
    return kPendingTag | (static_cast<std::int64_t>(p.year) << 16) | (static_cast<std::int64_t>(p.first) << 8) | p.second;
}
inline DateParts unpackPending(std::int64_t v) {
    return DateParts{static_cast<int>((v >> 8) & 0xFF), static_cast<int>(v & 0xFF), static_cast<int>((v >> 16) & 0xFFFFF)};
}

struct Plan {
    int source = -1;
    std::size_t mapping = 0; // index into report.mapping
    Column* col = nullptr;
    ColumnType type = ColumnType::String;
    bool required = false;
    bool probability = false;
    DateOrder order = DateOrder::Auto;
    // Per column evidence and counts.
    std::uint64_t values = 0, empty = 0, failures = 0;
    std::uint64_t dmy = 0, mdy = 0, ambiguous = 0, pending = 0;
    double maxValue = -std::numeric_limits<double>::infinity();
    double scale = 1; // ImportOptions::multipliers
    std::vector<std::string> failSamples;
    std::string_view last; // the previous text value (views the file text) and its id
    std::uint32_t lastId = 0;
    bool decimalComma = false; // numbers use ',' for decimals and '.' for thousands
    bool hashed = false; // `hash` holds the pool hash of this row's value
    std::uint64_t hash = 0;
    // The column's storage; cells are appended row by row.
    std::vector<double>* f64 = nullptr;
    std::vector<std::int64_t>* i64 = nullptr;
    std::vector<std::uint8_t>* u8 = nullptr;
    std::vector<std::uint32_t>* ids = nullptr;

    void bind() {
        f64 = &col->f64();
        i64 = &col->i64();
        u8 = &col->u8();
        ids = &col->ids();
    }
    // Drops cells appended for a row that was rejected.
    void truncate(std::size_t rows) {
        switch (type) {
        case ColumnType::F64: f64->resize(std::min(f64->size(), rows)); break;
        case ColumnType::I64:
        case ColumnType::Money:
        case ColumnType::Date: i64->resize(std::min(i64->size(), rows)); break;
        case ColumnType::Bool: u8->resize(std::min(u8->size(), rows)); break;
        case ColumnType::String: ids->resize(std::min(ids->size(), rows)); break;
        }
    }
};

inline bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

inline std::string_view trimCell(std::string_view raw) {
    if (!raw.empty() && (isBlank(raw.front()) || isBlank(raw.back()))) raw = trim(raw);
    return raw;
}

// Whether `v` lies in `text` (and not in a copy, such as an unescaped quoted field).
inline bool viewsText(std::string_view v, std::string_view text) {
    const auto at =
        reinterpret_cast<std::uintptr_t>(v.data()) - reinterpret_cast<std::uintptr_t>(text.data());
    return at <= text.size() && v.size() <= text.size() - at;
}

inline bool sameText(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    if (a.size() > 16) return std::memcmp(a.data(), b.data(), a.size()) == 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) return false;
    return true;
}

// Text cells of a row: hash and prefetch the pool slot of each new value first (then the string
// in the slot), so the cache misses of the row's lookups overlap instead of following one another.
inline void prefetchText(Plan& p, std::string_view raw, const StringPool& pool) {
    raw = trimCell(raw);
    p.hashed = !raw.empty() && !sameText(raw, p.last);
    if (p.hashed) {
        p.hash = StringPool::hashOf(raw);
        pool.prefetch(p.hash);
    }
}

inline CellResult storeCell(Plan& p, std::string_view raw, StringPool& pool) {
    raw = trimCell(raw);
    if (p.type == ColumnType::String) {
        if (raw.empty()) {
            p.ids->push_back(0);
            ++p.empty;
            return p.required ? CellResult::Missing : CellResult::Ok;
        }
        // Runs of the same value (a country, a segment) skip the pool lookup.
        if (!sameText(raw, p.last)) {
            p.lastId = p.hashed ? pool.intern(raw, p.hash) : pool.intern(raw);
            p.last = raw;
        }
        p.hashed = false;
        p.ids->push_back(p.lastId);
        ++p.values;
        return CellResult::Ok;
    }
    if (raw.empty() || (raw.size() <= 4 && isNullToken(raw))) {
        ++p.empty;
        switch (p.type) {
        case ColumnType::F64: p.f64->push_back(std::numeric_limits<double>::quiet_NaN()); break;
        case ColumnType::Bool: p.u8->push_back(kBoolNull); break;
        default: p.i64->push_back(kI64Null); break;
        }
        return p.required ? CellResult::Missing : CellResult::Ok;
    }
    ++p.values;
    // Decimal-comma files: swap the two separators and read as usual ("1.234,5" -> "1,234.5").
    char swapped[64];
    if (p.decimalComma && p.type != ColumnType::Date && p.type != ColumnType::Bool && raw.size() <= sizeof swapped) {
        bool any = false;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            const char c = raw[i];
            swapped[i] = c == '.' ? ',' : c == ',' ? '.' : c;
            any |= c == '.' || c == ',';
        }
        if (any) raw = std::string_view(swapped, raw.size());
    }
    switch (p.type) {
    case ColumnType::F64: {
        double d = 0;
        const auto r = fast_float::from_chars(raw.data(), raw.data() + raw.size(), d);
        if (!(r.ec == std::errc() && r.ptr == raw.data() + raw.size() && std::isfinite(d)) && !parseNumberText(raw, d)) return CellResult::Bad;
        d *= p.scale;
        p.f64->push_back(d);
        if (d > p.maxValue) p.maxValue = d;
        return CellResult::Ok;
    }
    case ColumnType::I64: {
        long long v = 0;
        if (!parseInt64(raw, v) && !parseIntegerText(raw, v)) return CellResult::Bad;
        if (p.scale != 1) v = std::llround(static_cast<double>(v) * p.scale);
        p.i64->push_back(v);
        return CellResult::Ok;
    }
    case ColumnType::Money: {
        Money m = 0;
        if (!parseMoneyText(raw, m)) return CellResult::Bad;
        if (p.scale != 1) {
            const double scaled = static_cast<double>(m) * p.scale;
            if (!(std::fabs(scaled) < 9.0e18)) return CellResult::Bad;
            m = std::llround(scaled);
        }
        p.i64->push_back(m);
        return CellResult::Ok;
    }
    case ColumnType::Date: {
        Date d = 0;
        DateParts parts;
        switch (parseDateCell(raw, p.order, d, parts)) {
        case DateCellResult::Done: p.i64->push_back(d); return CellResult::Ok;
        case DateCellResult::Fail: return CellResult::Bad;
        case DateCellResult::NeedsOrder:
            if (parts.first > 12) ++p.dmy;
            else if (parts.second > 12) ++p.mdy;
            else ++p.ambiguous;
            ++p.pending;
            p.i64->push_back(packPending(parts));
            return CellResult::Ok;
        }
        return CellResult::Bad;
    }
    case ColumnType::Bool: {
        bool b = false;
        if (!parseBoolText(raw, b)) return CellResult::Bad;
        p.u8->push_back(b ? 1 : 0);
        return CellResult::Ok;
    }
    case ColumnType::String: break;
    }
    return CellResult::Ok;
}

void addSample(std::vector<std::string>& samples, std::string_view v, std::size_t cap) {
    if (samples.size() >= cap) return;
    for (const auto& s : samples)
        if (s == v) return;
    samples.emplace_back(v.substr(0, 80));
}

// The failing values of a part of the file read on another thread, for the merge to pass through
// addSample after those of the rows before: in order, whole, without repeats of values of up to
// 80 bytes (addSample would skip those wherever they fall). Ten are enough: a value is skipped
// only when it equals one of the (at most 5) samples, and no two values kept here equal the same.
void addPartSample(std::vector<std::string>& kept, std::string_view v) {
    if (kept.size() >= 10) return;
    if (v.size() <= 80)
        for (const auto& s : kept)
            if (s == v) return;
    kept.emplace_back(v);
}

double multiplierOf(const ImportOptions& opt, std::string_view field) {
    for (const auto& [f, k] : opt.multipliers)
        if (f == field && std::isfinite(k) && k > 0) return k;
    return 1;
}

// [SECTION] header
constexpr std::size_t kValueSampleRows = 500; // rows the value-based matching looks at (preview and job alike)

char decideDecimal(const ImportOptions& opt, char delimiter) {
    if (opt.decimalSeparator == ',' || opt.decimalSeparator == '.') return opt.decimalSeparator;
    return delimiter == ';' ? ',' : '.';
}

struct HeaderDecision {
    std::string error;
    std::string encoding;
    char delimiter = ',';
    std::vector<std::string> header;
    DatasetKind kind = DatasetKind::Accounts;
    bool kindDetected = false;
    bool kindConfident = false;
    std::vector<KindGuess> kinds;
    bool remembered = false;
    std::string signature;
    std::vector<FieldMapping> mapping; // canonical fields in schema order, then extras
    std::vector<StageRow> stageChoices; // the options' stage meanings, then the remembered ones
};

// A file that is not CSV text at all: a workbook, an archive, binary data.
std::string notTextReason(std::string_view raw, std::string_view text) {
    if (raw.size() >= 4 && std::memcmp(raw.data(), "PK\x03\x04", 4) == 0)
        return "is a zip archive, probably an Excel workbook (.xlsx); save it from Excel as CSV (File > Save As > CSV UTF-8) and import that";
    if (raw.size() >= 4 && std::memcmp(raw.data(), "\xD0\xCF\x11\xE0", 4) == 0)
        return "is an Excel 97-2003 workbook (.xls); save it from Excel as CSV and import that";
    const std::string_view head = text.substr(0, std::min<std::size_t>(text.size(), 65536));
    std::size_t control = 0, nul = 0;
    for (char ch : head) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == 0) ++nul;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ++control;
    }
    if (nul > 0 || control * 200 > head.size())
        return "does not look like CSV text (" + std::to_string(control) +
               " control bytes in its first 64 KB); it may be a binary file - export the data as CSV";
    return {};
}

std::string joinHeaders(const std::vector<std::string>& h, std::size_t max = 12) {
    std::string r;
    for (std::size_t i = 0; i < h.size() && i < max; ++i) r += (i ? ", " : "") + h[i];
    if (h.size() > max) r += ", ...";
    return r;
}

// Kind and mapping for `header` under `opt` (shared by the preview and the job).
void decideMapping(HeaderDecision& d, const ImportOptions& opt) {
    const std::vector<std::string>& header = d.header;
    d.signature = headerSignature(header);
    d.kind = opt.kind;
    d.kinds = guessKinds(header);
    d.kindConfident = kindGuessConfident(d.kinds);
    // A mapping the user confirmed for this header before wins over guessing from the names (a
    // header in another language may name no known field at all).
    const RememberedMapping* memo = opt.memory ? opt.memory->find(d.signature) : nullptr;
    if (opt.detectKind && memo) {
        d.kind = memo->kind;
        d.kindDetected = true;
    } else if (opt.detectKind) {
        if (d.kinds.empty() || d.kinds[0].score <= 0) {
            d.error = "cannot tell what kind of data this is from its header (" + joinHeaders(header) + ")";
            return;
        }
        d.kind = d.kinds[0].kind;
        d.kindDetected = true;
    }
    if (memo && memo->kind != d.kind) memo = nullptr;
    d.stageChoices = opt.stages;
    if (memo)
        for (const StageRow& r : memo->stages) {
            bool given = false;
            for (const StageRow& o : opt.stages) given |= normalizeHeader(o.name) == normalizeHeader(r.name);
            if (!given) d.stageChoices.push_back(r);
        }
    const auto fields = fieldsOf(d.kind);
    std::vector<int> source(fields.size(), -1);
    std::vector<std::string> how(fields.size());
    std::vector<char> decided(fields.size(), 0);
    std::vector<char> taken(header.size(), 0);
    auto columnOf = [&](const std::string& h) -> int {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == h) return static_cast<int>(i);
        for (std::size_t i = 0; i < header.size(); ++i)
            if (equalsIgnoreCase(header[i], h)) return static_cast<int>(i);
        return -1;
    };
    auto fieldIndex = [&](std::string_view name) -> int {
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (fields[i].name == name) return static_cast<int>(i);
        return -1;
    };
    for (const auto& [field, h] : opt.mapping) {
        const int fi = fieldIndex(field);
        if (fi < 0) {
            std::string names;
            for (const FieldSpec& f : fields) names += (names.empty() ? "" : ", ") + std::string(f.name);
            d.error = "mapping " + field + "=" + h + " names a field that " + datasetKindName(d.kind) + " do not have (fields: " + names + ")";
            return;
        }
        const auto f = static_cast<std::size_t>(fi);
        decided[f] = 1;
        how[f] = "explicit";
        if (h.empty()) continue;
        const int c = columnOf(h);
        if (c < 0) {
            d.error = "mapping " + field + "=" + h + " names a column that is not in the header (" + joinHeaders(header) + ")";
            return;
        }
        source[f] = c;
        taken[static_cast<std::size_t>(c)] = 1;
    }
    if (memo) {
        d.remembered = true;
        for (const auto& [field, h] : memo->fields) {
            const int fi = fieldIndex(field);
            if (fi < 0 || decided[static_cast<std::size_t>(fi)]) continue;
            const auto f = static_cast<std::size_t>(fi);
            const int c = h.empty() ? -1 : columnOf(h);
            if (c >= 0 && taken[static_cast<std::size_t>(c)]) continue;
            decided[f] = 1;
            how[f] = "remembered";
            source[f] = c;
            if (c >= 0) taken[static_cast<std::size_t>(c)] = 1;
        }
    }
    std::vector<std::string> free = header;
    for (std::size_t i = 0; i < free.size(); ++i)
        if (taken[i]) free[i].clear();
    const std::vector<int> byAlias = matchHeader(d.kind, free);
    for (std::size_t f = 0; f < fields.size(); ++f) {
        if (decided[f] || byAlias[f] < 0) continue;
        source[f] = byAlias[f];
        how[f] = "alias";
        taken[static_cast<std::size_t>(byAlias[f])] = 1;
    }
    for (std::size_t f = 0; f < fields.size(); ++f) {
        // The mapping is completed either way so the dialog can show it; the import refuses it.
        if (source[f] < 0 && fields[f].required && d.error.empty())
            d.error = "required column '" + std::string(fields[f].name) + "' (" + std::string(fields[f].label) +
                      ") was not found in the header (" + joinHeaders(header) + ")";
        FieldMapping m;
        m.field = std::string(fields[f].name);
        m.sourceColumn = source[f];
        m.header = source[f] >= 0 ? header[static_cast<std::size_t>(source[f])] : std::string();
        m.type = fields[f].type;
        m.source = source[f] >= 0 ? how[f] : std::string();
        d.mapping.push_back(std::move(m));
    }
    // Extra columns keep their header as the column name (made unique).
    std::vector<std::string> used;
    for (const FieldSpec& f : fields) used.emplace_back(f.name);
    if (d.kind == DatasetKind::Accounts) used.emplace_back(kGeoPrecisionColumn);
    for (std::size_t c = 0; c < header.size(); ++c) {
        if (taken[c] || trim(header[c]).empty()) continue;
        std::string name = header[c];
        for (int k = 2; std::find(used.begin(), used.end(), name) != used.end(); ++k) name = header[c] + "_" + std::to_string(k);
        used.push_back(name);
        FieldMapping m;
        m.field = name;
        m.header = header[c];
        m.sourceColumn = static_cast<int>(c);
        m.type = ColumnType::String;
        m.extra = true;
        m.source = "extra";
        d.mapping.push_back(std::move(m));
    }
}

// Money that looks like thousands or millions: a header that says so ("Revenue ($M)",
// "ARR (000s)"), or revenue per employee far below any real business (1,250.5 beside 3,400
// employees). Sets suggestedMultiplier on the column and returns a warning per column.
void suggestUnits(std::vector<ColumnProfile>& cols, const HeaderDecision& d, const ImportOptions& opt,
                  const std::vector<std::vector<std::string>>& rows, std::vector<std::string>& warnings) {
    if (d.kind != DatasetKind::Accounts) return;
    auto median = [&](int col, bool money) {
        std::vector<double> v;
        for (const auto& r : rows) {
            if (col < 0 || static_cast<std::size_t>(col) >= r.size()) continue;
            const std::string_view t = trim(r[static_cast<std::size_t>(col)]);
            double x = 0;
            Money m = 0;
            if (money && parseMoneyText(t, m)) v.push_back(moneyToMajor(m));
            else if (!money && parseNumberText(t, x)) v.push_back(x);
        }
        if (v.empty()) return std::nan("");
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
        return v[v.size() / 2];
    };
    int employees = -1;
    for (const FieldMapping& m : d.mapping)
        if (!m.extra && m.field == "employees") employees = m.sourceColumn;
    const double staff = employees >= 0 ? median(employees, false) * multiplierOf(opt, "employees") : std::nan("");
    for (const FieldMapping& m : d.mapping) {
        if (m.extra || m.sourceColumn < 0 || m.type != ColumnType::Money || multiplierOf(opt, m.field) != 1) continue;
        const std::string h = toLower(m.header);
        double k = 0;
        std::string why;
        for (std::string_view w : {"($m)", "(m)", "(mm)", "$m ", "in millions", "millions", "(m$)", "musd", "usd m", "mio"})
            if (h.find(w) != std::string::npos || endsWith(h, "$m")) k = 1e6, why = "the header says millions";
        for (std::string_view w : {"(000)", "(000s)", "('000)", "thousands", "(k)", "$k", "(k$)", "kusd", "usd k"})
            if (k == 0 && h.find(w) != std::string::npos) k = 1e3, why = "the header says thousands";
        if (k == 0 && m.field == "revenue" && staff > 0) {
            const double rev = median(m.sourceColumn, true);
            const double perHead = rev / staff;
            if (perHead > 0 && perHead < 2000) {
                for (double f : {1e3, 1e6})
                    if (perHead * f >= 10000 && perHead * f <= 5e6) {
                        k = f;
                        break;
                    }
                if (k > 0)
                    why = "a median of " + fmt::fixed(rev, 1) + " beside " + fmt::count(static_cast<std::uint64_t>(staff)) + " employees is " +
                          fmt::fixed(perHead, 2) + " per employee";
            }
        }
        if (k == 0) continue;
        cols[static_cast<std::size_t>(m.sourceColumn)].suggestedMultiplier = k;
        const std::string unit = k == 1e6 ? "millions" : "thousands";
        const std::string factor = k == 1e6 ? "1000000" : "1000";
        warnings.push_back(m.field + " (" + m.header + ") looks like " + unit + ": " + why + "; multiply by " + factor +
                           " (--multiply " + m.field + "=" + factor + ", or the unit in the mapping dialog) if it is");
    }
}

// Fields the analyses need that the mapping leaves empty: one warning each.
void neededFieldWarnings(const HeaderDecision& d, std::vector<std::string>& out) {
    if (d.kind != DatasetKind::Opportunities) return;
    struct Need {
        const char* field;
        const char* why;
    };
    static constexpr Need kNeeds[] = {
        {"amount", "pipeline, won bookings and quotas' history read it"},
        {"owner", "win rates and quota history per rep read it"},
        {"created_date", "sales cycles and pipeline creation read it"},
    };
    for (const Need& n : kNeeds)
        for (const FieldMapping& m : d.mapping)
            if (!m.extra && m.field == n.field && m.sourceColumn < 0)
                out.push_back(std::string("no column is mapped to ") + n.field + " (" + std::string(findField(d.kind, n.field)->label) +
                              "): " + n.why + "; map it if the file has it");
}

bool readHeader(HeaderDecision& d, CsvReader& reader, CsvRecord& rec, const std::string& fileName) {
    if (!reader.next(rec)) {
        d.error = fileName + ": no header row found";
        return false;
    }
    if (rec.unterminatedQuote) {
        d.error = fileName + ": the header row has a quote that is never closed (line 1)";
        return false;
    }
    bool any = false;
    for (auto h : rec.fields) {
        d.header.emplace_back(trim(h));
        any |= !d.header.back().empty();
    }
    if (!any) {
        d.error = fileName + ": the header row is empty";
        return false;
    }
    return true;
}

void fillProfiles(std::vector<ColumnProfile>& cols, const HeaderDecision& d) {
    cols.assign(d.header.size(), ColumnProfile{});
    for (std::size_t c = 0; c < d.header.size(); ++c) cols[c].header = d.header[c];
    for (const FieldMapping& m : d.mapping) {
        if (m.sourceColumn < 0) continue;
        ColumnProfile& p = cols[static_cast<std::size_t>(m.sourceColumn)];
        p.field = m.extra ? std::string() : m.field;
        p.target = m.type;
    }
}

// Detected types and samples over `rows` (text rows of the file).
void profileSample(std::vector<ColumnProfile>& cols, const std::vector<std::vector<std::string>>& rows) {
    for (std::size_t c = 0; c < cols.size(); ++c) {
        std::vector<std::string_view> vals;
        for (const auto& r : rows) {
            if (c >= r.size()) continue;
            const std::string_view v = trim(r[c]);
            if (v.empty() || isNullToken(v)) continue;
            vals.push_back(v);
            addSample(cols[c].samples, v, 3);
        }
        cols[c].detected = detectValueType(vals);
    }
}

// A US ZIP, a UK postcode or a Canadian postal code.
bool looksLikePostcode(std::string_view v) {
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    if (v.size() == 5 || v.size() == 10) {
        bool ok = true;
        for (std::size_t i = 0; i < 5; ++i) ok &= digit(v[i]);
        if (v.size() == 10) {
            ok &= v[5] == '-';
            for (std::size_t i = 6; i < 10; ++i) ok &= digit(v[i]);
        }
        if (ok) return true;
    }
    std::string c;
    for (char ch : v)
        if (ch != ' ') c += ch;
    if (c.size() == 6 && alpha(c[0]) && digit(c[1]) && alpha(c[2]) && digit(c[3]) && alpha(c[4]) && digit(c[5])) return true; // Canada
    // UK: outward code (A9, A99, AA9, AA99, A9A, AA9A) + inward code (9AA).
    if (c.size() < 5 || c.size() > 7) return false;
    const std::string_view in = std::string_view(c).substr(c.size() - 3);
    if (!(digit(in[0]) && alpha(in[1]) && alpha(in[2]))) return false;
    const std::string_view out = std::string_view(c).substr(0, c.size() - 3);
    if (!alpha(out[0])) return false;
    bool anyDigit = false;
    for (char ch : out.substr(1)) anyDigit |= digit(ch);
    return anyDigit;
}

// Fields the header did not name, matched by what the sampled values look like: a text column
// unique per row for a missing id, date columns for a deal's created and close dates (the earlier
// is created), a lone money column for an amount, country names, postcodes. Never overrides a
// choice: only fields no explicit, remembered or alias mapping decided, and only extra columns.
std::vector<std::pair<std::string, std::string>> valueMatches(const HeaderDecision& d, const ImportOptions& opt,
                                                              const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::pair<std::string, std::string>> out;
    if (d.remembered || rows.size() < 2) return out;
    auto unmapped = [&](std::string_view field) {
        for (const auto& [f, h] : opt.mapping)
            if (f == field) return false;
        for (const FieldMapping& m : d.mapping)
            if (!m.extra && m.field == field) return m.sourceColumn < 0;
        return false;
    };
    struct Cand {
        std::size_t col;
        ColumnType type;
        std::vector<std::string_view> vals;
        bool used = false;
    };
    std::vector<Cand> cands;
    for (const FieldMapping& m : d.mapping) {
        if (!m.extra || m.sourceColumn < 0) continue;
        Cand c{static_cast<std::size_t>(m.sourceColumn), ColumnType::String, {}};
        for (const auto& r : rows) {
            if (c.col >= r.size()) continue;
            const std::string_view v = trim(r[c.col]);
            if (!v.empty() && !isNullToken(v)) c.vals.push_back(v);
        }
        if (c.vals.empty()) continue;
        c.type = detectValueType(c.vals);
        cands.push_back(std::move(c));
    }
    auto header = [&](const Cand& c) { return normalizeHeader(d.header[c.col]); };
    auto take = [&](Cand& c, std::string_view field) {
        c.used = true;
        out.emplace_back(std::string(field), d.header[c.col]);
    };
    // A missing id: the first text column whose values are all present and different.
    const std::string_view idField = idFieldOf(d.kind);
    if (!idField.empty() && unmapped(idField))
        for (Cand& c : cands) {
            if (c.used || c.vals.size() != rows.size() || (c.type != ColumnType::String && c.type != ColumnType::I64)) continue;
            std::vector<std::string_view> v = c.vals;
            std::sort(v.begin(), v.end());
            if (std::adjacent_find(v.begin(), v.end()) != v.end()) continue;
            take(c, idField);
            break;
        }
    auto medianDate = [&](const Cand& c) {
        std::vector<Date> ds;
        for (std::string_view v : c.vals) {
            Date dt = 0;
            DateParts parts;
            const DateCellResult r = parseDateCell(v, DateOrder::Auto, dt, parts);
            if (r == DateCellResult::Done) ds.push_back(dt);
            else if (r == DateCellResult::NeedsOrder && resolveDateParts(parts, opt.ambiguousDateOrder, dt)) ds.push_back(dt);
        }
        if (ds.empty()) return Date{0};
        std::nth_element(ds.begin(), ds.begin() + static_cast<std::ptrdiff_t>(ds.size() / 2), ds.end());
        return ds[ds.size() / 2];
    };
    auto otherDate = [&](const Cand& c) {
        const std::string h = header(c);
        for (std::string_view w : {"activ", "modif", "updat", "contact", "birth", "last", "next", "due"})
            if (h.find(w) != std::string::npos) return true;
        return false;
    };
    if (d.kind == DatasetKind::Opportunities) {
        std::vector<Cand*> dates;
        for (Cand& c : cands)
            if (!c.used && c.type == ColumnType::Date && !otherDate(c)) dates.push_back(&c);
        const bool needCreated = unmapped("created_date"), needClose = unmapped("close_date");
        if (needCreated && needClose && dates.size() == 2) {
            const bool firstEarlier = medianDate(*dates[0]) <= medianDate(*dates[1]);
            take(*dates[firstEarlier ? 0 : 1], "created_date");
            take(*dates[firstEarlier ? 1 : 0], "close_date");
        } else if (dates.size() == 1 && (needCreated != needClose)) {
            take(*dates[0], needCreated ? "created_date" : "close_date");
        }
        if (unmapped("amount")) {
            std::vector<Cand*> money;
            for (Cand& c : cands)
                if (!c.used && (c.type == ColumnType::Money || c.type == ColumnType::F64 || c.type == ColumnType::I64) &&
                    header(c).find("prob") == std::string::npos && header(c).find("percent") == std::string::npos)
                    money.push_back(&c);
            // Prefer a column with a currency symbol; else the only numeric one.
            std::vector<Cand*> withSymbol;
            for (Cand* c : money)
                if (c->type == ColumnType::Money) withSymbol.push_back(c);
            if (withSymbol.size() == 1) take(*withSymbol[0], "amount");
            else if (money.size() == 1 && money[0]->type != ColumnType::I64) take(*money[0], "amount");
        }
    }
    if (d.kind == DatasetKind::Accounts) {
        if (unmapped("postcode"))
            for (Cand& c : cands) {
                if (c.used) continue;
                std::size_t ok = 0;
                for (std::string_view v : c.vals) ok += looksLikePostcode(v) ? 1 : 0;
                if (ok * 10 >= c.vals.size() * 9 && header(c).find("id") == std::string::npos) {
                    take(c, "postcode");
                    break;
                }
            }
        if (unmapped("country"))
            for (Cand& c : cands) {
                if (c.used || c.type != ColumnType::String) continue;
                std::vector<std::string_view> v = c.vals;
                std::sort(v.begin(), v.end());
                v.erase(std::unique(v.begin(), v.end()), v.end());
                if (v.size() > 60) continue; // countries repeat
                std::size_t known = 0;
                for (std::string_view x : v) known += x.size() > 1 && !Geocoder::builtIn().countryCode(x).empty() ? 1 : 0;
                if (known * 10 >= v.size() * 8) {
                    take(c, "country");
                    break;
                }
            }
    }
    return out;
}

// decideMapping, then fields matched by their values (valueMatches) over `rows`.
void decideWithValues(HeaderDecision& d, const ImportOptions& opt, const std::vector<std::vector<std::string>>& rows) {
    decideMapping(d, opt);
    if (d.kind == DatasetKind::Territories) return;
    const auto found = valueMatches(d, opt, rows);
    if (found.empty()) return;
    ImportOptions o = opt;
    o.detectKind = false;
    o.kind = d.kind;
    for (const auto& p : found) o.mapping.push_back(p);
    HeaderDecision again;
    again.encoding = d.encoding;
    again.delimiter = d.delimiter;
    again.header = d.header;
    decideMapping(again, o);
    again.kinds = d.kinds;
    again.kindConfident = d.kindConfident;
    again.kindDetected = d.kindDetected;
    for (FieldMapping& m : again.mapping)
        for (const auto& p : found)
            if (!m.extra && m.field == p.first) m.source = "values";
    d = std::move(again);
}

} // namespace

ColumnType detectValueType(const std::vector<std::string_view>& values) {
    std::size_t n = 0, nb = 0, nbw = 0, ni = 0, nn = 0, nm = 0, nd = 0;
    for (std::string_view v : values) {
        v = trim(v);
        if (v.empty() || isNullToken(v)) continue;
        ++n;
        const unsigned b = classifyValue(v);
        nb += (b & kIsBool) != 0;
        nbw += (b & kIsBoolWord) != 0;
        ni += (b & kIsInt) != 0;
        nn += (b & kIsNumber) != 0;
        nm += (b & (kIsMoney | kIsNumber)) != 0 && (b & kIsMoney) != 0;
        nd += (b & kIsDate) != 0;
    }
    if (n == 0) return ColumnType::String;
    const std::size_t need = (n * 95 + 99) / 100;
    if (nb >= need && nbw > 0) return ColumnType::Bool;
    if (nd >= need) return ColumnType::Date;
    if (ni >= need) return ColumnType::I64;
    if (nm > 0 && nm + nn >= need) return ColumnType::Money;
    if (nn >= need) return ColumnType::F64;
    return ColumnType::String;
}

// [SECTION] preview
ImportPreview previewImport(std::string_view bytes, const ImportOptions& opt, std::size_t sampleRows, std::size_t previewRows) {
    ImportPreview pv;
    pv.bytes = bytes.size();
    const std::string& name = opt.fileName;
    // About 1 MB of the start is enough to decide; the last, possibly partial, record is dropped.
    const std::size_t headBytes = std::min<std::size_t>(bytes.size(), std::size_t{1} << 20);
    Utf8Decoder dec(bytes.substr(0, headBytes));
    dec.step(headBytes + 16);
    const bool whole = headBytes == bytes.size();
    const std::string_view text = dec.text();
    pv.encoding = textEncodingName(dec.encoding());
    if (trim(text).empty()) {
        pv.error = name + ": the file is empty (expected a header row and data rows)";
        return pv;
    }
    if (std::string why = notTextReason(bytes, text); !why.empty()) {
        pv.error = name + ": " + why;
        return pv;
    }
    pv.delimiter = opt.delimiter ? opt.delimiter : detectDelimiter(text);
    pv.decimalSeparator = decideDecimal(opt, pv.delimiter);
    CsvReader reader(text, pv.delimiter);
    CsvRecord rec;
    HeaderDecision d;
    if (!readHeader(d, reader, rec, name)) {
        pv.error = d.error;
        return pv;
    }
    pv.readable = true;
    std::vector<std::vector<std::string>> rows;
    while (rows.size() < sampleRows && reader.next(rec)) {
        if (!whole && reader.bytesConsumed() >= text.size()) break; // partial last record
        rows.emplace_back();
        for (auto f : rec.fields) rows.back().emplace_back(f);
    }
    if (rows.size() > kValueSampleRows)
        decideWithValues(d, opt, std::vector<std::vector<std::string>>(rows.begin(), rows.begin() + kValueSampleRows));
    else
        decideWithValues(d, opt, rows);
    pv.header = d.header;
    pv.kinds = d.kinds;
    pv.kindConfident = d.kindConfident;
    pv.kind = d.kind;
    pv.signature = d.signature;
    pv.rememberedMapping = d.remembered;
    pv.mapping = d.mapping;
    if (!d.error.empty()) pv.error = name + ": " + d.error; // a mapping problem: still profiled
    pv.sampledRows = rows.size();
    for (std::size_t i = 0; i < rows.size() && i < previewRows; ++i) pv.rows.push_back(rows[i]);
    fillProfiles(pv.columns, d);
    profileSample(pv.columns, rows);
    // Failures against the target types, and date orders, as the full import would see them.
    auto pool = std::make_shared<StringPool>();
    Table probe(pool); // the sampled rows as the import would type them
    for (const FieldSpec& f : fieldsOf(d.kind)) probe.addColumn(f.name, f.type);
    probe.resize(rows.size());
    for (const FieldMapping& m : d.mapping) {
        if (m.sourceColumn < 0 || m.extra) continue;
        ColumnProfile& prof = pv.columns[static_cast<std::size_t>(m.sourceColumn)];
        Column& col = *probe.find(m.field);
        col.resize(0);
        Plan p;
        p.col = &col;
        p.type = m.type;
        p.order = opt.dateOrder;
        p.decimalComma = pv.decimalSeparator == ',';
        p.scale = multiplierOf(opt, m.field);
        prof.multiplier = p.scale;
        p.bind();
        for (const auto& r : rows) {
            const std::string_view raw = static_cast<std::size_t>(m.sourceColumn) < r.size() ? std::string_view(r[static_cast<std::size_t>(m.sourceColumn)]) : std::string_view{};
            if (storeCell(p, raw, *pool) == CellResult::Bad) {
                ++prof.failures;
                addSample(prof.failSamples, trim(raw), 5);
            }
            if (col.size() < static_cast<std::size_t>(&r - rows.data()) + 1) col.resize(static_cast<std::size_t>(&r - rows.data()) + 1);
        }
        prof.values = p.values;
        prof.empty = p.empty;
        if (m.type == ColumnType::Date) {
            if (opt.dateOrder == DateOrder::DMY || opt.dateOrder == DateOrder::MDY) {
                prof.dateOrder = opt.dateOrder;
            } else if (p.pending > 0) {
                if (p.dmy > 0 && p.mdy == 0) prof.dateOrder = DateOrder::DMY;
                else if (p.mdy > 0 && p.dmy == 0) prof.dateOrder = DateOrder::MDY;
                else if (p.dmy > 0 && p.mdy > 0) prof.dateOrder = p.dmy >= p.mdy ? DateOrder::DMY : DateOrder::MDY;
                else {
                    prof.dateOrder = opt.ambiguousDateOrder;
                    prof.dateOrderAmbiguous = true;
                }
            }
        }
        if (m.field == "probability" && p.maxValue > 1.0 && p.maxValue <= 100.0) {
            prof.note = "values up to 100: read as percentages";
            for (double& v : col.f64()) v /= 100.0;
        }
        if (m.type == ColumnType::Date && p.pending > 0) {
            const DateOrder o = prof.dateOrder == DateOrder::DMY || prof.dateOrder == DateOrder::MDY ? prof.dateOrder : opt.ambiguousDateOrder;
            for (std::int64_t& v : col.i64()) {
                Date dd = 0;
                if (isPending(v)) v = resolveDateParts(unpackPending(v), o, dd) ? dd : kI64Null;
            }
        }
    }
    if (d.kind == DatasetKind::Opportunities && probe.find("stage") && [&] {
            for (const FieldMapping& m : d.mapping)
                if (m.field == "stage" && m.sourceColumn >= 0) return true;
            return false;
        }()) {
        StageInputs in;
        for (const FieldMapping& m : d.mapping) {
            if (m.extra || m.sourceColumn < 0) continue;
            in.outcomeColumns |= m.field == "is_closed";
            in.probabilityColumn |= m.field == "probability";
        }
        bool wonMapped = false;
        for (const FieldMapping& m : d.mapping) wonMapped |= !m.extra && m.sourceColumn >= 0 && m.field == "is_won";
        in.outcomeColumns &= wonMapped;
        // A status column that says open / won / lost gives the outcomes, as it will on import.
        bool statusMapped = false;
        for (const FieldMapping& m : d.mapping) statusMapped |= !m.extra && m.sourceColumn >= 0 && m.field == "status";
        if (!in.outcomeColumns && statusMapped) in.outcomeColumns = applyStatusOutcomes(probe);
        in.asOf = opt.asOf != kDateNull ? opt.asOf : todayUtc();
        in.user = d.stageChoices;
        pv.stages = inferStages(probe, in);
    }
    neededFieldWarnings(d, pv.warnings);
    suggestUnits(pv.columns, d, opt, rows, pv.warnings);
    if (!whole) pv.warnings.push_back("preview of the first " + std::to_string(rows.size()) + " rows");
    if (dec.fallbackBytes() > 0)
        pv.warnings.push_back(std::to_string(dec.fallbackBytes()) + " bytes are not valid UTF-8 and are read as Windows-1252");
    pv.ok = pv.error.empty();
    return pv;
}

// [SECTION] job
namespace {
enum class Phase : std::uint8_t { Decode, Hash, Header, Rows, Finalize, Geocode, Done };
constexpr std::size_t kSliceBytes = std::size_t{4} << 20;

// The record that starts at `offset`, as it is in the file (without its line end).
std::string recordTextAt(std::string_view text, char delimiter, std::uint64_t offset) {
    CsvReader r(text.substr(offset), delimiter);
    CsvRecord one;
    r.next(one);
    std::string_view t = text.substr(offset, r.bytesConsumed());
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.remove_suffix(1);
    return std::string(t);
}

// Where the rows go: the job's table, or (natively) the columns and pool of a part of the file
// read on another thread, merged into the job's later (RowPart).
struct RowSink {
    std::vector<Plan> plans;
    StringPool* pool = nullptr;
    // A part counts lines and records from 1 at its start, and keeps failing values for the merge
    // (addPartSample) instead of the samples.
    bool part = false;
    std::size_t row = 0, cap = 0; // rows accepted (cells in the columns), rows reserved
    // Where each accepted row came from, kept only when date columns may reject rows late.
    bool trackRows = false;
    std::vector<std::uint64_t> rowOffset;
    std::vector<std::uint32_t> rowLine, rowRecord;
    std::uint64_t rowsRead = 0, rowsAccepted = 0, rowsRejected = 0, shortRows = 0;
    std::vector<RejectedRow> rejects;

    // Reserves room for `want` rows in the mapped columns (cells are appended).
    void grow(std::size_t want) {
        if (want <= cap) return;
        cap = std::max(want, cap + cap / 2 + 1024);
        for (Plan& p : plans) p.col->reserve(cap);
    }
};

// Reads one record of the file into `out`: its cells into the columns, or a reject.
void takeRecord(RowSink& out, const CsvRecord& rec, std::size_t width,
                const std::vector<FieldMapping>& mapping, std::string_view text, char delimiter) {
    StringPool& sp = *out.pool;
    ++out.rowsRead;
    auto reject = [&](std::string column, std::string raw, std::string expected) {
        RejectedRow r;
        r.line = rec.line;
        r.record = out.rowsRead;
        r.column = std::move(column);
        r.raw = std::move(raw);
        r.expected = std::move(expected);
        r.text = recordTextAt(text, delimiter, rec.offset);
        out.rejects.push_back(std::move(r));
        ++out.rowsRejected;
    };
    const std::size_t nf = rec.fields.size();
    if (rec.unterminatedQuote) return reject("", "", "a closing quote before the end of the file");
    if (nf > width) {
        bool extraEmpty = true;
        for (std::size_t i = width; i < nf; ++i) extraEmpty &= trim(rec.fields[i]).empty();
        if (!extraEmpty)
            return reject("", "",
                          std::to_string(width) + " fields as in the header, found " + std::to_string(nf));
    } else if (nf < width) {
        ++out.shortRows;
    }
    if (out.row >= out.cap) out.grow(out.row + 1);
    for (Plan& p : out.plans)
        if (p.type == ColumnType::String && static_cast<std::size_t>(p.source) < nf)
            prefetchText(p, rec.fields[static_cast<std::size_t>(p.source)], sp);
    for (const Plan& p : out.plans)
        if (p.hashed) sp.prefetchString(p.hash);
    const Plan* bad = nullptr;
    CellResult badKind = CellResult::Ok;
    std::string_view badRaw;
    for (Plan& p : out.plans) {
        const std::string_view raw = static_cast<std::size_t>(p.source) < nf
                                         ? rec.fields[static_cast<std::size_t>(p.source)]
                                         : std::string_view{};
        const CellResult cr = storeCell(p, raw, sp);
        // A field with doubled quotes views the reader's scratch storage, which later records
        // overwrite: it cannot stand for the previous value (`last` must view the file text).
        if (p.type == ColumnType::String && !viewsText(p.last, text)) p.last = {};
        if (cr == CellResult::Ok) continue;
        if (cr == CellResult::Bad) {
            ++p.failures;
            if (out.part)
                addPartSample(p.failSamples, trim(raw));
            else
                addSample(p.failSamples, trim(raw), 5);
        }
        if (!bad) {
            bad = &p;
            badKind = cr;
            badRaw = raw;
        }
    }
    if (bad) {
        for (Plan& p : out.plans) p.truncate(out.row);
        const FieldMapping& m = mapping[bad->mapping];
        return reject(m.header, std::string(trim(badRaw)),
                      badKind == CellResult::Missing ? "a value (this column is required)"
                                                     : expectedText(bad->type));
    }
    if (out.trackRows) {
        out.rowOffset.push_back(rec.offset);
        out.rowLine.push_back(static_cast<std::uint32_t>(std::min<std::uint64_t>(rec.line, UINT32_MAX)));
        out.rowRecord.push_back(
            static_cast<std::uint32_t>(std::min<std::uint64_t>(out.rowsRead, UINT32_MAX)));
    }
    ++out.row;
    ++out.rowsAccepted;
}

#ifdef TERRANE_ROW_THREADS
// A stretch of the file read apart from the rows before it, on the guess that a record starts at
// `begin` (just after a line end; inside a quoted field it does not). Its rows go to columns and a
// pool of its own. The job merges it when the rows before it end exactly at `begin`, so that it
// holds what reading on would have read, and drops it otherwise.
struct RowPart {
    std::size_t begin = 0, end = 0; // reads the records that start in [begin, end)
    std::deque<Column> columns;
    std::unique_ptr<StringPool> pool;
    RowSink out;
    std::size_t stopOffset = 0; // the first record at or after `end`, or the end of the text
    std::uint64_t stopLine = 0; // its line, counted from 1 at `begin`
    std::atomic<bool> cancel{false};
    bool ok = false;   // read to `end`; written before `done`
    bool done = false; // under RowWorkers::m
};

// The parts of a large file after the job's first stretch, and the threads that read them. The job
// reads on from the start and claims the next part in order when no thread has (it then reads it in
// order into the table); the threads claim parts from the end backwards. Where they meet, the job
// merges the parts the threads read, in order. So only the threads' share is merged, and the
// shares follow how fast each side goes.
struct RowWorkers {
    // What the threads read with; set before they start and not changed while they run.
    std::string_view text;
    char delimiter = ',';
    std::size_t width = 0;
    const std::vector<FieldMapping>* mapping = nullptr;
    std::vector<Plan> plans;        // the job's plans, without columns or counts
    std::vector<std::string> names; // of their columns
    bool trackRows = false;
    bool jobClaims = true; // false: the job claims no part (ImportOptions::mergeEveryPart)
    double rowsPerByte = 0;
    std::size_t stringsPerRow = 0;

    std::vector<std::unique_ptr<RowPart>> parts;
    std::atomic<bool> stop{false};
    std::mutex m;
    std::condition_variable cv;
    std::size_t front = 0; // under m: parts below are the job's
    std::size_t back = 0;  // under m: parts from here on were claimed by the threads
    std::vector<std::thread> threads;

    ~RowWorkers() { halt(); }
    void halt() {
        stop = true;
        for (auto& pt : parts)
            if (pt) pt->cancel = true;
        for (std::thread& t : threads)
            if (t.joinable()) t.join();
        threads.clear();
    }
    // Claims part `i`, the next in order, for the job if no thread has claimed it.
    bool claim(std::size_t i) {
        std::lock_guard<std::mutex> lock(m);
        if (i >= back || !jobClaims) return false;
        front = i + 1;
        return true;
    }
    bool isDone(const RowPart& pt) {
        std::lock_guard<std::mutex> lock(m);
        return pt.done;
    }
    // Claims the last unclaimed part and reads it; false when none is left.
    bool readOne() {
        RowPart* claimed = nullptr;
        {
            std::lock_guard<std::mutex> lock(m);
            if (back <= front || stop.load(std::memory_order_relaxed)) return false;
            claimed = parts[--back].get();
        }
        RowPart& pt = *claimed;
        read(pt);
        {
            std::lock_guard<std::mutex> lock(m);
            pt.done = true;
        }
        cv.notify_all();
        return true;
    }
    void read(RowPart& pt) {
        try {
            const auto rows =
                static_cast<std::size_t>(rowsPerByte * static_cast<double>(pt.end - pt.begin)) + 1024;
            pt.pool = std::make_unique<StringPool>();
            pt.pool->reserve(rows * stringsPerRow);
            RowSink& o = pt.out;
            o.part = true;
            o.pool = pt.pool.get();
            o.trackRows = trackRows;
            for (std::size_t i = 0; i < plans.size(); ++i) {
                Plan q = plans[i];
                q.col = &pt.columns.emplace_back(names[i], q.type);
                q.bind();
                o.plans.push_back(std::move(q));
            }
            o.grow(rows);
            if (trackRows) {
                reserveLarge(o.rowOffset, rows);
                reserveLarge(o.rowLine, rows);
                reserveLarge(o.rowRecord, rows);
            }
            CsvReader rd(text, delimiter);
            rd.resume(pt.begin, 1);
            CsvRecord rec;
            bool stopped = false;
            unsigned batch = 0;
            while (rd.next(rec)) {
                if (rec.offset >= pt.end) {
                    pt.stopOffset = rec.offset;
                    pt.stopLine = rec.line;
                    stopped = true;
                    break;
                }
                takeRecord(o, rec, width, *mapping, text, delimiter);
                if (++batch == 512) {
                    batch = 0;
                    if (pt.cancel.load(std::memory_order_relaxed)) return;
                }
            }
            if (!stopped) {
                pt.stopOffset = text.size();
                pt.stopLine = rd.linesConsumed();
            }
            pt.ok = true;
        } catch (const std::exception&) {
            pt.ok = false;
        }
    }
};
#endif
} // namespace

struct ImportJob::State {
    std::string owned;
    std::string_view bytes;
    ImportOptions opt;
    std::shared_ptr<StringPool> pool;
    Phase phase = Phase::Decode;
    std::unique_ptr<Utf8Decoder> dec;
    Sha256 sha;
    std::size_t hashed = 0;
#ifdef TERRANE_HASH_THREAD
    std::thread hasher;
    std::atomic<bool> stopHashing{false};
    std::string hasherDigest; // written by `hasher`, read after it is joined
#endif
    bool hashStarted = false, hashOnThread = false;
    std::string_view text;
    std::unique_ptr<CsvReader> reader;
    CsvRecord rec;
    HeaderDecision head;
    RowSink out;
    std::size_t afterHeader = 0;   // where the header row ends in `text`
    std::size_t rowsEstimate = 0;  // rows in the file, from the sample
    std::size_t stringsPerRow = 0; // new strings per row the pool makes room for
#ifdef TERRANE_ROW_THREADS
    bool partsStarted = false;
    std::unique_ptr<RowWorkers> workers;
    std::size_t nextPart = 0; // the first part not read, merged or dropped yet
#endif
    std::unique_ptr<AccountGeocoder> geo;
    std::size_t geoRow = 0;
    std::unique_ptr<DeferredPopulate> populate;
    ImportResult res;
    double elapsed = 0;

    ~State() {
        stopParts();
        populate.reset();
        stopHasher();
    }

    // Starts hashing `bytes` on a second thread; false when there is none (the Hash phase does it).
    bool startHasher() {
#ifdef TERRANE_HASH_THREAD
        try {
            hasher = std::thread([this] {
                Sha256 h;
                for (std::size_t at = 0; at < bytes.size(); at += kSliceBytes) {
                    if (stopHashing.load(std::memory_order_relaxed)) return;
                    h.update(bytes.data() + at, std::min(kSliceBytes, bytes.size() - at));
                }
                hasherDigest = h.hexDigest();
            });
            return true;
        } catch (const std::exception&) {
        }
#endif
        return false;
    }
    // Waits for the hashing thread and records its digest.
    void joinHasher() {
#ifdef TERRANE_HASH_THREAD
        if (!hasher.joinable()) return;
        hasher.join();
        res.report.sha256 = hasherDigest;
#endif
    }
    // Abandons the hashing thread (cancel, destruction): no digest.
    void stopHasher() {
#ifdef TERRANE_HASH_THREAD
        if (!hasher.joinable()) return;
        stopHashing = true;
        hasher.join();
#endif
    }
    void fail(std::string msg) {
        stopParts();
        populate.reset();
        joinHasher();
        res.ok = false;
        res.error = std::move(msg);
        res.table = Table(pool);
        phase = Phase::Done;
    }
    void header();
    bool rows(const Stopwatch& sw, double budgetMs);
    void finalize();
    std::string recordText(std::uint64_t offset) const {
        return recordTextAt(text, head.delimiter, offset);
    }

#ifdef TERRANE_ROW_THREADS
    void startParts();
    enum class PartTake : std::uint8_t { Merged, Wait, None };
    PartTake takePart(const Stopwatch& sw, double budgetMs);
    void mergePart(RowPart& pt, std::uint64_t lineBase);
#endif
    // Stops the threads of the parts not merged (their rows are not needed or not wanted).
    void stopParts() {
#ifdef TERRANE_ROW_THREADS
        workers.reset();
        nextPart = 0;
#endif
    }
};

void ImportJob::State::header() {
    ImportReport& rep = res.report;
    const std::string& name = opt.fileName;
    if (trim(text).empty()) return fail(name + ": the file is empty (expected a header row and data rows)");
    if (std::string why = notTextReason(bytes, text); !why.empty()) return fail(name + ": " + why);
    head.delimiter = opt.delimiter ? opt.delimiter : detectDelimiter(text);
    rep.delimiter = head.delimiter;
    rep.decimalSeparator = decideDecimal(opt, head.delimiter);
    reader = std::make_unique<CsvReader>(text, head.delimiter);
    if (!readHeader(head, *reader, rec, name)) return fail(head.error);
    afterHeader = reader->bytesConsumed();
    // A sample for fields matched by their values, detected types and the row estimate.
    std::vector<std::vector<std::string>> sample;
    std::size_t sampleBytes = 0;
    {
        CsvReader probe(text.substr(afterHeader), head.delimiter);
        CsvRecord r;
        while (sample.size() < kValueSampleRows && probe.next(r)) {
            sample.emplace_back();
            for (auto f : r.fields) sample.back().emplace_back(f);
        }
        sampleBytes = probe.bytesConsumed();
    }
    decideWithValues(head, opt, sample);
    if (!head.error.empty()) return fail(name + ": " + head.error);
    for (const auto& [field, k] : opt.multipliers) {
        const FieldSpec* f = findField(head.kind, field);
        if (!f || !(f->type == ColumnType::Money || f->type == ColumnType::F64 || f->type == ColumnType::I64))
            return fail(name + ": multiplier for '" + field + "': " + datasetKindName(head.kind) + " have no number field of that name");
    }
    rep.header = head.header;
    rep.kind = head.kind;
    rep.kindDetected = head.kindDetected;
    rep.signature = head.signature;
    rep.rememberedMapping = head.remembered;
    rep.mapping = head.mapping;
    rep.stageChoices = head.stageChoices;
    neededFieldWarnings(head, rep.warnings);
    fillProfiles(rep.columns, head);

    // Profile the sample for detected types, and estimate the row count from it.
    {
        profileSample(rep.columns, sample);
        suggestUnits(rep.columns, head, opt, sample, rep.warnings);
        const double avg = sample.empty() ? 64.0 : std::max(1.0, static_cast<double>(sampleBytes) / static_cast<double>(sample.size()));
        const auto estimate = static_cast<std::size_t>(static_cast<double>(text.size() - afterHeader) / avg * 1.02) + 16;
        rowsEstimate = estimate;
        Table& t = res.table;
        t = Table(pool);
        // The few hundred megabytes reserved below are faulted in on a second thread (natively)
        // while this one starts on the rows.
        populate = std::make_unique<DeferredPopulate>();
        for (const FieldSpec& f : fieldsOf(head.kind)) t.addColumn(f.name, f.type);
        std::size_t stringCols = 0;
        for (const FieldMapping& m : head.mapping) {
            if (m.extra) t.addColumn(m.field, ColumnType::String);
            if (m.sourceColumn >= 0 && m.type == ColumnType::String) ++stringCols;
        }
        stringsPerRow = std::min<std::size_t>(stringCols, 2);
        pool->reserve(estimate * stringsPerRow);
        for (std::size_t mi = 0; mi < head.mapping.size(); ++mi) {
            const FieldMapping& m = head.mapping[mi];
            if (m.sourceColumn < 0) continue;
            Plan p;
            p.source = m.sourceColumn;
            p.mapping = mi;
            p.col = t.find(m.field);
            p.type = m.type;
            if (!m.extra) {
                const FieldSpec* spec = findField(head.kind, m.field);
                p.required = spec && spec->required;
                p.probability = m.field == "probability";
            }
            p.order = opt.dateOrder == DateOrder::YMD ? DateOrder::Auto : opt.dateOrder;
            p.decimalComma = rep.decimalSeparator == ',';
            if (!m.extra) {
                p.scale = multiplierOf(opt, m.field);
                rep.columns[static_cast<std::size_t>(m.sourceColumn)].multiplier = p.scale;
            }
            p.bind();
            out.trackRows |= p.type == ColumnType::Date && p.order == DateOrder::Auto;
            out.plans.push_back(std::move(p));
        }
        // Required fields first: a row missing its id is reported as such.
        std::stable_sort(out.plans.begin(), out.plans.end(),
                         [](const Plan& a, const Plan& b) { return a.required > b.required; });
        out.pool = pool.get();
        out.grow(estimate);
        if (out.trackRows) {
            reserveLarge(out.rowOffset, estimate);
            reserveLarge(out.rowLine, estimate);
            reserveLarge(out.rowRecord, estimate);
        }
        populate->launch();
    }
    phase = Phase::Rows;
}

bool ImportJob::State::rows(const Stopwatch& sw, double budgetMs) {
    CsvReader& rd = *reader;
    const std::size_t width = head.header.size();
    const std::vector<FieldMapping>& mapping = res.report.mapping;
#ifdef TERRANE_ROW_THREADS
    if (!partsStarted) {
        partsStarted = true;
        startParts();
    }
#endif
    unsigned batch = 0;
    while (rd.next(rec)) {
#ifdef TERRANE_ROW_THREADS
        if (workers && nextPart < workers->parts.size() && rec.offset >= workers->parts[nextPart]->begin) {
            const PartTake took = takePart(sw, budgetMs);
            if (took == PartTake::Merged) continue; // the reader goes on after the part
            if (took == PartTake::Wait) return false;
        }
#endif
        takeRecord(out, rec, width, mapping, text, head.delimiter);
        if (++batch == 512) {
            batch = 0;
            if (sw.ms() >= budgetMs) return false;
        }
    }
    stopParts();
    return true;
}

#ifdef TERRANE_ROW_THREADS
// Splits the rows after the job's own first stretch into parts and starts threads that read them.
void ImportJob::State::startParts() {
    const std::size_t n = text.size();
    const std::size_t body = n - std::min(n, afterHeader);
    unsigned threads = opt.rowThreads ? opt.rowThreads : std::thread::hardware_concurrency();
    threads = std::min(threads, 8u);
    if (threads < 2 || body < std::max<std::size_t>(opt.parallelMinBytes, 1)) return;
    auto w = std::make_unique<RowWorkers>();
    w->text = text;
    w->delimiter = head.delimiter;
    w->width = head.header.size();
    w->mapping = &res.report.mapping;
    w->trackRows = out.trackRows;
    w->jobClaims = !opt.mergeEveryPart;
    w->rowsPerByte = static_cast<double>(rowsEstimate) / static_cast<double>(body);
    w->stringsPerRow = stringsPerRow;
    for (const Plan& p : out.plans) {
        Plan q;
        q.source = p.source;
        q.mapping = p.mapping;
        q.type = p.type;
        q.required = p.required;
        q.probability = p.probability;
        q.order = p.order;
        q.decimalComma = p.decimalComma;
        q.scale = p.scale;
        w->plans.push_back(std::move(q));
        w->names.push_back(p.col->name());
    }
    // Parts of about 4 MB (at least one per thread, at most eight), each from a line end (and any
    // blank lines) on: small enough that the threads finish close together, large enough that
    // merging stays cheap. The job reads the first stretch, up to the first part, itself.
    const std::size_t count =
        std::clamp<std::size_t>(body / (std::size_t{4} << 20), threads, std::size_t{8} * threads);
    std::vector<std::size_t> starts;
    for (std::size_t k = 1; k < count; ++k) {
        const std::size_t at =
            std::max(afterHeader + body / count * k, starts.empty() ? afterHeader : starts.back());
        const void* nl = at < n ? std::memchr(text.data() + at, '\n', n - at) : nullptr;
        if (!nl) break;
        std::size_t s = static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
        while (s < n && (text[s] == '\n' || text[s] == '\r')) ++s;
        if (s >= n) break;
        if (starts.empty() || s > starts.back()) starts.push_back(s);
    }
    if (starts.empty()) return;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        auto pt = std::make_unique<RowPart>();
        pt->begin = starts[i];
        pt->end = i + 1 < starts.size() ? starts[i + 1] : n;
        w->parts.push_back(std::move(pt));
    }
    w->back = w->parts.size();
    RowWorkers* raw = w.get();
    for (unsigned t = 1; t < threads; ++t) {
        try {
            w->threads.emplace_back([raw] {
                while (raw->readOne()) {
                }
            });
        } catch (const std::exception&) {
            break; // fewer threads: the job reads more of the parts itself
        }
    }
    workers = std::move(w);
}

// The record in `rec` starts at or after the start of the next part. A part nobody claimed is
// read here, in order. A part read apart is merged when `rec` starts exactly at it (waiting for it
// up to the budget, and reading later parts apart meanwhile); the reader then goes on after it.
// A part that `rec` overshoots started inside a record: it is dropped, and read here.
ImportJob::State::PartTake ImportJob::State::takePart(const Stopwatch& sw, double budgetMs) {
    RowWorkers& w = *workers;
    while (nextPart < w.parts.size() && rec.offset >= w.parts[nextPart]->begin) {
        RowPart& pt = *w.parts[nextPart];
        const bool exact = rec.offset == pt.begin;
        if (w.claim(nextPart)) {
            w.parts[nextPart++].reset();
            if (exact) return PartTake::None;
            continue;
        }
        if (exact) {
            while (!w.isDone(pt)) {
                if (sw.ms() >= budgetMs) {
                    reader->resume(rec.offset, rec.line); // read this record again on the next step
                    return PartTake::Wait;
                }
                if (!w.readOne()) {
                    std::unique_lock<std::mutex> lock(w.m);
                    w.cv.wait_for(lock,
                                  std::chrono::duration<double, std::milli>(
                                      std::clamp(budgetMs - sw.ms(), 0.0, 3600e3)),
                                  [&pt] { return pt.done; });
                }
            }
            if (pt.ok) {
                mergePart(pt, rec.line);
                ++res.report.partsMerged;
                reader->resume(pt.stopOffset, pt.stopLine - 1 + rec.line);
                w.parts[nextPart++].reset();
                return PartTake::Merged;
            }
        }
        // Not a record start after all (or the part could not be read): drop it once its reader
        // lets go of it.
        pt.cancel = true;
        while (!w.isDone(pt)) {
            if (!w.readOne()) {
                std::unique_lock<std::mutex> lock(w.m);
                w.cv.wait(lock, [&pt] { return pt.done; });
            }
        }
        w.parts[nextPart++].reset();
    }
    return PartTake::None;
}

// Appends a part read on another thread as if its rows had been read here, from line `lineBase`.
void ImportJob::State::mergePart(RowPart& pt, std::uint64_t lineBase) {
    RowSink& from = pt.out;
    const std::uint64_t recordBase = out.rowsRead;
    // The part's strings in the order it met them: interning them so gives them the ids reading
    // its rows here would have (the pool numbers strings by first appearance).
    std::vector<std::uint32_t> ids(pt.pool->size(), 0);
    constexpr std::size_t kBatch = 16;
    std::uint64_t hashes[kBatch];
    for (std::size_t at = 1; at < ids.size(); at += kBatch) {
        const std::size_t m = std::min(kBatch, ids.size() - at);
        for (std::size_t i = 0; i < m; ++i) {
            hashes[i] = StringPool::hashOf(pt.pool->view(static_cast<std::uint32_t>(at + i)));
            pool->prefetch(hashes[i]);
        }
        for (std::size_t i = 0; i < m; ++i) pool->prefetchString(hashes[i]);
        for (std::size_t i = 0; i < m; ++i)
            ids[at + i] = pool->intern(pt.pool->view(static_cast<std::uint32_t>(at + i)), hashes[i]);
    }
    out.grow(out.row + from.row);
    for (std::size_t i = 0; i < out.plans.size(); ++i) {
        Plan& p = out.plans[i];
        const Plan& q = from.plans[i];
        switch (p.type) {
        case ColumnType::F64:
            p.f64->insert(p.f64->end(), q.f64->begin(), q.f64->end());
            break;
        case ColumnType::I64:
        case ColumnType::Money:
        case ColumnType::Date:
            p.i64->insert(p.i64->end(), q.i64->begin(), q.i64->end());
            break;
        case ColumnType::Bool:
            p.u8->insert(p.u8->end(), q.u8->begin(), q.u8->end());
            break;
        case ColumnType::String: {
            const std::size_t at = p.ids->size();
            p.ids->resize(at + q.ids->size());
            std::uint32_t* dst = p.ids->data() + at;
            const std::uint32_t* src = q.ids->data();
            for (std::size_t r = 0; r < q.ids->size(); ++r) dst[r] = ids[src[r]];
            break;
        }
        }
        p.values += q.values;
        p.empty += q.empty;
        p.failures += q.failures;
        p.dmy += q.dmy;
        p.mdy += q.mdy;
        p.ambiguous += q.ambiguous;
        p.pending += q.pending;
        if (q.maxValue > p.maxValue) p.maxValue = q.maxValue;
        for (const std::string& v : q.failSamples) addSample(p.failSamples, v, 5);
    }
    // Lines and records of the part count from its start.
    auto toLine = [&](std::uint64_t line) { return line - 1 + lineBase; };
    if (out.trackRows) {
        out.rowOffset.insert(out.rowOffset.end(), from.rowOffset.begin(), from.rowOffset.end());
        for (std::uint32_t l : from.rowLine)
            out.rowLine.push_back(static_cast<std::uint32_t>(std::min<std::uint64_t>(toLine(l), UINT32_MAX)));
        for (std::uint32_t r : from.rowRecord)
            out.rowRecord.push_back(
                static_cast<std::uint32_t>(std::min<std::uint64_t>(r + recordBase, UINT32_MAX)));
    }
    for (RejectedRow& r : from.rejects) {
        r.line = toLine(r.line);
        r.record += recordBase;
        out.rejects.push_back(std::move(r));
    }
    out.row += from.row;
    out.rowsRead += from.rowsRead;
    out.rowsAccepted += from.rowsAccepted;
    out.rowsRejected += from.rowsRejected;
    out.shortRows += from.shortRows;
}
#endif

void ImportJob::State::finalize() {
    populate.reset();
    ImportReport& rep = res.report;
    rep.rowsRead = out.rowsRead;
    rep.rowsAccepted = out.rowsAccepted;
    rep.rowsRejected = out.rowsRejected;
    rep.rejects = std::move(out.rejects);
    Table& t = res.table;
    t.reserve(out.row);
    t.resize(out.row);                  // unmapped columns fill with nulls
    for (Plan& p : out.plans) p.bind(); // row, reason ("column|raw|expected")
    std::vector<char> drop;
    auto lateReject = [&](std::size_t r, const Plan& p, std::string raw, std::string expected) {
        if (drop.empty()) drop.assign(out.row, 0);
        if (drop[r]) return;
        drop[r] = 1;
        RejectedRow rr;
        rr.line = out.rowLine[r];
        rr.record = out.rowRecord[r];
        rr.column = rep.mapping[p.mapping].header;
        rr.raw = std::move(raw);
        rr.expected = std::move(expected);
        rr.text = recordText(out.rowOffset[r]);
        rep.rejects.push_back(std::move(rr));
    };
    for (Plan& p : out.plans) {
        ColumnProfile& prof = rep.columns[static_cast<std::size_t>(p.source)];
        prof.values = p.values;
        prof.empty = p.empty;
        prof.failures = p.failures;
        prof.failSamples = p.failSamples;
        if (p.type == ColumnType::Date) {
            prof.dateOrder = p.order;
            if (p.pending > 0) {
                // Day/month order for the whole column, from the cells that settle it.
                DateOrder o;
                std::string why;
                if (p.dmy > 0 && p.mdy == 0) {
                    o = DateOrder::DMY;
                } else if (p.mdy > 0 && p.dmy == 0) {
                    o = DateOrder::MDY;
                } else if (p.dmy > 0 && p.mdy > 0) {
                    o = p.dmy > p.mdy ? DateOrder::DMY : p.mdy > p.dmy ? DateOrder::MDY : opt.ambiguousDateOrder;
                    rep.warnings.push_back("column '" + prof.header + "' mixes day-first (" + std::to_string(p.dmy) + ") and month-first (" +
                                           std::to_string(p.mdy) + ") dates; read as " + (o == DateOrder::DMY ? "DD/MM" : "MM/DD") +
                                           " and the rows that only fit the other order are rejected");
                } else {
                    o = opt.ambiguousDateOrder == DateOrder::DMY ? DateOrder::DMY : DateOrder::MDY;
                    prof.dateOrderAmbiguous = true;
                    rep.warnings.push_back("column '" + prof.header + "': every date fits both DD/MM and MM/DD; read as " +
                                           (o == DateOrder::DMY ? "DD/MM" : "MM/DD") + " (the workspace setting for ambiguous dates)");
                }
                prof.dateOrder = o;
                const char* orderText = o == DateOrder::DMY ? "a date in DD/MM/YYYY order like the rest of the column"
                                                            : "a date in MM/DD/YYYY order like the rest of the column";
                for (std::size_t r = 0; r < out.row; ++r) {
                    const std::int64_t v = (*p.i64)[r];
                    if (!isPending(v)) continue;
                    const DateParts parts = unpackPending(v);
                    Date d = 0;
                    if (resolveDateParts(parts, o, d)) {
                        (*p.i64)[r] = d;
                    } else {
                        (*p.i64)[r] = kI64Null;
                        ++prof.failures;
                        const std::string raw = std::to_string(parts.first) + "/" + std::to_string(parts.second) + "/" + std::to_string(parts.year);
                        addSample(prof.failSamples, raw, 5);
                        lateReject(r, p, raw, orderText);
                    }
                }
            }
        }
        if (p.probability && p.maxValue > 1.0 && p.maxValue <= 100.0) {
            for (std::size_t r = 0; r < out.row; ++r)
                if (!std::isnan((*p.f64)[r])) (*p.f64)[r] /= 100.0;
            prof.note = "values up to 100: read as percentages";
            rep.warnings.push_back("column '" + prof.header + "': probabilities up to " + formatDouble(p.maxValue) +
                                   " are read as percentages (divided by 100)");
        }
    }
    if (!drop.empty()) {
        // Compact every column over the rows that survived.
        std::size_t w = 0;
        for (std::size_t r = 0; r < out.row; ++r) {
            if (drop[r]) continue;
            if (w != r) {
                for (std::size_t c = 0; c < t.columnCount(); ++c) {
                    Column& col = t.column(c);
                    switch (col.type()) {
                    case ColumnType::F64: col.f64()[w] = col.f64()[r]; break;
                    case ColumnType::I64:
                    case ColumnType::Money:
                    case ColumnType::Date: col.i64()[w] = col.i64()[r]; break;
                    case ColumnType::Bool: col.u8()[w] = col.u8()[r]; break;
                    case ColumnType::String: col.ids()[w] = col.ids()[r]; break;
                    }
                }
                if (out.trackRows) {
                    out.rowOffset[w] = out.rowOffset[r];
                    out.rowLine[w] = out.rowLine[r];
                    out.rowRecord[w] = out.rowRecord[r];
                }
            }
            ++w;
        }
        const std::size_t removed = out.row - w;
        out.row = w;
        t.resize(out.row);
        rep.rowsAccepted -= removed;
        rep.rowsRejected += removed;
        std::stable_sort(rep.rejects.begin(), rep.rejects.end(), [](const RejectedRow& a, const RejectedRow& b) { return a.record < b.record; });
    }
    if (rep.decimalSeparator == ',')
        rep.warnings.push_back("numbers are read with ',' as the decimal separator and '.' for thousands (a semicolon-separated file, as "
                               "European Excel writes them)");
    if (out.shortRows > 0)
        rep.warnings.push_back(std::to_string(out.shortRows) +
                               " rows have fewer fields than the header; the missing cells are empty");
    if (dec->fallbackBytes() > 0)
        rep.warnings.push_back(std::to_string(dec->fallbackBytes()) + " bytes are not valid UTF-8 and were read as Windows-1252" +
                               (dec->replacements() ? " (" + std::to_string(dec->replacements()) + " with no character, shown as \xEF\xBF\xBD)" : ""));
    const std::string_view idField = idFieldOf(head.kind);
    if (!idField.empty()) {
        t.buildIndex(t.indexOf(idField));
        if (t.duplicateIds() > 0)
            rep.warnings.push_back(std::to_string(t.duplicateIds()) + " rows repeat an earlier " + std::string(idField) +
                                   " (lookups use the first)");
    }
    if (head.kind == DatasetKind::Accounts && opt.geocode) {
        geo = std::make_unique<AccountGeocoder>(t);
        phase = Phase::Geocode;
    } else {
        phase = Phase::Done;
        res.ok = true;
    }
}

ImportJob::ImportJob(std::string_view bytes, ImportOptions opt, std::shared_ptr<StringPool> pool) : m_s(std::make_unique<State>()) {
    m_s->bytes = bytes;
    m_s->opt = std::move(opt);
    m_s->pool = pool ? std::move(pool) : std::make_shared<StringPool>();
    m_s->res.table = Table(m_s->pool);
    m_s->res.report.fileName = m_s->opt.fileName;
    m_s->res.report.bytes = bytes.size();
    m_s->res.report.kind = m_s->opt.kind;
    m_s->dec = std::make_unique<Utf8Decoder>(bytes);
}

ImportJob::ImportJob(std::string&& bytes, ImportOptions opt, std::shared_ptr<StringPool> pool)
    : ImportJob(std::string_view(), std::move(opt), std::move(pool)) {
    m_s->owned = std::move(bytes);
    m_s->bytes = m_s->owned;
    m_s->res.report.bytes = m_s->bytes.size();
    m_s->dec = std::make_unique<Utf8Decoder>(m_s->bytes);
}

ImportJob::~ImportJob() = default;

std::string ImportJob::title() const { return "Importing " + m_s->opt.fileName; }

bool ImportJob::finished() const { return m_s->phase == Phase::Done; }
ImportResult& ImportJob::result() { return m_s->res; }
const ImportOptions& ImportJob::options() const { return m_s->opt; }

double ImportJob::progress() const {
    const State& s = *m_s;
    const double n = std::max<double>(1.0, static_cast<double>(s.bytes.size()));
    switch (s.phase) {
    case Phase::Decode: return 0.05 * s.dec->progress();
    case Phase::Hash: return 0.05 + 0.05 * static_cast<double>(s.hashed) / n;
    case Phase::Header: return 0.10;
    case Phase::Rows: return 0.10 + 0.80 * static_cast<double>(s.reader->bytesConsumed()) / std::max<double>(1.0, static_cast<double>(s.text.size()));
    case Phase::Finalize: return 0.90;
    case Phase::Geocode: return 0.92 + 0.08 * static_cast<double>(s.geoRow) / std::max<double>(1.0, static_cast<double>(s.res.table.rows()));
    case Phase::Done: return 1.0;
    }
    return 0;
}

std::string ImportJob::detail() const {
    const State& s = *m_s;
    switch (s.phase) {
    case Phase::Decode: return "Reading the text encoding";
    case Phase::Hash: return "Fingerprinting the file (SHA-256)";
    case Phase::Header: return "Reading the header";
    case Phase::Rows:
        return "Rows read: " + std::to_string(s.out.rowsRead);
    case Phase::Finalize: return "Settling date orders";
    case Phase::Geocode: return "Placing accounts: " + std::to_string(s.geoRow) + " of " + std::to_string(s.res.table.rows());
    case Phase::Done: return s.res.ok ? "Done" : s.res.error;
    }
    return {};
}

bool ImportJob::step(double budgetMs) {
    State& s = *m_s;
    if (s.phase == Phase::Done) return true;
    if (m_cancelled) {
        s.stopHasher();
        s.fail(s.opt.fileName + ": import cancelled");
        return true;
    }
    const Stopwatch sw;
    try {
        // At least one unit of work per call, however small the budget.
        do {
            switch (s.phase) {
            case Phase::Decode:
                if (!s.hashStarted) {
                    s.hashStarted = true;
                    if (s.opt.knownSha256.size() == 64) s.res.report.sha256 = s.opt.knownSha256;
                    else s.hashOnThread = s.startHasher();
                }
                if (s.dec->step(kSliceBytes)) {
                    s.text = s.dec->text();
                    s.res.report.encoding = textEncodingName(s.dec->encoding());
                    const bool hashHere = s.opt.knownSha256.size() != 64 && !s.hashOnThread;
                    s.phase = hashHere ? Phase::Hash : Phase::Header;
                }
                break;
            case Phase::Hash: {
                const std::size_t take = std::min(kSliceBytes, s.bytes.size() - s.hashed);
                s.sha.update(s.bytes.data() + s.hashed, take);
                s.hashed += take;
                if (s.hashed >= s.bytes.size()) {
                    s.res.report.sha256 = s.sha.hexDigest();
                    s.phase = Phase::Header;
                }
                break;
            }
            case Phase::Header: s.header(); break;
            case Phase::Rows:
                if (s.rows(sw, budgetMs)) s.phase = Phase::Finalize;
                break;
            case Phase::Finalize: s.finalize(); break;
            case Phase::Geocode: {
                const std::size_t end = std::min(s.res.table.rows(), s.geoRow + 65536);
                s.geo->run(s.geoRow, end);
                s.geoRow = end;
                if (s.geoRow >= s.res.table.rows()) {
                    s.res.report.geocode = s.geo->summary();
                    const auto& g = s.res.report.geocode;
                    if (!g.unplaced.empty())
                        s.res.report.warnings.push_back(std::to_string(g.unplaced.size()) +
                                                        " accounts could not be placed on the map (no coordinates, postcode, city, region or country that the gazetteer knows)");
                    if (!g.conflicts.empty())
                        s.res.report.warnings.push_back(std::to_string(g.conflicts.size()) +
                                                        " accounts have a postcode that disagrees with their city or state; the postcode was used");
                    s.geo.reset();
                    s.phase = Phase::Done;
                    s.res.ok = true;
                }
                break;
            }
            case Phase::Done: break;
            }
        } while (s.phase != Phase::Done && sw.ms() < budgetMs);
        if (s.phase == Phase::Done) s.joinHasher();
    } catch (const std::exception& e) {
        s.fail(s.opt.fileName + ": " + e.what());
    }
    s.elapsed += sw.ms();
    s.res.report.elapsedMs = s.elapsed;
    return s.phase == Phase::Done;
}

ImportResult importCsv(std::string_view bytes, const ImportOptions& opt, std::shared_ptr<StringPool> pool) {
    ImportJob job(bytes, opt, std::move(pool));
    runToCompletion(job);
    return std::move(job.result());
}

// [SECTION] rejects
std::string rejectsToCsv(const ImportReport& report) {
    std::string out;
    CsvWriter w(out);
    for (const auto& h : report.header) w.field(h);
    w.field("_line").field("_reason");
    w.endRow();
    std::vector<std::string_view> fields;
    for (const RejectedRow& r : report.rejects) {
        CsvReader reader(r.text, report.delimiter);
        CsvRecord rec;
        reader.next(rec);
        for (std::size_t i = 0; i < report.header.size(); ++i) w.field(i < rec.fields.size() ? rec.fields[i] : std::string_view{});
        w.field(static_cast<long long>(r.line));
        std::string reason = r.column.empty() ? "expected " + r.expected : "column '" + r.column + "': '" + r.raw + "' is not " + r.expected;
        if (r.expected.rfind("a value", 0) == 0) reason = "column '" + r.column + "' is empty; expected " + r.expected;
        w.field(reason);
        w.endRow();
    }
    return out;
}

} // namespace terrane
