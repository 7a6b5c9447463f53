// A small XLSX (Office Open XML spreadsheet) writer: inline strings, numbers, formulas with cached
// values, a few number formats, frozen header rows. Written as a stored ZIP (core/zip.hpp).
#pragma once

#include "core/base/types.hpp"

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace terrane::xlsx {

enum class Style : std::uint8_t {
    Default = 0,
    Money = 1,
    Percent = 2,
    Header = 3,
    MoneyBold = 4,
    Integer = 5,
    Bold = 6
};

struct Cell {
    enum class Kind : std::uint8_t { Text, Number, Formula };
    Kind kind = Kind::Text;
    std::string value;   // text, or the number as decimal text ("1234.56")
    std::string formula; // without the leading '='
    Style style = Style::Default;
};

class Sheet {
  public:
    explicit Sheet(std::string name) : m_name(std::move(name)) {}
    const std::string& name() const { return m_name; }
    // Rows and columns are 0-based here; A1 is (0, 0).
    void text(int row, int col, std::string_view s, Style st = Style::Default);
    void number(int row, int col, double v, Style st = Style::Default);
    void money(int row, int col, Money m, Style st = Style::Money); // in major units, exact
    // A live formula with its value as computed by Terrane (shown until the workbook recalculates).
    void formula(int row, int col, std::string_view f, std::string_view cachedNumber,
                 Style st = Style::Default);
    void columnWidth(int col, double width) { m_widths[col] = width; }
    void freezeRows(int rows) { m_freeze = rows; }
    const std::map<std::pair<int, int>, Cell>& cells() const { return m_cells; }
    std::string xml() const;

  private:
    std::string m_name;
    std::map<std::pair<int, int>, Cell> m_cells; // (row, col)
    std::map<int, double> m_widths;
    int m_freeze = 0;
};

// "A1" for (0, 0); "AB12" etc.
std::string cellRef(int row, int col);
std::string columnName(int col);
// The workbook as .xlsx bytes; sheets in order (names must be unique, at most 31 characters).
std::string writeWorkbook(const std::vector<Sheet>& sheets);
// Escapes text for XML content and attributes.
std::string xmlEscape(std::string_view s);

} // namespace terrane::xlsx
