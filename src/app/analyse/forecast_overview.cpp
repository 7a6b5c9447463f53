// The Forecast tab: the headline (P50 with its P10-P90 band, closed to date, quota, coverage and
// which method it comes from), the fan of every period against quota, the waterfall of the
// first period, and the methods side by side with their basis.
#include "app/analyse/forecast_ui.hpp"
#include "app/app.hpp"
#include "app/charts.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <algorithm>

namespace terrane {

namespace {
void figure(App& app, const char* label, const std::string& value, const std::string& sub, const char* target) {
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", label);
    ImGui::PushFont(app.fonts().large);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("%s", sub.c_str());
    ImGui::EndGroup();
    if (target) markTarget(app, target);
}

charts::Format moneyAxis() {
    return [](double v) { return fmt::moneyCompact(static_cast<Money>(v)); };
}
} // namespace

void drawForecastOverview(App& app, const ForecastView& v) {
    const Theme th = app.ui().theme;
    const float pr = app.ui().pixelRatio;
    if (v.periods.empty()) return;
    const ForecastView::PeriodRow& p = v.periods.front();
    const float gap = px(app, 34);
    figure(app, ("Won in " + p.label + " (P50)").c_str(), fmt::moneyCompact(p.p50),
           "P10 " + fmt::moneyCompact(p.p10) + "  -  P90 " + fmt::moneyCompact(p.p90), "forecast.headline");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Median of the trials' won value in %s (closed to date included); 8 in 10 trials fall between\nP10 and P90. %s",
                          p.label.c_str(), v.headlineBasis.c_str());
    ImGui::SameLine(0, gap);
    figure(app, "Closed won to date", fmt::moneyCompact(p.closedWon), "won " + fmt::date(p.start) + " to " + fmt::date(v.asOf), nullptr);
    ImGui::SameLine(0, gap);
    if (p.quota > 0)
        figure(app, "Quota / target", fmt::moneyCompact(p.quota), "P50 is " + fmt::percent(static_cast<double>(p.p50) / static_cast<double>(p.quota), 0) + " of it",
               nullptr);
    else
        figure(app, "Quota / target", "none", p.quotaNote, nullptr);
    ImGui::SameLine(0, gap);
    figure(app, "Pipeline coverage", p.quota > 0 && p.quota > p.closedWon ? fmt::fixed(p.coverage, 2) + "x" : std::string("-"),
           fmt::moneyCompact(p.openDue) + " open due in " + p.label + (p.quota > 0 ? "" : "; no quota"), "forecast.coverage");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Open pipeline with a close date in %s divided by the quota still to close (quota - closed won).\n"
                          "3x is the usual rule of thumb for a healthy quarter.", p.label.c_str());
    // The headline's method and why it was chosen, then what in the data limits the forecast.
    ImGui::TextDisabled("Headline:");
    ImGui::SameLine();
    ImGui::TextColored(ImColor(accentColor(th)), "%s", v.headlineMethod.c_str());
    markTarget(app, "forecast.method");
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("- %s", v.headlineBasis.c_str());
    ImGui::PopTextWrapPos();
    for (const std::string& n : v.notes) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImColor(warnColor(th)), "Note: %s", n.c_str());
        ImGui::PopTextWrapPos();
    }

    ImGui::Spacing();
    const float avail = ImGui::GetContentRegionAvail().x;
    const float chartH = std::max(px(app, 180), ImGui::GetContentRegionAvail().y * 0.55f);
    const float leftW = avail * 0.5f - px(app, 6);
    ImGui::BeginGroup();
    ImGui::TextDisabled("Won value by period, USD: P10-P90 band, P50 line, quota dash");
    std::vector<charts::BandSlot> slots;
    for (const auto& r : v.periods) {
        charts::BandSlot s;
        s.label = r.label;
        s.lo = static_cast<double>(r.p10), s.mid = static_cast<double>(r.p50), s.hi = static_cast<double>(r.p90);
        if (r.quota > 0) s.reference = static_cast<double>(r.quota);
        slots.push_back(s);
    }
    bool anyWon = false;
    for (const auto& r : v.periods) anyWon = anyWon || r.p90 > 0 || r.quota > 0;
    int hover = -1;
    if (anyWon)
        hover = charts::bandChart("##fan", ImVec2(leftW, chartH), slots, moneyAxis(), pr, accentColor(th), goodColor(th),
                                  charts::amberColor(th == Theme::Dark));
    else
        charts::emptyChart("##fan", ImVec2(leftW, chartH), "No won value expected in these periods, even at P90 (see the notes above).", pr);
    markTarget(app, "forecast.fan");
    if (hover >= 0) {
        const auto& r = v.periods[static_cast<std::size_t>(hover)];
        ImGui::SetTooltip("%s (%s to %s)\nP10 %s  P50 %s  P90 %s\nclosed won to date %s%s", r.label.c_str(), fmt::date(r.start).c_str(),
                          fmt::date(r.end).c_str(), fmt::money(r.p10).c_str(), fmt::money(r.p50).c_str(), fmt::money(r.p90).c_str(),
                          fmt::money(r.closedWon).c_str(), r.quota > 0 ? ("\nquota " + fmt::money(r.quota)).c_str() : "");
    }
    ImGui::EndGroup();
    ImGui::SameLine(0, px(app, 12));
    ImGui::BeginGroup();
    ImGui::TextDisabled("The model's expected won value in %s, USD, step by step", p.label.c_str());
    const std::vector<charts::WaterfallStep> steps = {
        {"Closed", static_cast<double>(p.closedWon), false, goodColor(th)},
        {"Commit", static_cast<double>(p.commit), false, accentColor(th)},
        {"Best case", static_cast<double>(p.bestCase), false, charts::withAlpha(accentColor(th), 0.7f)},
        {"Pipeline", static_cast<double>(p.pipelineModel), false, charts::withAlpha(accentColor(th), 0.5f)},
        {"New deals", static_cast<double>(p.newBusiness), false, charts::amberColor(th == Theme::Dark)},
        {"Expected", 0, true, ImGui::GetColorU32(ImGuiCol_TextDisabled)}};
    double expected = 0;
    for (const auto& st : steps) expected += st.value;
    int wh = -1;
    if (expected > 0) wh = charts::waterfallChart("##waterfall", ImVec2(0, chartH), steps, moneyAxis(), pr);
    else charts::emptyChart("##waterfall", ImVec2(0, chartH), "Nothing closed in " + p.label + " yet and no open deal expected to close in it.", pr);
    markTarget(app, "forecast.waterfall");
    static const char* kStepHelp[] = {
        "Won inside the period before the as-of date.",
        "Open deals in the Commit forecast category, times the model's probability of winning them in the period.",
        "Open Best Case deals, times the model's probability.",
        "The rest of the open pipeline, times the model's probability (deals without a category included).",
        "Deals not yet created that will be created and won inside the period, from the recent run-rate and its season.",
        "The sum: the expected won value (the mean; the headline is the median of the trials)."};
    if (wh >= 0) ImGui::SetTooltip("%s", kStepHelp[wh]);
    ImGui::EndGroup();

    ImGui::Spacing();
    ImGui::TextDisabled("The methods for %s side by side (won in the period, closed to date included)", p.label.c_str());
    if (ImGui::BeginTable("##methods", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("Method", ImGuiTableColumnFlags_WidthStretch, 1.55f);
        ImGui::TableSetupColumn("Won in period", ImGuiTableColumnFlags_WidthStretch, 0.7f);
        ImGui::TableSetupColumn("Basis", ImGuiTableColumnFlags_WidthStretch, 3.6f);
        tableHeaders();
        for (const auto& m : p.methods) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            if (m.headline)
                ImGui::TextColored(ImColor(accentColor(th)), "%s (headline)", m.name.c_str());
            else
                ImGui::TextUnformatted(m.name.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::money(m.value).c_str());
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", m.basis.c_str());
        }
        ImGui::EndTable();
    }
}

} // namespace terrane
