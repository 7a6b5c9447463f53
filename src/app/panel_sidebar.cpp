// Left sidebar: datasets, scenarios and the territory list (which doubles as the legend).
#include "app/app.hpp"
#include "app/format.hpp"
#include "core/geo.hpp"
#include "platform/platform.hpp"

#include <algorithm>
#include <cmath>

namespace terrane {

namespace {
void flyToTerritory(App& app, std::int32_t territory) {
    const Workspace& ws = app.workspace();
    const Table& acc = ws.accounts();
    const Column* lat = acc.find("lat");
    const Column* lon = acc.find("lon");
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    const auto& asg = ws.active().assignment;
    for (std::size_t r = 0; r < asg.size(); ++r) {
        if (asg[r] != territory || std::isnan(lat->f64()[r]) || std::isnan(lon->f64()[r])) continue;
        const double x = mercatorX(lon->f64()[r]), y = mercatorY(lat->f64()[r]);
        x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
    if (x0 > x1) return;
    UiState& ui = app.ui();
    const MapRect& rect = app.map().rect();
    ui.camera.centerX = (x0 + x1) / 2;
    ui.camera.centerY = (y0 + y1) / 2;
    const double w = std::max(x1 - x0, 1e-4), h = std::max(y1 - y0, 1e-4);
    ui.camera.scale = std::min(rect.w / (w * 1.3), rect.h / (h * 1.3));
}
} // namespace

void drawSidebar(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    Workspace& ws = app.workspace();
    const float pr = ui.pixelRatio;
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("##sidebar", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                           ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted(ws.name.c_str());
    ImGui::PopFont();
    ImGui::Spacing();

    if (ImGui::CollapsingHeader("Datasets", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (ImGui::BeginTable("datasets", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn("Dataset", ImGuiTableColumnFlags_WidthStretch, 1.2f);
            ImGui::TableSetupColumn("Rows", ImGuiTableColumnFlags_WidthStretch, 0.8f);
            ImGui::TableSetupColumn("Source", ImGuiTableColumnFlags_WidthStretch, 1.0f);
            ImGui::TableHeadersRow();
            for (int k = 0; k < kDatasetKindCount; ++k) {
                const auto kind = static_cast<DatasetKind>(k);
                const Table& t = ws.table(kind);
                if (t.rows() == 0 && kind != DatasetKind::Accounts) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(datasetKindName(kind));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt::count(t.rows()).c_str());
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
        if (ImGui::SmallButton(ui.showDataTable ? "Hide table" : "Show table")) ui.showDataTable = !ui.showDataTable;
        ImGui::SameLine();
        if (ImGui::SmallButton("Data quality")) {
            ui.showDataPanel = true;
            ui.dataPanelTab = 1;
            ui.dataPanelTabForced = true;
            if (!app.imports().hygieneValid && !app.imports().hygieneQueued) app.runHygiene();
        }
    }
    if (ImGui::CollapsingHeader("Scenarios", ImGuiTreeNodeFlags_DefaultOpen)) {
        for (std::size_t i = 0; i < ws.scenarios.size(); ++i) {
            const bool active = i == ws.activeScenario;
            std::string label = ws.scenarios[i].name + (i == 0 ? "  (baseline)" : "");
            if (ImGui::Selectable(label.c_str(), active)) app.setActiveScenario(i);
        }
    }
    if (ImGui::CollapsingHeader("Territories", ImGuiTreeNodeFlags_DefaultOpen)) {
        const auto& totals = app.territoryTotals();
        const Table& ter = ws.active().territories;
        const int nameCol = ter.indexOf("name");
        ImGui::TextDisabled("%zu territories; click one to highlight it", totals.size());
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Sortable |
                                      ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerH;
        if (ImGui::BeginTable("territories", 3, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn("Territory", ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_DefaultSort, 1.6f);
            ImGui::TableSetupColumn("Accts", ImGuiTableColumnFlags_WidthStretch, 0.6f);
            ImGui::TableSetupColumn("Potential", ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_PreferSortDescending, 0.9f);
            ImGui::TableHeadersRow();
            std::vector<std::size_t> order(totals.size());
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
            if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
                const int col = specs->Specs[0].ColumnIndex;
                const bool asc = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
                std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                    int c = 0;
                    if (col == 0) c = ter.str(nameCol, static_cast<std::size_t>(totals[a].territory)).compare(ter.str(nameCol, static_cast<std::size_t>(totals[b].territory)));
                    else if (col == 1) c = totals[a].accounts < totals[b].accounts ? -1 : totals[a].accounts > totals[b].accounts;
                    else c = totals[a].potential < totals[b].potential ? -1 : totals[a].potential > totals[b].potential;
                    return asc ? c < 0 : c > 0;
                });
            }
            ImGuiListClipper clip;
            clip.Begin(static_cast<int>(order.size()));
            while (clip.Step()) {
                for (int row = clip.DisplayStart; row < clip.DisplayEnd; ++row) {
                    const TerritoryTotals& t = totals[order[static_cast<std::size_t>(row)]];
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    const ImVec2 p = ImGui::GetCursorScreenPos();
                    const float sw = ImGui::GetTextLineHeight() * 0.7f;
                    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + sw * 0.2f), ImVec2(p.x + sw, p.y + sw * 1.2f),
                                                              app.map().territoryColor(t.territory), 2 * pr);
                    ImGui::SetCursorScreenPos(ImVec2(p.x + sw + 6 * pr, p.y));
                    ImGui::PushID(t.territory);
                    const std::string name(ter.str(nameCol, static_cast<std::size_t>(t.territory)));
                    if (ImGui::Selectable(name.c_str(), ui.selectedTerritory == t.territory, ImGuiSelectableFlags_SpanAllColumns)) {
                        if (ui.selectedTerritory == t.territory) {
                            app.selectTerritory(-1);
                        } else {
                            app.selectTerritory(t.territory);
                            flyToTerritory(app, t.territory);
                        }
                    }
                    ImGui::PopID();
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(fmt::count(t.accounts).c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(fmt::moneyCompact(t.potential).c_str());
                }
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

} // namespace terrane
