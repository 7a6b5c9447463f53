// Save the workspace as a .terrane scenario file, with redaction options and a preview of
// exactly what a recipient will see.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <cstdio>

namespace terrane {

namespace {
SaveOptions optionsFrom(const UiState& ui) {
    SaveOptions o;
    o.title = ui.save.title;
    o.author = ui.save.author;
    o.description = ui.save.description;
    o.redaction.repNames = static_cast<Redaction::RepNames>(ui.save.repNames);
    o.redaction.hideAccountNames = ui.save.hideAccountNames;
    o.redaction.bandMoney = ui.save.bandMoney;
    if (ui.save.omitNextSteps) o.redaction.omitColumns = {"opportunities.next_step", "accounts.revenue"};
    return o;
}
} // namespace

void drawSaveDialog(App& app) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    const char* title = ui.save.asStandalone ? "Export standalone page" : "Save scenario file";
    if (openModal(title, ui.save.show)) {
        if (!ui.save.title[0]) std::snprintf(ui.save.title, sizeof ui.save.title, "%s", app.workspace().name.c_str());
    }
    if (!beginModal(title)) {
        if (!ImGui::IsPopupOpen(title)) ui.save.asStandalone = false;
        return;
    }
    const Workspace& ws = app.workspace();
    if (ui.save.asStandalone)
        ImGui::TextWrapped("One HTML file with the app and this plan: double-click it to open it in a browser, offline, with no "
                           "installation. It holds the same content as a scenario file.");
    else
        ImGui::TextWrapped("One file with the data, every scenario and its edit history, settings and seeds. Anyone can open it in "
                           "this page, offline; approvals are sealed to its content.");
    ImGui::SetNextItemWidth(360 * pr);
    ImGui::InputText("Title", ui.save.title, sizeof ui.save.title);
    const char* ext = ui.save.asStandalone ? ".html" : ".terrane";
    const std::string hint = downloadName("", ui.save.title[0] ? ui.save.title : ws.name, ext);
    ImGui::SetNextItemWidth(360 * pr);
    ImGui::InputTextWithHint("File name", hint.c_str(), ui.save.fileName, sizeof ui.save.fileName);
    markTarget(app, "save.fileName");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The name of the downloaded file (%s is added)", ext);
    ImGui::SetNextItemWidth(360 * pr);
    ImGui::InputText("Author", ui.save.author, sizeof ui.save.author);
    ImGui::SetNextItemWidth(360 * pr);
    ImGui::InputTextMultiline("Description", ui.save.description, sizeof ui.save.description, ImVec2(360 * pr, 54 * pr));
    ImGui::SeparatorText("Sharing safely");
    const char* reps[] = {"Keep rep names", "Rep names as initials", "Rep names as aliases (Rep 1, Rep 2)"};
    ImGui::SetNextItemWidth(300 * pr);
    ImGui::Combo("##reps", &ui.save.repNames, reps, 3);
    ImGui::Checkbox("Hide account names (show ids)", &ui.save.hideAccountNames);
    ImGui::Checkbox("Band account-level money ($50K-$250K, ...)", &ui.save.bandMoney);
    ImGui::Checkbox("Leave out next steps and revenue", &ui.save.omitNextSteps);
    const SaveOptions opt = optionsFrom(ui);
    // Preview: the first rows as the recipient will see them.
    Workspace preview;
    preview.reps() = ws.reps();
    preview.accounts() = ws.accounts();
    if (opt.redaction.any()) applyRedaction(preview, opt.redaction);
    ImGui::TextDisabled("Preview of what is shared%s", opt.redaction.any() ? " (figures in the file's summary use the real data)" : "");
    if (ImGui::BeginTable("preview", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp,
                          ImVec2(520 * pr, 0))) {
        ImGui::TableSetupColumn("Account");
        ImGui::TableSetupColumn("Potential");
        ImGui::TableSetupColumn("Owner");
        ImGui::TableSetupColumn("Rep name");
        tableHeaders();
        const Table& acc = preview.accounts();
        const Table& rp = preview.reps();
        for (std::size_t r = 0; r < acc.rows() && r < 4; ++r) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(std::string(acc.str(acc.indexOf("name"), r)).c_str());
            ImGui::TableNextColumn();
            const Money p = acc.i64(acc.indexOf("potential"), r);
            ImGui::TextUnformatted(opt.redaction.bandMoney ? moneyBandLabel(p).c_str() : fmt::money(p).c_str());
            ImGui::TableNextColumn();
            const std::string_view owner = acc.str(acc.indexOf("owner"), r);
            ImGui::TextUnformatted(std::string(owner).c_str());
            ImGui::TableNextColumn();
            auto rr = rp.rowOf(owner);
            ImGui::TextUnformatted(rr ? std::string(rp.str(rp.indexOf("name"), *rr)).c_str() : "");
        }
        ImGui::EndTable();
    }
    ImGui::Text("%s scenarios, %s accounts, %zu review entries", fmt::count(ws.scenarios.size()).c_str(), fmt::count(ws.accounts().rows()).c_str(),
                app.review().size());
    if (ImGui::Button(ui.save.asStandalone ? "Export page" : "Save", ImVec2(120 * pr, 0))) {
        if (ui.save.asStandalone) app.exportStandalone(opt, ui.save.fileName);
        else app.saveScenarioFile(opt, ui.save.fileName);
        ui.save.asStandalone = false;
        ImGui::CloseCurrentPopup();
    }
    markTarget(app, "save.confirm");
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(120 * pr, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) {
        ui.save.asStandalone = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

} // namespace terrane
