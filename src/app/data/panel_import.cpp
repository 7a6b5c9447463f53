// The mapping dialog: confirms the detected kind and mapping of the first queued file, with a
// preview of its first rows, each field's source column and types, and values that failed.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "app/theme.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace terrane {

namespace {

const char* delimiterLabel(char d) {
    switch (d) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
    case '|': return "pipe";
    default: return "other";
    }
}

std::string byteSize(std::uint64_t b) {
    char buf[32];
    if (b >= 1000000) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(b) / 1e6);
    else if (b >= 1000) std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(b) / 1e3);
    else std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(b));
    return buf;
}

const char* orderLabel(DateOrder o) {
    switch (o) {
    case DateOrder::DMY: return "DD/MM/YYYY";
    case DateOrder::MDY: return "MM/DD/YYYY";
    default: return "decide per column from the data";
    }
}

// Draws the field table; a source chosen in it is applied after the table is drawn.
void drawFieldTable(App& app, PendingFile& f, float height) {
    int chosenField = -1, chosenColumn = -1;
    const ImportPreview& pv = f.preview;
    const auto fields = fieldsOf(f.kind);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("fields", 5, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Field", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("Source column", ImGuiTableColumnFlags_WidthStretch, 1.5f);
    ImGui::TableSetupColumn("Needs", ImGuiTableColumnFlags_WidthStretch, 0.6f);
    ImGui::TableSetupColumn("Looks like", ImGuiTableColumnFlags_WidthStretch, 0.6f);
    ImGui::TableSetupColumn("Values that do not parse (preview)", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableHeadersRow();
    const ImU32 bad = badColor(app.ui().theme);
    for (std::size_t fi = 0; fi < fields.size(); ++fi) {
        const FieldSpec& spec = fields[fi];
        const int col = fi < f.fieldColumn.size() ? f.fieldColumn[fi] : -1;
        ImGui::PushID(static_cast<int>(fi));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(std::string(spec.label).c_str());
        if (spec.required) {
            ImGui::SameLine(0, 4);
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(col < 0 ? bad : mutedTextColor(app.ui().theme)), "required");
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(spec.name).c_str());
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-1);
        const std::string current = col >= 0 ? pv.header[static_cast<std::size_t>(col)] : std::string("(not in file)");
        if (ImGui::BeginCombo("##src", current.c_str())) {
            if (ImGui::Selectable("(not in file)", col < 0)) chosenField = static_cast<int>(fi), chosenColumn = -1;
            for (std::size_t c = 0; c < pv.header.size(); ++c) {
                ImGui::PushID(static_cast<int>(c));
                if (ImGui::Selectable(pv.header[c].empty() ? "(blank header)" : pv.header[c].c_str(), col == static_cast<int>(c)))
                    chosenField = static_cast<int>(fi), chosenColumn = static_cast<int>(c);
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
        ImGui::TableNextColumn();
        const ColumnProfile* prof = col >= 0 && static_cast<std::size_t>(col) < pv.columns.size() ? &pv.columns[static_cast<std::size_t>(col)] : nullptr;
        if (spec.type == ColumnType::Money && prof) {
            // The unit of a money column: as written, in thousands or in millions.
            auto unitLabel = [](double k) { return k == 1e6 ? "money x 1,000,000" : k == 1e3 ? "money x 1,000" : "money"; };
            ImGui::SetNextItemWidth(-1);
            const bool unitOpen = ImGui::BeginCombo("##unit", unitLabel(prof->multiplier));
            markTarget(app, "import-unit-" + std::string(spec.name));
            if (unitOpen) {
                for (double k : {1.0, 1e3, 1e6})
                    if (ImGui::Selectable(unitLabel(k), prof->multiplier == k)) app.setPendingMultiplier(std::string(spec.name), k);
                ImGui::EndCombo();
            }
        } else {
            ImGui::TextUnformatted(columnTypeName(spec.type));
        }
        ImGui::TableNextColumn();
        if (col >= 0 && static_cast<std::size_t>(col) < pv.columns.size()) {
            const ColumnProfile& p = pv.columns[static_cast<std::size_t>(col)];
            ImGui::TextDisabled("%s", p.values ? columnTypeName(p.detected) : "empty");
            if (ImGui::IsItemHovered() && !p.samples.empty()) {
                std::string s;
                for (const auto& v : p.samples) s += (s.empty() ? "" : "\n") + v;
                ImGui::SetTooltip("%s", s.c_str());
            }
            ImGui::TableNextColumn();
            if (p.failures > 0) {
                std::string s = fmt::count(p.failures) + " of " + fmt::count(p.values) + ": ";
                for (std::size_t i = 0; i < p.failSamples.size(); ++i) s += (i ? ", '" : "'") + p.failSamples[i] + "'";
                ImGui::PushStyleColor(ImGuiCol_Text, bad);
                ImGui::TextWrapped("%s", s.c_str());
                ImGui::PopStyleColor();
            } else if (spec.type == ColumnType::Date && p.values > 0) {
                ImGui::TextDisabled("%s%s", p.dateOrder == DateOrder::DMY ? "day first (DD/MM)" : p.dateOrder == DateOrder::MDY ? "month first (MM/DD)" : "ISO or named months",
                                    p.dateOrderAmbiguous ? " - ambiguous, by the setting" : "");
            } else if (p.suggestedMultiplier > 0 && p.multiplier == 1) {
                ImGui::PushStyleColor(ImGuiCol_Text, warnColor(app.ui().theme));
                ImGui::TextWrapped("looks like %s: pick money x %s as its unit if it is", p.suggestedMultiplier == 1e6 ? "millions" : "thousands",
                                   p.suggestedMultiplier == 1e6 ? "1,000,000" : "1,000");
                ImGui::PopStyleColor();
            } else if (!p.note.empty()) {
                ImGui::TextDisabled("%s", p.note.c_str());
            }
        } else {
            ImGui::TextDisabled("-");
            ImGui::TableNextColumn();
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
    if (chosenField >= 0) app.setPendingField(static_cast<std::size_t>(chosenField), chosenColumn);
}

void drawPreviewRows(const ImportPreview& pv, float height) {
    if (pv.header.empty()) return;
    const int n = static_cast<int>(std::min<std::size_t>(pv.header.size(), 64));
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("preview", n, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (int c = 0; c < n; ++c) ImGui::TableSetupColumn(pv.header[static_cast<std::size_t>(c)].c_str());
    ImGui::TableHeadersRow();
    for (const auto& row : pv.rows) {
        ImGui::TableNextRow();
        for (int c = 0; c < n; ++c) {
            ImGui::TableNextColumn();
            if (static_cast<std::size_t>(c) < row.size()) {
                std::string v = row[static_cast<std::size_t>(c)];
                if (v.size() > 40) v = v.substr(0, 40) + "...";
                ImGui::TextUnformatted(v.c_str());
            }
        }
    }
    ImGui::EndTable();
}

} // namespace

bool drawStageTable(App& app, const StageTable& t, const char* id, float height, StageRow& edited) {
    bool changed = false;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable(id, 6, flags, ImVec2(0, height))) return false;
    ImGui::TableSetupScrollFreeze(0, 1);
    // Controls keep their width in a narrow panel; the stage and the reason share the rest.
    ImGui::TableSetupColumn("Order", ImGuiTableColumnFlags_WidthFixed, px(app, 84));
    ImGui::TableSetupColumn("Stage", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("Deals", ImGuiTableColumnFlags_WidthFixed, px(app, 44));
    ImGui::TableSetupColumn("Meaning", ImGuiTableColumnFlags_WidthFixed, px(app, 72));
    ImGui::TableSetupColumn("Probability", ImGuiTableColumnFlags_WidthFixed, px(app, 66));
    ImGui::TableSetupColumn("Decided by", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableHeadersRow();
    const Theme theme = app.ui().theme;
    for (std::size_t i = 0; i < t.stages.size(); ++i) {
        const StageRow& r = t.stages[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        int order = r.order;
        ImGui::SetNextItemWidth(-1);
        if (ImGui::InputInt("##order", &order, 1, 1) && order != r.order && order >= 1) {
            edited = r;
            edited.order = std::min<int>(order, static_cast<int>(t.stages.size()));
            changed = true;
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.name.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %s deals, %s (%s)", r.name.c_str(), fmt::count(r.count).c_str(), stageOutcomeName(r.outcome), r.why.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt::count(r.count).c_str());
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-1);
        const ImU32 color = r.outcome == StageOutcome::Won ? goodColor(theme) : r.outcome == StageOutcome::Lost ? badColor(theme) : ImGui::GetColorU32(ImGuiCol_Text);
        ImGui::PushStyleColor(ImGuiCol_Text, color);
        const bool open = ImGui::BeginCombo("##meaning", stageOutcomeName(r.outcome));
        ImGui::PopStyleColor();
        if (i == 0) markTarget(app, std::string(id) + "-meaning-0");
        if (open) {
            for (StageOutcome o : {StageOutcome::Open, StageOutcome::Won, StageOutcome::Lost}) {
                const bool picked = ImGui::Selectable(stageOutcomeName(o), r.outcome == o);
                if (i == 0) markTarget(app, std::string(id) + "-option-" + stageOutcomeName(o));
                if (picked && o != r.outcome) {
                    edited = r;
                    edited.outcome = o;
                    edited.probability = o == StageOutcome::Won ? 1.0 : o == StageOutcome::Lost ? 0.0 : r.probability;
                    changed = true;
                }
            }
            ImGui::EndCombo();
        }
        ImGui::TableNextColumn();
        float pct = std::isnan(r.probability) ? -1.0f : static_cast<float>(r.probability * 100.0);
        ImGui::SetNextItemWidth(-1);
        if (ImGui::InputFloat("##prob", &pct, 0.0f, 0.0f, pct < 0 ? "not set" : "%.0f%%", ImGuiInputTextFlags_EnterReturnsTrue) && pct >= 0) {
            edited = r;
            edited.probability = std::clamp(static_cast<double>(pct), 0.0, 100.0) / 100.0;
            changed = true;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Type a percentage and press Enter: the chance an open deal in this stage is won");
        ImGui::TableNextColumn();
        const bool guessed = r.source == StageSource::Assumed;
        ImGui::PushStyleColor(ImGuiCol_Text, guessed ? warnColor(theme) : mutedTextColor(theme));
        ImGui::TextUnformatted((std::string(stageSourceName(r.source)) + ": " + r.why).c_str());
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", r.why.c_str());
        ImGui::PopID();
    }
    ImGui::EndTable();
    return changed;
}

void drawImportDialog(App& app) {
    UiState& ui = app.ui();
    ImportFlow& flow = app.imports();
    const char* title = "Import data###importdialog";
    // A read file waiting for replace / add / update goes first (its own dialog).
    if (ui.data.showImportDialog && !flow.pending.empty() && !flow.awaitingMode && !ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
    const float pr = ui.pixelRatio;
    const ImVec2 vp = ImGui::GetMainViewport()->Size;
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(vp.x * 0.94f, 1040 * pr), std::min(vp.y * 0.9f, 760 * pr)), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
    if (flow.pending.empty()) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    PendingFile& f = flow.pending.front();
    const ImportPreview& pv = f.preview;
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted(f.name.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    if (pv.readable)
        ImGui::TextDisabled("%s  |  %s  |  %s-separated%s  |  %zu columns", byteSize(f.bytes.size()).c_str(), pv.encoding.c_str(),
                            delimiterLabel(pv.delimiter), pv.decimalSeparator == ',' ? ", decimal comma" : "", pv.header.size());
    else
        ImGui::TextDisabled("%s", byteSize(f.bytes.size()).c_str());
    if (flow.pending.size() > 1) {
        ImGui::SameLine();
        ImGui::TextDisabled("  |  %zu more files waiting", flow.pending.size() - 1);
    }
    ImGui::Separator();

    if (!pv.readable) {
        ImGui::PushStyleColor(ImGuiCol_Text, badColor(ui.theme));
        ImGui::TextWrapped("This file cannot be read: %s", pv.error.c_str());
        ImGui::PopStyleColor();
        ImGui::TextWrapped("Nothing in the workspace changes. The failure is listed in the import report.");
        const bool close = ImGui::Button("Close", ImVec2(140 * pr, 0));
        markTarget(app, "import-close");
        if (close || ImGui::IsKeyPressed(ImGuiKey_Enter) || ImGui::IsKeyPressed(ImGuiKey_Escape)) app.confirmImport();
        ImGui::EndPopup();
        return;
    }

    // Fields the analyses need but the mapping leaves empty: amber, not green.
    std::string missing;
    if (f.kind == DatasetKind::Opportunities)
        for (const char* need : {"amount", "owner", "created_date"})
            for (std::size_t fi = 0; fi < fieldsOf(f.kind).size() && fi < f.fieldColumn.size(); ++fi)
                if (fieldsOf(f.kind)[fi].name == need && f.fieldColumn[fi] < 0)
                    missing += (missing.empty() ? "" : ", ") + std::string(fieldsOf(f.kind)[fi].label);
    // Kind.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("This file holds");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(200 * pr);
    const bool kindOpen = ImGui::BeginCombo("##kind", datasetKindName(f.kind));
    markTarget(app, "import-kind");
    if (kindOpen) {
        for (int k = 0; k < kDatasetKindCount; ++k) {
            const auto kind = static_cast<DatasetKind>(k);
            if (ImGui::Selectable(datasetKindName(kind), f.kind == kind)) app.setPendingKind(kind);
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (pv.rememberedMapping) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(missing.empty() ? goodColor(ui.theme) : warnColor(ui.theme)), "Mapping remembered from a file with the same header");
    } else if (!pv.kinds.empty() && pv.kinds[0].kind == f.kind) {
        if (pv.kindConfident) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(missing.empty() ? goodColor(ui.theme) : warnColor(ui.theme)), "Detected from the header: %s", pv.kinds[0].reason.c_str());
        else ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(badColor(ui.theme)), "Best guess from the header (%s) - please check", pv.kinds[0].reason.c_str());
    }
    // Separator: the sniffer can be overridden.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Separator");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(150 * pr);
    const std::string sepLabel = f.delimiter ? std::string(delimiterLabel(f.delimiter)) : std::string("detected: ") + delimiterLabel(pv.delimiter);
    const bool sepOpen = ImGui::BeginCombo("##delimiter", sepLabel.c_str());
    markTarget(app, "import-delimiter");
    if (sepOpen) {
        if (ImGui::Selectable("detect from the file", f.delimiter == 0)) app.setPendingDelimiter(0);
        for (char d : {',', ';', '\t', '|'})
            if (ImGui::Selectable(delimiterLabel(d), f.delimiter == d)) app.setPendingDelimiter(d);
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    // Dates.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Dates like 03/04/2025");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(240 * pr);
    if (ImGui::BeginCombo("##dates", orderLabel(f.dateOrder))) {
        for (DateOrder o : {DateOrder::Auto, DateOrder::DMY, DateOrder::MDY})
            if (ImGui::Selectable(orderLabel(o), f.dateOrder == o)) app.setPendingDateOrder(o);
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("when a column cannot tell:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(150 * pr);
    const DateOrder amb = app.workspace().settings.ambiguousDateOrder;
    if (ImGui::BeginCombo("##ambiguous", amb == DateOrder::DMY ? "DD/MM (UK)" : "MM/DD (US)")) {
        if (ImGui::Selectable("MM/DD (US)", amb == DateOrder::MDY)) app.setAmbiguousDateOrder(DateOrder::MDY);
        if (ImGui::Selectable("DD/MM (UK)", amb == DateOrder::DMY)) app.setAmbiguousDateOrder(DateOrder::DMY);
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Workspace setting for date columns whose every value fits both orders (all days 12 or less).");

    // Values that will be rejected, summarised before the details.
    std::string failing;
    for (const ColumnProfile& c : pv.columns) {
        if (c.failures == 0 || c.field.empty()) continue;
        failing += (failing.empty() ? "" : "; ") + c.header + " (" + fmt::count(c.failures) + ": '" + c.failSamples.front() + "'" +
                   (c.failSamples.size() > 1 ? ", ..." : "") + ")";
    }
    if (!failing.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, badColor(ui.theme));
        ImGui::TextWrapped("Rows with values that do not parse will be rejected: %s", failing.c_str());
        ImGui::PopStyleColor();
    }
    if (!missing.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, warnColor(ui.theme));
        ImGui::TextWrapped("Not mapped: %s. The import works, but pipeline, win rates, quotas' history and sales cycles need them: "
                           "pick their columns below if the file has them.",
                           missing.c_str());
        ImGui::PopStyleColor();
        markTarget(app, "import-missing-fields");
    }
    const float footer = ImGui::GetFrameHeightWithSpacing() * 2.2f;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const bool stages = f.kind == DatasetKind::Opportunities && !pv.stages.empty();
    const float stagesH = stages ? std::min(7.5f, static_cast<float>(pv.stages.stages.size()) + 1.4f) * ImGui::GetFrameHeightWithSpacing() + line * 1.2f : 0.0f;
    const float avail = ImGui::GetContentRegionAvail().y - footer - stagesH;
    const float previewH = std::min(avail * 0.36f, (static_cast<float>(pv.rows.size()) + 1.6f) * line + 10 * pr);
    drawFieldTable(app, f, std::max(120 * pr, avail - previewH - line * 2.5f));
    if (stages) {
        const StageTable& st = pv.stages;
        ImGui::TextUnformatted("Stages");
        ImGui::SameLine();
        ImGui::TextDisabled("%s  |  in the %s sampled rows: %s won, %s lost, %s open", st.outcomesFromStages ? "each deal's outcome comes from its stage" : "outcomes come from the file's closed / won or status columns",
                            fmt::count(pv.sampledRows).c_str(), fmt::count(st.deals(StageOutcome::Won)).c_str(), fmt::count(st.deals(StageOutcome::Lost)).c_str(),
                            fmt::count(st.deals(StageOutcome::Open)).c_str());
        StageRow edited;
        const bool changed = drawStageTable(app, st, "import-stages", stagesH - line * 1.2f, edited);
        markTarget(app, "import-stage-table");
        if (changed) app.setPendingStage(edited);
    }

    std::string extras;
    for (const FieldMapping& m : pv.mapping)
        if (m.extra) extras += (extras.empty() ? "" : ", ") + m.header;
    if (!extras.empty()) ImGui::TextDisabled("Kept as extra text columns: %s", extras.c_str());
    else ImGui::TextDisabled("Every column is mapped to a field.");
    ImGui::TextDisabled("First %zu rows of %s sampled:", pv.rows.size(), fmt::count(pv.sampledRows).c_str());
    drawPreviewRows(pv, previewH);

    for (const std::string& w : pv.warnings) ImGui::TextDisabled("%s", w.c_str());
    if (!pv.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, badColor(ui.theme));
        ImGui::TextWrapped("%s", pv.error.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::Separator();
    ImGui::BeginDisabled(!pv.ok);
    const bool confirm = ImGui::Button("Import", ImVec2(140 * pr, 0));
    markTarget(app, "import-confirm");
    ImGui::EndDisabled();
    ImGui::SameLine();
    const bool skip = ImGui::Button(flow.pending.size() > 1 ? "Skip this file" : "Cancel", ImVec2(140 * pr, 0));
    markTarget(app, "import-skip");
    if (confirm || (pv.ok && ImGui::IsKeyPressed(ImGuiKey_Enter))) app.confirmImport();
    else if (skip || ImGui::IsKeyPressed(ImGuiKey_Escape)) app.skipImport();
    ImGui::SameLine();
    ImGui::TextDisabled("Rows that do not fit are rejected with a reason; nothing is lost.");
    if (flow.pending.empty()) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

} // namespace terrane
