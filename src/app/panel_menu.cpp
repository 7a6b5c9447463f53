// The menu bar and its keyboard shortcuts; the dialogs it opens have files of their own.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/scenario/metrics.hpp"
#include "core/scenario/sample.hpp"
#include "core/base/version.hpp"
#include "platform/platform.hpp"

namespace terrane {

namespace {
void exportTable(App& app, DatasetKind kind) {
    const Table& t = app.workspace().table(kind);
    const std::string csv = tableToCsv(t, kind);
    platform::downloadFile(std::string(datasetKindName(kind)) + ".csv", csv, "text/csv");
    app.notify("Exported " + fmt::count(t.rows()) + " " + datasetKindName(kind) + " rows");
}
} // namespace

void drawMenuBar(App& app) {
    UiState& ui = app.ui();
    if (!ImGui::BeginMainMenuBar()) return;
    const bool fileMenu = ImGui::BeginMenu("File");
    markTarget(app, "menu.file");
    if (fileMenu) {
        if (ImGui::MenuItem("Import...", "Ctrl+O")) platform::openFilePicker(".csv,.tsv,.txt,text/csv,text/plain", true);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("CSV exports of accounts, reps, territories, opportunities, stage history or bookings\n(Salesforce, HubSpot, Dynamics, Excel). You can also drop files on the page.");
        if (ImGui::MenuItem("New sample workspace...")) ui.sample.show = true;
        if (ImGui::MenuItem("Open scenario file...")) platform::openFilePicker(".terrane,.json,application/json", false);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("A .terrane plan saved by Terrane (or drop it on the page)");
        if (ImGui::MenuItem("Save scenario file...", "Ctrl+S")) ui.save.show = true;
        markTarget(app, "menu.save");
        if (ImGui::MenuItem("Export standalone page...")) {
            ui.save.show = true;
            ui.save.asStandalone = true;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("One HTML file with the app and this plan: opens by double-click, offline");
        if (ImGui::MenuItem("Clear local data...")) ui.dialogs.clear = true;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Forget the workspace this browser keeps between visits");
        ImGui::Separator();
        if (ImGui::MenuItem("Export assignment for CRM (CSV)")) app.exportAssignment();
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("account_id, account_name, owner_id, owner_name, territory, district, region, changed, previous owner");
        if (ImGui::MenuItem("Export map image (PNG, 2x)")) app.exportMapPng();
        if (ImGui::BeginMenu("Export CSV")) {
            for (DatasetKind k : {DatasetKind::Accounts, DatasetKind::Reps, DatasetKind::Territories, DatasetKind::Opportunities}) {
                const Table& t = app.workspace().table(k);
                std::string label = std::string(datasetKindName(k)) + ".csv  (" + fmt::count(t.rows()) + " rows)";
                if (ImGui::MenuItem(label.c_str(), nullptr, false, t.rows() > 0)) exportTable(app, k);
            }
            ImGui::EndMenu();
        }
        ImGui::EndMenu();
    }
    const bool editMenu = ImGui::BeginMenu("Edit");
    markTarget(app, "menu.edit");
    if (editMenu) {
        std::string undoLabel = app.canUndo() ? "Undo " + app.undoDescription() : std::string("Undo");
        std::string redoLabel = app.canRedo() ? "Redo " + app.redoDescription() : std::string("Redo");
        if (ImGui::MenuItem(undoLabel.c_str(), "Ctrl+Z", false, app.canUndo())) app.undo();
        markTarget(app, "menu.undo");
        if (ImGui::MenuItem(redoLabel.c_str(), "Ctrl+Shift+Z", false, app.canRedo())) app.redo();
        ImGui::Separator();
        const bool sel = ui.selection.count > 0;
        if (ImGui::MenuItem("Select by filter...")) ui.filter.show = true;
        if (ImGui::MenuItem("Move selection to territory...", "M", false, sel)) ui.move.show = true;
        if (ImGui::MenuItem("Lock selection", "K", false, sel)) app.lockSelection(true);
        if (ImGui::MenuItem("Unlock selection", "Shift+K", false, sel)) app.lockSelection(false);
        if (ImGui::MenuItem("New territory...")) {
            ui.newTerritory.show = true;
            ui.newTerritory.fromSelection = sel;
        }
        if (ImGui::MenuItem("Clear selection", "Esc", false, sel || ui.selectedTerritory >= 0)) app.clearSelection();
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Dark theme", nullptr, ui.theme == Theme::Dark)) app.setTheme(Theme::Dark);
        if (ImGui::MenuItem("Light theme", nullptr, ui.theme == Theme::Light)) app.setTheme(Theme::Light);
        ImGui::Separator();
        ImGui::MenuItem("Data table", "Ctrl+T", &ui.data.showTable);
        if (ImGui::MenuItem("Import report", nullptr, ui.data.showPanel && ui.data.panelTab == 0)) {
            ui.data.showPanel = !(ui.data.showPanel && ui.data.panelTab == 0);
            ui.data.panelTab = 0;
            ui.data.panelTabForced = true;
        }
        if (ImGui::MenuItem("Data quality", nullptr, ui.data.showPanel && ui.data.panelTab == 1)) {
            ui.data.showPanel = !(ui.data.showPanel && ui.data.panelTab == 1);
            ui.data.panelTab = 1;
            ui.data.panelTabForced = true;
        }
        ImGui::Separator();
        ImGui::MenuItem("Sidebar", nullptr, &ui.showSidebar);
        ImGui::MenuItem("Inspector", nullptr, &ui.showInspector);
        ImGui::MenuItem("Metrics, changes and audit log", nullptr, &ui.showBottom);
        if (ImGui::MenuItem("Review mode (presentation)", nullptr, ui.reviewMode)) ui.reviewMode = !ui.reviewMode;
        ImGui::Separator();
        if (ImGui::MenuItem("Fit map to accounts", "F")) app.map().fit(ui);
        ImGui::SetNextItemWidth(140 * ui.pixelRatio);
        ImGui::SliderFloat("Point size", &ui.pointScale, 0.4f, 3.0f, "%.1fx");
        ImGui::EndMenu();
    }
    const bool planMenu = ImGui::BeginMenu("Plan");
    markTarget(app, "menu.plan");
    if (planMenu) {
        static const char* kOptimise[] = {"Optimise territories...", "Rebalance after edits...", "Trade-off explorer...",
                                          "How many territories?..."};
        for (int t = 0; t < 4; ++t) {
            if (ImGui::MenuItem(kOptimise[t])) {
                ui.optimise.show = true;
                ui.optimise.tabRequest = t;
            }
            markTarget(app, "menu.optimise" + std::to_string(t));
        }
        ImGui::Separator();
        ImGui::MenuItem("Quotas...", nullptr, &ui.quota.showQuota);
        markTarget(app, "menu.quota");
        ImGui::MenuItem("Capacity...", nullptr, &ui.quota.showCapacity);
        markTarget(app, "menu.capacity");
        ImGui::MenuItem("Compensation...", nullptr, &ui.comp.show);
        markTarget(app, "menu.comp");
        ImGui::EndMenu();
    }
    const bool analyseMenu = ImGui::BeginMenu("Analyse");
    markTarget(app, "menu.analyse");
    if (analyseMenu) {
        if (ImGui::MenuItem("Forecast", nullptr, ui.forecast.show)) ui.forecast.show = !ui.forecast.show;
        markTarget(app, "menu.forecast");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Pipeline health, the forecast for this month or quarter with its P10-P90 band and basis,\nthe deals at risk and how well the method did in past periods");
        ImGui::EndMenu();
    }
    const bool helpMenu = ImGui::BeginMenu("Help");
    markTarget(app, "menu.help");
    if (helpMenu) {
        if (ImGui::MenuItem("Getting started and glossary")) ui.dialogs.help = true;
        markTarget(app, "menu.guide");
        if (ImGui::MenuItem("Keyboard and mouse")) ui.dialogs.shortcuts = true;
        if (ImGui::MenuItem("About Terrane")) ui.dialogs.about = true;
        ImGui::EndMenu();
    }
    // Right-aligned: product and version.
    const std::string tag = std::string("Terrane ") + kVersion;
    const float w = ImGui::CalcTextSize(tag.c_str()).x + ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::SameLine(ImGui::GetWindowWidth() - w);
    ImGui::TextDisabled("%s", tag.c_str());
    ImGui::EndMainMenuBar();

    // Shortcuts that work while no text field has focus.
    ImGuiIO& io = ImGui::GetIO();
    if (!io.WantTextInput) {
        if (ImGui::IsKeyPressed(ImGuiKey_F, false) && !io.KeyCtrl) app.map().fit(ui);
        if (ImGui::IsKeyPressed(ImGuiKey_Escape, false) && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
            app.clearSelection();
            ui.tool = MapTool::Pan;
        }
        if (io.KeyCtrl && ImGui::IsKeyPressed(ImGuiKey_Z, false)) io.KeyShift ? app.redo() : app.undo();
        if (io.KeyCtrl && ImGui::IsKeyPressed(ImGuiKey_Y, false)) app.redo();
        if (io.KeyCtrl && ImGui::IsKeyPressed(ImGuiKey_S, false)) ui.save.show = true;
        if (io.KeyCtrl && ImGui::IsKeyPressed(ImGuiKey_O, false)) platform::openFilePicker(".csv,.tsv,.txt,text/csv,text/plain", true);
        if (io.KeyCtrl && ImGui::IsKeyPressed(ImGuiKey_T, false)) ui.data.showTable = !ui.data.showTable;
    }
}

} // namespace terrane
