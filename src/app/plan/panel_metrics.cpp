// Metrics panel: per territory, district or region — accounts, customers, potential, workload,
// ARR, pipeline, capacity and target share, with the deviation from target drawn against the
// tolerance band; the balance summary above. The same figures as `terrane metrics`.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <algorithm>
#include <cmath>

namespace terrane {

namespace {
std::string figure(PlanMetric m, double v) {
    return isMoneyMetric(m) ? fmt::moneyCompact(static_cast<Money>(v)) : m == PlanMetric::Workload ? fmt::fixed(v, 0) + " h" : fmt::count(static_cast<std::uint64_t>(std::llround(v)));
}

void deviationBar(App& app, double dev, double tol) {
    const UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x - 58 * pr, h = ImGui::GetTextLineHeight();
    const float range = 0.5f; // the bar spans -50% .. +50%
    const float mid = p.x + w * 0.5f;
    auto xOf = [&](double d) { return mid + static_cast<float>(std::clamp(d, -static_cast<double>(range), static_cast<double>(range)) / range) * w * 0.5f; };
    dl->AddRectFilled(ImVec2(p.x, p.y + h * 0.2f), ImVec2(p.x + w, p.y + h * 0.8f), ImGui::GetColorU32(ImGuiCol_FrameBg));
    dl->AddRectFilled(ImVec2(xOf(-tol), p.y + h * 0.1f), ImVec2(xOf(tol), p.y + h * 0.9f), (goodColor(ui.theme) & 0x00FFFFFF) | 0x40000000);
    const bool inside = std::fabs(dev) <= tol;
    const ImU32 c = inside ? goodColor(ui.theme) : badColor(ui.theme);
    dl->AddRectFilled(ImVec2(std::min(mid, xOf(dev)), p.y + h * 0.3f), ImVec2(std::max(mid, xOf(dev)), p.y + h * 0.7f), c);
    dl->AddLine(ImVec2(mid, p.y), ImVec2(mid, p.y + h), ImGui::GetColorU32(ImGuiCol_Text, 0.6f), 1.0f * pr);
    ImGui::Dummy(ImVec2(w, h));
    ImGui::SameLine();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.1f%%", dev * 100.0);
    ImGui::TextColored(ImColor(c), "%s", buf);
}
} // namespace

void drawMetricsPanel(App& app) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    const PlanMetrics& pm = app.metrics();
    const MetricsOptions& mo = pm.options;
    // Balance summary.
    static constexpr PlanMetric kShown[] = {PlanMetric::Potential, PlanMetric::Workload, PlanMetric::Accounts, PlanMetric::Arr,
                                            PlanMetric::Pipeline};
    // Right after an optimiser run, the scenario it made is judged by that run's tolerances (the
    // figures are the run's own: the optimiser reports deviations against the same targets), and
    // the deviation without oversize accounts, the run's headline, is shown beside it.
    const OptimiseUi::Outcome& run = ui.optimise.outcome;
    const Scenario& active = app.workspace().active();
    const bool fromRun = run.valid && !run.cancelled && !ui.optimise.job && run.scenario == active.name && active.cursor == 1;
    for (PlanMetric m : kShown) {
        const int k = static_cast<int>(m);
        const double d = pm.balance.maxAbsDeviation[k];
        double tol = mo.tolerance;
        double withoutOversize = -1;
        if (fromRun)
            for (std::size_t r = 0; r < run.metricNames.size(); ++r)
                if (run.metricNames[r] == planMetricName(m)) {
                    tol = run.tolerance[r];
                    if (run.oversize > 0 && r < run.maxDeviationBalanceable.size()) withoutOversize = run.maxDeviationBalanceable[r];
                }
        ImGui::TextDisabled("%s", planMetricLabel(m));
        ImGui::SameLine(0, 4 * pr);
        const double judged = withoutOversize >= 0 ? withoutOversize : d;
        ImGui::TextColored(ImColor(judged <= tol + 1e-9 ? goodColor(ui.theme) : badColor(ui.theme)), "max %s", fmt::percent(d).c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Largest |value - target| / target over territories (tolerance +/-%s%s).\nTarget = total x capacity share. "
                              "Gini of capacity-adjusted loads: %.3f",
                              fmt::percent(tol).c_str(), fromRun ? ", as in the optimiser run" : "", pm.balance.gini[k]);
        markTarget(app, std::string("metrics.max.") + planMetricName(m));
        if (withoutOversize >= 0) {
            ImGui::SameLine(0, 4 * pr);
            ImGui::TextDisabled("(%s without %s)", fmt::percent(withoutOversize).c_str(),
                                fmt::countOf(run.oversize, "oversize account", "oversize accounts").c_str());
        }
        ImGui::SameLine(0, 16 * pr);
    }
    ImGui::TextDisabled("|  %u outside +/-%s", pm.balance.outsideTolerance, fmt::percent(mo.tolerance, 0).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Territories whose potential or workload is outside the tolerance band");

    // Controls.
    const char* levels[] = {"Territories", "Districts", "Regions"};
    ImGui::SetNextItemWidth(120 * pr);
    ImGui::Combo("##level", &ui.metricsLevel, levels, 3);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(130 * pr);
    if (ImGui::BeginCombo("Bar", planMetricLabel(ui.balanceMetric))) {
        for (int k = 0; k < kPlanMetricCount; ++k)
            if (ImGui::Selectable(planMetricLabel(static_cast<PlanMetric>(k)), static_cast<int>(ui.balanceMetric) == k))
                ui.balanceMetric = static_cast<PlanMetric>(k);
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    MetricsOptions opt = mo;
    float tolPct = static_cast<float>(opt.tolerance * 100.0);
    ImGui::SetNextItemWidth(110 * pr);
    bool changed = ImGui::SliderFloat("Tolerance", &tolPct, 0.5f, 25.0f, "+/-%.1f%%");
    ImGui::SameLine();
    changed |= ImGui::Checkbox("Capacity-adjusted", &opt.capacityAdjusted);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Targets follow each owner's capacity (ramp factor); off: every territory targets the mean");
    if (opt.capacityAdjusted) {
        ImGui::SameLine();
        float vac = static_cast<float>(opt.vacantCapacity);
        ImGui::SetNextItemWidth(100 * pr);
        if (ImGui::SliderFloat("Vacant seat", &vac, 0.0f, 1.0f, "%.2f")) opt.vacantCapacity = vac, changed = true;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Capacity planned for a vacant seat (a hire ramps during the year)");
    }
    if (changed) {
        opt.tolerance = tolPct / 100.0;
        app.setMetricsOptions(opt);
    }

    // Table.
    struct Row {
        std::int32_t node;
        std::string name, owner;
        const Figures* f;
        bool vacant;
    };
    std::vector<Row> rows;
    if (ui.metricsLevel == 0)
        for (const auto& t : pm.territories) rows.push_back({t.territory, t.name, t.ownerName, &t.f, t.vacant});
    else
        for (const auto& r : ui.metricsLevel == 1 ? pm.districts : pm.regions)
            rows.push_back({r.node, r.name, std::to_string(r.territories) + " territories", &r.f, false});
    static constexpr PlanMetric kCols[] = {PlanMetric::Accounts, PlanMetric::Customers, PlanMetric::Potential, PlanMetric::Workload,
                                           PlanMetric::Arr, PlanMetric::Pipeline};
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Sortable | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Hideable;
    if (!ImGui::BeginTable("metrics", 11, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn(levels[ui.metricsLevel], ImGuiTableColumnFlags_DefaultSort, 1.5f);
    ImGui::TableSetupColumn(ui.metricsLevel == 0 ? "Owner" : "Size", 0, 1.3f);
    for (PlanMetric m : kCols) ImGui::TableSetupColumn(planMetricLabel(m), ImGuiTableColumnFlags_PreferSortDescending, 0.8f);
    ImGui::TableSetupColumn("Capacity", 0, 0.6f);
    ImGui::TableSetupColumn("Target", 0, 0.6f);
    ImGui::TableSetupColumn((std::string("vs target: ") + planMetricLabel(ui.balanceMetric)).c_str(), ImGuiTableColumnFlags_PreferSortDescending, 2.0f);
    tableHeaders();
    std::vector<std::size_t> order(rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
        const int col = specs->Specs[0].ColumnIndex;
        const bool asc = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
        auto key = [&](const Row& r) -> double {
            if (col >= 2 && col < 8) return r.f->sum[static_cast<int>(kCols[col - 2])];
            if (col == 8) return r.f->capacity;
            if (col == 9) return r.f->targetShare;
            if (col == 10) return r.f->deviation[static_cast<int>(ui.balanceMetric)];
            return 0.0;
        };
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            if (col == 0 || col == 1) {
                const int c = col == 0 ? rows[a].name.compare(rows[b].name) : rows[a].owner.compare(rows[b].owner);
                return asc ? c < 0 : c > 0;
            }
            return asc ? key(rows[a]) < key(rows[b]) : key(rows[a]) > key(rows[b]);
        });
    }
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(order.size()));
    while (clip.Step()) {
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
            const Row& r = rows[order[static_cast<std::size_t>(i)]];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(r.node);
            if (ui.metricsLevel == 0) {
                const ImVec2 p = ImGui::GetCursorScreenPos();
                const float sw = ImGui::GetTextLineHeight() * 0.6f;
                ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + sw * 0.3f), ImVec2(p.x + sw, p.y + sw * 1.3f), app.map().territoryColor(r.node), 2 * pr);
                ImGui::SetCursorScreenPos(ImVec2(p.x + sw + 5 * pr, p.y));
            }
            if (ImGui::Selectable(r.name.c_str(), ui.selectedTerritory == r.node, ImGuiSelectableFlags_SpanAllColumns)) {
                app.selectTerritory(ui.metricsLevel == 0 ? r.node : -1);
                app.flyToTerritory(r.node);
            }
            if (ui.metricsLevel == 0 && ImGui::BeginPopupContextItem("##ctx")) {
                territoryContextMenu(app, r.node);
                ImGui::EndPopup();
            }
            if (ui.metricsLevel == 0 && ImGui::BeginDragDropTarget()) {
                if (ImGui::AcceptDragDropPayload("TERRANE_SELECTION")) app.moveSelectionTo(r.node);
                ImGui::EndDragDropTarget();
            }
            ImGui::PopID();
            ImGui::TableNextColumn();
            if (r.vacant) ImGui::TextDisabled("vacant seat");
            else ImGui::TextUnformatted(r.owner.c_str());
            for (PlanMetric m : kCols) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(figure(m, r.f->sum[static_cast<int>(m)]).c_str());
            }
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::fixed(r.f->capacity, 2).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::percent(r.f->targetShare, 2).c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Capacity share: %.2f of %.2f", r.f->capacity, pm.total.capacity);
            ImGui::TableNextColumn();
            deviationBar(app, r.f->deviation[static_cast<int>(ui.balanceMetric)], mo.tolerance);
        }
    }
    ImGui::EndTable();
}

} // namespace terrane
