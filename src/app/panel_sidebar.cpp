// Left sidebar: datasets, scenarios and the territory list (the legend, a drop target for the
// selection, and the place to create — one by one, from the reps or from a column's values —
// rename, recolour, merge and delete territories).
#include "app/app.hpp"
#include "app/plan/optimise_ui.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/geo/geo.hpp"
#include "platform/platform.hpp"

#include <algorithm>

namespace terrane {

namespace {
// "40 (+11 regions and districts)" for a territories table with a hierarchy, else the row count.
std::string datasetRows(const Workspace& ws, DatasetKind kind) {
    const Table& t = ws.table(kind);
    if (kind != DatasetKind::Territories) return fmt::count(t.rows());
    const int lv = t.indexOf("level");
    std::size_t leaves = 0;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const std::string_view l = lv >= 0 ? t.str(lv, r) : std::string_view();
        leaves += l.empty() || l == "territory" ? 1 : 0;
    }
    if (leaves == t.rows()) return fmt::count(t.rows());
    return fmt::count(leaves) + " (+" + fmt::count(t.rows() - leaves) + " regions and districts)";
}

// The "Create from" menu: territories from the reps or from the values of an accounts text column,
// each one undoable edit of the active scenario.
void createFromMenu(App& app) {
    const Workspace& ws = app.workspace();
    const std::size_t reps = ws.reps().rows();
    const std::string byRep = "One per rep (" + fmt::countOf(reps, "rep", "reps") + ")";
    if (ImGui::MenuItem(byRep.c_str(), nullptr, false, reps > 0))
        createTerritories(app, [&ws] { return territory::repDraft(ws); }, "one per rep");
    markTarget(app, "sidebar.fromReps");
    if (reps == 0 && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Import a reps file first");
    ImGui::Separator();
    ImGui::TextDisabled("One per value of an accounts column:");
    const Table& acc = ws.accounts();
    for (std::size_t c = 0; c < acc.columnCount(); ++c) {
        const Column& col = acc.column(c);
        if (col.type() != ColumnType::String || col.name() == "account_id" || col.name() == "name") continue;
        const std::string name = col.name();
        if (ImGui::MenuItem(name.c_str()))
            createTerritories(app, [&ws, name] { return territory::columnDraft(ws, name); }, "one per " + name);
        markTarget(app, "sidebar.fromColumn." + name);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Optimise: N balanced territories...")) {
        app.ui().optimise.show = true;
        app.ui().optimise.tabRequest = 0;
    }
}
} // namespace

void drawSidebar(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    Workspace& ws = app.workspace();
    const float pr = ui.pixelRatio;
    beginPanel("##sidebar", pos, size);
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted(ws.name.c_str());
    ImGui::PopFont();
    if (app.isSampleWorkspace()) {
        // The first screen: say the data is made up and how to bring your own.
        ImGui::PushTextWrapPos(0);
        ImGui::PushStyleColor(ImGuiCol_Text, accentColor(ui.theme));
        ImGui::TextUnformatted("Sample data: generated accounts and reps, not a real company.");
        ImGui::PopStyleColor();
        ImGui::TextDisabled("Bring your own: drop CSV exports (accounts, reps, deals) on the page or use Import files. "
                            "Nothing leaves this page.");
        ImGui::PopTextWrapPos();
        if (ImGui::SmallButton("Getting started")) ui.dialogs.help = true;
        markTarget(app, "sidebar.guide");
    }
    ImGui::Spacing();

    if (ImGui::CollapsingHeader("Datasets", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (ImGui::BeginTable("datasets", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn("Dataset", ImGuiTableColumnFlags_WidthStretch, 1.2f);
            ImGui::TableSetupColumn("Rows", ImGuiTableColumnFlags_WidthStretch, 0.8f);
            ImGui::TableSetupColumn("Source", ImGuiTableColumnFlags_WidthStretch, 1.0f);
            tableHeaders();
            for (int k = 0; k < kDatasetKindCount; ++k) {
                const auto kind = static_cast<DatasetKind>(k);
                const Table& t = ws.table(kind);
                if (t.rows() == 0 && kind != DatasetKind::Accounts) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(datasetKindName(kind));
                ImGui::TableNextColumn();
                ImGui::PushTextWrapPos(0); // "40 (+11 regions and districts)" wraps in a narrow column
                ImGui::TextUnformatted(datasetRows(ws, kind).c_str());
                ImGui::PopTextWrapPos();
                ImGui::TableNextColumn();
                std::string src = ws.sources.empty() ? "sample" : "-";
                const SourceFile* from = nullptr;
                for (const SourceFile& s : ws.sources)
                    if (s.kind == kind) src = s.name, from = &s;
                ImGui::TextDisabled("%s", src.c_str());
                if (from && ImGui::IsItemHovered())
                    ImGui::SetTooltip("%s\n%s bytes, %s\nSHA-256 %s\n%s rows accepted, %s rejected", from->name.c_str(), fmt::count(from->bytes).c_str(),
                                      from->encoding.c_str(), from->sha256.c_str(), fmt::count(from->rowsAccepted).c_str(),
                                      fmt::count(from->rowsRejected).c_str());
            }
            ImGui::EndTable();
        }
        if (ImGui::SmallButton("Import files...")) platform::openFilePicker(".csv,.tsv,.txt,text/csv,text/plain", true);
        ImGui::SameLine();
        if (ImGui::SmallButton(ui.data.showTable ? "Hide table" : "Show table")) ui.data.showTable = !ui.data.showTable;
        ImGui::SameLine();
        if (ImGui::SmallButton("Data quality")) {
            ui.data.showPanel = true;
            ui.data.panelTab = 1;
            ui.data.panelTabForced = true;
            if (!app.imports().hygieneValid && !app.imports().hygieneQueued) app.runHygiene();
        }
    }
    if (ImGui::CollapsingHeader("Scenarios", ImGuiTreeNodeFlags_DefaultOpen)) {
        for (std::size_t i = 0; i < ws.scenarios.size(); ++i) {
            const Scenario& sc = ws.scenarios[i];
            const bool active = i == ws.activeScenario;
            std::string label = sc.name + (i == 0 ? "  (baseline, read-only)" : "  (" + std::to_string(sc.cursor) + (sc.cursor == 1 ? " edit)" : " edits)"));
            if (i == ui.referenceScenario && i != 0) label += "  [reference]";
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::Selectable(label.c_str(), active)) app.setActiveScenario(i);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nRight-click: rename, duplicate, compare, delete", sc.origin.c_str());
            if (ImGui::BeginPopupContextItem("##scmenu")) {
                if (ImGui::MenuItem("Open", nullptr, false, !active)) app.setActiveScenario(i);
                if (ImGui::MenuItem("Duplicate")) {
                    const std::size_t s = ws.addScenarioCopy(i, ws.freshScenarioName());
                    app.setActiveScenario(s);
                }
                if (ImGui::MenuItem("Rename...", nullptr, false, i != 0)) {
                    ui.scenarioRename.scenario = i;
                    ui.scenarioRename.show = true;
                }
                if (ImGui::MenuItem("Compare changes against this", nullptr, ui.referenceScenario == i)) app.setReferenceScenario(i);
                const bool inSet = std::find(ui.compareSet.begin(), ui.compareSet.end(), i) != ui.compareSet.end();
                if (ImGui::MenuItem("Show in side-by-side comparison", nullptr, inSet, inSet || ui.compareSet.size() < 4)) {
                    if (inSet) ui.compareSet.erase(std::find(ui.compareSet.begin(), ui.compareSet.end(), i));
                    else ui.compareSet.push_back(i);
                    ui.bottomTabRequest = 3;
                }
                ImGui::Separator();
                if (ImGui::MenuItem("Delete", nullptr, false, i != 0)) app.deleteScenario(i);
                ImGui::EndPopup();
            }
            ImGui::PopID();
        }
        if (ImGui::SmallButton("Copy active scenario")) {
            const std::string from = ws.active().name;
            const std::size_t s = ws.addScenarioCopy(ws.activeScenario, ws.freshScenarioName());
            app.setActiveScenario(s);
            app.notify("Created " + ws.scenarios[s].name + " as a copy of " + from);
        }
    }
    if (ImGui::CollapsingHeader("Territories", ImGuiTreeNodeFlags_DefaultOpen)) {
        const PlanMetrics& pm = app.metrics();
        ImGui::TextDisabled("%zu territories", pm.territories.size());
        const ImGuiStyle& style = ImGui::GetStyle();
        const float buttons = ImGui::CalcTextSize("Create from...").x + ImGui::CalcTextSize("+ New").x + 4 * style.FramePadding.x +
                              style.ItemSpacing.x;
        ImGui::SameLine(ImGui::GetContentRegionAvail().x - buttons - 4 * pr);
        if (ImGui::SmallButton("Create from...")) ImGui::OpenPopup("##createFrom");
        markTarget(app, "sidebar.createFrom");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Territories from the reps or from the values of a column (e.g. Region)");
        if (ImGui::BeginPopup("##createFrom")) {
            createFromMenu(app);
            ImGui::EndPopup();
        }
        ImGui::SameLine();
        if (ImGui::SmallButton("+ New")) {
            ui.newTerritory.show = true;
            ui.newTerritory.fromSelection = false;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Create a territory (with the selected accounts, if any)");
        if (pm.territories.empty()) {
            ImGui::PushTextWrapPos(0);
            ImGui::TextDisabled("No territories yet: create them from your reps or a column (Create from...), or let "
                                "Plan > Optimise territories make balanced ones.");
            ImGui::PopTextWrapPos();
        }
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Sortable |
                                      ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerH;
        if (ImGui::BeginTable("territories", 3, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn("Territory", ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_DefaultSort, 1.6f);
            ImGui::TableSetupColumn("Accts", ImGuiTableColumnFlags_WidthStretch, 0.6f);
            ImGui::TableSetupColumn("Potential", ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_PreferSortDescending, 0.9f);
            tableHeaders();
            std::vector<std::size_t> order(pm.territories.size());
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
            if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
                const int col = specs->Specs[0].ColumnIndex;
                const bool asc = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
                std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                    const TerritoryFigures &x = pm.territories[a], &y = pm.territories[b];
                    int c = 0;
                    if (col == 0) c = x.name.compare(y.name);
                    else {
                        const int m = col == 1 ? static_cast<int>(PlanMetric::Accounts) : static_cast<int>(PlanMetric::Potential);
                        c = x.f.sum[m] < y.f.sum[m] ? -1 : x.f.sum[m] > y.f.sum[m];
                    }
                    return asc ? c < 0 : c > 0;
                });
            }
            ImGuiListClipper clip;
            clip.Begin(static_cast<int>(order.size()));
            while (clip.Step()) {
                for (int row = clip.DisplayStart; row < clip.DisplayEnd; ++row) {
                    const TerritoryFigures& t = pm.territories[order[static_cast<std::size_t>(row)]];
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    const ImVec2 p = ImGui::GetCursorScreenPos();
                    const float sw = ImGui::GetTextLineHeight() * 0.7f;
                    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + sw * 0.2f), ImVec2(p.x + sw, p.y + sw * 1.2f),
                                                              app.map().territoryColor(t.territory), 2 * pr);
                    ImGui::SetCursorScreenPos(ImVec2(p.x + sw + 6 * pr, p.y));
                    ImGui::PushID(t.territory);
                    if (ImGui::Selectable(t.name.c_str(), ui.selectedTerritory == t.territory, ImGuiSelectableFlags_SpanAllColumns)) {
                        if (ui.selectedTerritory == t.territory) {
                            app.selectTerritory(-1);
                        } else {
                            app.selectTerritory(t.territory);
                            app.flyToTerritory(t.territory);
                        }
                    }
                    if (ImGui::IsItemHovered() && !ImGui::IsMouseDragging(ImGuiMouseButton_Left))
                        ImGui::SetTooltip("%s\nOwner: %s%s\nRight-click for rename, recolour, owner, merge, delete", t.name.c_str(),
                                          t.ownerName.empty() ? "(none)" : t.ownerName.c_str(), t.vacant ? " (vacant seat)" : "");
                    if (ImGui::BeginDragDropTarget()) {
                        if (ImGui::AcceptDragDropPayload("TERRANE_SELECTION")) app.moveSelectionTo(t.territory);
                        ImGui::EndDragDropTarget();
                    }
                    if (ImGui::BeginPopupContextItem("##terrmenu")) {
                        territoryContextMenu(app, t.territory);
                        ImGui::EndPopup();
                    }
                    ImGui::PopID();
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(fmt::count(static_cast<std::uint64_t>(t.f.sum[static_cast<int>(PlanMetric::Accounts)])).c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(fmt::moneyCompact(static_cast<Money>(t.f.sum[static_cast<int>(PlanMetric::Potential)])).c_str());
                }
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

} // namespace terrane
