// Data quality: completeness per file and the hygiene findings, each with its basis, the affected
// rows (click to select), a map highlight and, for spelling variants, a merge action; the findings
// export as CSV and can be enlarged to most of the page.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "app/theme.hpp"

namespace terrane {

namespace {

ImU32 severityColor(Theme theme, FindingSeverity s) {
    switch (s) {
    case FindingSeverity::Error: return badColor(theme);
    case FindingSeverity::Warning: return IM_COL32(230, 160, 40, 255);
    case FindingSeverity::Info: return mutedTextColor(theme);
    }
    return mutedTextColor(theme);
}

// A short description of one affected row: id plus a couple of telling fields.
std::string rowLabel(const Workspace& ws, DatasetKind kind, std::uint32_t row) {
    const Table& t = ws.table(kind);
    if (row >= t.rows()) return "row " + std::to_string(row + 1);
    auto s = [&](const char* c) { return std::string(t.str(t.indexOf(c), row)); };
    std::string id(t.str(t.indexOf(idFieldOf(kind)), row));
    switch (kind) {
    case DatasetKind::Accounts: return id + "  " + s("name") + "  " + s("city") + " " + s("state") + " " + s("postcode");
    case DatasetKind::Opportunities: {
        const std::int64_t a = t.i64(t.indexOf("amount"), row);
        const std::int64_t d = t.i64(t.indexOf("close_date"), row);
        return id + "  " + s("name") + "  " + s("stage") + "  " + (a == kI64Null ? std::string("no amount") : fmt::money(a)) +
               (d == kI64Null ? std::string() : "  closes " + formatDate(static_cast<Date>(d)));
    }
    case DatasetKind::StageHistory: return s("opportunity_id") + "  " + s("stage");
    case DatasetKind::Products: return (id.empty() ? "row " + std::to_string(row + 1) : id) + "  " + s("name") + "  " + s("family");
    default: return id + "  " + s("name");
    }
}

void drawFindingDetail(App& app, std::size_t index) {
    const Finding& f = app.imports().hygiene.findings[index];
    const UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextWrapped("%s", f.title.c_str());
    ImGui::PopFont();
    ImGui::TextWrapped("%s", f.basis.c_str());
    if (!f.accountRows.empty()) {
        const bool on = app.map().highlight().size() == f.accountRows.size() && ui.data.highlightLabel == f.title;
        const bool clicked = ImGui::Button(on ? "Clear map highlight" : ("Show " + fmt::count(f.accountRows.size()) + " accounts on the map").c_str());
        markTarget(app, "finding-highlight");
        if (clicked) app.highlightFinding(on ? -1 : static_cast<int>(index));
    }
    if (!f.spellings.empty()) {
        ImGui::Spacing();
        ImGui::BeginDisabled(app.imports().hygieneQueued);
        for (std::size_t g = 0; g < f.spellings.size(); ++g) {
            const SpellingGroup& sg = f.spellings[g];
            ImGui::PushID(static_cast<int>(g));
            std::string variants;
            for (const auto& v : sg.variants) variants += (variants.empty() ? "'" : ", '") + v + "'";
            ImGui::BulletText("%s -> '%s' (%s cells)", variants.c_str(), sg.canonical.c_str(), fmt::count(sg.cells).c_str());
            ImGui::SameLine();
            const bool merge = ImGui::SmallButton("Merge");
            markTarget(app, "merge-" + std::to_string(g));
            if (merge) app.mergeSpelling(index, g);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Rewrite these cells to '%s' (recorded in the workspace's data edits)", sg.canonical.c_str());
            ImGui::PopID();
        }
        ImGui::EndDisabled();
    }
    ImGui::Spacing();
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH;
    if (ImGui::BeginTable("rows", 1, flags, ImVec2(0, std::max(80 * pr, ImGui::GetContentRegionAvail().y)))) {
        ImGuiListClipper clip;
        clip.Begin(static_cast<int>(f.rows.size()));
        while (clip.Step()) {
            for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                const std::uint32_t row = f.rows[static_cast<std::size_t>(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(i);
                std::string label = rowLabel(app.workspace(), f.dataset, row);
                if (!f.groups.empty()) label = "group " + std::to_string(f.groups[static_cast<std::size_t>(i)] + 1) + "  " + label;
                const bool selected = f.dataset == DatasetKind::Accounts && ui.selection.focus == static_cast<std::int64_t>(row);
                if (ImGui::Selectable(label.c_str(), selected)) {
                    if (f.dataset == DatasetKind::Accounts) {
                        app.focusAccount(row);
                    } else if (f.dataset == DatasetKind::Opportunities) {
                        const Table& o = app.workspace().opportunities();
                        if (auto a = app.workspace().accounts().rowOfStringId(o.find("account_id")->ids()[row])) app.focusAccount(static_cast<std::int64_t>(*a));
                    }
                }
                ImGui::PopID();
            }
        }
        ImGui::EndTable();
    }
}

} // namespace

void drawDataQuality(App& app) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    ImportFlow& flow = app.imports();
    if (!flow.hygieneValid) {
        if (flow.hygieneQueued) ImGui::TextUnformatted("Checking the data...");
        else if (ImGui::Button("Run the data-quality checks")) app.runHygiene();
        return;
    }
    const HygieneReport& h = flow.hygiene;
    ImGui::TextDisabled("As of %s  |  %zu checks flag rows", formatDate(h.asOf).c_str(), h.problems());
    ImGui::SameLine();
    ImGui::BeginDisabled(flow.hygieneQueued);
    if (ImGui::SmallButton("Re-check")) app.runHygiene();
    ImGui::EndDisabled();

    int stale = app.workspace().settings.staleDays;
    ImGui::SetNextItemWidth(110 * pr);
    if (ImGui::InputInt("days: stale late-stage deal", &stale, 5, 30, ImGuiInputTextFlags_EnterReturnsTrue)) app.setStaleDays(stale);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Late-stage deals with no activity for this many days are flagged");

    if (ImGui::CollapsingHeader("Completeness per file", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (ImGui::BeginTable("complete", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn("Dataset", 0, 0.8f);
            ImGui::TableSetupColumn("File", 0, 1.4f);
            ImGui::TableSetupColumn("Rows", 0, 0.6f);
            ImGui::TableSetupColumn("Completeness", 0, 1.2f);
            ImGui::TableHeadersRow();
            for (const FileCompleteness& c : h.completeness) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(datasetKindName(c.kind));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(c.fileName.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt::count(c.rows).c_str());
                ImGui::TableNextColumn();
                ImGui::ProgressBar(static_cast<float>(c.score), ImVec2(-1, 0), fmt::percent(c.score, 0).c_str());
                if (ImGui::IsItemHovered()) {
                    std::string tip = "Mean share of rows that have each key field:\n";
                    for (const FieldFill& ff : c.fields) tip += "  " + ff.field + ": " + fmt::percent(ff.filled, 0) + "\n";
                    ImGui::SetTooltip("%s", tip.c_str());
                }
            }
            ImGui::EndTable();
        }
    }
    if (ImGui::CollapsingHeader("Findings", ImGuiTreeNodeFlags_DefaultOpen)) {
        const bool csv = ImGui::SmallButton("Export CSV");
        markTarget(app, "findings-csv");
        if (csv) app.downloadFindings();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Every finding with its rows (finding, dataset, row, id, detail) as a CSV file");
        ImGui::SameLine();
        const bool enlarge = ImGui::SmallButton(ui.data.findingsLarge ? "Restore the map" : "Enlarge");
        markTarget(app, "findings-enlarge");
        if (enlarge) ui.data.findingsLarge = !ui.data.findingsLarge;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip(ui.data.findingsLarge ? "Give the map its room back" : "Give the findings most of the page");
        const float listH = std::min(ImGui::GetContentRegionAvail().y * (ui.data.findingsLarge ? 0.6f : 0.45f), (static_cast<float>(h.problems()) + 1.2f) * ImGui::GetFrameHeightWithSpacing());
        if (ImGui::BeginTable("findings", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp, ImVec2(0, std::max(listH, 60 * pr)))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn("Check", 0, 2.4f);
            ImGui::TableSetupColumn("Dataset", 0, 0.9f);
            ImGui::TableSetupColumn("Rows", 0, 0.5f);
            ImGui::TableHeadersRow();
            for (std::size_t i = 0; i < h.findings.size(); ++i) {
                const Finding& f = h.findings[i];
                if (f.count == 0) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(static_cast<int>(i));
                const ImVec2 p = ImGui::GetCursorScreenPos();
                const float dot = ImGui::GetTextLineHeight() * 0.5f;
                ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + dot * 0.5f, p.y + dot), dot * 0.45f, severityColor(ui.theme, f.severity));
                ImGui::SetCursorScreenPos(ImVec2(p.x + dot * 1.4f, p.y));
                const bool clicked = ImGui::Selectable(f.title.c_str(), ui.data.selectedFinding == static_cast<int>(i), ImGuiSelectableFlags_SpanAllColumns);
                markTarget(app, "finding:" + f.id);
                if (clicked) app.highlightFinding(ui.data.selectedFinding == static_cast<int>(i) ? -1 : static_cast<int>(i));
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", f.basis.c_str());
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::TextDisabled("%s", datasetKindName(f.dataset));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt::count(f.count).c_str());
            }
            ImGui::EndTable();
        }
        std::size_t skipped = 0, clean = 0;
        for (const Finding& f : h.findings) skipped += f.checked ? 0 : 1, clean += f.checked && f.count == 0 ? 1 : 0;
        ImGui::TextDisabled("%zu checks passed; %zu need data not loaded (hover)", clean, skipped);
        if (ImGui::IsItemHovered() && skipped) {
            std::string tip;
            for (const Finding& f : h.findings)
                if (!f.checked) tip += f.title + ": " + f.skipped + "\n";
            ImGui::SetTooltip("%s", tip.c_str());
        }
    }
    if (ui.data.selectedFinding >= 0 && static_cast<std::size_t>(ui.data.selectedFinding) < h.findings.size()) {
        ImGui::Separator();
        drawFindingDetail(app, static_cast<std::size_t>(ui.data.selectedFinding));
    } else if (h.problems() > 0) {
        ImGui::TextDisabled("Click a finding to list its rows and show them on the map.");
    }
}

} // namespace terrane
