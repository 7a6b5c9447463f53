// The plan's cost under uncertainty: the quota panel's attainment Monte Carlo fed through the
// plan (a job with progress, so the page never freezes): total payout and cost of sales P10 /
// P50 / P90, the chance of exceeding the budget, and the share of reps earning at least their
// target incentive, with the distributions drawn.
#include "app/app.hpp"
#include "app/charts.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <algorithm>
#include <cmath>

namespace terrane {
using namespace comp;

namespace {
void figure(App& app, const char* label, const std::string& value, const std::string& sub, ImU32 subColor = 0) {
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", label);
    ImGui::PushFont(app.fonts().large);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopFont();
    if (subColor) ImGui::TextColored(ImColor(subColor), "%s", sub.c_str());
    else ImGui::TextDisabled("%s", sub.c_str());
    ImGui::EndGroup();
    ImGui::SameLine(0, px(app, 36));
}

// A histogram of per-trial values with P10 / P50 / P90 (and an optional limit) marked.
void distribution(App& app, const char* id, const std::vector<double>& v, double p10, double p50, double p90, double limit,
                  const charts::Format& fmtX, float height) {
    if (v.empty()) return;
    const Theme th = app.ui().theme;
    auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    double x0 = *lo, x1 = *hi;
    if (limit > 0) x0 = std::min(x0, limit), x1 = std::max(x1, limit);
    const double pad = (x1 - x0) * 0.05 + 1e-9;
    x0 -= pad, x1 += pad;
    constexpr int kBins = 40;
    std::vector<double> counts(kBins, 0.0);
    for (double x : v) counts[static_cast<std::size_t>(std::clamp(static_cast<int>((x - x0) / (x1 - x0) * kBins), 0, kBins - 1))] += 1.0 / static_cast<double>(v.size());
    const double top = charts::niceCeil(*std::max_element(counts.begin(), counts.end()) * 1.1);
    charts::Plot p = charts::beginPlot(id, ImVec2(0, height), x0, x1, 0, top, [](double y) { return fmt::percent(y, 0); }, app.ui().pixelRatio, 46.0f, 22.0f);
    charts::histogram(p, counts, charts::withAlpha(accentColor(th), 0.7f));
    for (double t : charts::niceTicks(x0, x1, 6)) charts::xLabel(p, t, fmtX(t), charts::textColor());
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    charts::vline(p, p10, charts::withAlpha(text, 0.6f), "P10");
    charts::vline(p, p50, text, "P50", 1.5f);
    charts::vline(p, p90, charts::withAlpha(text, 0.6f), "P90");
    if (limit > 0) charts::vline(p, limit, badColor(th), "budget", 2.0f);
    if (p.hovered) {
        const int b = std::clamp(static_cast<int>((p.dataX(p.mouse.x) - x0) / (x1 - x0) * kBins), 0, kBins - 1);
        ImGui::SetTooltip("%s of trials between %s and %s", fmt::percent(counts[static_cast<std::size_t>(b)], 1).c_str(),
                          fmtX(x0 + (x1 - x0) * b / kBins).c_str(), fmtX(x0 + (x1 - x0) * (b + 1) / kBins).c_str());
    }
}
} // namespace

void drawCompSimulation(App& app) {
    UiState& ui = app.ui();
    CompUi& c = ui.comp;
    const QuotaUi& q = ui.quota;
    refreshCompSimulation(app);
    if (c.noQuotas) {
        ImGui::TextDisabled("The cost simulation feeds the quota plan's attainment Monte Carlo through this plan: set quotas first.");
        return;
    }
    if (!c.inputs) {
        ImGui::TextDisabled("No payouts: %s", c.error.c_str());
        return;
    }
    const bool fresh = c.sim.complete && c.simVersion == c.version;
    if (c.simJob) {
        ImGui::ProgressBar(static_cast<float>(c.simJob->progress()), ImVec2(px(app, 240), 0));
        markTarget(app, "comp.sim.progress");
        ImGui::SameLine();
        ImGui::TextDisabled("%s", c.simJob->detail().c_str());
    } else if (!q.simModel || q.simVersion != q.version) {
        ImGui::TextDisabled("Waiting for the attainment simulation (Plan > Quotas > Attainment)...");
    }
    if (!fresh) return;
    const CostSimResult& s = c.sim;
    const Theme th = ui.theme;
    ImGui::TextDisabled("%s trials of %s reps (seed %llu, %s); commission, attainment bonuses and MBOs per trial - SPIFFs, clawbacks and "
                        "draws depend on individual deals and are left out",
                        fmt::count(s.trials).c_str(), fmt::count(s.reps).c_str(), static_cast<unsigned long long>(app.workspace().active().quota.seed),
                        (fmt::fixed(c.simMs, 0) + " ms").c_str());
    ImGui::Spacing();
    figure(app, "Total payout P50", fmt::money(s.payoutP50), "P10 " + fmt::moneyCompact(s.payoutP10) + "  P90 " + fmt::moneyCompact(s.payoutP90));
    figure(app, "Cost of sales P50", fmt::percent(s.cosP50, 2), "P10 " + fmt::percent(s.cosP10, 1) + "  P90 " + fmt::percent(s.cosP90, 1) + "; expected " + fmt::percent(s.expectedCostOfSales, 2));
    figure(app, "Chance of exceeding budget", s.budget > 0 ? fmt::percent(s.probExceedBudget, 0) : std::string("-"),
           s.budget > 0 ? "budget " + fmt::moneyCompact(s.budget) : std::string("set a budget above"),
           s.budget > 0 ? (s.probExceedBudget > 0.2 ? badColor(th) : goodColor(th)) : 0);
    figure(app, "Reps earning at least OTE", fmt::percent(s.shareAtOte, 0), "payout >= target incentive, mean over trials");
    ImGui::NewLine();
    std::vector<double> pay, cos;
    pay.reserve(s.trialPayout.size());
    for (std::size_t i = 0; i < s.trialPayout.size(); ++i) {
        pay.push_back(moneyToMajor(s.trialPayout[i]));
        if (i < s.trialBookings.size() && s.trialBookings[i] > 0)
            cos.push_back(static_cast<double>(s.trialPayout[i]) / static_cast<double>(s.trialBookings[i]));
    }
    const float h = (ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 2 - px(app, 12)) * 0.5f;
    ImGui::TextDisabled("Total payout across trials (share of trials per band)");
    distribution(app, "##paydist", pay, moneyToMajor(s.payoutP10), moneyToMajor(s.payoutP50), moneyToMajor(s.payoutP90), moneyToMajor(s.budget),
                 [](double v) { return fmt::moneyCompact(moneyFromMajor(v)); }, h);
    markTarget(app, "comp.sim.payout");
    ImGui::TextDisabled("Cost of sales across trials (total payout / simulated bookings)");
    distribution(app, "##cosdist", cos, s.cosP10, s.cosP50, s.cosP90, 0, [](double v) { return fmt::percent(v, 1); }, h);
}

} // namespace terrane
