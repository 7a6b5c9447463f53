// Import reports: one per imported file - counts, source fingerprint, mapping with types, warnings
// and the rejected rows with their reasons (downloadable as CSV).
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "app/theme.hpp"

namespace terrane {

namespace {

void drawReport(App& app, std::size_t index) {
    const ImportRecord& rec = app.imports().records[index];
    const ImportReport& r = rec.report;
    const UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted(rec.fileName.c_str());
    ImGui::PopFont();
    if (rec.skipped) {
        ImGui::TextWrapped("Skipped: %s", rec.reason.c_str());
        ImGui::TextDisabled("Nothing was imported from this file; the workspace is as it was.");
        return;
    }
    if (!rec.ok) {
        ImGui::PushStyleColor(ImGuiCol_Text, badColor(ui.theme));
        ImGui::TextWrapped("Not imported: %s", rec.error.c_str());
        ImGui::PopStyleColor();
        ImGui::TextWrapped("The workspace was left exactly as it was.");
        return;
    }
    ImGui::TextDisabled("%s  |  %s  |  %s bytes  |  SHA-256 %s", datasetKindName(r.kind), r.encoding.c_str(), fmt::count(r.bytes).c_str(),
                        r.sha256.substr(0, 16).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("SHA-256 %s\nHeader signature %s", r.sha256.c_str(), r.signature.c_str());
    if (rec.merged)
        ImGui::TextWrapped("%s into the %s %s already there: %s rows before, %s after (%s updated, %s added, %s removed)",
                           rec.mode == ImportMode::Replace ? "Replaced" : rec.mode == ImportMode::Add ? "Added" : "Updated by id",
                           fmt::count(rec.counts.before).c_str(), datasetKindName(r.kind), fmt::count(rec.counts.before).c_str(),
                           fmt::count(rec.counts.after).c_str(), fmt::count(rec.counts.updated).c_str(), fmt::count(rec.counts.added).c_str(),
                           fmt::count(rec.counts.removed).c_str());
    if (ImGui::BeginTable("counts", 4, ImGuiTableFlags_SizingStretchSame)) {
        auto cell = [&](const char* label, std::uint64_t v, ImU32 color) {
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", label);
            ImGui::PushFont(app.fonts().large);
            ImGui::PushStyleColor(ImGuiCol_Text, color);
            ImGui::TextUnformatted(fmt::count(v).c_str());
            ImGui::PopStyleColor();
            ImGui::PopFont();
        };
        ImGui::TableNextRow();
        const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
        cell("Rows read", r.rowsRead, text);
        cell("Accepted", r.rowsAccepted, goodColor(ui.theme));
        cell("Rejected", r.rowsRejected, r.rowsRejected ? badColor(ui.theme) : text);
        ImGui::TableNextColumn();
        ImGui::TextDisabled("Time");
        ImGui::PushFont(app.fonts().large);
        ImGui::Text("%.0f ms", r.elapsedMs);
        ImGui::PopFont();
        ImGui::EndTable();
    }
    // The workspace's stage table (after the latest opportunities import): a change re-derives
    // every deal's outcome, and the summary and data-quality checks follow.
    const StageTable& stages = app.workspace().settings.stages;
    bool latestDeals = r.kind == DatasetKind::Opportunities;
    for (std::size_t k = index + 1; k < app.imports().records.size(); ++k)
        latestDeals &= !(app.imports().records[k].ok && app.imports().records[k].report.kind == DatasetKind::Opportunities);
    if (latestDeals && !stages.empty() &&
        ImGui::CollapsingHeader(("Stages (" + std::to_string(stages.stages.size()) + ")").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
        ImGui::TextDisabled("%s: %s won, %s lost, %s open", stages.outcomesFromStages ? "Outcomes read from each deal's stage" : "Outcomes from the file's closed / won or status columns",
                            fmt::count(stages.deals(StageOutcome::Won)).c_str(), fmt::count(stages.deals(StageOutcome::Lost)).c_str(),
                            fmt::count(stages.deals(StageOutcome::Open)).c_str());
        for (const std::string& w : stages.warnings) {
            ImGui::PushStyleColor(ImGuiCol_Text, warnColor(ui.theme));
            ImGui::TextWrapped("%s", w.c_str());
            ImGui::PopStyleColor();
        }
        StageRow edited;
        const float h = (std::min<float>(8.0f, static_cast<float>(stages.stages.size())) + 1.4f) * ImGui::GetFrameHeightWithSpacing();
        const bool changed = drawStageTable(app, stages, "report-stages", h, edited);
        markTarget(app, "report-stage-table");
        if (changed) app.setWorkspaceStage(edited);
    }
    ImGui::BeginDisabled(r.rejects.empty());
    const bool download = ImGui::Button("Download rejected rows (CSV)");
    markTarget(app, "download-rejects");
    if (download) app.downloadRejects(index);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("The original rows as they are in the file, with _line and _reason columns");
    if (!r.warnings.empty() && ImGui::CollapsingHeader(("Warnings (" + std::to_string(r.warnings.size()) + ")").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
        for (const std::string& w : r.warnings) {
            ImGui::Bullet();
            ImGui::TextWrapped("%s", w.c_str());
        }
    }
    if (r.geocode.ran && ImGui::CollapsingHeader("Placement on the map", ImGuiTreeNodeFlags_DefaultOpen)) {
        std::string line;
        for (int p = kGeoPrecisionCount - 1; p >= 0; --p) {
            const auto c = r.geocode.counts[static_cast<std::size_t>(p)];
            if (c) line += (line.empty() ? "" : "   ") + fmt::count(c) + " " + (p == 0 ? std::string("not placed") : geoPrecisionName(static_cast<GeoPrecision>(p)));
        }
        ImGui::TextWrapped("%s", line.c_str());
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled("exact: coordinates in the file; postcode: ZIP or FSA centre; city, region, country: their centres");
        ImGui::PopTextWrapPos();
    }
    if (ImGui::CollapsingHeader("Mapping and types", ImGuiTreeNodeFlags_DefaultOpen)) {
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
        if (ImGui::BeginTable("mapping", 6, flags)) {
            ImGui::TableSetupColumn("Field", 0, 1.1f);
            ImGui::TableSetupColumn("Column in file", 0, 1.3f);
            ImGui::TableSetupColumn("Type", 0, 0.6f);
            ImGui::TableSetupColumn("Filled", 0, 0.6f);
            ImGui::TableSetupColumn("Failed", 0, 0.5f);
            ImGui::TableSetupColumn("Failed values / notes", 0, 2.0f);
            ImGui::TableHeadersRow();
            for (const FieldMapping& m : r.mapping) {
                if (m.sourceColumn < 0) continue;
                const ColumnProfile& p = r.columns[static_cast<std::size_t>(m.sourceColumn)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                if (m.extra) ImGui::TextDisabled("(extra)");
                else ImGui::TextUnformatted(m.field.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(m.header.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(columnTypeName(m.type));
                ImGui::TableNextColumn();
                const std::uint64_t total = p.values + p.empty;
                ImGui::TextUnformatted(total ? fmt::percent(static_cast<double>(p.values) / static_cast<double>(total), 0).c_str() : "-");
                ImGui::TableNextColumn();
                if (p.failures) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(badColor(ui.theme)), "%s", fmt::count(p.failures).c_str());
                else ImGui::TextDisabled("0");
                ImGui::TableNextColumn();
                std::string s;
                for (std::size_t i = 0; i < p.failSamples.size(); ++i) s += (i ? ", '" : "'") + p.failSamples[i] + "'";
                if (m.type == ColumnType::Date && p.dateOrder != DateOrder::Auto)
                    s += std::string(s.empty() ? "" : "; ") + (p.dateOrder == DateOrder::DMY ? "DD/MM" : "MM/DD") + (p.dateOrderAmbiguous ? " (ambiguous: setting)" : " (from the data)");
                if (!p.note.empty()) s += (s.empty() ? "" : "; ") + p.note;
                ImGui::TextWrapped("%s", s.c_str());
            }
            ImGui::EndTable();
        }
    }
    if (!r.rejects.empty() && ImGui::CollapsingHeader(("Rejected rows (" + fmt::count(r.rejects.size()) + ")").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
        const float h = std::min(260 * pr, (static_cast<float>(r.rejects.size()) + 1.5f) * ImGui::GetTextLineHeightWithSpacing() + 8 * pr);
        if (ImGui::BeginTable("rejects", 4, flags, ImVec2(0, h))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn("Line", 0, 0.4f);
            ImGui::TableSetupColumn("Column", 0, 1.0f);
            ImGui::TableSetupColumn("Value", 0, 1.0f);
            ImGui::TableSetupColumn("Expected", 0, 2.0f);
            ImGui::TableHeadersRow();
            ImGuiListClipper clip;
            clip.Begin(static_cast<int>(r.rejects.size()));
            while (clip.Step()) {
                for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                    const RejectedRow& x = r.rejects[static_cast<std::size_t>(i)];
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    ImGui::Text("%llu", static_cast<unsigned long long>(x.line));
                    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", x.text.substr(0, 400).c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(x.column.empty() ? "(whole row)" : x.column.c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(x.raw.substr(0, 60).c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(x.expected.c_str());
                }
            }
            ImGui::EndTable();
        }
    }
}

} // namespace

void drawImportReports(App& app) {
    UiState& ui = app.ui();
    const auto& records = app.imports().records;
    if (records.empty()) {
        ImGui::TextWrapped("No file imported yet. Use File > Import... or drop CSV files on the page.");
        return;
    }
    // Files skipped because Terrane does not plan with what they hold, one line each.
    std::size_t skipped = 0;
    for (const ImportRecord& r : records) skipped += r.skipped ? 1 : 0;
    if (skipped > 0) {
        ImGui::TextUnformatted(("Skipped " + fmt::count(skipped) + (skipped == 1 ? " file:" : " files:")).c_str());
        ImGui::PushTextWrapPos(0);
        for (const ImportRecord& r : records)
            if (r.skipped) ImGui::TextDisabled("%s", r.reason.c_str());
        ImGui::PopTextWrapPos();
        ImGui::Separator();
    }
    if (ImGui::BeginTabBar("reports", ImGuiTabBarFlags_FittingPolicyScroll)) {
        for (std::size_t i = 0; i < records.size(); ++i) {
            ImGui::PushID(static_cast<int>(i));
            const bool select = ui.data.selectedReport == static_cast<int>(i);
            if (ImGui::BeginTabItem(records[i].fileName.c_str(), nullptr, select ? ImGuiTabItemFlags_SetSelected : 0)) {
                ImGui::BeginChild("report");
                drawReport(app, i);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
            ImGui::PopID();
        }
        ImGui::EndTabBar();
    }
    // The tab chosen by an import is forced once; the user's clicks then take over.
    ui.data.selectedReport = -1;
}

} // namespace terrane
