#include "core/import.hpp"

#include "core/csv.hpp"
#include "core/sha256.hpp"
#include "core/text.hpp"

#include <unordered_map>

namespace terrane {

std::string normalizeHeader(std::string_view h) {
    std::string r;
    for (char c : trim(h)) {
        if (c == ' ' || c == '_' || c == '-' || c == '.') continue;
        r += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return r;
}

namespace {

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

// Parses `raw` into row `row` of `col`; false when the text does not fit the type.
bool storeCell(Column& col, std::size_t row, std::string_view raw, DateOrder order, StringPool& pool) {
    const std::string_view v = trim(raw);
    if (col.type() == ColumnType::String) {
        col.ids()[row] = pool.intern(v);
        return true;
    }
    if (v.empty()) return true; // null
    switch (col.type()) {
    case ColumnType::F64: {
        double d = 0;
        if (!parseNumberText(v, d)) return false;
        col.f64()[row] = d;
        return true;
    }
    case ColumnType::I64: {
        long long i = 0;
        if (!parseIntegerText(v, i)) return false;
        col.i64()[row] = i;
        return true;
    }
    case ColumnType::Money: {
        Money m = 0;
        if (!parseMoneyText(v, m)) return false;
        col.i64()[row] = m;
        return true;
    }
    case ColumnType::Date: {
        Date d = 0;
        if (!parseDateText(v, order, d)) return false;
        col.i64()[row] = d;
        return true;
    }
    case ColumnType::Bool: {
        bool b = false;
        if (!parseBoolText(v, b)) return false;
        col.u8()[row] = b ? 1 : 0;
        return true;
    }
    case ColumnType::String: break;
    }
    return true;
}

} // namespace

ImportResult importCsv(std::string_view bytes, const ImportOptions& opt, std::shared_ptr<StringPool> pool) {
    ImportResult res;
    res.table = Table(pool);
    ImportReport& rep = res.report;
    rep.fileName = opt.fileName;
    rep.bytes = bytes.size();
    rep.sha256 = sha256Hex(bytes);
    std::string_view text = bytes;
    if (startsWith(text, "\xEF\xBB\xBF")) {
        text.remove_prefix(3);
        rep.encoding = "utf-8-bom";
    }
    if (trim(text).empty()) {
        res.error = opt.fileName + ": the file is empty (expected a header row and data rows)";
        return res;
    }
    rep.delimiter = opt.delimiter ? opt.delimiter : detectDelimiter(text);
    CsvReader reader(text, rep.delimiter);
    CsvRecord rec;
    if (!reader.next(rec)) {
        res.error = opt.fileName + ": no header row found";
        return res;
    }
    for (auto h : rec.fields) rep.header.emplace_back(trim(h));

    // Map canonical fields to source columns: explicit mapping first, then by normalised name.
    std::unordered_map<std::string, int> byNorm;
    for (std::size_t i = 0; i < rep.header.size(); ++i) byNorm.emplace(normalizeHeader(rep.header[i]), static_cast<int>(i));
    std::vector<int> fieldOfColumn(rep.header.size(), -1);
    for (const FieldSpec& f : fieldsOf(opt.kind)) {
        FieldMapping m{std::string(f.name), "", -1, f.type, false};
        for (const auto& [field, header] : opt.mapping) {
            if (field != f.name) continue;
            for (std::size_t i = 0; i < rep.header.size(); ++i)
                if (rep.header[i] == header) m.sourceColumn = static_cast<int>(i);
            if (m.sourceColumn < 0) {
                res.error = opt.fileName + ": mapping " + field + "=" + header + " names a column that is not in the header";
                return res;
            }
        }
        if (m.sourceColumn < 0) {
            if (auto it = byNorm.find(normalizeHeader(f.name)); it != byNorm.end() && fieldOfColumn[static_cast<std::size_t>(it->second)] < 0)
                m.sourceColumn = it->second;
        }
        if (m.sourceColumn >= 0) {
            m.header = rep.header[static_cast<std::size_t>(m.sourceColumn)];
            fieldOfColumn[static_cast<std::size_t>(m.sourceColumn)] = static_cast<int>(rep.mapping.size());
        } else if (f.required) {
            res.error = opt.fileName + ": required column '" + std::string(f.name) + "' (" + std::string(f.label) +
                        ") was not found in the header";
            return res;
        }
        rep.mapping.push_back(std::move(m));
    }
    for (std::size_t i = 0; i < rep.header.size(); ++i) {
        if (fieldOfColumn[i] >= 0 || rep.header[i].empty()) continue;
        fieldOfColumn[i] = static_cast<int>(rep.mapping.size());
        rep.mapping.push_back({rep.header[i], rep.header[i], static_cast<int>(i), ColumnType::String, true});
    }
    std::vector<Column*> cols;
    for (const FieldMapping& m : rep.mapping) cols.push_back(m.sourceColumn >= 0 || !m.extra ? &res.table.addColumn(m.field, m.type) : nullptr);

    StringPool& sp = res.table.pool();
    std::size_t row = 0;
    while (reader.next(rec)) {
        ++rep.rowsRead;
        auto reject = [&](std::string column, std::string raw, std::string expected) {
            RejectedRow r{rec.line, rep.rowsRead, std::move(column), std::move(raw), std::move(expected), {}};
            for (auto f : rec.fields) r.fields.emplace_back(f);
            rep.rejects.push_back(std::move(r));
            ++rep.rowsRejected;
        };
        if (rec.unterminatedQuote) {
            reject("", "", "a closing quote before the end of the file");
            continue;
        }
        if (rec.fields.size() > rep.header.size()) {
            bool extraEmpty = true;
            for (std::size_t i = rep.header.size(); i < rec.fields.size(); ++i) extraEmpty &= trim(rec.fields[i]).empty();
            if (!extraEmpty) {
                reject("", "", std::to_string(rep.header.size()) + " fields as in the header, found " + std::to_string(rec.fields.size()));
                continue;
            }
        }
        res.table.resize(row + 1);
        bool ok = true;
        for (std::size_t mi = 0; mi < rep.mapping.size() && ok; ++mi) {
            const FieldMapping& m = rep.mapping[mi];
            if (m.sourceColumn < 0) continue;
            const auto sc = static_cast<std::size_t>(m.sourceColumn);
            const std::string_view raw = sc < rec.fields.size() ? rec.fields[sc] : std::string_view{};
            if (!storeCell(*cols[mi], row, raw, opt.dateOrder, sp)) {
                reject(m.header, std::string(raw), expectedText(m.type));
                ok = false;
            } else if (!m.extra) {
                const FieldSpec* spec = findField(opt.kind, m.field);
                if (spec && spec->required && trim(raw).empty()) {
                    reject(m.header, std::string(raw), "a value (this column is required)");
                    ok = false;
                }
            }
        }
        if (!ok) {
            res.table.resize(row);
            continue;
        }
        ++row;
        ++rep.rowsAccepted;
    }
    const std::string_view idField = idFieldOf(opt.kind);
    if (!idField.empty()) {
        res.table.buildIndex(res.table.indexOf(idField));
        if (res.table.duplicateIds() > 0)
            rep.warnings.push_back(std::to_string(res.table.duplicateIds()) + " duplicate " + std::string(idField) + " values");
    }
    res.ok = true;
    return res;
}

std::string rejectsToCsv(const ImportReport& report) {
    std::string out;
    CsvWriter w(out);
    for (const auto& h : report.header) w.field(h);
    w.field("_line").field("_reason");
    w.endRow();
    for (const RejectedRow& r : report.rejects) {
        for (std::size_t i = 0; i < report.header.size(); ++i) w.field(i < r.fields.size() ? r.fields[i] : std::string());
        w.field(static_cast<long long>(r.line));
        std::string reason = r.column.empty() ? "expected " + r.expected
                                              : "column '" + r.column + "': '" + r.raw + "' is not " + r.expected;
        w.field(reason);
        w.endRow();
    }
    return out;
}

} // namespace terrane
