// CSV reading (RFC 4180, sniffed delimiter, streaming) and writing.
//
// Index
//  [SECTION] reader
//  [SECTION] writer
#include "core/io/csv.hpp"

#include "core/base/text.hpp"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace terrane {

// [SECTION] reader
namespace {
constexpr std::size_t kBlock = 64;

#if !defined(__SSE2__)
constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kLows = 0x7F7F7F7F7F7F7F7Full;
// 0x80 in each byte of `v` that is zero, 0 in the others (exact: no carries between bytes).
inline std::uint64_t zeroBytes(std::uint64_t v) {
    return ~(((v & kLows) + kLows) | v | kLows);
}
#endif

// Bit i set when p[i] (i < 64) is `delim`, a quote, CR or LF.
inline std::uint64_t structuralBits(const char* p, char delim) {
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8(delim), q = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'),
                  cr = _mm_set1_epi8('\r');
    std::uint64_t bits = 0;
    for (int k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, q)),
                                         _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
        bits |= std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(hit))} << (16 * k);
    }
    return bits;
#else
    // Eight bytes at a time; the multiply gathers the top bit of each byte into the top byte.
    const std::uint64_t d = kOnes * static_cast<unsigned char>(delim);
    const std::uint64_t q = kOnes * static_cast<unsigned char>('"');
    const std::uint64_t lf = kOnes * static_cast<unsigned char>('\n');
    const std::uint64_t cr = kOnes * static_cast<unsigned char>('\r');
    std::uint64_t bits = 0;
    for (int k = 0; k < 8; ++k) {
        std::uint64_t w;
        std::memcpy(&w, p + 8 * k, 8);
        const std::uint64_t hit = zeroBytes(w ^ d) | zeroBytes(w ^ q) | zeroBytes(w ^ lf) | zeroBytes(w ^ cr);
        bits |= (((hit >> 7) * 0x0102040810204080ull) >> 56) << (8 * k);
    }
    return bits;
#endif
}
} // namespace

CsvReader::CsvReader(std::string_view text, char delimiter) : m_text(text), m_delim(delimiter) {}

// Index of the first delimiter, quote, CR or LF at or after `i` (or the end of the text).
std::size_t CsvReader::scanPlain(std::size_t i) {
    const char* data = m_text.data();
    const std::size_t n = m_text.size();
    for (;;) {
        if (i >= m_blockAt && i < m_blockEnd) {
            const std::uint64_t bits = m_blockMask & (~std::uint64_t{0} << (i - m_blockAt));
            if (bits) return m_blockAt + static_cast<std::size_t>(__builtin_ctzll(bits));
            i = m_blockEnd;
        }
        if (i > n || n - i < kBlock) break;
        m_blockAt = i;
        m_blockEnd = i + kBlock;
        m_blockMask = structuralBits(data + i, m_delim);
    }
    // The last bytes of the text, one at a time.
    while (i < n) {
        const char c = data[i];
        if (c == m_delim || c == '"' || c == '\n' || c == '\r') return i;
        ++i;
    }
    return n;
}

void CsvReader::resume(std::size_t offset, std::uint64_t line) {
    m_pos = std::min(offset, m_text.size());
    m_line = line;
    m_blockAt = m_blockEnd = 0; // the block bits are cached by position; start afresh anyway
}

bool CsvReader::next(CsvRecord& rec) {
    rec.fields.clear();
    rec.unterminatedQuote = false;
    m_unescapedUsed = 0;
    const char* data = m_text.data();
    const std::size_t n = m_text.size();
    // Skip blank lines between records.
    while (m_pos < n && (data[m_pos] == '\n' || data[m_pos] == '\r')) {
        if (data[m_pos] == '\n') ++m_line;
        ++m_pos;
    }
    if (m_pos >= n) return false;
    rec.line = m_line;
    rec.offset = m_pos;
    for (;;) {
        if (data[m_pos] == '"') {
            // Quoted field: scan to the closing quote, unescaping doubled quotes.
            std::size_t start = ++m_pos;
            bool hasDouble = false;
            std::size_t close = std::string_view::npos;
            while (m_pos < n) {
                const void* qp = std::memchr(data + m_pos, '"', n - m_pos);
                const std::size_t qpos = qp ? static_cast<std::size_t>(static_cast<const char*>(qp) - data) : n;
                m_line += static_cast<std::uint64_t>(std::count(data + m_pos, data + qpos, '\n'));
                if (!qp) {
                    m_pos = n;
                    break;
                }
                if (qpos + 1 < n && data[qpos + 1] == '"') {
                    hasDouble = true;
                    m_pos = qpos + 2;
                    continue;
                }
                close = qpos;
                m_pos = qpos + 1;
                break;
            }
            std::string_view raw;
            if (close == std::string_view::npos) {
                rec.unterminatedQuote = true;
                raw = std::string_view(data + start, n - start);
            } else {
                raw = std::string_view(data + start, close - start);
            }
            // Text after the closing quote up to the delimiter is kept (lenient, as Excel does).
            std::size_t tailStart = m_pos;
            while (m_pos < n && data[m_pos] != m_delim && data[m_pos] != '\n' && data[m_pos] != '\r') ++m_pos;
            const bool hasTail = m_pos > tailStart;
            if (hasDouble || hasTail) {
                if (m_unescapedUsed == m_unescaped.size()) m_unescaped.emplace_back();
                std::string& s = m_unescaped[m_unescapedUsed++];
                s.clear();
                for (std::size_t i = 0; i < raw.size(); ++i) {
                    s += raw[i];
                    if (raw[i] == '"' && i + 1 < raw.size() && raw[i + 1] == '"') ++i;
                }
                s.append(data + tailStart, m_pos - tailStart);
                rec.fields.emplace_back(s);
            } else {
                rec.fields.push_back(raw);
            }
        } else {
            // Unquoted field: a quote inside it is an ordinary character.
            const std::size_t start = m_pos;
            std::size_t p = scanPlain(m_pos);
            while (p < n && data[p] == '"') p = scanPlain(p + 1);
            m_pos = p;
            rec.fields.emplace_back(data + start, m_pos - start);
        }
        if (m_pos >= n) return true;
        const char c = data[m_pos];
        if (c == m_delim) {
            ++m_pos;
            if (m_pos >= n) {
                rec.fields.emplace_back();
                return true;
            }
            continue;
        }
        // End of record: CRLF, LF or lone CR.
        if (c == '\r') ++m_pos;
        if (m_pos < n && data[m_pos] == '\n') ++m_pos;
        ++m_line;
        return true;
    }
}

char detectDelimiter(std::string_view text) {
    static constexpr char kCandidates[] = {',', ';', '\t', '|'};
    // Look at up to 50 records of the start of the file.
    const std::string_view sample = text.substr(0, std::min<std::size_t>(text.size(), 64 * 1024));
    char best = ',';
    double bestScore = -1;
    for (char d : kCandidates) {
        CsvReader r(sample, d);
        CsvRecord rec;
        std::vector<std::size_t> counts;
        while (counts.size() < 50 && r.next(rec)) {
            if (r.bytesConsumed() >= sample.size() && sample.size() < text.size()) break; // partial last line
            counts.push_back(rec.fields.size());
        }
        if (counts.empty()) continue;
        const std::size_t header = counts[0];
        if (header < 2) continue;
        std::size_t agree = 0;
        for (std::size_t c : counts) agree += c == header ? 1 : 0;
        // Prefer more columns when consistency is equal.
        const double score = static_cast<double>(agree) / static_cast<double>(counts.size()) * 1000.0 + static_cast<double>(header);
        if (score > bestScore) {
            bestScore = score;
            best = d;
        }
    }
    return best;
}

std::vector<std::vector<std::string>> parseCsv(std::string_view text, char delimiter) {
    std::vector<std::vector<std::string>> rows;
    CsvReader r(text, delimiter);
    CsvRecord rec;
    while (r.next(rec)) {
        rows.emplace_back();
        for (auto f : rec.fields) rows.back().emplace_back(f);
    }
    return rows;
}

// [SECTION] writer
void appendCsvField(std::string& out, std::string_view v, char delimiter) {
    bool quote = !v.empty() && (v.front() == ' ' || v.back() == ' ');
    for (char c : v) {
        if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        out.append(v);
        return;
    }
    out += '"';
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

namespace {
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// -?(digits[.digits*] | .digits)([eE][+-]?digits)?
bool isPlainNumber(std::string_view v) {
    std::size_t i = 0;
    if (i < v.size() && v[i] == '-') ++i;
    std::size_t digits = 0;
    while (i < v.size() && isDigit(v[i])) ++i, ++digits;
    if (i < v.size() && v[i] == '.') {
        ++i;
        while (i < v.size() && isDigit(v[i])) ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
        ++i;
        if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
        std::size_t exp = 0;
        while (i < v.size() && isDigit(v[i])) ++i, ++exp;
        if (exp == 0) return false;
    }
    return i == v.size();
}
} // namespace

bool csvCellIsFormula(std::string_view v) {
    if (v.empty()) return false;
    switch (v.front()) {
    case '=':
    case '+':
    case '@':
    case '\t':
    case '\r': return true;
    case '-': return !isPlainNumber(v);
    default: return false;
    }
}

void CsvWriter::put(std::string_view v) {
    if (!m_first) m_out += m_delim;
    m_first = false;
    appendCsvField(m_out, v, m_delim);
}

CsvWriter& CsvWriter::field(std::string_view v) {
    if (!csvCellIsFormula(v)) {
        put(v);
        return *this;
    }
    std::string defused;
    defused.reserve(v.size() + 1);
    defused += '\'';
    defused.append(v);
    put(defused);
    return *this;
}

CsvWriter& CsvWriter::field(long long v) {
    put(std::to_string(v));
    return *this;
}

CsvWriter& CsvWriter::field(double v) {
    put(formatDouble(v));
    return *this;
}

CsvWriter& CsvWriter::number(std::string_view formatted) {
    put(formatted);
    return *this;
}

void CsvWriter::endRow() {
    m_out += '\n';
    m_first = true;
}

} // namespace terrane
