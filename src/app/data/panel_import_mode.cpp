// Importing into data already there: a file read for a dataset that holds rows waits here for
// the user's choice - replace, add, or update by id - with the row counts before and after each.
// Nothing is replaced silently; cancel keeps the dataset as it is.
#include "app/app.hpp"
#include "app/theme.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

namespace terrane {

void drawImportModeDialog(App& app) {
    UiState& ui = app.ui();
    ImportFlow& flow = app.imports();
    const char* title = "Import into data already there###importmode";
    if (flow.awaitingMode && !ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
    if (!beginModal(title)) return;
    if (!flow.awaitingMode) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    const AwaitingMode& w = *flow.awaitingMode;
    const float pr = ui.pixelRatio;
    const DatasetKind kind = w.result->report.kind;
    const std::string kindName = datasetKindName(kind);
    const MergeCounts& base = w.counts[static_cast<std::size_t>(ImportMode::Replace)];
    std::string from;
    for (const SourceFile& s : app.workspace().sources)
        if (s.kind == kind) from += (from.empty() ? "" : ", ") + s.name;
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted(w.name.c_str());
    ImGui::PopFont();
    auto rows = [](std::uint64_t n) { return fmt::count(n) + (n == 1 ? " row" : " rows"); };
    ImGui::TextUnformatted(("The file has " + rows(base.incoming) + " of " + kindName + ". The workspace already holds " + rows(base.before) + " of " +
                            kindName + (from.empty() ? "" : " (from " + from + ")") + ".")
                               .c_str());
    ImGui::TextDisabled("Choose how the file meets them; nothing changes until you do.");
    ImGui::Spacing();

    int chosen = -1;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit;
    if (ImGui::BeginTable("modes", 4, flags)) {
        ImGui::TableSetupColumn("Choice", ImGuiTableColumnFlags_WidthFixed, 150 * pr);
        ImGui::TableSetupColumn("What happens", ImGuiTableColumnFlags_WidthFixed, 400 * pr);
        ImGui::TableSetupColumn("Before", ImGuiTableColumnFlags_WidthFixed, 70 * pr);
        ImGui::TableSetupColumn("After", ImGuiTableColumnFlags_WidthFixed, 70 * pr);
        ImGui::TableHeadersRow();
        struct Row {
            ImportMode mode;
            const char* label;
            const char* target;
        };
        const Row choices[] = {{ImportMode::Replace, "Replace", "import-mode-replace"},
                            {ImportMode::Add, "Add", "import-mode-add"},
                            {ImportMode::UpdateById, "Update by id", "import-mode-update"}};
        for (const Row& r : choices) {
            const MergeCounts& c = w.counts[static_cast<std::size_t>(r.mode)];
            const bool available = r.mode != ImportMode::UpdateById || w.canUpdate;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::BeginDisabled(!available);
            if (ImGui::Button(r.label, ImVec2(-1, 0))) chosen = static_cast<int>(r.mode);
            markTarget(app, r.target);
            ImGui::EndDisabled();
            ImGui::TableNextColumn();
            std::string what;
            switch (r.mode) {
            case ImportMode::Replace:
                what = "The " + rows(c.removed) + " there now are removed; the file's " + rows(c.added) + " take their place.";
                break;
            case ImportMode::Add:
                what = "The file's " + rows(c.added) + " are added beside them; an id in both shows as a duplicate in Data quality.";
                break;
            case ImportMode::UpdateById:
                what = available ? rows(c.updated) + " with an id already there take the file's non-empty values; " + rows(c.added) +
                                       " with new ids are added."
                                 : kindName + " have no id to match rows by.";
                break;
            }
            ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 400 * pr);
            ImGui::TextUnformatted(what.c_str());
            ImGui::PopTextWrapPos();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::count(c.before).c_str());
            ImGui::TableNextColumn();
            if (available) {
                ImGui::PushFont(app.fonts().bold);
                ImGui::TextUnformatted(fmt::count(c.after).c_str());
                ImGui::PopFont();
            } else {
                ImGui::TextDisabled("-");
            }
        }
        ImGui::EndTable();
    }
    ImGui::Spacing();
    const bool cancel = ImGui::Button("Cancel: keep them as they are", ImVec2(260 * pr, 0));
    markTarget(app, "import-mode-cancel");
    if (chosen >= 0) app.chooseImportMode(static_cast<ImportMode>(chosen));
    else if (cancel || ImGui::IsKeyPressed(ImGuiKey_Escape)) app.cancelImportMode();
    if (!flow.awaitingMode) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

} // namespace terrane
