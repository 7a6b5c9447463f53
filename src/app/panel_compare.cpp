// Side-by-side comparison of 2-4 scenarios: headline figures with deltas against the first, and
// per-territory accounts and potential.
#include "app/app.hpp"
#include "app/format.hpp"
#include "core/quota/compare.hpp"

#include <algorithm>
#include <map>
#include <memory>

namespace terrane {

namespace {
// Quota plans of the compared scenarios, recomputed when a scenario's log moves (quota settings
// are commands in the log) or the data changes.
struct QuotaCacheEntry {
    std::size_t scenario, cursor, logSize;
    std::uint64_t dataVersion;
    std::shared_ptr<const QuotaResult> result;
};
const QuotaResult& quotasOf(App& app, std::size_t s) {
    static std::vector<QuotaCacheEntry> cache;
    const Scenario& sc = app.workspace().scenarios[s];
    const std::uint64_t dv = app.ui().dataVersion;
    for (const QuotaCacheEntry& e : cache)
        if (e.scenario == s && e.cursor == sc.cursor && e.logSize == sc.log.size() && e.dataVersion == dv) return *e.result;
    std::erase_if(cache, [&](const QuotaCacheEntry& e) { return e.scenario == s || e.dataVersion != dv; });
    cache.push_back({s, sc.cursor, sc.log.size(), dv, std::make_shared<const QuotaResult>(computeQuotas(app.workspace(), sc))});
    return *cache.back().result;
}
} // namespace

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
        ImGui::TableHeadersRow();
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
        // Quota deltas, when any compared scenario has a quota target.
        std::vector<const QuotaResult*> qr;
        bool anyTarget = false;
        for (std::size_t s : set) anyTarget |= ws.scenarios[s].quota.target > 0;
        if (anyTarget) {
            for (std::size_t s : set) qr.push_back(&quotasOf(app, s));
            auto quotaRow = [&](const char* label, auto value, bool money) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(label);
                const double first = value(0);
                for (std::size_t k = 0; k < qr.size(); ++k) {
                    ImGui::TableNextColumn();
                    const double v = value(k);
                    auto text = [&](double x) { return money ? fmt::moneyCompact(static_cast<Money>(std::llround(x))) : fmt::count(static_cast<std::uint64_t>(std::llround(x))); };
                    ImGui::TextUnformatted(text(v).c_str());
                    if (k > 0 && v != first) {
                        ImGui::SameLine();
                        ImGui::TextDisabled("(%s%s)", v > first ? "+" : "-", text(std::abs(v - first)).c_str());
                    }
                }
            };
            quotaRow("Quota target", [&](std::size_t k) { return static_cast<double>(qr[k]->target); }, true);
            quotaRow("Total quota (reps + held)", [&](std::size_t k) { return static_cast<double>(qr[k]->leafTotal); }, true);
            quotaRow("Held for vacant seats", [&](std::size_t k) { return static_cast<double>(qr[k]->heldTotal); }, true);
            quotaRow("Reps whose quota changes", [&](std::size_t k) {
                return k == 0 ? 0.0 : static_cast<double>(compareQuotas(*qr[0], *qr[k]).repsChanged);
            }, false);
        }
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
        ImGui::TableHeadersRow();
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
