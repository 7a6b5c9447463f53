// Select by filter: any account column, an operator for its type, a value; with a live count.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/data/filter.hpp"

#include <algorithm>
#include <unordered_map>

namespace terrane {

void drawFilterDialog(App& app) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    openModal("Select by filter", ui.filter.show);
    if (!beginModal("Select by filter")) return;
    const Table& acc = app.workspace().accounts();
    ui.filter.column = std::clamp(ui.filter.column, 0, static_cast<int>(acc.columnCount()) - 1);
    const Column& col = acc.column(static_cast<std::size_t>(ui.filter.column));
    ImGui::TextWrapped("Select accounts where a column matches. Text matches ignore case; amounts accept 50k or $1.2M.");
    ImGui::SetNextItemWidth(220 * pr);
    if (ImGui::BeginCombo("Column", col.name().c_str())) {
        for (std::size_t i = 0; i < acc.columnCount(); ++i) {
            const std::string label = acc.column(i).name() + "  (" + columnTypeName(acc.column(i).type()) + ")";
            if (ImGui::Selectable(label.c_str(), static_cast<int>(i) == ui.filter.column)) {
                ui.filter.column = static_cast<int>(i);
                ui.filter.op = 0;
            }
        }
        ImGui::EndCombo();
    }
    markTarget(app, "filter.column");
    const auto ops = filterOpsFor(col.type());
    ui.filter.op = std::clamp(ui.filter.op, 0, static_cast<int>(ops.size()) - 1);
    ImGui::SetNextItemWidth(220 * pr);
    if (ImGui::BeginCombo("Condition", filterOpLabel(ops[static_cast<std::size_t>(ui.filter.op)]))) {
        for (std::size_t i = 0; i < ops.size(); ++i)
            if (ImGui::Selectable(filterOpLabel(ops[i]), static_cast<int>(i) == ui.filter.op)) ui.filter.op = static_cast<int>(i);
        ImGui::EndCombo();
    }
    const FilterOp op = ops[static_cast<std::size_t>(ui.filter.op)];
    const bool needsValue = op != FilterOp::IsEmpty && op != FilterOp::NotEmpty && op != FilterOp::IsTrue && op != FilterOp::IsFalse;
    if (needsValue) {
        ImGui::SetNextItemWidth(220 * pr);
        ImGui::InputTextWithHint("Value", op == FilterOp::OneOf ? "comma-separated values" : "", ui.filter.value, sizeof ui.filter.value);
        if (op == FilterOp::Between) {
            ImGui::SetNextItemWidth(220 * pr);
            ImGui::InputText("and", ui.filter.value2, sizeof ui.filter.value2);
        }
        // Suggestions for text columns: the most frequent values.
        if (col.type() == ColumnType::String && (op == FilterOp::Equals || op == FilterOp::OneOf)) {
            std::unordered_map<std::uint32_t, std::size_t> freq;
            for (std::uint32_t id : col.ids()) ++freq[id];
            std::vector<std::pair<std::size_t, std::uint32_t>> top;
            for (auto [id, n] : freq)
                if (id != 0) top.emplace_back(n, id);
            std::sort(top.rbegin(), top.rend());
            if (top.size() <= 60 && !top.empty()) {
                ImGui::TextDisabled("Values:");
                for (std::size_t i = 0; i < top.size() && i < 16; ++i) {
                    const std::string v(acc.pool().view(top[i].second));
                    if (i % 4) ImGui::SameLine();
                    ImGui::PushID(static_cast<int>(i));
                    if (ImGui::SmallButton(v.c_str())) {
                        std::string cur = ui.filter.value;
                        cur = op == FilterOp::OneOf && !cur.empty() ? cur + ", " + v : v;
                        std::snprintf(ui.filter.value, sizeof ui.filter.value, "%s", cur.c_str());
                    }
                    ImGui::PopID();
                }
            }
        }
    }
    const char* modes[] = {"Replace the selection", "Add to the selection", "Remove from the selection"};
    ImGui::SetNextItemWidth(220 * pr);
    ImGui::Combo("Mode", &ui.filter.mode, modes, 3);
    std::vector<std::uint32_t> rows;
    std::string error;
    const bool ok = filterRows(acc, RowFilter{col.name(), op, ui.filter.value, ui.filter.value2}, rows, error);
    if (ok) ImGui::Text("%s accounts match", fmt::count(rows.size()).c_str());
    else ImGui::TextColored(ImColor(badColor(ui.theme)), "%s", error.c_str());
    ImGui::BeginDisabled(!ok);
    if (ImGui::Button("Select", ImVec2(120 * pr, 0))) {
        app.select(rows, static_cast<SelectMode>(ui.filter.mode));
        app.notify(fmt::count(rows.size()) + " accounts where " + col.name() + " " + filterOpLabel(op) + " " + ui.filter.value);
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(120 * pr, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

} // namespace terrane
