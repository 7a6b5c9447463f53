#include "app/widgets.hpp"

#include "app/app.hpp"

#include <imgui.h>

namespace terrane {

float px(const App& app, float cssPixels) { return cssPixels * app.ui().pixelRatio; }

void markTarget(App& app, const std::string& name) {
    UiState& ui = app.ui();
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const float pr = ui.pixelRatio;
    ui.targets.rects[name] = TestTargets::Rect{a.x / pr, a.y / pr, (b.x - a.x) / pr, (b.y - a.y) / pr, ui.frames};
}

void beginPanel(const char* id, const ImVec2& pos, const ImVec2& size) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin(id, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
}

bool openModal(const char* title, bool& request) {
    if (!request) return false;
    request = false;
    ImGui::OpenPopup(title);
    return true;
}

bool beginModal(const char* title, int flags) {
    if (flags < 0) flags = ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings;
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    return ImGui::BeginPopupModal(title, nullptr, flags);
}

void territoryRowCell(App& app, std::int32_t territory, const std::string& name) {
    ImGui::PushID(territory);
    if (ImGui::Selectable(name.c_str(), app.ui().selectedTerritory == territory, ImGuiSelectableFlags_SpanAllColumns)) {
        app.selectTerritory(territory);
        app.flyToTerritory(territory);
    }
    ImGui::PopID();
}


void tableHeaders() {
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    const int n = ImGui::TableGetColumnCount();
    for (int c = 0; c < n; ++c) {
        if (!ImGui::TableSetColumnIndex(c)) continue;
        const char* name = ImGui::TableGetColumnName(c);
        ImGui::PushID(c);
        ImGui::TableHeader(name);
        ImGui::PopID();
        const float room = ImGui::GetItemRectSize().x;
        if (ImGui::IsItemHovered() && ImGui::CalcTextSize(name, nullptr, true).x + ImGui::GetStyle().CellPadding.x * 2 > room)
            ImGui::SetTooltip("%s", name);
    }
}

} // namespace terrane
