// Side-by-side comparison of 2-4 scenarios: headline figures with deltas against the first, and
// per-territory accounts and potential.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <algorithm>
#include <map>

namespace terrane {

void drawComparePanel(App& app) {
    UiState& ui = app.ui();
    Workspace& ws = app.workspace();
    std::vector<std::size_t> set = ui.compareSet;
    if (set.empty()) {
        set.push_back(0);
        if (ws.activeScenario != 0) set.push_back(ws.activeScenario);
    }
    // Choose the scenarios.
    ImGui::TextDisabled("Compare:");
    for (std::size_t i = 0; i < ws.scenarios.size(); ++i) {
        ImGui::SameLine();
        bool on = std::find(set.begin(), set.end(), i) != set.end();
        ImGui::BeginDisabled(!on && set.size() >= 4);
        if (ImGui::Checkbox(ws.scenarios[i].name.c_str(), &on)) {
            ui.compareSet = set;
            if (on) ui.compareSet.push_back(i);
            else ui.compareSet.erase(std::find(ui.compareSet.begin(), ui.compareSet.end(), i));
        }
        ImGui::EndDisabled();
    }
    if (set.size() < 2) {
        ImGui::TextDisabled("Tick two to four scenarios (copy the baseline and edit it to make one).");
        return;
    }
    std::vector<const PlanMetrics*> pm;
    for (std::size_t s : set) pm.push_back(&app.metricsFor(s));
    const int cols = static_cast<int>(set.size()) + 1;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
    // Headline figures: the first scenario is the reference for deltas.
    if (ImGui::BeginTable("headline", cols, flags)) {
        ImGui::TableSetupColumn("Figure", 0, 1.4f);
        for (std::size_t s : set) ImGui::TableSetupColumn(ws.scenarios[s].name.c_str());
        tableHeaders();
        auto row = [&](const char* label, auto value, auto text, bool lowerIsBetter) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(label);
            const double first = value(*pm[0]);
            for (std::size_t k = 0; k < pm.size(); ++k) {
                ImGui::TableNextColumn();
                const double v = value(*pm[k]);
                ImGui::TextUnformatted(text(v).c_str());
                if (k > 0 && v != first) {
                    ImGui::SameLine();
                    const bool better = lowerIsBetter ? v < first : v > first;
                    ImGui::TextColored(ImColor(better ? goodColor(ui.theme) : badColor(ui.theme)), "(%s%s)", v > first ? "+" : "-",
                                       text(std::abs(v - first)).c_str());
                }
            }
        };
        auto pct = [](double v) { return fmt::percent(v); };
        auto cnt = [](double v) { return fmt::count(static_cast<std::uint64_t>(std::llround(v))); };
        const int P = static_cast<int>(PlanMetric::Potential), W = static_cast<int>(PlanMetric::Workload), A = static_cast<int>(PlanMetric::Accounts);
        row("Territories", [](const PlanMetrics& m) { return static_cast<double>(m.territories.size()); }, cnt, false);
        row("Max deviation, potential", [&](const PlanMetrics& m) { return m.balance.maxAbsDeviation[P]; }, pct, true);
        row("Max deviation, workload", [&](const PlanMetrics& m) { return m.balance.maxAbsDeviation[W]; }, pct, true);
        row("Max deviation, accounts", [&](const PlanMetrics& m) { return m.balance.maxAbsDeviation[A]; }, pct, true);
        row("Gini of potential load", [&](const PlanMetrics& m) { return m.balance.gini[P]; }, [](double v) { return fmt::fixed(v, 3); }, true);
        row("Territories outside tolerance", [](const PlanMetrics& m) { return static_cast<double>(m.balance.outsideTolerance); }, cnt, true);
        row("Accounts moved vs baseline", [](const PlanMetrics& m) { return static_cast<double>(m.disruption.accountsMoved); }, cnt, true);
        row("ARR moved vs baseline", [](const PlanMetrics& m) { return m.disruption.arrMovedShare; }, pct, true);
        row("Unassigned accounts", [&](const PlanMetrics& m) { return m.unassigned.sum[A]; }, cnt, true);
        ImGui::EndTable();
    }
    ImGui::Spacing();
    // Per territory (and its owner): accounts and potential in each scenario.
    std::map<std::string, std::pair<std::string, std::string>> names; // id -> (name, owner)
    for (const PlanMetrics* m : pm)
        for (const TerritoryFigures& t : m->territories) names.emplace(t.id, std::pair{t.name, t.ownerName});
    if (ImGui::BeginTable("perterritory", 2 + static_cast<int>(set.size()) * 2, flags | ImGuiTableFlags_ScrollY,
                          ImVec2(0, ImGui::GetContentRegionAvail().y))) {
        ImGui::TableSetupScrollFreeze(1, 1);
        ImGui::TableSetupColumn("Territory", 0, 1.4f);
        ImGui::TableSetupColumn("Owner", 0, 1.2f);
        for (std::size_t s : set) {
            ImGui::TableSetupColumn((ws.scenarios[s].name + ": accounts").c_str());
            ImGui::TableSetupColumn("potential");
        }
        tableHeaders();
        for (const auto& [id, no] : names) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(no.first.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(no.second.c_str());
            double firstAcc = -1;
            for (std::size_t k = 0; k < pm.size(); ++k) {
                const TerritoryFigures* t = nullptr;
                for (const TerritoryFigures& x : pm[k]->territories)
                    if (x.id == id) t = &x;
                ImGui::TableNextColumn();
                if (!t) {
                    ImGui::TextDisabled("-");
                    ImGui::TableNextColumn();
                    continue;
                }
                const double acc = t->f.sum[static_cast<int>(PlanMetric::Accounts)];
                if (k == 0) firstAcc = acc;
                if (k > 0 && firstAcc >= 0 && acc != firstAcc)
                    ImGui::TextColored(ImColor(accentColor(ui.theme)), "%s (%+.0f)", fmt::count(static_cast<std::uint64_t>(acc)).c_str(), acc - firstAcc);
                else
                    ImGui::TextUnformatted(fmt::count(static_cast<std::uint64_t>(acc)).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt::moneyCompact(static_cast<Money>(t->f.sum[static_cast<int>(PlanMetric::Potential)])).c_str());
            }
        }
        ImGui::EndTable();
    }
}

} // namespace terrane
