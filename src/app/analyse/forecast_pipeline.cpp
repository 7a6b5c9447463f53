// The Pipeline tab: the open pipeline as of the date by stage (a funnel with stage-to-stage
// conversion and time in stage), and the trends by period: win rate, sales cycle, velocity and
// pipeline created.
#include "app/analyse/forecast_ui.hpp"
#include "app/app.hpp"
#include "app/charts.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <algorithm>

namespace terrane {

namespace {
void funnel(App& app, const ForecastView& v, float w, float h) {
    const Theme th = app.ui().theme;
    Money most = 1;
    for (const auto& s : v.funnel) most = std::max(most, s.value);
    if (!ImGui::BeginTable("##funnel", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp, ImVec2(w, h)))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Stage", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("Deals", ImGuiTableColumnFlags_WidthStretch, 0.4f);
    ImGui::TableSetupColumn("Open value (USD)", ImGuiTableColumnFlags_WidthStretch, 2.4f);
    ImGui::TableSetupColumn("Moved on", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Median days in stage", ImGuiTableColumnFlags_WidthStretch, 0.9f);
    tableHeaders();
    for (const auto& s : v.funnel) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(s.stage.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt::count(s.deals).c_str());
        ImGui::TableNextColumn();
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const float cw = ImGui::GetContentRegionAvail().x, lh = ImGui::GetTextLineHeight();
        const float bw = cw * 0.6f * static_cast<float>(static_cast<double>(s.value) / static_cast<double>(most));
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(pos.x, pos.y + lh * 0.15f), ImVec2(pos.x + bw, pos.y + lh * 0.85f),
                                                  charts::withAlpha(accentColor(th), 0.7f));
        ImGui::SetCursorScreenPos(ImVec2(pos.x + bw + 6 * app.ui().pixelRatio, pos.y));
        ImGui::TextUnformatted(fmt::moneyCompact(s.value).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(s.conversion >= 0 ? fmt::percent(s.conversion, 0).c_str() : "-");
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(s.daysInStage >= 0 ? fmt::fixed(s.daysInStage, 0).c_str() : "-");
    }
    ImGui::EndTable();
}

void trend(App& app, const char* id, const char* caption, const ForecastView& v, double ForecastView::TrendRow::*field,
           const charts::Format& fy, float w, float h, ImU32 color, const char* emptyWhy) {
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", caption);
    std::vector<std::string> labels;
    std::vector<double> values;
    for (const auto& t : v.trends) labels.push_back(t.label), values.push_back(t.*field);
    bool any = false;
    for (double x : values) any = any || x != 0;
    if (!any) {
        charts::emptyChart(id, ImVec2(w, h), emptyWhy, app.ui().pixelRatio);
        ImGui::EndGroup();
        return;
    }
    const int hv = charts::barChart(id, ImVec2(w, h), labels, values, fy, app.ui().pixelRatio, color);
    if (hv >= 0) ImGui::SetTooltip("%s: %s", labels[static_cast<std::size_t>(hv)].c_str(), fy(values[static_cast<std::size_t>(hv)]).c_str());
    ImGui::EndGroup();
}
} // namespace

void drawForecastPipeline(App& app, const ForecastView& v) {
    const Theme th = app.ui().theme;
    const float gap = px(app, 12);
    ImGui::TextDisabled("Open pipeline by stage as of %s. Moved on: share of the deals that left the stage for a later one or a win;",
                        fmt::date(v.asOf).c_str());
    ImGui::TextDisabled("it and the days in stage come from the stage history over the trailing periods (- where it has none).");
    const float rowH = ImGui::GetTextLineHeightWithSpacing() + ImGui::GetStyle().CellPadding.y * 2;
    const float funnelH = std::min(ImGui::GetContentRegionAvail().y * 0.4f, rowH * static_cast<float>(v.funnel.size() + 1) + px(app, 4));
    funnel(app, v, ImGui::GetContentRegionAvail().x, funnelH);
    markTarget(app, "forecast.funnel");
    ImGui::Spacing();
    ImGui::TextDisabled("By %s, the last one to date (velocity: deals created x win rate x average won deal / median cycle)", v.period.c_str());
    const float w = (ImGui::GetContentRegionAvail().x - gap * 3) / 4.0f;
    const float h = ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() - px(app, 4);
    auto pct = [](double x) { return fmt::percent(x, 0); };
    auto days = [](double x) { return fmt::fixed(x, 0) + " d"; };
    auto perDay = [](double x) { return fmt::moneyCompact(static_cast<Money>(x)) + "/d"; };
    auto money = [](double x) { return fmt::moneyCompact(static_cast<Money>(x)); };
    trend(app, "##winrate", "Win rate by value, %", v, &ForecastView::TrendRow::winRate, pct, w, h, goodColor(th),
          "No deal won or lost in these periods.");
    ImGui::SameLine(0, gap);
    trend(app, "##cycle", "Sales cycle (won), median days", v, &ForecastView::TrendRow::cycleDays, days, w, h, accentColor(th), "No deal won in these periods.");
    ImGui::SameLine(0, gap);
    trend(app, "##velocity", "Velocity, USD per day", v, &ForecastView::TrendRow::velocityPerDay, perDay, w, h, accentColor(th),
          "No velocity: it needs deals created, a win rate and won deals' cycle in the same period.");
    ImGui::SameLine(0, gap);
    trend(app, "##created", "Pipeline created, USD", v, &ForecastView::TrendRow::createdValue, money, w, h, charts::amberColor(th == Theme::Dark),
          "No deal created in these periods.");
}

} // namespace terrane
