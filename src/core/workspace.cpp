#include "core/workspace.hpp"

namespace terrane {

Workspace::Workspace() : pool(std::make_shared<StringPool>()) {
    for (auto& t : tables) t = Table(pool);
    ensureSchemas();
    scenarios.push_back(Scenario{"Baseline", 1, {}});
}

void Workspace::ensureSchemas() {
    for (int k = 0; k < kDatasetKindCount; ++k) {
        Table& t = tables[static_cast<std::size_t>(k)];
        for (const FieldSpec& f : fieldsOf(static_cast<DatasetKind>(k))) t.addColumn(f.name, f.type);
    }
}

void Workspace::rebuildIndexes() {
    for (int k = 0; k < kDatasetKindCount; ++k) {
        const auto kind = static_cast<DatasetKind>(k);
        Table& t = table(kind);
        const std::string_view id = idFieldOf(kind);
        if (!id.empty()) t.buildIndex(t.indexOf(id));
    }
}

std::vector<std::int32_t> Workspace::leafTerritories() const {
    const Table& t = territories();
    const int level = t.indexOf("level");
    std::vector<std::int32_t> out;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const std::string_view lv = t.str(level, r);
        if (lv.empty() || lv == "territory") out.push_back(static_cast<std::int32_t>(r));
    }
    return out;
}

void Workspace::rebuildBaseline() {
    ensureSchemas();
    Table& acc = accounts();
    Table& ter = territories();
    ter.buildIndex(ter.indexOf("territory_id"));
    const Column& accTer = *acc.find("territory");
    Column& terId = *ter.find("territory_id");
    Column& terLevel = *ter.find("level");
    // Territories named by accounts but not present become leaf territories.
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        const std::uint32_t sid = accTer.ids()[r];
        if (sid == 0 || ter.rowOfStringId(sid)) continue;
        const std::size_t row = ter.rows();
        ter.resize(row + 1);
        terId.ids()[row] = sid;
        terLevel.ids()[row] = pool->intern("territory");
        ter.find("name")->ids()[row] = sid;
        ter.buildIndex(ter.indexOf("territory_id"));
    }
    Scenario& base = scenarios.front();
    base.assignment.assign(acc.rows(), -1);
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        const std::uint32_t sid = accTer.ids()[r];
        if (auto row = ter.rowOfStringId(sid)) base.assignment[r] = static_cast<std::int32_t>(*row);
    }
    rebuildIndexes();
}

} // namespace terrane
