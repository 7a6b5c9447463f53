// Status bar: counts, the active scenario, messages and frame time.
#include "app/app.hpp"
#include "core/base/format.hpp"
#include "platform/platform.hpp"

namespace terrane {

void drawStatusBar(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyleColorVec4(ImGuiCol_MenuBarBg));
    ImGui::Begin("##status", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                          ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollbar);
    ImGui::PopStyleColor();
    const WorkspaceSummary& s = app.summary();
    ImGui::SetCursorPosY((size.y - ImGui::GetTextLineHeight()) * 0.5f);
    ImGui::Text("%s accounts  |  %s territories  |  %s reps  |  scenario: %s", fmt::count(s.accounts).c_str(),
                fmt::count(s.territories).c_str(), fmt::count(s.reps).c_str(), app.workspace().active().name.c_str());
    if (!ui.statusMessage.empty() && platform::nowMs() < ui.statusUntil) {
        ImGui::SameLine();
        ImGui::TextDisabled("  |  %s", ui.statusMessage.c_str());
    }
    if (const Job* job = app.currentJob()) {
        ImGui::SameLine();
        ImGui::TextUnformatted("  |  ");
        ImGui::SameLine();
        ImGui::TextUnformatted(job->title().c_str());
        ImGui::SameLine();
        ImGui::ProgressBar(static_cast<float>(job->progress()), ImVec2(160 * ui.pixelRatio, 0));
        if (ImGui::IsItemHovered() && !job->detail().empty()) ImGui::SetTooltip("%s", job->detail().c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("Cancel")) app.cancelJob();
    }
    if (const double saving = app.savingDatasets(); saving >= 0) {
        ImGui::SameLine();
        ImGui::TextDisabled("  |  saving the datasets in this browser %d%%", static_cast<int>(saving * 100));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Your data is kept in this browser so a reload reopens it; big workspaces are written a little per frame");
    }
    if (!app.storageOk()) {
        ImGui::SameLine();
        ImGui::TextColored(ImColor(badColor(ui.theme)), "  |  not saved in this browser");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.storageStatus().c_str());
    }
    char perf[64];
    std::snprintf(perf, sizeof perf, "frame %.1f ms", ui.avgFrameMs);
    const float w = ImGui::CalcTextSize(perf).x;
    ImGui::SameLine(size.x - w - ImGui::GetStyle().WindowPadding.x);
    ImGui::TextDisabled("%s", perf);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("CPU time to build and submit the last frames (moving average)");
    ImGui::End();
}

} // namespace terrane
