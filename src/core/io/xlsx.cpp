#include "core/io/xlsx.hpp"

#include "core/base/text.hpp"
#include "core/io/zip.hpp"

namespace terrane::xlsx {

std::string xmlEscape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            // XML 1.0 forbids most control characters.
            if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
                out += ' ';
            else
                out += c;
        }
    }
    return out;
}

std::string columnName(int col) {
    std::string s;
    for (int c = col + 1; c > 0; c = (c - 1) / 26) s.insert(s.begin(), static_cast<char>('A' + (c - 1) % 26));
    return s;
}

std::string cellRef(int row, int col) {
    return columnName(col) + std::to_string(row + 1);
}

void Sheet::text(int row, int col, std::string_view s, Style st) {
    m_cells[{row, col}] = Cell{Cell::Kind::Text, std::string(s), {}, st};
}
void Sheet::number(int row, int col, double v, Style st) {
    m_cells[{row, col}] = Cell{Cell::Kind::Number, formatDouble(v), {}, st};
}
void Sheet::money(int row, int col, Money m, Style st) {
    m_cells[{row, col}] = Cell{Cell::Kind::Number, formatMoney(m), {}, st};
}
void Sheet::formula(int row, int col, std::string_view f, std::string_view cached, Style st) {
    m_cells[{row, col}] = Cell{Cell::Kind::Formula, std::string(cached), std::string(f), st};
}

std::string Sheet::xml() const {
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
    if (m_freeze > 0) {
        x += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"" + std::to_string(m_freeze) +
             "\" topLeftCell=\"" + cellRef(m_freeze, 0) +
             "\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>";
    }
    x += "<sheetFormatPr defaultRowHeight=\"15\"/>";
    if (!m_widths.empty()) {
        x += "<cols>";
        for (const auto& [c, w] : m_widths)
            x += "<col min=\"" + std::to_string(c + 1) + "\" max=\"" + std::to_string(c + 1) + "\" width=\"" +
                 formatDouble(w) + "\" customWidth=\"1\"/>";
        x += "</cols>";
    }
    x += "<sheetData>";
    int open = -1;
    for (const auto& [rc, cell] : m_cells) {
        if (rc.first != open) {
            if (open >= 0) x += "</row>";
            open = rc.first;
            x += "<row r=\"" + std::to_string(open + 1) + "\">";
        }
        const std::string ref = cellRef(rc.first, rc.second);
        const std::string s =
            cell.style == Style::Default ? "" : " s=\"" + std::to_string(static_cast<int>(cell.style)) + "\"";
        switch (cell.kind) {
        case Cell::Kind::Text:
            x += "<c r=\"" + ref + "\"" + s + " t=\"inlineStr\"><is><t xml:space=\"preserve\">" +
                 xmlEscape(cell.value) + "</t></is></c>";
            break;
        case Cell::Kind::Number:
            x += "<c r=\"" + ref + "\"" + s + "><v>" + cell.value + "</v></c>";
            break;
        case Cell::Kind::Formula:
            x += "<c r=\"" + ref + "\"" + s + "><f>" + xmlEscape(cell.formula) + "</f>" +
                 (cell.value.empty() ? "" : "<v>" + cell.value + "</v>") + "</c>";
            break;
        }
    }
    if (open >= 0) x += "</row>";
    x += "</sheetData></worksheet>";
    return x;
}

std::string writeWorkbook(const std::vector<Sheet>& sheets) {
    std::vector<std::pair<std::string, std::string>> parts;
    std::string types =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" "
        "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/xl/workbook.xml\" "
        "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        "<Override PartName=\"/xl/styles.xml\" "
        "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>";
    for (std::size_t i = 0; i < sheets.size(); ++i)
        types +=
            "<Override PartName=\"/xl/worksheets/sheet" + std::to_string(i + 1) +
            ".xml\" "
            "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>";
    types += "</Types>";
    parts.emplace_back("[Content_Types].xml", types);
    parts.emplace_back(
        "_rels/.rels",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
        "Target=\"xl/workbook.xml\"/></Relationships>");
    std::string wb =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>";
    std::string rels =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
    for (std::size_t i = 0; i < sheets.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        wb += "<sheet name=\"" + xmlEscape(sheets[i].name()) + "\" sheetId=\"" + n + "\" r:id=\"rId" + n +
              "\"/>";
        rels += "<Relationship Id=\"rId" + n +
                "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                "Target=\"worksheets/sheet" +
                n + ".xml\"/>";
    }
    wb += "</sheets><calcPr calcId=\"0\" fullCalcOnLoad=\"1\"/></workbook>";
    rels += "<Relationship Id=\"rId" + std::to_string(sheets.size() + 1) +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
            "Target=\"styles.xml\"/></Relationships>";
    parts.emplace_back("xl/workbook.xml", wb);
    parts.emplace_back("xl/_rels/workbook.xml.rels", rels);
    parts.emplace_back(
        "xl/styles.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"#,##0.00\"/><numFmt numFmtId=\"165\" "
        "formatCode=\"0.0%\"/></numFmts>"
        "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz "
        "val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
        "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill "
        "patternType=\"gray125\"/></fill></fills>"
        "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
        "borderId=\"0\"/></cellStyleXfs>"
        "<cellXfs count=\"7\">"
        "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        "<xf numFmtId=\"164\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" "
        "applyFont=\"1\"/>"
        "<xf numFmtId=\"1\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" "
        "builtinId=\"0\"/></cellStyles></styleSheet>");
    for (std::size_t i = 0; i < sheets.size(); ++i)
        parts.emplace_back("xl/worksheets/sheet" + std::to_string(i + 1) + ".xml", sheets[i].xml());
    return writeStoredZip(parts);
}

} // namespace terrane::xlsx
