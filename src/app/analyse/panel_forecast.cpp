// The Forecast workspace (Analyse > Forecast): the settings bar (as-of date, period, horizon,
// trials, seed, run, save into the scenario), the run's progress, and the tabs whose contents
// have files of their own.
#include "app/analyse/forecast_run.hpp"
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <algorithm>
#include <cstdio>

namespace terrane {

namespace {
const char* kPeriods[] = {"Month", "Quarter", "Year"};

void stepAsOf(ForecastUi& f, int months) {
    Date d = kDateNull;
    if (!parseIsoDate(f.asOf, d)) return;
    const Ymd c = civilFromDays(addMonths(d, months));
    std::snprintf(f.asOf, sizeof f.asOf, "%s", formatDate(daysFromCivil(c.year, c.month, 1)).c_str());
}

void drawSettings(App& app) {
    ForecastUi& f = app.ui().forecast;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("As of");
    ImGui::SameLine();
    if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) stepAsOf(f, -1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("One month earlier (the 1st)");
    ImGui::SameLine(0, px(app, 2));
    ImGui::SetNextItemWidth(px(app, 96));
    ImGui::InputTextWithHint("##asof", "YYYY-MM-DD", f.asOf, sizeof f.asOf, ImGuiInputTextFlags_CharsNoBlank);
    markTarget(app, "forecast.as_of");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The forecast uses only what was known on this date: deals created by then, with the stage, amount\n"
                          "and close date they had that day (from the stage history). Periods start at the one containing it.");
    ImGui::SameLine(0, px(app, 2));
    if (ImGui::ArrowButton("##next", ImGuiDir_Right)) stepAsOf(f, 1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("One month later (the 1st)");
    ImGui::SameLine(0, px(app, 12));
    ImGui::TextUnformatted("Period");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(app, 90));
    ImGui::Combo("##period", &f.period, kPeriods, 3);
    markTarget(app, "forecast.period");
    ImGui::SameLine(0, px(app, 12));
    ImGui::TextUnformatted("Periods");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(app, 72));
    ImGui::InputInt("##periods", &f.periods, 1, 1);
    f.periods = std::clamp(f.periods, 1, 12);
    ImGui::SameLine(0, px(app, 12));
    ImGui::TextUnformatted("Trials");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(app, 96));
    ImGui::InputInt("##trials", &f.trials, 1000, 5000);
    f.trials = std::clamp(f.trials, 100, 100000);
    ImGui::SameLine(0, px(app, 12));
    ImGui::TextUnformatted("Seed");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(app, 64));
    ImGui::InputInt("##seed", &f.seed, 0, 0);
    f.seed = std::max(0, f.seed);
    ImGui::SameLine(0, px(app, 12));
    if (ImGui::Button("Run")) runForecast(app);
    markTarget(app, "forecast.run");
    ImGui::SameLine();
    const bool can = f.view && f.view->valid && !f.job;
    ImGui::BeginDisabled(!can);
    if (ImGui::Button("Save into scenario")) saveForecastToScenario(app);
    ImGui::EndDisabled();
    markTarget(app, "forecast.save");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("Keeps this forecast's as-of date, seed, settings and headline in the scenario (undoable), so whoever\n"
                          "opens the .terrane file sees the same numbers; review mode shows the headline and coverage.");
}

void drawStatus(App& app) {
    ForecastUi& f = app.ui().forecast;
    const Scenario& sc = app.workspace().active();
    if (f.job) {
        ImGui::ProgressBar(static_cast<float>(f.job->progress()), ImVec2(px(app, 220), 0));
        ImGui::SameLine();
        ImGui::TextDisabled("%s", f.job->detail().c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("Cancel")) f.job->cancel();
    } else if (f.view && f.view->valid) {
        ImGui::AlignTextToFramePadding();
        const ForecastView& v = *f.view;
        ImGui::TextDisabled("Forecast as of %s by %s, %s trials, seed %llu (%s ms)", fmt::date(v.asOf).c_str(), v.period.c_str(),
                            fmt::count(v.trials).c_str(), static_cast<unsigned long long>(v.seed), fmt::fixed(v.computeMs, 0).c_str());
    }
    if (sc.forecast) {
        const forecast::SavedForecast& s = *sc.forecast;
        if (f.job || (f.view && f.view->valid)) ImGui::SameLine(0, px(app, 16));
        // Whether this run reproduces the saved one (same settings: it must, on the same data).
        const ForecastView* v = f.job ? nullptr : f.view.get();
        const bool same = v && v->valid && v->asOf == s.asOf && v->period == s.period && v->seed == s.seed && v->trials == s.trials &&
                          v->periods.size() == s.periods.size();
        bool equal = same;
        for (std::size_t i = 0; same && i < s.periods.size(); ++i)
            equal = equal && v->periods[i].p10 == s.periods[i].p10 && v->periods[i].p50 == s.periods[i].p50 && v->periods[i].p90 == s.periods[i].p90;
        const Theme th = app.ui().theme;
        ImGui::TextColored(ImColor(same && !equal ? warnColor(th) : accentColor(th)), "Saved in '%s': %s as of %s, seed %llu%s", sc.name.c_str(),
                           s.period.c_str(), fmt::date(s.asOf).c_str(), static_cast<unsigned long long>(s.seed),
                           !same ? "" : equal ? " (this run matches it)" : " (this run differs: the data changed since)");
    }
}
} // namespace

void drawForecastWorkspace(App& app, float x, float y, float w, float h) {
    UiState& ui = app.ui();
    ForecastUi& f = ui.forecast;
    initForecastSettings(app);
    if (f.autoRun && !f.job && f.version != forecastInputsVersion(app)) runForecast(app);
    beginPanel("##forecast", ImVec2(x, y), ImVec2(w, h));
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted("Forecast");
    ImGui::PopFont();
    ImGui::SameLine(0, px(app, 12));
    drawStatus(app);
    ImGui::SameLine();
    const float closeW = ImGui::CalcTextSize("Close").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - closeW));
    if (ImGui::SmallButton("Close")) f.show = false;
    markTarget(app, "forecast.close");
    drawSettings(app);
    const ForecastView* v = f.view.get();
    if (!v) {
        ImGui::TextDisabled("Forecasting...");
        ImGui::End();
        return;
    }
    if (!v->valid) {
        ImGui::TextColored(ImColor(warnColor(ui.theme)), "%s", v->error.c_str());
        ImGui::End();
        return;
    }
    if (ImGui::BeginTabBar("forecastTabs")) {
        static const char* kTabs[] = {"Forecast", "Pipeline", "Deals and flags", "Breakdown", "Accuracy"};
        for (int t = 0; t < 5; ++t) {
            const ImGuiTabItemFlags fl = f.tabRequest == t ? ImGuiTabItemFlags_SetSelected : 0;
            const bool open = ImGui::BeginTabItem(kTabs[t], nullptr, fl);
            markTarget(app, "forecast.tab" + std::to_string(t));
            if (!open) continue;
            f.tab = t;
            ImGui::BeginChild("##tab", ImVec2(0, 0), false);
            if (t == 0) drawForecastOverview(app, *v);
            if (t == 1) drawForecastPipeline(app, *v);
            if (t == 2) drawForecastDeals(app, *v);
            if (t == 3) drawForecastBreakdown(app, *v);
            if (t == 4) drawForecastAccuracy(app, *v);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        f.tabRequest = -1;
        ImGui::EndTabBar();
    }
    ImGui::End();
}

} // namespace terrane
