// Data tables: a drawer under the map with one sortable, filterable, virtualised table per dataset
// (only the visible rows are drawn, so a million rows scroll smoothly). The accounts table's
// filter dims the accounts it hides on the map; clicking an account row selects it.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "app/theme.hpp"

namespace terrane {

void drawDataTable(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    beginPanel("##datatable", pos, size);
    // Resize handle along the top edge.
    ImGui::SetCursorScreenPos(pos);
    ImGui::InvisibleButton("##resize", ImVec2(size.x, 5 * pr));
    if (ImGui::IsItemHovered() || ImGui::IsItemActive()) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeNS);
    if (ImGui::IsItemActive()) ui.data.tableHeight = std::max(120.0f, ui.data.tableHeight - ImGui::GetIO().MouseDelta.y / pr);
    ImGui::SetCursorScreenPos(ImVec2(pos.x + ImGui::GetStyle().WindowPadding.x, pos.y + 6 * pr));

    const Workspace& ws = app.workspace();
    // Dataset tabs.
    for (int k = 0; k < kDatasetKindCount; ++k) {
        const auto kind = static_cast<DatasetKind>(k);
        const Table& t = ws.table(kind);
        if (t.rows() == 0 && kind != DatasetKind::Accounts) continue;
        if (k) ImGui::SameLine();
        const std::string label = std::string(datasetKindName(kind)) + " (" + fmt::count(t.rows()) + ")";
        if (ImGui::RadioButton(label.c_str(), ui.data.tableKind == k)) ui.data.tableKind = k;
    }
    ImGui::SameLine(size.x - 34 * pr);
    if (ImGui::SmallButton("x")) ui.data.showTable = false;

    const auto kind = static_cast<DatasetKind>(ui.data.tableKind);
    DataTableState& st = ui.data.tables[static_cast<std::size_t>(ui.data.tableKind)];
    const Table& t = ws.table(kind);
    // Filter row.
    ImGui::SetNextItemWidth(170 * pr);
    const char* colLabel = st.filterColumn >= 0 && static_cast<std::size_t>(st.filterColumn) < t.columnCount()
                               ? t.column(static_cast<std::size_t>(st.filterColumn)).name().c_str()
                               : "any text column";
    if (ImGui::BeginCombo("##filtercol", colLabel)) {
        if (ImGui::Selectable("any text column", st.filterColumn < 0)) st.filterColumn = -1, st.dirty = true;
        for (std::size_t c = 0; c < t.columnCount(); ++c)
            if (ImGui::Selectable(t.column(c).name().c_str(), st.filterColumn == static_cast<int>(c))) st.filterColumn = static_cast<int>(c), st.dirty = true;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(240 * pr);
    if (ImGui::InputTextWithHint("##filter", "filter: text, or >100, <=5, 10..20", st.filterText, sizeof st.filterText)) st.dirty = true;
    if (kind == DatasetKind::Accounts) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(150 * pr);
        const char* pl = st.precisionFilter < 0 ? "any placement" : geoPrecisionName(static_cast<GeoPrecision>(st.precisionFilter));
        if (ImGui::BeginCombo("##precision", pl)) {
            if (ImGui::Selectable("any placement", st.precisionFilter < 0)) st.precisionFilter = -1, st.dirty = true;
            for (int p = kGeoPrecisionCount - 1; p >= 0; --p)
                if (ImGui::Selectable(geoPrecisionName(static_cast<GeoPrecision>(p)), st.precisionFilter == p)) st.precisionFilter = p, st.dirty = true;
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        if (ImGui::Checkbox("dim the others on the map", &st.drivesMap)) st.dirty = true;
    }
    if (st.dirty) app.refreshTable(kind);
    ImGui::SameLine();
    ImGui::TextDisabled("%s of %s rows", fmt::count(st.rows.size()).c_str(), fmt::count(t.rows()).c_str());

    const int ncols = static_cast<int>(std::min<std::size_t>(t.columnCount(), 60));
    if (ncols == 0) {
        ImGui::End();
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Sortable | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_Reorderable | ImGuiTableFlags_Hideable;
    ImGui::PushID(ui.data.tableKind);
    if (ImGui::BeginTable("rows", ncols + 1, flags, ImGui::GetContentRegionAvail())) {
        ImGui::TableSetupScrollFreeze(2, 1);
        ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_NoSort | ImGuiTableColumnFlags_NoHide, 56 * pr);
        for (int c = 0; c < ncols; ++c) {
            const Column& col = t.column(static_cast<std::size_t>(c));
            const float w = col.type() == ColumnType::String ? 120 * pr : 90 * pr;
            ImGui::TableSetupColumn(col.name().c_str(), isNumericType(col.type()) ? ImGuiTableColumnFlags_PreferSortDescending : 0, w);
        }
        ImGui::TableHeadersRow();
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
            if (specs->SpecsCount > 0) {
                st.sortColumn = specs->Specs[0].ColumnIndex - 1;
                st.descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
            } else {
                st.sortColumn = -1;
            }
            specs->SpecsDirty = false;
            app.refreshTable(kind);
        }
        const StringPool& pool = t.pool();
        ImGuiListClipper clip;
        clip.Begin(static_cast<int>(st.rows.size()));
        while (clip.Step()) {
            for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                const std::uint32_t row = st.rows[static_cast<std::size_t>(i)];
                if (row >= t.rows()) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(static_cast<int>(row));
                const bool selected = kind == DatasetKind::Accounts && ui.selection.focus == static_cast<std::int64_t>(row);
                char num[24];
                std::snprintf(num, sizeof num, "%u", row + 1);
                if (ImGui::Selectable(num, selected, ImGuiSelectableFlags_SpanAllColumns)) {
                    if (kind == DatasetKind::Accounts) {
                        app.focusAccount(row);
                    } else if (const Column* acc = t.find("account_id"); acc && acc->type() == ColumnType::String) {
                        if (auto a = ws.accounts().rowOfStringId(acc->ids()[row])) app.focusAccount(static_cast<std::int64_t>(*a));
                    }
                }
                ImGui::PopID();
                for (int c = 0; c < ncols; ++c) {
                    ImGui::TableNextColumn();
                    const Column& col = t.column(static_cast<std::size_t>(c));
                    if (col.isNull(row)) continue;
                    if (col.type() == ColumnType::String) {
                        const std::string_view v = pool.view(col.ids()[row]);
                        ImGui::TextUnformatted(v.data(), v.data() + std::min<std::size_t>(v.size(), 200));
                    } else if (col.type() == ColumnType::Money) {
                        ImGui::TextUnformatted(fmt::money(col.i64()[row]).c_str());
                    } else {
                        ImGui::TextUnformatted(col.format(row, pool).c_str());
                    }
                }
            }
        }
        ImGui::EndTable();
    }
    ImGui::PopID();
    ImGui::End();
}

} // namespace terrane
