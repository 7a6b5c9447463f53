// "Move to territory": a searchable list of territories with an optional note for the audit log.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "app/charts.hpp"
#include "core/base/format.hpp"
#include "core/base/text.hpp"

namespace terrane {

void drawMoveDialog(App& app) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    if (openModal("Move accounts", ui.move.show)) {
        ui.move.search[0] = 0;
        ui.move.note[0] = 0;
        ui.move.locked = app.lockedInSelection();
    }
    ImGui::SetNextWindowSize(ImVec2(420 * pr, 460 * pr), ImGuiCond_Appearing);
    if (!beginModal("Move accounts", ImGuiWindowFlags_NoSavedSettings)) return;
    ImGui::Text("Move %s selected accounts to:", fmt::count(ui.selection.count).c_str());
    if (const std::size_t locked = ui.move.locked; locked > 0)
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(charts::amberColor(ui.theme == Theme::Dark)), "%s of them %s locked and will stay", fmt::count(locked).c_str(),
                           locked == 1 ? "is" : "are");
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##search", "Search territories or owners", ui.move.search, sizeof ui.move.search);
    const std::string q = toLower(ui.move.search);
    const PlanMetrics& pm = app.metrics();
    std::int32_t chosen = -2;
    std::int32_t first = -2;
    if (ImGui::BeginChild("##list", ImVec2(0, -ImGui::GetFrameHeightWithSpacing() * 3), ImGuiChildFlags_Border)) {
        for (const TerritoryFigures& t : pm.territories) {
            if (!q.empty() && toLower(t.name).find(q) == std::string::npos && toLower(t.ownerName).find(q) == std::string::npos &&
                toLower(t.id).find(q) == std::string::npos)
                continue;
            if (first == -2) first = t.territory;
            ImGui::PushID(t.territory);
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float sw = ImGui::GetTextLineHeight() * 0.7f;
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + sw * 0.2f), ImVec2(p.x + sw, p.y + sw * 1.2f),
                                                      app.map().territoryColor(t.territory), 2 * pr);
            ImGui::SetCursorScreenPos(ImVec2(p.x + sw + 6 * pr, p.y));
            const std::string label = t.name + "  -  " + (t.ownerName.empty() ? std::string("no owner") : t.ownerName) + "  (" +
                                      fmt::moneyCompact(static_cast<Money>(t.f.sum[static_cast<int>(PlanMetric::Potential)])) + ")";
            if (ImGui::Selectable(label.c_str())) chosen = t.territory;
            ImGui::PopID();
        }
        if (q.empty() && ImGui::Selectable("(unassign)")) chosen = -1;
    }
    ImGui::EndChild();
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##note", "Note for the audit log (optional)", ui.move.note, sizeof ui.move.note);
    if (ImGui::IsKeyPressed(ImGuiKey_Enter) && first != -2) chosen = first;
    if (ImGui::Button("Cancel", ImVec2(120 * pr, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::SameLine();
    ImGui::TextDisabled("Enter moves to the first match");
    if (chosen != -2) {
        app.moveSelectionTo(chosen, ui.move.note);
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

} // namespace terrane
