// Audit log of the active scenario: when, what, how many accounts, value moved, note.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/scenario/metrics.hpp"
#include "platform/platform.hpp"

namespace terrane {

void drawAuditPanel(App& app) {
    const Scenario& sc = app.workspace().active();
    const float pr = app.ui().pixelRatio;
    // Undo and redo take location fixes in turn with the plan edits listed here.
    ImGui::BeginDisabled(!app.canUndo());
    if (ImGui::Button("Undo")) app.undo();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!app.canRedo());
    if (ImGui::Button("Redo")) app.redo();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(sc.log.empty());
    if (ImGui::Button("Export CSV")) platform::downloadFile(sc.name + "-audit.csv", auditCsv(sc), "text/csv");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextDisabled("%s: %zu edits in effect%s", sc.name.c_str(), sc.cursor, sc.canRedo() ? " (later ones undone; a new edit drops them)" : "");
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("audit", 7, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, 34 * pr);
    ImGui::TableSetupColumn("When", 0, 1.1f);
    ImGui::TableSetupColumn("What", 0, 2.2f);
    ImGui::TableSetupColumn("Accounts", 0, 0.6f);
    ImGui::TableSetupColumn("Potential moved", 0, 0.8f);
    ImGui::TableSetupColumn("ARR moved", 0, 0.8f);
    ImGui::TableSetupColumn("Note", 0, 1.4f);
    tableHeaders();
    for (std::size_t i = sc.log.size(); i-- > 0;) {
        const AuditEntry& a = sc.log[i].audit;
        const bool undone = i >= sc.cursor;
        ImGui::TableNextRow();
        if (undone) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TableNextColumn();
        ImGui::Text("%zu", i + 1);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt::timeUtc(a.timeMs).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted((a.description + (undone ? "  (undone)" : "")).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt::count(a.accounts).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt::moneyCompact(a.potentialMoved).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt::moneyCompact(a.arrMoved).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(a.note.c_str());
        if (undone) ImGui::PopStyleColor();
    }
    if (sc.log.empty()) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("No edits yet in this scenario.");
    }
    ImGui::EndTable();
}

} // namespace terrane
