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
        ImGui::TextDisabled("No backtest: the history before the as-of date has no complete period to test on.");
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
        ImGui::SameLine(0, px(app, 20));
    };
    const bool scored = v.scoredPeriods > 0;
    const std::string over = " (" + fmt::countOf(static_cast<std::uint64_t>(v.scoredPeriods), "period", "periods") + ")";
    stat(("Median abs. error" + over).c_str(), scored ? fmt::percent(v.mdape, 1) : std::string("-"),
         "Median over the backtested periods with wins of |P50 - actual| / actual.");
    stat("Bias", scored ? (v.bias >= 0 ? "+" : "") + fmt::percent(v.bias, 1) : std::string("-"),
         "Median of (P50 - actual) / actual: above 0 over-forecasts.");
    stat("Actual inside P10-P90", scored ? fmt::percent(v.coverage, 0) : std::string("-"),
         "Share of the periods whose actual fell inside the band; 80% is calibrated.");
    stat("Brier score", v.calibrationDeals > 0 ? fmt::fixed(v.brier, 3) : std::string("-"),
         "Mean squared error of the deals' win probabilities against what happened (0 is perfect; lower is better).");
    static const char* kBase[] = {"Seasonal naive", "Trailing mean", "Stage-weighted"};
    ImGui::BeginGroup();
    ImGui::TextDisabled("Baselines' median abs. error");
    for (int b = 0; b < 3; ++b) {
        ImGui::Text("%s %s", kBase[b], v.baselinePeriods[b] > 0 ? fmt::percent(v.baselineMdape[b], 1).c_str() : "-");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", v.baselinePeriods[b] > 0 ? ("median over " + fmt::countOf(static_cast<std::uint64_t>(v.baselinePeriods[b]), "period", "periods")).c_str()
                                                              : "no period with both a forecast and wins");
        if (b < 2) ImGui::SameLine(0, px(app, 10));
    }
    ImGui::EndGroup();
    ImGui::NewLine();
    for (const std::string& n : v.backtestNotes) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImColor(warnColor(th)), "Note: %s", n.c_str());
        ImGui::PopTextWrapPos();
    }
    if (!scored) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImColor(warnColor(th)), "No backtested period had wins to compare with: no error, bias or band coverage to show.");
        ImGui::PopTextWrapPos();
    }

    const float avail = ImGui::GetContentRegionAvail().x;
    const float h = ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() - px(app, 4);
    const float leftW = avail * 0.62f;
    ImGui::BeginGroup();
    ImGui::TextDisabled("Backtest: won value per %s, USD: the P10-P90 band and P50 line", v.period.c_str());
    ImGui::TextDisabled("forecast at each period's start, and what was won (green dot)");
    std::vector<charts::BandSlot> slots;
    for (const auto& r : v.backtest) {
        charts::BandSlot s;
        s.label = r.label;
        s.lo = static_cast<double>(r.p10), s.mid = static_cast<double>(r.p50), s.hi = static_cast<double>(r.p90);
        s.actual = static_cast<double>(r.actual);
        slots.push_back(s);
    }
    const int hb = charts::bandChart("##backtest", ImVec2(leftW, h - ImGui::GetTextLineHeightWithSpacing()), slots, [](double x) { return fmt::moneyCompact(static_cast<Money>(x)); }, pr,
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
    ImGui::TextDisabled("Calibration: x predicted P(win), y share won;");
    ImGui::TextDisabled("a dot per decile (size: deals), diagonal = calibrated");
    std::vector<charts::ReliabilityBin> bins;
    for (const auto& b : v.calibration) bins.push_back({b.predicted, b.observed, b.count});
    int hr = -1;
    if (v.calibrationDeals > 0)
        hr = charts::reliabilityChart("##calibration", ImVec2(0, h - ImGui::GetTextLineHeightWithSpacing()), bins, pr, accentColor(th));
    else
        charts::emptyChart("##calibration", ImVec2(0, h - ImGui::GetTextLineHeightWithSpacing()),
                           "No deal open at a backtested period's start had a known outcome to check its probability against.", pr);
    markTarget(app, "forecast.calibration");
    if (hr >= 0) {
        const auto& b = v.calibration[static_cast<std::size_t>(hr)];
        ImGui::SetTooltip("%s deals predicted %s on average; %s of them were won", fmt::count(b.count).c_str(), fmt::percent(b.predicted, 0).c_str(),
                          fmt::percent(b.observed, 0).c_str());
    }
    ImGui::EndGroup();
}

} // namespace terrane
