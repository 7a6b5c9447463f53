// New sample workspace: a generated sales organisation of the size and seed the user picks.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/scenario/sample.hpp"

#include <algorithm>

namespace terrane {

void drawSampleDialog(App& app) {
    UiState& ui = app.ui();
    if (openModal("New sample workspace", ui.sample.show)) {
        ui.sample.accounts = static_cast<int>(app.sampleOptions().accounts);
        ui.sample.reps = static_cast<int>(app.sampleOptions().reps);
        ui.sample.seed = static_cast<int>(app.sampleOptions().seed);
    }
    if (beginModal("New sample workspace", ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::TextWrapped("A realistic US sales organisation: accounts at ZIP centroids weighted by population, reps in four regions, "
                           "an existing (unbalanced) territory plan and two years of opportunities. Same seed, same data.");
        ImGui::SetNextItemWidth(200 * ui.pixelRatio);
        ImGui::InputInt("Accounts", &ui.sample.accounts, 1000, 10000);
        ImGui::SetNextItemWidth(200 * ui.pixelRatio);
        ImGui::InputInt("Reps", &ui.sample.reps, 1, 10);
        ImGui::SetNextItemWidth(200 * ui.pixelRatio);
        ImGui::InputInt("Seed", &ui.sample.seed);
        ui.sample.accounts = std::clamp(ui.sample.accounts, 1, 2000000);
        ui.sample.reps = std::clamp(ui.sample.reps, 4, 5000);
        ui.sample.seed = std::max(0, ui.sample.seed);
        if (ImGui::Button("Create", ImVec2(120 * ui.pixelRatio, 0))) {
            SampleOptions o;
            o.accounts = static_cast<std::size_t>(ui.sample.accounts);
            o.reps = static_cast<std::size_t>(ui.sample.reps);
            o.seed = static_cast<std::uint64_t>(ui.sample.seed);
            app.loadSample(o);
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel", ImVec2(120 * ui.pixelRatio, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

} // namespace terrane
