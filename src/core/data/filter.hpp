// Row filters over any column of a table (select-by-filter, data-table filters).
#pragma once

#include "core/data/table.hpp"

#include <string>
#include <vector>

namespace terrane {

enum class FilterOp : std::uint8_t { Equals, NotEquals, Contains, OneOf, IsEmpty, NotEmpty, Greater, GreaterEq, Less, LessEq, Between, IsTrue, IsFalse };
const char* filterOpLabel(FilterOp op); // "equals", "contains", ...
// The operators that make sense for a column type.
std::vector<FilterOp> filterOpsFor(ColumnType t);

struct RowFilter {
    std::string column;
    FilterOp op = FilterOp::Equals;
    std::string value, value2; // value2 for Between; OneOf takes a comma-separated list
};

// Rows of `t` that match. Text compares ignore case; numbers, money and dates are parsed from the
// values as the importer parses cells ("1.2M", "2025-03-31"). False with `error` for an unknown
// column or a value that does not fit the column's type.
bool filterRows(const Table& t, const RowFilter& f, std::vector<std::uint32_t>& out, std::string& error);

} // namespace terrane
