#include "core/table.hpp"

#include "core/text.hpp"

#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace terrane {

const char* columnTypeName(ColumnType t) {
    switch (t) {
    case ColumnType::F64: return "number";
    case ColumnType::I64: return "integer";
    case ColumnType::Money: return "money";
    case ColumnType::Date: return "date";
    case ColumnType::Bool: return "bool";
    case ColumnType::String: return "text";
    }
    return "?";
}

bool parseColumnType(std::string_view name, ColumnType& out) {
    static constexpr ColumnType kAll[] = {ColumnType::F64,  ColumnType::I64,  ColumnType::Money,
                                          ColumnType::Date, ColumnType::Bool, ColumnType::String};
    for (ColumnType t : kAll) {
        if (name == columnTypeName(t)) {
            out = t;
            return true;
        }
    }
    return false;
}

// [SECTION] StringPool
StringPool::StringPool() {
    m_views.emplace_back();
    m_index.emplace(std::string_view{}, 0u);
}

std::uint32_t StringPool::intern(std::string_view s) {
    if (auto it = m_index.find(s); it != m_index.end()) return it->second;
    if (m_chunkUsed + s.size() > m_chunkCap) {
        const std::size_t cap = s.size() > (1u << 20) ? s.size() : (1u << 20);
        m_chunks.emplace_back(new char[cap]);
        m_chunkCap = cap;
        m_chunkUsed = 0;
    }
    char* dst = m_chunks.back().get() + m_chunkUsed;
    if (!s.empty()) std::memcpy(dst, s.data(), s.size());
    m_chunkUsed += s.size();
    m_bytes += s.size();
    const std::string_view stored(dst, s.size());
    const auto id = static_cast<std::uint32_t>(m_views.size());
    m_views.push_back(stored);
    m_index.emplace(stored, id);
    return id;
}

std::optional<std::uint32_t> StringPool::find(std::string_view s) const {
    if (auto it = m_index.find(s); it != m_index.end()) return it->second;
    return std::nullopt;
}

// [SECTION] Column
std::size_t Column::size() const {
    switch (m_type) {
    case ColumnType::F64: return m_f64.size();
    case ColumnType::I64:
    case ColumnType::Money:
    case ColumnType::Date: return m_i64.size();
    case ColumnType::Bool: return m_u8.size();
    case ColumnType::String: return m_ids.size();
    }
    return 0;
}

void Column::resize(std::size_t n) {
    switch (m_type) {
    case ColumnType::F64: m_f64.resize(n, std::nan("")); break;
    case ColumnType::I64:
    case ColumnType::Money:
    case ColumnType::Date: m_i64.resize(n, kI64Null); break;
    case ColumnType::Bool: m_u8.resize(n, kBoolNull); break;
    case ColumnType::String: m_ids.resize(n, 0u); break;
    }
}

void Column::reserve(std::size_t n) {
    switch (m_type) {
    case ColumnType::F64: m_f64.reserve(n); break;
    case ColumnType::I64:
    case ColumnType::Money:
    case ColumnType::Date: m_i64.reserve(n); break;
    case ColumnType::Bool: m_u8.reserve(n); break;
    case ColumnType::String: m_ids.reserve(n); break;
    }
}

bool Column::isNull(std::size_t row) const {
    switch (m_type) {
    case ColumnType::F64: return std::isnan(m_f64[row]);
    case ColumnType::I64:
    case ColumnType::Money:
    case ColumnType::Date: return m_i64[row] == kI64Null;
    case ColumnType::Bool: return m_u8[row] == kBoolNull;
    case ColumnType::String: return m_ids[row] == 0u;
    }
    return true;
}

double Column::number(std::size_t row) const {
    if (isNull(row)) return std::nan("");
    switch (m_type) {
    case ColumnType::F64: return m_f64[row];
    case ColumnType::I64:
    case ColumnType::Date: return static_cast<double>(m_i64[row]);
    case ColumnType::Money: return static_cast<double>(m_i64[row]) / 100.0;
    case ColumnType::Bool: return m_u8[row] ? 1.0 : 0.0;
    case ColumnType::String: return std::nan("");
    }
    return std::nan("");
}

std::string Column::format(std::size_t row, const StringPool& pool) const {
    if (isNull(row)) return {};
    switch (m_type) {
    case ColumnType::F64: return formatDouble(m_f64[row]);
    case ColumnType::I64: return std::to_string(m_i64[row]);
    case ColumnType::Money: return formatMoney(m_i64[row]);
    case ColumnType::Date: return formatDate(static_cast<Date>(m_i64[row]));
    case ColumnType::Bool: return m_u8[row] ? "true" : "false";
    case ColumnType::String: return std::string(pool.view(m_ids[row]));
    }
    return {};
}

// [SECTION] Table
Table::Table(std::shared_ptr<StringPool> pool) : m_pool(pool ? std::move(pool) : std::make_shared<StringPool>()) {}

Column& Table::addColumn(std::string_view name, ColumnType type) {
    if (auto it = m_byName.find(std::string(name)); it != m_byName.end()) {
        Column& c = m_cols[it->second];
        if (c.type() != type)
            throw std::invalid_argument("column '" + std::string(name) + "' exists with type " + columnTypeName(c.type()));
        return c;
    }
    m_cols.emplace_back(std::string(name), type);
    m_cols.back().resize(m_rows);
    m_byName.emplace(std::string(name), m_cols.size() - 1);
    return m_cols.back();
}

Column* Table::find(std::string_view name) {
    auto it = m_byName.find(std::string(name));
    return it == m_byName.end() ? nullptr : &m_cols[it->second];
}

const Column* Table::find(std::string_view name) const {
    auto it = m_byName.find(std::string(name));
    return it == m_byName.end() ? nullptr : &m_cols[it->second];
}

int Table::indexOf(std::string_view name) const {
    auto it = m_byName.find(std::string(name));
    return it == m_byName.end() ? -1 : static_cast<int>(it->second);
}

void Table::resize(std::size_t rows) {
    for (Column& c : m_cols) c.resize(rows);
    m_rows = rows;
}

void Table::reserve(std::size_t rows) {
    for (Column& c : m_cols) c.reserve(rows);
}

void Table::clear() {
    m_cols.clear();
    m_byName.clear();
    m_rows = 0;
    m_index.clear();
    m_indexCol = -1;
    m_duplicates = 0;
}

std::string_view Table::str(int col, std::size_t row) const {
    if (col < 0) return {};
    const Column& c = m_cols[static_cast<std::size_t>(col)];
    return c.type() == ColumnType::String ? m_pool->view(c.ids()[row]) : std::string_view{};
}

double Table::f64(int col, std::size_t row) const {
    return col < 0 ? std::nan("") : m_cols[static_cast<std::size_t>(col)].number(row);
}

std::int64_t Table::i64(int col, std::size_t row) const {
    if (col < 0) return kI64Null;
    const Column& c = m_cols[static_cast<std::size_t>(col)];
    switch (c.type()) {
    case ColumnType::I64:
    case ColumnType::Money:
    case ColumnType::Date: return c.i64()[row];
    default: return kI64Null;
    }
}

bool Table::flag(int col, std::size_t row) const {
    if (col < 0) return false;
    const Column& c = m_cols[static_cast<std::size_t>(col)];
    return c.type() == ColumnType::Bool && c.u8()[row] == 1;
}

void Table::buildIndex(int col) {
    m_index.clear();
    m_duplicates = 0;
    m_indexCol = col;
    if (col < 0 || m_cols[static_cast<std::size_t>(col)].type() != ColumnType::String) return;
    const auto& ids = m_cols[static_cast<std::size_t>(col)].ids();
    m_index.reserve(ids.size());
    for (std::size_t r = 0; r < ids.size(); ++r) {
        if (ids[r] == 0) continue;
        if (!m_index.emplace(ids[r], static_cast<std::uint32_t>(r)).second) ++m_duplicates;
    }
}

std::optional<std::size_t> Table::rowOf(std::string_view id) const {
    auto sid = m_pool->find(id);
    if (!sid) return std::nullopt;
    return rowOfStringId(*sid);
}

std::optional<std::size_t> Table::rowOfStringId(std::uint32_t stringId) const {
    auto it = m_index.find(stringId);
    if (it == m_index.end()) return std::nullopt;
    return it->second;
}

} // namespace terrane
