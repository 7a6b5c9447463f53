#include "core/data/filter.hpp"

#include "core/base/text.hpp"
#include "core/data/values.hpp"

#include <cmath>

namespace terrane {

const char* filterOpLabel(FilterOp op) {
    switch (op) {
    case FilterOp::Equals: return "equals";
    case FilterOp::NotEquals: return "does not equal";
    case FilterOp::Contains: return "contains";
    case FilterOp::OneOf: return "is one of";
    case FilterOp::IsEmpty: return "is empty";
    case FilterOp::NotEmpty: return "is not empty";
    case FilterOp::Greater: return ">";
    case FilterOp::GreaterEq: return ">=";
    case FilterOp::Less: return "<";
    case FilterOp::LessEq: return "<=";
    case FilterOp::Between: return "between";
    case FilterOp::IsTrue: return "is true";
    case FilterOp::IsFalse: return "is false";
    }
    return "?";
}

std::vector<FilterOp> filterOpsFor(ColumnType t) {
    switch (t) {
    case ColumnType::String:
        return {FilterOp::Equals, FilterOp::NotEquals, FilterOp::Contains, FilterOp::OneOf, FilterOp::IsEmpty, FilterOp::NotEmpty};
    case ColumnType::Bool: return {FilterOp::IsTrue, FilterOp::IsFalse, FilterOp::IsEmpty};
    default:
        return {FilterOp::Equals, FilterOp::Greater, FilterOp::GreaterEq, FilterOp::Less, FilterOp::LessEq, FilterOp::Between,
                FilterOp::IsEmpty, FilterOp::NotEmpty};
    }
}

namespace {
// A filter value as the column's numeric representation (money in minor units, dates in days).
bool numericValue(ColumnType t, const std::string& text, double& out) {
    switch (t) {
    case ColumnType::Money: {
        Money m = 0;
        if (!parseMoneyText(text, m)) return false;
        out = static_cast<double>(m);
        return true;
    }
    case ColumnType::Date: {
        Date d = 0;
        if (!parseDateText(text, DateOrder::Auto, d)) return false;
        out = d;
        return true;
    }
    default: return parseNumberText(text, out);
    }
}

double cellNumber(const Column& c, std::size_t r) {
    if (c.isNull(r)) return std::nan("");
    switch (c.type()) {
    case ColumnType::F64: return c.f64()[r];
    case ColumnType::I64:
    case ColumnType::Money:
    case ColumnType::Date: return static_cast<double>(c.i64()[r]);
    case ColumnType::Bool: return c.u8()[r];
    case ColumnType::String: return std::nan("");
    }
    return std::nan("");
}
} // namespace

bool filterRows(const Table& t, const RowFilter& f, std::vector<std::uint32_t>& out, std::string& error) {
    out.clear();
    const Column* c = t.find(f.column);
    if (!c) {
        error = "no column '" + f.column + "'";
        return false;
    }
    const std::size_t n = t.rows();
    if (f.op == FilterOp::IsEmpty || f.op == FilterOp::NotEmpty) {
        for (std::size_t r = 0; r < n; ++r)
            if (c->isNull(r) == (f.op == FilterOp::IsEmpty)) out.push_back(static_cast<std::uint32_t>(r));
        return true;
    }
    if (c->type() == ColumnType::Bool) {
        if (f.op != FilterOp::IsTrue && f.op != FilterOp::IsFalse) {
            error = "a true/false column takes 'is true' or 'is false'";
            return false;
        }
        const std::uint8_t want = f.op == FilterOp::IsTrue ? 1 : 0;
        for (std::size_t r = 0; r < n; ++r)
            if (c->u8()[r] == want) out.push_back(static_cast<std::uint32_t>(r));
        return true;
    }
    if (c->type() == ColumnType::String) {
        const StringPool& pool = t.pool();
        const std::string v = toLower(trim(f.value));
        std::vector<std::string> list;
        if (f.op == FilterOp::OneOf) {
            std::vector<std::string_view> parts;
            splitInto(f.value, ',', parts);
            for (auto p : parts)
                if (!trim(p).empty()) list.push_back(toLower(trim(p)));
        }
        // Decide per distinct string once, then test rows by id.
        std::vector<std::int8_t> verdict(pool.size(), -1);
        for (std::size_t r = 0; r < n; ++r) {
            const std::uint32_t id = c->ids()[r];
            std::int8_t& d = verdict[id];
            if (d < 0) {
                const std::string s = toLower(pool.view(id));
                bool m = false;
                switch (f.op) {
                case FilterOp::Equals: m = s == v; break;
                case FilterOp::NotEquals: m = s != v; break;
                case FilterOp::Contains: m = s.find(v) != std::string::npos; break;
                case FilterOp::OneOf:
                    for (const auto& x : list) m |= s == x;
                    break;
                default:
                    error = std::string("a text column does not take '") + filterOpLabel(f.op) + "'";
                    return false;
                }
                d = m ? 1 : 0;
            }
            if (d) out.push_back(static_cast<std::uint32_t>(r));
        }
        return true;
    }
    double a = 0, b = 0;
    if (!numericValue(c->type(), f.value, a)) {
        error = "'" + f.value + "' is not a " + columnTypeName(c->type()) + " value";
        return false;
    }
    if (f.op == FilterOp::Between && !numericValue(c->type(), f.value2, b)) {
        error = "'" + f.value2 + "' is not a " + columnTypeName(c->type()) + " value";
        return false;
    }
    for (std::size_t r = 0; r < n; ++r) {
        const double x = cellNumber(*c, r);
        if (std::isnan(x)) continue;
        bool m = false;
        switch (f.op) {
        case FilterOp::Equals: m = x == a; break;
        case FilterOp::NotEquals: m = x != a; break;
        case FilterOp::Greater: m = x > a; break;
        case FilterOp::GreaterEq: m = x >= a; break;
        case FilterOp::Less: m = x < a; break;
        case FilterOp::LessEq: m = x <= a; break;
        case FilterOp::Between: m = x >= std::min(a, b) && x <= std::max(a, b); break;
        default:
            error = std::string("a number column does not take '") + filterOpLabel(f.op) + "'";
            return false;
        }
        if (m) out.push_back(static_cast<std::uint32_t>(r));
    }
    return true;
}

} // namespace terrane
