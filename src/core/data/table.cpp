// Columnar tables: interned strings, typed columns, rows found by id.
//
// Index
//  [SECTION] StringPool
//  [SECTION] Column
//  [SECTION] Table
#include "core/data/table.hpp"

#include "core/base/memory.hpp"
#include "core/base/text.hpp"

#include <algorithm>
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
namespace {
// Equality of short strings without a library call (most interned values are short).
inline bool sameBytes(const char* a, const char* b, std::size_t n) {
    if (n > 16) return std::memcmp(a, b, n) == 0;
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return false;
    return true;
}
constexpr std::uint32_t kLongString = 0xFFFFFFFFu; // length field of strings of 4 GiB and more
// The empty string's entry: a zero length with no bytes after it.
constexpr char kEmptyEntry[sizeof(std::uint32_t)] = {0, 0, 0, 0};
} // namespace

StringPool::StringPool() {
    m_views.emplace_back();
    grow(1024);
    const std::uint64_t h = hash({});
    m_slots[(h >> 32) & (m_slots.size() - 1)] =
        Slot{(h & 0xFFFFFFFF00000000ull) | 1u, kEmptyEntry + sizeof(std::uint32_t)};
}

void StringPool::grow(std::size_t slots) {
    std::size_t cap = 1024;
    while (cap < slots) cap <<= 1;
    std::vector<Slot> old = std::move(m_slots);
    m_slots = {};
    reserveLarge(m_slots, cap);
    m_slots.assign(cap, Slot{});
    const std::size_t mask = cap - 1;
    for (const Slot& slot : old) {
        if (!slot.key) continue;
        std::size_t i = (slot.key >> 32) & mask;
        while (m_slots[i].key != 0) i = (i + 1) & mask;
        m_slots[i] = slot;
    }
}

void StringPool::reserve(std::size_t more) {
    const std::size_t want = (m_views.size() + more) * 3 / 2;
    if (want > m_slots.size()) grow(want);
    reserveLarge(m_views, m_views.size() + more);
}

bool StringPool::slotHolds(const Slot& slot, std::string_view s) const {
    std::uint32_t len;
    std::memcpy(&len, slot.text - sizeof len, sizeof len);
    if (len == kLongString) return m_views[static_cast<std::uint32_t>(slot.key) - 1] == s;
    return len == s.size() && sameBytes(slot.text, s.data(), len);
}

std::uint32_t StringPool::intern(std::string_view s) { return intern(s, hash(s)); }

std::uint32_t StringPool::intern(std::string_view s, std::uint64_t h) {
    const std::uint64_t tag = h & 0xFFFFFFFF00000000ull;
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = (tag >> 32) & mask;
    while (const std::uint64_t key = m_slots[i].key) {
        if ((key & 0xFFFFFFFF00000000ull) == tag && slotHolds(m_slots[i], s))
            return static_cast<std::uint32_t>(key) - 1;
        i = (i + 1) & mask;
    }
    const std::size_t need = sizeof(std::uint32_t) + s.size();
    if (m_chunkUsed + need > m_chunkCap) {
        // Chunks grow with the pool (1 MB up to 32 MB) so big imports use few, large blocks.
        const std::size_t grown = std::min<std::size_t>(std::size_t{32} << 20, std::max<std::size_t>(std::size_t{1} << 20, m_bytes / 4));
        const std::size_t cap = std::max(need, grown);
        m_chunks.emplace_back(new char[cap]);
        adviseHugePages(m_chunks.back().get(), cap);
        m_chunkCap = cap;
        m_chunkUsed = 0;
    }
    char* entry = m_chunks.back().get() + m_chunkUsed;
    const std::uint32_t len = s.size() < kLongString ? static_cast<std::uint32_t>(s.size()) : kLongString;
    std::memcpy(entry, &len, sizeof len);
    char* dst = entry + sizeof len;
    if (!s.empty()) std::memcpy(dst, s.data(), s.size());
    m_chunkUsed += need;
    m_bytes += s.size();
    const auto id = static_cast<std::uint32_t>(m_views.size());
    m_views.emplace_back(dst, s.size());
    m_slots[i] = Slot{tag | (id + 1u), dst};
    if (m_views.size() * 3 > m_slots.size() * 2) grow(m_slots.size() * 2); // load factor 2/3
    return id;
}

std::optional<std::uint32_t> StringPool::find(std::string_view s) const {
    const std::uint64_t tag = hash(s) & 0xFFFFFFFF00000000ull;
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = (tag >> 32) & mask;
    while (const std::uint64_t key = m_slots[i].key) {
        if ((key & 0xFFFFFFFF00000000ull) == tag && slotHolds(m_slots[i], s))
            return static_cast<std::uint32_t>(key) - 1;
        i = (i + 1) & mask;
    }
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
    case ColumnType::F64: reserveLarge(m_f64, n); break;
    case ColumnType::I64:
    case ColumnType::Money:
    case ColumnType::Date: reserveLarge(m_i64, n); break;
    case ColumnType::Bool: reserveLarge(m_u8, n); break;
    case ColumnType::String: reserveLarge(m_ids, n); break;
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
    m_cols.back().reserve(m_rows);
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

namespace {
inline std::size_t idSlot(std::uint32_t id, std::size_t mask) {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}
} // namespace

void Table::buildIndex(int col) {
    m_index.clear();
    m_duplicates = 0;
    m_indexCol = col;
    if (col < 0 || m_cols[static_cast<std::size_t>(col)].type() != ColumnType::String) return;
    const auto& ids = m_cols[static_cast<std::size_t>(col)].ids();
    std::size_t cap = 16;
    while (cap < ids.size() * 2) cap <<= 1;
    reserveLarge(m_index, cap);
    m_index.assign(cap, {0u, 0u});
    const std::size_t mask = cap - 1;
    for (std::size_t r = 0; r < ids.size(); ++r) {
        // The slots are scattered over a table larger than the caches: fetch ahead.
        if (r + 16 < ids.size()) __builtin_prefetch(&m_index[idSlot(ids[r + 16], mask)]);
        const std::uint32_t id = ids[r];
        if (id == 0) continue;
        std::size_t i = idSlot(id, mask);
        for (;;) {
            auto& slot = m_index[i];
            if (slot.first == 0) {
                slot = {id + 1, static_cast<std::uint32_t>(r)};
                break;
            }
            if (slot.first == id + 1) {
                ++m_duplicates;
                break;
            }
            i = (i + 1) & mask;
        }
    }
}

std::optional<std::size_t> Table::rowOf(std::string_view id) const {
    auto sid = m_pool->find(id);
    if (!sid) return std::nullopt;
    return rowOfStringId(*sid);
}

std::optional<std::size_t> Table::rowOfStringId(std::uint32_t stringId) const {
    if (m_index.empty() || stringId == 0) return std::nullopt;
    const std::size_t mask = m_index.size() - 1;
    std::size_t i = idSlot(stringId, mask);
    for (;;) {
        const auto& slot = m_index[i];
        if (slot.first == 0) return std::nullopt;
        if (slot.first == stringId + 1) return slot.second;
        i = (i + 1) & mask;
    }
}

} // namespace terrane
