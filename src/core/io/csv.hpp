// CSV reading (RFC 4180: quotes, doubled quotes, embedded newlines, CRLF) and writing.
//
// Index
//  [SECTION] reader   CsvReader walks records of a UTF-8 buffer with a known delimiter
//  [SECTION] writer   CsvWriter quotes only when needed, always "\n" line ends, defuses formulas
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace terrane {

// [SECTION] reader
struct CsvRecord {
    std::vector<std::string_view> fields; // valid until the next call to next()
    std::uint64_t line = 0;               // 1-based physical line where the record starts
    std::uint64_t offset = 0;             // byte offset of the record start
    bool unterminatedQuote = false;       // a quoted field ran to the end of the input
};

class CsvReader {
  public:
    CsvReader(std::string_view text, char delimiter);
    // Reads the next record; false at end of input. Blank lines are skipped.
    bool next(CsvRecord& rec);
    std::uint64_t bytesConsumed() const { return m_pos; }
    std::uint64_t linesConsumed() const { return m_line; }
    // Goes on from byte `offset` as if line `line` started there. Reading from a record's offset
    // (with its line) gives that record and the rest exactly as reading on to it would.
    void resume(std::size_t offset, std::uint64_t line);

  private:
    std::size_t scanPlain(std::size_t i);

    std::string_view m_text;
    char m_delim;
    std::size_t m_pos = 0;
    std::uint64_t m_line = 1;
    // Where the delimiters, quotes, CRs and LFs are in m_text[m_blockAt, m_blockEnd), one bit
    // per byte: a field's end is found from the bits of the 64 bytes that hold several fields.
    std::size_t m_blockAt = 0, m_blockEnd = 0;
    std::uint64_t m_blockMask = 0;
    // Storage for fields that contained doubled quotes; a deque so earlier fields' views stay
    // valid while later fields of the same record are added.
    std::deque<std::string> m_unescaped;
    std::size_t m_unescapedUsed = 0;
};

// Picks the delimiter among , ; tab | that splits the first lines most consistently.
char detectDelimiter(std::string_view text);

// Parses a whole buffer into rows of owned strings (tests and small files).
std::vector<std::vector<std::string>> parseCsv(std::string_view text, char delimiter = ',');

// [SECTION] writer
// Every CSV export goes through CsvWriter. Its text cells hold untrusted CRM text, which a
// spreadsheet runs as a formula when it starts with = + - @, tab or CR: such a cell is written
// with a leading apostrophe (OWASP's CSV injection advice), unless it is a plain number
// ("-12.50", "-3", "1.5e-07"), which stays a number.
class CsvWriter {
  public:
    explicit CsvWriter(std::string& out, char delimiter = ',') : m_out(out), m_delim(delimiter) {}
    CsvWriter& field(std::string_view v); // text: defused when a spreadsheet would run it
    CsvWriter& field(long long v);        // numbers: as they are
    CsvWriter& field(double v);           // shortest text that reads back the same; NaN empty
    // A number, date or flag the caller formatted from a typed value (money "-12.50", "-inf"):
    // written as is. Never for text that came from a file or a user.
    CsvWriter& number(std::string_view formatted);
    void endRow();

  private:
    void put(std::string_view v);

    std::string& m_out;
    char m_delim;
    bool m_first = true;
};

// Whether a spreadsheet would run `v` as a formula: it starts with = + - @, tab or CR and is not
// a plain number (an optional minus, digits with an optional fraction and exponent).
bool csvCellIsFormula(std::string_view v);

// Quotes a CSV field if it holds the delimiter, a quote, CR or LF, or leading/trailing space.
// Quoting only: CsvWriter::field also defuses formulas.
void appendCsvField(std::string& out, std::string_view v, char delimiter = ',');

} // namespace terrane
