// Quota exports: the ZIP container, the XLSX workbook read back (parts, live formulas that
// evaluate to the plan's figures), and the CSVs.
#include "core/io/csv.hpp"
#include "core/quota/export.hpp"
#include "core/scenario/sample.hpp"
#include "core/base/text.hpp"
#include "core/io/xlsx.hpp"
#include "core/io/zip.hpp"

#include "sample_fixture.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>

using namespace terrane;
using namespace terrane::quota;

namespace {
struct Cell {
    std::string value, formula;
    bool text = false;
};
using Grid = std::map<std::string, Cell>; // "E5" -> cell

// Decimal text "1234.56" to cents.
bool parseMoneyTextStrict(const std::string& s, Money& out) {
    double v = 0;
    if (!parseDouble(s, v)) return false;
    out = moneyFromMajor(v);
    return true;
}

std::string between(const std::string& s, std::size_t from, const std::string& open, const std::string& close,
                    std::size_t& end) {
    const std::size_t a = s.find(open, from);
    if (a == std::string::npos) return end = std::string::npos, std::string();
    const std::size_t b = s.find(close, a + open.size());
    end = b + close.size();
    return s.substr(a + open.size(), b - a - open.size());
}

// A small reader of the sheet XML that Terrane writes: <c r="A1" ...> with <v>, <f> or <is><t>.
Grid parseSheet(const std::string& xml) {
    Grid g;
    std::size_t p = 0;
    while ((p = xml.find("<c r=\"", p)) != std::string::npos) {
        const std::size_t refEnd = xml.find('"', p + 6);
        const std::string ref = xml.substr(p + 6, refEnd - p - 6);
        const std::size_t close = xml.find("</c>", p);
        const std::string body = xml.substr(p, close - p);
        Cell c;
        std::size_t e = 0;
        if (body.find("t=\"inlineStr\"") != std::string::npos) {
            c.text = true;
            c.value = between(body, 0, "<t xml:space=\"preserve\">", "</t>", e);
        } else {
            if (body.find("<f>") != std::string::npos) c.formula = between(body, 0, "<f>", "</f>", e);
            if (body.find("<v>") != std::string::npos) c.value = between(body, 0, "<v>", "</v>", e);
        }
        g[ref] = c;
        p = close;
    }
    return g;
}

void splitRef(const std::string& ref, std::string& col, int& row) {
    std::size_t i = 0;
    while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') ++i;
    col = ref.substr(0, i);
    row = std::stoi(ref.substr(i));
}

// Evaluates SUM(Sheet!A1:A3,Sheet!A7) and A+B reference sums over cached values, in cents.
long long evalRefs(const std::map<std::string, Grid>& book, const std::string& expr) {
    long long sum = 0;
    std::vector<std::string_view> parts;
    std::string inner = expr;
    if (startsWith(inner, "SUM(")) inner = inner.substr(4, inner.size() - 5);
    std::string norm = inner;
    for (char& ch : norm)
        if (ch == '+') ch = ',';
    splitInto(norm, ',', parts);
    for (std::string_view part : parts) {
        const std::string s(part);
        const auto bang = s.find('!');
        const std::string sheet = s.substr(0, bang), range = s.substr(bang + 1);
        const auto colon = range.find(':');
        std::string c0, c1;
        int r0 = 0, r1 = 0;
        splitRef(range.substr(0, colon), c0, r0);
        if (colon == std::string::npos)
            c1 = c0, r1 = r0;
        else
            splitRef(range.substr(colon + 1), c1, r1);
        REQUIRE(c0 == c1);
        const Grid& g = book.at(sheet);
        for (int r = r0; r <= r1; ++r) {
            Money m = 0;
            REQUIRE(parseMoneyTextStrict(g.at(c0 + std::to_string(r)).value, m));
            sum += m;
        }
    }
    return sum;
}
} // namespace

TEST_CASE("zip: CRC-32 and a stored archive read back byte for byte") {
    CHECK(crc32("123456789") == 0xCBF43926u);
    CHECK(crc32("") == 0u);
    const std::vector<std::pair<std::string, std::string>> files{
        {"a.txt", "hello"}, {"dir/b.xml", std::string(70000, 'x')}, {"empty", ""}};
    const std::string zip = writeStoredZip(files);
    std::map<std::string, std::string> back;
    std::string err;
    REQUIRE(readStoredZip(zip, back, err));
    CHECK(back.size() == 3);
    CHECK(back["a.txt"] == "hello");
    CHECK(back["dir/b.xml"].size() == 70000);
    std::string bad = zip;
    bad[36] ^= 1; // inside the first file's data (30-byte header + 5-byte name)
    CHECK_FALSE(readStoredZip(bad, back, err));
    CHECK(err.find("CRC") != std::string::npos);
    CHECK(xlsx::cellRef(0, 0) == "A1");
    CHECK(xlsx::cellRef(11, 27) == "AB12");
    CHECK(formatMoney(-1250) == "-12.50");
}

TEST_CASE("the XLSX workbook: valid parts, live SUM roll-ups over exactly each node's children, values that "
          "reconcile") {
    Workspace ws = fixture::sampleWorkspace(1500, 16);
    Scenario& sc = ws.baseline();
    sc.quota.target = 480000000;
    sc.quota.overAssignPpm = {50000, 0, 100000};
    sc.quota.vacancy = VacancyPolicy::Hold;
    const QuotaResult q = computeQuotas(ws, sc);
    REQUIRE(q.ok);
    const SimModel model = buildSimModel(ws, sc, q, 3, 300);
    const SimResult sim = simulateAttainment(model);
    const std::string bytes = quotaWorkbook(q, sc.quota, &model, &sim);
    std::map<std::string, std::string> parts;
    std::string err;
    REQUIRE_MESSAGE(readStoredZip(bytes, parts, err), err);
    for (const char* p : {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                          "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"})
        CHECK_MESSAGE(parts.count(p) == 1, p);
    const std::string& wb = parts["xl/workbook.xml"];
    std::vector<std::string> names;
    for (std::size_t p = 0; (p = wb.find("<sheet name=\"", p)) != std::string::npos; p += 13)
        names.push_back(wb.substr(p + 13, wb.find('"', p + 13) - p - 13));
    CHECK(names ==
          std::vector<std::string>{"Summary", "Regions", "Districts", "Territories", "Reps", "Simulation"});
    CHECK(wb.find("fullCalcOnLoad=\"1\"") != std::string::npos);
    for (std::size_t i = 0; i < names.size(); ++i) {
        CHECK(parts["[Content_Types].xml"].find("/xl/worksheets/sheet" + std::to_string(i + 1) + ".xml") !=
              std::string::npos);
        CHECK(parts["xl/_rels/workbook.xml.rels"].find("worksheets/sheet" + std::to_string(i + 1) + ".xml") !=
              std::string::npos);
    }
    std::map<std::string, Grid> book;
    for (std::size_t i = 0; i < names.size(); ++i)
        book[names[i]] = parseSheet(parts["xl/worksheets/sheet" + std::to_string(i + 1) + ".xml"]);
    // Every SUM / reference formula evaluates, over the stored values, to its cached value.
    std::size_t sums = 0, refs = 0;
    for (const auto& sheetEntry : book) {
        const std::string& sheet = sheetEntry.first;
        for (const auto& cellEntry : sheetEntry.second) {
            const std::string& ref = cellEntry.first;
            const Cell& cell = cellEntry.second;
            if (cell.formula.empty()) continue;
            const bool isSum =
                startsWith(cell.formula, "SUM(") && cell.formula.find('!') != std::string::npos;
            const bool isRefs =
                !startsWith(cell.formula, "SUM(") && cell.formula.find('!') != std::string::npos;
            if (!isSum && !isRefs) continue;
            Money cached = 0;
            REQUIRE(parseMoneyTextStrict(cell.value, cached));
            CHECK_MESSAGE(evalRefs(book, cell.formula) == cached,
                          sheet << "!" << ref << " = " << cell.formula);
            (isSum ? sums : refs) += 1;
        }
    }
    CHECK(sums > 10);
    CHECK(refs >= q.reps.size());
    // Each district's "Allocated to children" sums exactly the rows of its own territories.
    const Grid& d = book["Districts"];
    const Grid& t = book["Territories"];
    for (const auto& n : q.tree.nodes) {
        if (n.level != QuotaLevel::District) continue;
        int row = -1;
        for (const auto& e : d)
            if (e.first[0] == 'A' && e.second.value == n.id) row = std::stoi(e.first.substr(1));
        REQUIRE(row > 1);
        const std::string f = d.at("G" + std::to_string(row)).formula;
        std::set<std::string> childIds, referenced;
        for (std::int32_t c : n.children) childIds.insert(q.tree.nodes[static_cast<std::size_t>(c)].id);
        // Expand the ranges of the formula into territory ids.
        std::vector<std::string_view> parts2;
        const std::string inner = f.substr(4, f.size() - 5);
        splitInto(inner, ',', parts2);
        for (auto part : parts2) {
            const std::string s(part.substr(part.find('!') + 1));
            std::string c0, c1;
            int r0 = 0, r1 = 0;
            const auto colon = s.find(':');
            splitRef(s.substr(0, colon), c0, r0);
            r1 = r0;
            if (colon != std::string::npos) splitRef(s.substr(colon + 1), c1, r1);
            for (int r = r0; r <= r1; ++r) referenced.insert(t.at("A" + std::to_string(r)).value);
        }
        CHECK(referenced == childIds);
        // Check column: allocated - pool = 0.
        CHECK(d.at("I" + std::to_string(row)).formula.rfind("ROUND(G", 0) == 0);
        CHECK(d.at("I" + std::to_string(row)).value == "0.00");
    }
    // Summary: the company target and the sum of rep quotas.
    bool targetFound = false;
    for (const auto& e : book["Summary"])
        if (e.second.value == "Company target")
            targetFound = book["Summary"].at("B" + e.first.substr(1)).value == "4800000.00";
    CHECK(targetFound);
}

TEST_CASE("the quota CSVs: one row per rep plus held rows, summing to every territory's quota") {
    Workspace ws = fixture::sampleWorkspace(1500, 16);
    Scenario& sc = ws.baseline();
    sc.quota.target = 480000000;
    sc.quota.vacancy = VacancyPolicy::Hold;
    sc.quota.overAssignPpm = {0, 0, 100000};
    const QuotaResult q = computeQuotas(ws, sc);
    const auto rows = parseCsv(quotaRepsCsv(q));
    REQUIRE(rows.size() > 2);
    const auto& h = rows[0];
    CHECK(h[0] == "rep_id");
    CHECK(h[7] == "quota");
    CHECK(h[8] == "quota_q1");
    CHECK(h.back() == "basis");
    Money total = 0;
    std::size_t held = 0;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        Money m = 0, per = 0;
        REQUIRE(parseMoneyTextStrict(rows[r][7], m));
        total += m;
        for (int p = 0; p < 4; ++p) {
            Money x = 0;
            REQUIRE(parseMoneyTextStrict(rows[r][8 + static_cast<std::size_t>(p)], x));
            per += x;
        }
        CHECK(per == m);
        held += rows[r][2] == "held" ? 1 : 0;
        CHECK(!rows[r].back().empty());
    }
    CHECK(total == applyPpm(480000000, 100000));
    CHECK(held == 2);
    const auto nodes = parseCsv(quotaNodesCsv(q));
    CHECK(nodes.size() == q.tree.nodes.size() + 1);
    CHECK(nodes[1][0] == "company");
}
