// The Breakdown tab: the first period's forecast by owner, team or segment, each with its own
// P10-P90 band (a team's trials are sums over its reps within each trial, so the bands are
// consistent), closed to date and quota.
#include "app/analyse/forecast_ui.hpp"
#include "app/app.hpp"
#include "app/charts.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <algorithm>

namespace terrane {

void drawForecastBreakdown(App& app, const ForecastView& v) {
    ForecastUi& f = app.ui().forecast;
    const Theme th = app.ui().theme;
    static const char* kBy[] = {"owner", "team", "segment"};
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("By");
    for (int i = 0; i < 3; ++i) {
        ImGui::SameLine();
        ImGui::RadioButton(kBy[i], &f.breakdownBy, i);
        markTarget(app, std::string("forecast.by.") + kBy[i]);
    }
    ImGui::SameLine(0, px(app, 16));
    ImGui::TextDisabled("Won in %s, USD (closed to date + the trials over open deals and new business)",
                        v.periods.empty() ? "the period" : v.periods.front().label.c_str());
    if (!v.quotaNote.empty()) ImGui::TextDisabled("%s", v.quotaNote.c_str());
    std::vector<const ForecastView::GroupRow*> rows;
    Money most = 1;
    for (const auto& g : v.groups)
        if (g.group == kBy[f.breakdownBy]) {
            rows.push_back(&g);
            most = std::max({most, g.p90, g.quota});
        }
    std::stable_sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->p50 > b->p50; });
    if (rows.empty()) {
        ImGui::TextDisabled("The opportunities have no %s to break the forecast down by.", kBy[f.breakdownBy]);
        return;
    }
    bool quotas = false;
    for (const auto* g : rows) quotas = quotas || g->quota > 0;
    const std::string band = "P10-P90, P50 tick" + std::string(quotas ? ", quota (amber)" : "") + ": 0 to " + fmt::moneyCompact(most);
    if (!ImGui::BeginTable(quotas ? "##groupsq" : "##groups", quotas ? 8 : 7, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp,
                           ImVec2(0, ImGui::GetContentRegionAvail().y)))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Name", 0, 1.3f);
    ImGui::TableSetupColumn("Open deals", 0, 0.55f);
    ImGui::TableSetupColumn("Closed won", 0, 0.7f);
    ImGui::TableSetupColumn("P10", 0, 0.6f);
    ImGui::TableSetupColumn("P50", 0, 0.6f);
    ImGui::TableSetupColumn("P90", 0, 0.6f);
    if (quotas) ImGui::TableSetupColumn("Quota", 0, 0.6f);
    ImGui::TableSetupColumn(band.c_str(), 0, 2.0f);
    tableHeaders();
    for (const auto* g : rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(g->name.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt::count(g->openDeals).c_str());
        for (Money m : {g->closedWon, g->p10, g->p50, g->p90}) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::moneyCompact(m).c_str());
        }
        if (quotas) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(g->quota > 0 ? fmt::moneyCompact(g->quota).c_str() : "-");
        }
        ImGui::TableNextColumn();
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const float w = ImGui::GetContentRegionAvail().x, h = ImGui::GetTextLineHeight();
        auto X = [&](Money m) { return pos.x + w * 0.96f * static_cast<float>(static_cast<double>(m) / static_cast<double>(most)); };
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(X(g->p10), pos.y + h * 0.2f), ImVec2(X(g->p90), pos.y + h * 0.8f), charts::withAlpha(accentColor(th), 0.4f));
        dl->AddLine(ImVec2(X(g->p50), pos.y), ImVec2(X(g->p50), pos.y + h), accentColor(th), 2.0f);
        if (g->quota > 0) dl->AddLine(ImVec2(X(g->quota), pos.y), ImVec2(X(g->quota), pos.y + h), charts::amberColor(th == Theme::Dark), 2.0f);
        ImGui::Dummy(ImVec2(w, h));
    }
    ImGui::EndTable();
}

} // namespace terrane
