// Columnar tables: typed columns over a shared string pool.
//
// Index
//  [SECTION] StringPool   interned strings, id 0 is the empty string
//  [SECTION] Column       one typed column; nulls are sentinels (NaN, INT64_MIN, 2, string id 0)
//  [SECTION] Table        named columns of equal length, id lookup
#pragma once

#include "core/base/types.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace terrane {

enum class ColumnType : std::uint8_t { F64, I64, Money, Date, Bool, String };
const char* columnTypeName(ColumnType t);
bool parseColumnType(std::string_view name, ColumnType& out);
inline bool isNumericType(ColumnType t) {
    return t == ColumnType::F64 || t == ColumnType::I64 || t == ColumnType::Money;
}

inline constexpr std::int64_t kI64Null = std::numeric_limits<std::int64_t>::min();
inline constexpr std::uint8_t kBoolNull = 2;

// [SECTION] StringPool
// Strings live in append-only chunks so views stay valid; interning is O(1) average through an
// open-addressing index (ids are handed out in order of first appearance).
class StringPool {
  public:
    StringPool();
    StringPool(const StringPool&) = delete;
    StringPool& operator=(const StringPool&) = delete;

    std::uint32_t intern(std::string_view s);
    // The same with hashOf(s) computed by the caller (after prefetch(), to overlap cache misses).
    std::uint32_t intern(std::string_view s, std::uint64_t hash);
    static std::uint64_t hashOf(std::string_view s) { return hash(s); }
    // Lookups of many strings overlap their cache misses in steps: prefetch(hash) of each, then
    // prefetchString(hash) of each (reads the slot, fetches the string a match would compare).
    void prefetch(std::uint64_t hash) const { __builtin_prefetch(&m_slots[(hash >> 32) & (m_slots.size() - 1)]); }
    void prefetchString(std::uint64_t hash) const {
        const Slot& slot = m_slots[(hash >> 32) & (m_slots.size() - 1)];
        if ((slot.key >> 32) == (hash >> 32) && slot.key != 0)
            __builtin_prefetch(slot.text - sizeof(std::uint32_t));
    }
    std::optional<std::uint32_t> find(std::string_view s) const;
    std::string_view view(std::uint32_t id) const { return m_views[id]; }
    std::size_t size() const { return m_views.size(); }
    std::size_t bytes() const { return m_bytes; }
    // Makes room for `more` new strings without rehashing.
    void reserve(std::size_t more);

  private:
    // Open addressing, power-of-two size. Keeping the hash in the slot means a probe touches the
    // string only on a likely match, and the string's address means it touches nothing else.
    struct Slot {
        std::uint64_t key = 0;      // (hash high 32 bits << 32) | (id + 1); 0 when empty
        const char* text = nullptr; // the bytes in a chunk, after their length (uint32, unaligned)
    };
    static std::uint64_t hash(std::string_view s);
    void grow(std::size_t slots);
    bool slotHolds(const Slot& slot, std::string_view s) const;

    // Chunks hold each string as its length (uint32) and its bytes.
    std::vector<std::unique_ptr<char[]>> m_chunks;
    std::size_t m_chunkUsed = 0;
    std::size_t m_chunkCap = 0;
    std::size_t m_bytes = 0;
    std::vector<std::string_view> m_views;
    std::vector<Slot> m_slots;
};

// 64-bit multiply-mix over 8-byte little-endian words, the last one zero-extended, finished with
// a murmur mix. Inline and free of library calls: the import hashes most text cells.
inline std::uint64_t StringPool::hash(std::string_view s) {
    const char* p = s.data();
    std::size_t n = s.size();
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full);
    const bool atLeastWord = n >= 8;
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ (w * 0x87C37B91114253D5ull)) * 0x4CF5AD432745937Full;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        // The n (1..7) bytes left, as memcpy into a zeroed word would give them, without reading
        // outside the string.
        std::uint64_t w;
        if (atLeastWord) {
            std::memcpy(&w, p + n - 8, 8);
            w >>= (8 - n) * 8;
        } else if (n >= 4) {
            std::uint32_t lo, hi;
            std::memcpy(&lo, p, 4);
            std::memcpy(&hi, p + n - 4, 4);
            w = lo | (std::uint64_t{hi} << ((n - 4) * 8));
        } else {
            const auto b = [p](std::size_t i) { return std::uint64_t{static_cast<unsigned char>(p[i])}; };
            w = b(0) | (b(n / 2) << (n / 2 * 8)) | (b(n - 1) << ((n - 1) * 8));
        }
        h = (h ^ (w * 0x87C37B91114253D5ull)) * 0x4CF5AD432745937Full;
    }
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h;
}

// [SECTION] Column
class Column {
  public:
    Column(std::string name, ColumnType type) : m_name(std::move(name)), m_type(type) {}

    const std::string& name() const { return m_name; }
    ColumnType type() const { return m_type; }
    std::size_t size() const;
    void resize(std::size_t n); // new cells are null
    void reserve(std::size_t n);

    // Typed storage. F64 -> f64(); I64, Money, Date -> i64(); Bool -> u8(); String -> ids().
    std::vector<double>& f64() { return m_f64; }
    const std::vector<double>& f64() const { return m_f64; }
    std::vector<std::int64_t>& i64() { return m_i64; }
    const std::vector<std::int64_t>& i64() const { return m_i64; }
    std::vector<std::uint8_t>& u8() { return m_u8; }
    const std::vector<std::uint8_t>& u8() const { return m_u8; }
    std::vector<std::uint32_t>& ids() { return m_ids; }
    const std::vector<std::uint32_t>& ids() const { return m_ids; }

    bool isNull(std::size_t row) const;
    // Numeric view of a cell: F64 as is, I64/Date as integer, Money in major units, Bool 0/1;
    // NaN for null or String.
    double number(std::size_t row) const;
    // The cell as CSV text ("" for null): money "1234.56", dates ISO, bools "true"/"false".
    std::string format(std::size_t row, const StringPool& pool) const;

  private:
    std::string m_name;
    ColumnType m_type;
    std::vector<double> m_f64;
    std::vector<std::int64_t> m_i64;
    std::vector<std::uint8_t> m_u8;
    std::vector<std::uint32_t> m_ids;
};

// [SECTION] Table
class Table {
  public:
    explicit Table(std::shared_ptr<StringPool> pool = nullptr);

    std::size_t rows() const { return m_rows; }
    std::size_t columnCount() const { return m_cols.size(); }
    // Adds a column (filled with nulls for existing rows); returns the existing one if the
    // name is taken with the same type. Throws std::invalid_argument on a type clash.
    Column& addColumn(std::string_view name, ColumnType type);
    Column& column(std::size_t i) { return m_cols[i]; }
    const Column& column(std::size_t i) const { return m_cols[i]; }
    Column* find(std::string_view name);
    const Column* find(std::string_view name) const;
    int indexOf(std::string_view name) const; // -1 when absent
    void resize(std::size_t rows);
    void reserve(std::size_t rows);
    void clear(); // drops rows and columns, keeps the pool

    StringPool& pool() { return *m_pool; }
    const StringPool& pool() const { return *m_pool; }
    const std::shared_ptr<StringPool>& sharedPool() const { return m_pool; }

    // Cell helpers by column index; callers holding hot loops should use the typed vectors.
    std::string_view str(int col, std::size_t row) const;
    double f64(int col, std::size_t row) const;
    std::int64_t i64(int col, std::size_t row) const;
    bool flag(int col, std::size_t row) const; // null reads as false

    // Row lookup by the string id column `col`; rebuilt by buildIndex(). Duplicate ids keep the
    // first row; duplicateIds() counts the rest.
    void buildIndex(int col);
    std::optional<std::size_t> rowOf(std::string_view id) const;
    std::optional<std::size_t> rowOfStringId(std::uint32_t stringId) const;
    std::size_t duplicateIds() const { return m_duplicates; }

  private:
    std::shared_ptr<StringPool> m_pool;
    std::deque<Column> m_cols; // deque: references stay valid as columns are added
    std::unordered_map<std::string, std::size_t> m_byName;
    std::size_t m_rows = 0;
    int m_indexCol = -1;
    // Open addressing: (string id + 1, row) pairs, power-of-two size, empty key 0.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_index;
    std::size_t m_duplicates = 0;
};

} // namespace terrane
