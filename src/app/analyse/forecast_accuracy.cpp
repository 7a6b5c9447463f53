// The Accuracy tab: the backtest (for each past period, the forecast band made at its start
// against what was actually won), its error, bias and band coverage against the baselines, and
// the calibration of the win probabilities (reliability chart, Brier score).
#include "app/analyse/forecast_ui.hpp"
#include "app/app.hpp"
#include "app/charts.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <algorithm>

namespace terrane {

void drawForecastAccuracy(App& app, const ForecastView& v) {
    const Theme th = app.ui().theme;
    const float pr = app.ui().pixelRatio;
    if (!v.backtested) {
        ImGui::TextDisabled("No backtest: no complete past period before the as-of date had won deals to score against.");
        return;
    }
    auto stat = [&](const char* label, const std::string& value, const char* help) {
        ImGui::BeginGroup();
        ImGui::TextDisabled("%s", label);
        ImGui::PushFont(app.fonts().large);
        ImGui::TextUnformatted(value.c_str());
        ImGui::PopFont();
        ImGui::EndGroup();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", help);
        ImGui::SameLine(0, px(app, 30));
    };
    stat("Median abs. error (P50)", fmt::percent(v.mdape, 1), "Median over the periods of |P50 - actual| / actual.");
    stat("Bias", (v.bias >= 0 ? "+" : "") + fmt::percent(v.bias, 1), "Median of (P50 - actual) / actual: above 0 over-forecasts.");
    stat("Actual inside P10-P90", fmt::percent(v.coverage, 0), "Share of the periods whose actual fell inside the band; 80% is calibrated.");
    stat("Brier score", fmt::fixed(v.brier, 3), "Mean squared error of the deals' win probabilities against what happened (0 is perfect; lower is better).");
    static const char* kBase[] = {"Seasonal naive", "Trailing mean", "Stage-weighted"};
    ImGui::BeginGroup();
    ImGui::TextDisabled("Baselines' median abs. error");
    for (int b = 0; b < 3; ++b) {
        ImGui::Text("%s %s", kBase[b], fmt::percent(v.baselineMdape[b], 1).c_str());
        if (b < 2) ImGui::SameLine(0, px(app, 12));
    }
    ImGui::EndGroup();
    ImGui::NewLine();

    const float avail = ImGui::GetContentRegionAvail().x;
    const float h = ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() - px(app, 4);
    const float leftW = avail * 0.62f;
    ImGui::BeginGroup();
    ImGui::TextDisabled("Backtest: won value per %s, USD: band made at the period's start, actual (dot)", v.period.c_str());
    std::vector<charts::BandSlot> slots;
    for (const auto& r : v.backtest) {
        charts::BandSlot s;
        s.label = r.label;
        s.lo = static_cast<double>(r.p10), s.mid = static_cast<double>(r.p50), s.hi = static_cast<double>(r.p90);
        s.actual = static_cast<double>(r.actual);
        slots.push_back(s);
    }
    const int hb = charts::bandChart("##backtest", ImVec2(leftW, h), slots, [](double x) { return fmt::moneyCompact(static_cast<Money>(x)); }, pr,
                                     accentColor(th), goodColor(th), charts::amberColor(th == Theme::Dark));
    markTarget(app, "forecast.backtest");
    if (hb >= 0) {
        const auto& r = v.backtest[static_cast<std::size_t>(hb)];
        ImGui::SetTooltip("%s\nP10 %s  P50 %s  P90 %s\nactual %s\nseasonal naive %s, trailing mean %s, stage-weighted %s", r.label.c_str(),
                          fmt::money(r.p10).c_str(), fmt::money(r.p50).c_str(), fmt::money(r.p90).c_str(), fmt::money(r.actual).c_str(),
                          fmt::money(r.seasonalNaive).c_str(), fmt::money(r.trailingMean).c_str(), fmt::money(r.stageWeighted).c_str());
    }
    ImGui::EndGroup();
    ImGui::SameLine(0, px(app, 12));
    ImGui::BeginGroup();
    ImGui::TextDisabled("Calibration: predicted P(win) vs share won");
    std::vector<charts::ReliabilityBin> bins;
    for (const auto& b : v.calibration) bins.push_back({b.predicted, b.observed, b.count});
    const int hr = charts::reliabilityChart("##calibration", ImVec2(0, h), bins, pr, accentColor(th));
    markTarget(app, "forecast.calibration");
    if (hr >= 0) {
        const auto& b = v.calibration[static_cast<std::size_t>(hr)];
        ImGui::SetTooltip("%s deals predicted %s on average; %s of them were won", fmt::count(b.count).c_str(), fmt::percent(b.predicted, 0).c_str(),
                          fmt::percent(b.observed, 0).c_str());
    }
    ImGui::EndGroup();
}

} // namespace terrane
