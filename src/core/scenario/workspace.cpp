#include "core/scenario/workspace.hpp"

#include <algorithm>

namespace terrane {

Workspace::Workspace() : pool(std::make_shared<StringPool>()) {
    for (auto& t : tables) t = Table(pool);
    ensureSchemas();
    rebuildBaseline();
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
    Scenario base;
    base.name = "Baseline";
    base.origin = "baseline";
    base.territories = makeScenarioTerritories(ter);
    base.assignment.assign(acc.rows(), -1);
    base.locked.assign(acc.rows(), 0);
    const Column& accLocked = *acc.find("locked");
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        const std::uint32_t sid = accTer.ids()[r];
        if (auto row = ter.rowOfStringId(sid)) base.assignment[r] = static_cast<std::int32_t>(*row);
        base.locked[r] = accLocked.u8()[r] == 1 ? 1 : 0;
    }
    scenarios.clear();
    scenarios.push_back(std::move(base));
    activeScenario = 0;
    rebuildIndexes();
}


std::size_t Workspace::addScenarioCopy(std::size_t from, std::string name) {
    const Scenario& src = scenarios.at(from);
    Scenario sc;
    sc.name = std::move(name);
    sc.seed = src.seed;
    sc.origin = "copy of " + src.name;
    sc.territories = src.territories;
    sc.territories.buildIndex(sc.territories.indexOf("territory_id"));
    sc.assignment = src.assignment;
    sc.locked = src.locked;
    sc.quota = src.quota;
    sc.capacity = src.capacity;
    sc.comp = src.comp;
    scenarios.push_back(std::move(sc));
    return scenarios.size() - 1;
}

bool Workspace::suppliedField(DatasetKind kind, std::string_view field) const {
    bool fromFile = false;
    for (const SourceFile& s : sources) {
        if (s.kind != kind) continue;
        if (std::find(s.fields.begin(), s.fields.end(), field) != s.fields.end()) return true;
        fromFile = true;
    }
    return !fromFile && table(kind).find(field) != nullptr;
}

std::string Workspace::freshScenarioName(std::string_view stem) const {
    for (int i = 1;; ++i) {
        std::string n = std::string(stem) + " " + std::to_string(i);
        bool used = false;
        for (const Scenario& s : scenarios) used |= s.name == n;
        if (!used) return n;
    }
}

} // namespace terrane
