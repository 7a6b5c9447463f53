// The plan's cost under uncertainty: the quota panel's attainment Monte Carlo fed through the
// plan (a job with progress, so the page never freezes): total payout and cost of sales P10 /
// P50 / P90, the chance of exceeding the budget, and the share of reps earning at least their
// target incentive, with the distributions drawn and what the simulation assumes beside them;
// solving for the plan (the scale that brings the expected cost of sales to a target).
#include "app/app.hpp"
#include "app/charts.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/comp/comp_commands.hpp"

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
// Solve for the plan: the accelerator scale or base rate scale that brings the expected cost of
// sales to a target, on this simulation's bookings; the result is applied by a command.
void drawSolve(App& app, const CostSimResult& s) {
    CompUi& c = app.ui().comp;
    const Theme th = app.ui().theme;
    if (c.solveTarget <= 0) c.solveTarget = std::max(0.001, std::round(s.expectedCostOfSales * 1000.0) / 1000.0);
    ImGui::SeparatorText("Solve for the plan");
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Bring the expected cost of sales to");
    ImGui::SameLine();
    double pct = c.solveTarget * 100.0;
    ImGui::SetNextItemWidth(px(app, 80));
    if (ImGui::InputDouble("##solvecos", &pct, 0, 0, "%.2f%%", ImGuiInputTextFlags_AutoSelectAll) && std::isfinite(pct))
        c.solveTarget = std::clamp(pct, 0.01, 500.0) / 100.0;
    markTarget(app, "comp.solve.target");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Expected total payout / expected credited bookings over the simulated trials");
    ImGui::SameLine();
    ImGui::TextUnformatted("by scaling");
    ImGui::SameLine();
    ImGui::RadioButton("the accelerators", &c.solveParam, 0);
    markTarget(app, "comp.solve.param.0");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Multipliers above 1 from 100%% of quota: m becomes 1 + s x (m - 1)");
    ImGui::SameLine();
    ImGui::RadioButton("the base rate", &c.solveParam, 1);
    markTarget(app, "comp.solve.param.1");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The base rate scale (target incentive / quota x s) on every tier");
    ImGui::SameLine();
    ImGui::BeginDisabled(static_cast<bool>(c.solveJob));
    if (ImGui::Button("Solve")) startCompSolve(app);
    markTarget(app, "comp.solve.run");
    ImGui::EndDisabled();
    if (c.solveJob) {
        ImGui::SameLine();
        ImGui::ProgressBar(static_cast<float>(c.solveJob->progress()), ImVec2(px(app, 160), 0));
        ImGui::SameLine();
        ImGui::TextDisabled("%s", c.solveJob->detail().c_str());
        return;
    }
    if (!c.solvedValid) {
        ImGui::TextDisabled("Finds the scale by bisection on this simulation's bookings (same seed and trials as above); Apply edits the plan "
                            "(undo with Edit > Undo).");
        return;
    }
    const bool fresh = c.solvedVersion == c.version && c.solvedPlan == c.plan;
    const SolveResult& r = c.solved;
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImColor(r.ok ? goodColor(th) : badColor(th)), "%s", r.message.c_str());
    markTarget(app, "comp.solve.result");
    if (r.ok && fresh) {
        const std::string change = describePlanChange(c.setup.plans[static_cast<std::size_t>(c.plan)], r.plan);
        ImGui::TextUnformatted(change.empty() ? "The plan already gives this cost of sales." : ("Change: " + change).c_str());
    }
    ImGui::PopTextWrapPos();
    if (r.ok && fresh) {
        if (ImGui::Button("Apply to the plan")) applyCompSolve(app);
        markTarget(app, "comp.solve.apply");
        ImGui::SameLine();
        ImGui::TextDisabled("the simulation above then reruns on the changed plan");
    } else if (!fresh) {
        ImGui::TextDisabled("The plan or data changed since: solve again.");
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
    ImGui::TextDisabled("%s trials of %s reps (seed %llu; computed in %s, %s on screen)", fmt::count(s.trials).c_str(), fmt::count(s.reps).c_str(),
                        static_cast<unsigned long long>(app.workspace().active().quota.seed), (fmt::fixed(c.simComputeMs, 0) + " ms").c_str(),
                        (fmt::fixed(c.simMs, 0) + " ms").c_str());
    ImGui::Spacing();
    figure(app, "Total payout P50", fmt::money(s.payoutP50), "P10 " + fmt::moneyCompact(s.payoutP10) + "  P90 " + fmt::moneyCompact(s.payoutP90));
    figure(app, "Cost of sales P50", fmt::percent(s.cosP50, 2), "P10 " + fmt::percent(s.cosP10, 1) + "  P90 " + fmt::percent(s.cosP90, 1) + "; expected " + fmt::percent(s.expectedCostOfSales, 2));
    figure(app, "Chance of exceeding budget", s.budget > 0 ? fmt::percent(s.probExceedBudget, 0) : std::string("-"),
           s.budget > 0 ? "budget " + fmt::moneyCompact(s.budget) : std::string("set a budget above"),
           s.budget > 0 ? (s.probExceedBudget > 0.2 ? badColor(th) : goodColor(th)) : 0);
    figure(app, "Reps earning at least OTE", fmt::percent(s.shareAtOte, 0), "payout >= target incentive, mean over trials");
    ImGui::NewLine();
    drawSolve(app, s);
    ImGui::Separator();
    std::vector<double> pay, cos;
    pay.reserve(s.trialPayout.size());
    for (std::size_t i = 0; i < s.trialPayout.size(); ++i) {
        pay.push_back(moneyToMajor(s.trialPayout[i]));
        if (i < s.trialBookings.size() && s.trialBookings[i] > 0)
            cos.push_back(static_cast<double>(s.trialPayout[i]) / static_cast<double>(s.trialBookings[i]));
    }
    const float h = std::max(px(app, 80), (ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 3 - px(app, 16)) * 0.5f);
    ImGui::TextDisabled("Total payout across trials (share of trials per band)");
    const float chartW = ImGui::GetContentRegionAvail().x * 0.68f;
    ImGui::BeginChild("##paychart", ImVec2(chartW, h + ImGui::GetTextLineHeightWithSpacing()), false, ImGuiWindowFlags_NoScrollbar);
    distribution(app, "##paydist", pay, moneyToMajor(s.payoutP10), moneyToMajor(s.payoutP50), moneyToMajor(s.payoutP90), moneyToMajor(s.budget),
                 [](double v) { return fmt::moneyCompact(moneyFromMajor(v)); }, h);
    markTarget(app, "comp.sim.payout");
    ImGui::EndChild();
    ImGui::SameLine();
    // What the simulation assumes, beside the chart.
    ImGui::BeginChild("##assumes", ImVec2(0, h + ImGui::GetTextLineHeightWithSpacing()), false);
    ImGui::SeparatorText("What the simulation assumes");
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(s.assumptions.text.c_str());
    ImGui::Spacing();
    ImGui::Text("Per trial on average: SPIFFs %s, clawbacks %s, draw top-ups %s.", fmt::money(static_cast<Money>(std::llround(s.spiffMean))).c_str(),
                fmt::money(static_cast<Money>(std::llround(s.clawbackMean))).c_str(), fmt::money(static_cast<Money>(std::llround(s.drawMean))).c_str());
    ImGui::TextDisabled("Bookings per rep and trial come from the quota plan's attainment Monte Carlo (Plan > Quotas > Attainment): "
                        "open pipeline won at its stage's win rate plus new deals drawn from history.");
    ImGui::PopTextWrapPos();
    markTarget(app, "comp.sim.assumptions");
    ImGui::EndChild();
    ImGui::TextDisabled("Cost of sales across trials (total payout / simulated bookings)");
    distribution(app, "##cosdist", cos, s.cosP10, s.cosP50, s.cosP90, 0, [](double v) { return fmt::percent(v, 1); }, h);
}

} // namespace terrane
