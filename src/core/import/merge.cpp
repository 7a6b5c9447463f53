#include "core/import/merge.hpp"

#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace terrane {

const char* importModeName(ImportMode m) {
    switch (m) {
    case ImportMode::Replace: return "replace";
    case ImportMode::Add: return "add";
    case ImportMode::UpdateById: return "update";
    }
    return "replace";
}

bool parseImportMode(std::string_view name, ImportMode& out) {
    for (ImportMode m : {ImportMode::Replace, ImportMode::Add, ImportMode::UpdateById})
        if (name == importModeName(m)) return out = m, true;
    return false;
}

bool canUpdateById(DatasetKind kind) { return !idFieldOf(kind).empty(); }

namespace {

// The key a row is matched by: its id, or for products without one, its name.
std::string_view rowKey(const Table& t, DatasetKind kind, std::size_t row) {
    const Column* id = t.find(idFieldOf(kind));
    if (id && id->type() == ColumnType::String && id->ids()[row]) return t.pool().view(id->ids()[row]);
    if (kind == DatasetKind::Products)
        if (const Column* n = t.find("name"); n && n->type() == ColumnType::String && n->ids()[row]) return t.pool().view(n->ids()[row]);
    return {};
}

// Existing rows by key (the first row of a repeated key).
std::unordered_map<std::string_view, std::size_t> keyIndex(const Table& t, DatasetKind kind) {
    std::unordered_map<std::string_view, std::size_t> idx;
    idx.reserve(t.rows());
    for (std::size_t r = 0; r < t.rows(); ++r)
        if (const auto k = rowKey(t, kind, r); !k.empty()) idx.try_emplace(k, r);
    return idx;
}

void copyCell(Column& dst, std::size_t dr, const Column& src, std::size_t sr, const StringPool& from, StringPool& to, bool samePool) {
    switch (src.type()) {
    case ColumnType::F64: dst.f64()[dr] = src.f64()[sr]; break;
    case ColumnType::I64:
    case ColumnType::Money:
    case ColumnType::Date: dst.i64()[dr] = src.i64()[sr]; break;
    case ColumnType::Bool: dst.u8()[dr] = src.u8()[sr]; break;
    case ColumnType::String: dst.ids()[dr] = samePool ? src.ids()[sr] : to.intern(from.view(src.ids()[sr])); break;
    }
}

} // namespace

MergeCounts mergeCounts(const Table& existing, const Table& incoming, DatasetKind kind, ImportMode mode) {
    MergeCounts c;
    c.before = existing.rows();
    c.incoming = incoming.rows();
    switch (mode) {
    case ImportMode::Replace:
        c.removed = c.before;
        c.added = c.incoming;
        c.after = c.incoming;
        break;
    case ImportMode::Add:
        c.added = c.incoming;
        c.after = c.before + c.incoming;
        break;
    case ImportMode::UpdateById: {
        if (!canUpdateById(kind)) throw std::invalid_argument(std::string(datasetKindName(kind)) + " have no id to update by");
        const auto idx = keyIndex(existing, kind);
        for (std::size_t r = 0; r < incoming.rows(); ++r) {
            const auto k = rowKey(incoming, kind, r);
            if (!k.empty() && idx.count(k)) ++c.updated;
            else ++c.added;
        }
        c.after = c.before + c.added;
        break;
    }
    }
    return c;
}

MergeCounts mergeTables(Table& existing, const Table& incoming, DatasetKind kind, ImportMode mode) {
    const MergeCounts c = mergeCounts(existing, incoming, kind, mode);
    if (mode == ImportMode::Replace) {
        if (incoming.sharedPool() == existing.sharedPool()) {
            existing = incoming;
            return c;
        }
        Table fresh(existing.sharedPool());
        existing = std::move(fresh);
    }
    // Columns of the new file the dataset lacks (extra text columns), with the same types.
    for (std::size_t ci = 0; ci < incoming.columnCount(); ++ci) {
        const Column& src = incoming.column(ci);
        if (const Column* have = existing.find(src.name()); have && have->type() != src.type())
            throw std::invalid_argument("column '" + src.name() + "' holds " + columnTypeName(have->type()) + " in " + datasetKindName(kind) +
                                        " but " + columnTypeName(src.type()) + " in the new file");
        existing.addColumn(src.name(), src.type());
    }
    const bool samePool = incoming.sharedPool() == existing.sharedPool();
    const StringPool& from = incoming.pool();
    StringPool& to = existing.pool();
    std::unordered_map<std::string_view, std::size_t> idx;
    if (mode == ImportMode::UpdateById) idx = keyIndex(existing, kind);
    std::vector<Column*> dst(incoming.columnCount());
    for (std::size_t ci = 0; ci < incoming.columnCount(); ++ci) dst[ci] = existing.find(incoming.column(ci).name());
    std::size_t next = existing.rows();
    existing.resize(existing.rows() + c.added);
    for (std::size_t r = 0; r < incoming.rows(); ++r) {
        std::size_t target = next;
        bool update = false;
        if (mode == ImportMode::UpdateById) {
            const auto k = rowKey(incoming, kind, r);
            if (auto it = k.empty() ? idx.end() : idx.find(k); it != idx.end()) target = it->second, update = true;
        }
        if (!update) ++next;
        for (std::size_t ci = 0; ci < incoming.columnCount(); ++ci) {
            const Column& src = incoming.column(ci);
            if (update && src.isNull(r)) continue; // an update keeps what the new file leaves empty
            copyCell(*dst[ci], target, src, r, from, to, samePool);
        }
    }
    return c;
}

} // namespace terrane
