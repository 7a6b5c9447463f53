// "Fix places": each suggestion for accounts the gazetteer could not place (a misspelt country,
// region or city) or whose postcode disagrees with their state or town, with the accounts it
// settles and a button that applies it as an undoable edit.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

namespace terrane {

void drawLocationsDialog(App& app) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    openModal("Fix places", ui.locations.show);
    ImGui::SetNextWindowSize(ImVec2(620 * pr, 0), ImGuiCond_Appearing);
    if (!beginModal("Fix places", ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize)) return;
    const std::vector<LocationFix>& fixes = app.locationFixes();
    const std::size_t unplaced = app.map().precisionCounts()[static_cast<std::size_t>(GeoPrecision::None)];
    ImGui::TextWrapped("%s could not be placed on the map. Where a known place name is close to what the file says, "
                       "or a postcode disagrees with its state or town, a change is suggested. Applying one edits the "
                       "accounts' address and places them again; Undo (Ctrl+Z) takes it back.",
                       fmt::countOf(unplaced, "account", "accounts").c_str());
    ImGui::Spacing();
    std::size_t apply = fixes.size();
    if (fixes.empty()) {
        ImGui::TextDisabled("No suggestions: nothing close to a known place name.");
    } else if (ImGui::BeginTable("##fixes", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerH)) {
        ImGui::TableSetupColumn("Field", ImGuiTableColumnFlags_WidthFixed, 70 * pr);
        ImGui::TableSetupColumn("Suggestion", 0, 3.0f);
        ImGui::TableSetupColumn("Accounts", ImGuiTableColumnFlags_WidthFixed, 80 * pr);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 70 * pr);
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < fixes.size() && i < 200; ++i) {
            const GeoSuggestion& c = fixes[i].change;
            ImGui::PushID(static_cast<int>(i));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.field.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s \xE2\x86\x92 %s?", c.from.c_str(), c.to.c_str());
            ImGui::SameLine();
            ImGui::TextDisabled("(%s)", c.reason.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::count(fixes[i].rows.size()).c_str());
            ImGui::TableNextColumn();
            if (ImGui::SmallButton("Apply")) apply = i;
            markTarget(app, "locations.apply" + std::to_string(i));
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    ImGui::Spacing();
    if (ImGui::Button("Close", ImVec2(120 * pr, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    markTarget(app, "locations.close");
    ImGui::EndPopup();
    if (apply < fixes.size()) app.applyLocationFix(apply);
}

} // namespace terrane
