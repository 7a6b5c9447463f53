// Changes against the baseline: accounts, customers, ARR and potential that moved, per territory.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <algorithm>

namespace terrane {

void drawChangesPanel(App& app) {
    UiState& ui = app.ui();
    const PlanMetrics& pm = app.metrics();
    const Disruption& d = pm.disruption;
    const Workspace& ws = app.workspace();
    const std::string ref = ws.scenarios[ui.referenceScenario].name;
    if (ws.activeScenario == ui.referenceScenario) {
        ImGui::TextDisabled("%s is the reference: edit the plan (or open another scenario) to see changes here.", ref.c_str());
        return;
    }
    ImGui::TextDisabled("Against %s (right-click a scenario to compare against it)", ref.c_str());
    ImGui::Text("%s: %s accounts moved (%s)  |  %s customers (%s)  |  ARR %s (%s)  |  potential %s (%s)  |  %s change owner",
                ws.active().name.c_str(), fmt::count(d.accountsMoved).c_str(), fmt::percent(d.accountsMovedShare).c_str(),
                fmt::count(d.customersMoved).c_str(), fmt::percent(d.customersMovedShare).c_str(),
                fmt::moneyCompact(static_cast<Money>(d.arrMoved)).c_str(), fmt::percent(d.arrMovedShare).c_str(),
                fmt::moneyCompact(static_cast<Money>(d.potentialMoved)).c_str(), fmt::percent(d.potentialMovedShare).c_str(),
                fmt::count(d.ownerChanged).c_str());
    if (ImGui::Checkbox("Highlight moved accounts on the map", &ui.layers.changesOnly)) app.refreshMap();
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("changes", 6, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Territory", 0, 1.6f);
    ImGui::TableSetupColumn("Accounts in", 0, 0.8f);
    ImGui::TableSetupColumn("Accounts out", 0, 0.8f);
    ImGui::TableSetupColumn("Net", 0, 0.6f);
    ImGui::TableSetupColumn("ARR in", 0, 0.8f);
    ImGui::TableSetupColumn("ARR out", 0, 0.8f);
    tableHeaders();
    std::vector<const TerritoryFigures*> rows;
    for (const auto& t : pm.territories)
        if (t.movedIn || t.movedOut) rows.push_back(&t);
    std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->movedIn + a->movedOut > b->movedIn + b->movedOut; });
    for (const TerritoryFigures* t : rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        territoryRowCell(app, t->territory, t->name);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt::count(t->movedIn).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt::count(t->movedOut).c_str());
        ImGui::TableNextColumn();
        const long long net = static_cast<long long>(t->movedIn) - static_cast<long long>(t->movedOut);
        ImGui::Text("%+lld", net);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt::moneyCompact(static_cast<Money>(t->arrIn)).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt::moneyCompact(static_cast<Money>(t->arrOut)).c_str());
    }
    if (rows.empty()) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("No account has moved yet.");
    }
    ImGui::EndTable();
}

} // namespace terrane
