// Capacity panel: how many reps it takes to hit the number. What-if controls change a draft of
// the scenario's capacity plan and the chart follows live; "Save to scenario" issues the command.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "app/charts.hpp"
#include "core/base/format.hpp"
#include "core/data/values.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace terrane {
using namespace quota;

namespace {
// An amount field bound to a Money value; 0 shows the hint. Returns true when the value changed.
bool moneyField(App& app, const char* id, Money& value, const char* hint, float width) {
    char buf[32];
    if (value > 0)
        std::snprintf(buf, sizeof buf, "%s", fmt::money(value).substr(1).c_str());
    else
        buf[0] = 0;
    ImGui::SetNextItemWidth(width);
    bool changed = false;
    if (ImGui::InputTextWithHint(id, hint, buf, sizeof buf,
                                 ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll)) {
        Money m = 0;
        if (buf[0] == 0)
            m = 0;
        else if (!parseMoneyText(buf, m) || m < 0) {
            app.notify(std::string("Not an amount: ") + buf);
            return false;
        }
        changed = m != value;
        value = m;
    }
    return changed;
}

void controls(App& app, const CapacityResult& r) {
    QuotaUi& q = app.ui().quota;
    CapacityPlan& d = q.draft;
    const Scenario& sc = app.workspace().active();
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted("What if");
    ImGui::PopFont();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("Changes update the chart at once; save them to keep them in the scenario.");
    ImGui::PopStyleColor();
    ImGui::Spacing();
    const float w = ImGui::GetContentRegionAvail().x;
    ImGui::TextUnformatted("Target");
    const std::string targetHint =
        sc.quota.target > 0 ? fmt::money(sc.quota.target).substr(1) + " (quota target)" : "set an amount";
    moneyField(app, "##ctarget", d.target, targetHint.c_str(), w);
    markTarget(app, "capacity.target");
    ImGui::TextUnformatted("Bookings of a fully ramped rep per year");
    const std::string prodHint = q.capacityInputs.productivity > 0 && d.productivity == 0
                                     ? fmt::money(q.capacityInputs.productivity).substr(1) + " (from history)"
                                     : "set an amount";
    moneyField(app, "##prod", d.productivity, prodHint.c_str(), w);
    markTarget(app, "capacity.productivity");
    if (ImGui::IsItemHovered() && d.productivity == 0)
        ImGui::SetTooltip(
            "Average won bookings over the history window of reps who were fully ramped throughout it");
    ImGui::Spacing();
    ImGui::Text("Ramp curve (productivity by step)");
    const int steps = static_cast<int>(d.ramp.size());
    const float sw = std::min(px(app, 40), (w - px(app, 8) * static_cast<float>(steps)) /
                                               static_cast<float>(std::max(1, steps)));
    for (int i = 0; i < steps; ++i) {
        ImGui::PushID(i);
        if (i) ImGui::SameLine(0, px(app, 6));
        float v = static_cast<float>(d.ramp[static_cast<std::size_t>(i)] * 100.0);
        if (ImGui::VSliderFloat("##ramp", ImVec2(sw, px(app, 80)), &v, 0.0f, 100.0f, "%.0f%%"))
            d.ramp[static_cast<std::size_t>(i)] = std::max(0.0, v / 100.0);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Months %d-%d after the start: %.0f%% of a ramped rep",
                              i * d.rampStepMonths + 1, (i + 1) * d.rampStepMonths, v);
        ImGui::PopID();
    }
    if (steps < 12) {
        ImGui::SameLine();
        if (ImGui::SmallButton("+")) d.ramp.push_back(1.0);
    }
    if (steps > 1) {
        ImGui::SameLine();
        if (ImGui::SmallButton("-")) d.ramp.pop_back();
    }
    if (d.ramp.back() <= 0) d.ramp.back() = 0.01;
    ImGui::SetNextItemWidth(w * 0.5f);
    ImGui::SliderInt("months a step", &d.rampStepMonths, 1, 6);
    float attr = static_cast<float>(d.attrition * 100.0);
    ImGui::SetNextItemWidth(w * 0.5f);
    if (ImGui::SliderFloat("attrition a year", &attr, 0.0f, 60.0f, "%.0f%%"))
        d.attrition = std::clamp(attr / 100.0, 0.0, 0.95);
    markTarget(app, "capacity.attrition");
    ImGui::SetNextItemWidth(w * 0.5f);
    ImGui::SliderInt("months to hire", &d.timeToHireMonths, 0, 12);
    markTarget(app, "capacity.tth");
    ImGui::Spacing();
    ImGui::TextDisabled("%d reps on staff ramp from their start dates;", r.startingHeadcount);
    ImGui::TextDisabled("vacant seats count as hires still to make.");
    ImGui::Spacing();
    const bool dirty = !(d == sc.capacity);
    ImGui::BeginDisabled(!dirty || !validateCapacityPlan(d).empty());
    if (ImGui::Button("Save to scenario")) {
        if (app.runCommand(SetCapacityPlan{d, {}}))
            app.notify(app.workspace().active().log.back().audit.description);
    }
    markTarget(app, "capacity.save");
    ImGui::SameLine();
    if (ImGui::Button("Reset")) d = sc.capacity;
    ImGui::EndDisabled();
    if (!dirty) {
        ImGui::SameLine();
        ImGui::TextDisabled("saved");
    }
}

void cumulativeChart(App& app, const CapacityResult& r, float height) {
    const Theme th = app.ui().theme;
    double top = 1;
    for (const CapacityMonth& m : r.months)
        top = std::max(
            {top, static_cast<double>(m.cumulativeCapacity), static_cast<double>(m.cumulativeTarget)});
    top = charts::niceCeil(top);
    charts::Plot p = charts::beginPlot(
        "##cum", ImVec2(0, height), -0.5, 11.5, 0, top,
        [](double v) { return fmt::moneyCompact(static_cast<Money>(v)); }, app.ui().pixelRatio, 64.0f, 22.0f);
    const float bw = (p.max.x - p.min.x) / 12.0f;
    // Monthly capacity as bars, cumulative capacity and target as lines.
    ImVec2 cap[12], tgt[12];
    int hover = -1;
    for (int i = 0; i < 12; ++i) {
        const CapacityMonth& m = r.months[static_cast<std::size_t>(i)];
        const float cx = p.x(i);
        p.dl->AddRectFilled(ImVec2(cx - bw * 0.3f, p.y(static_cast<double>(m.capacity))),
                            ImVec2(cx + bw * 0.3f, p.max.y), charts::withAlpha(accentColor(th), 0.25f));
        cap[i] = ImVec2(cx, p.y(static_cast<double>(m.cumulativeCapacity)));
        tgt[i] = ImVec2(cx, p.y(static_cast<double>(m.cumulativeTarget)));
        charts::xLabel(p, i, m.label.substr(0, 3), charts::textColor());
        if (p.hovered && std::fabs(p.mouse.x - cx) < bw * 0.5f) hover = i;
    }
    p.dl->AddPolyline(tgt, 12, ImGui::GetColorU32(ImGuiCol_Text), 0, 2.0f * p.pr);
    const bool short_ = r.annualCapacity < r.months.back().cumulativeTarget;
    p.dl->AddPolyline(cap, 12, short_ ? badColor(th) : goodColor(th), 0, 2.5f * p.pr);
    for (int i = 0; i < 12; ++i)
        p.dl->AddCircleFilled(cap[i], 3.0f * p.pr, short_ ? badColor(th) : goodColor(th));
    // Legend.
    const ImVec2 lg(p.min.x + 8 * p.pr, p.min.y + 4 * p.pr);
    p.dl->AddLine(ImVec2(lg.x, lg.y + 7 * p.pr), ImVec2(lg.x + 18 * p.pr, lg.y + 7 * p.pr),
                  short_ ? badColor(th) : goodColor(th), 2.5f * p.pr);
    p.dl->AddText(ImVec2(lg.x + 24 * p.pr, lg.y), ImGui::GetColorU32(ImGuiCol_Text), "cumulative capacity");
    p.dl->AddLine(ImVec2(lg.x, lg.y + 25 * p.pr), ImVec2(lg.x + 18 * p.pr, lg.y + 25 * p.pr),
                  ImGui::GetColorU32(ImGuiCol_Text), 2.0f * p.pr);
    p.dl->AddText(ImVec2(lg.x + 24 * p.pr, lg.y + 18 * p.pr), ImGui::GetColorU32(ImGuiCol_Text),
                  "cumulative target");
    p.dl->AddRectFilled(ImVec2(lg.x + 2 * p.pr, lg.y + 38 * p.pr), ImVec2(lg.x + 16 * p.pr, lg.y + 48 * p.pr),
                        charts::withAlpha(accentColor(th), 0.25f));
    p.dl->AddText(ImVec2(lg.x + 24 * p.pr, lg.y + 36 * p.pr), ImGui::GetColorU32(ImGuiCol_Text),
                  "capacity in the month");
    if (hover >= 0) {
        const CapacityMonth& m = r.months[static_cast<std::size_t>(hover)];
        ImGui::SetTooltip("%s\nheadcount %.1f, ramped %.1f FTE\nleavers %.2f, starts %.2f (%d "
                          "whole)\ncapacity %s, target %s\ncumulative %s vs %s",
                          m.label.c_str(), m.headcount, m.rampedFte, m.departures, m.hiresStarting,
                          m.hiresWhole, fmt::money(m.capacity).c_str(), fmt::money(m.target).c_str(),
                          fmt::money(m.cumulativeCapacity).c_str(), fmt::money(m.cumulativeTarget).c_str());
    }
}

std::string signedCompact(Money m) {
    return m < 0 ? "-" + fmt::moneyCompact(-m) : fmt::moneyCompact(m);
}

void monthTable(const CapacityResult& r) {
    if (!ImGui::BeginTable("months", 8,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                               ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_ScrollY,
                           ImVec2(0, ImGui::GetContentRegionAvail().y)))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const char* h :
         {"Month", "Headcount", "Ramped FTE", "Leavers", "Starts", "Capacity", "Target", "Running gap"})
        ImGui::TableSetupColumn(h);
    tableHeaders();
    auto right = [](const std::string& s) {
        const float tw = ImGui::CalcTextSize(s.c_str()).x, av = ImGui::GetContentRegionAvail().x;
        if (av > tw) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + av - tw);
        ImGui::TextUnformatted(s.c_str());
    };
    for (const CapacityMonth& m : r.months) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.label.c_str());
        ImGui::TableNextColumn();
        right(fmt::fixed(m.headcount, 1));
        ImGui::TableNextColumn();
        right(fmt::fixed(m.rampedFte, 1));
        ImGui::TableNextColumn();
        right(fmt::fixed(m.departures, 2));
        ImGui::TableNextColumn();
        // Whole starts to plan, with the expected (fractional) starts when they differ.
        const bool exact = std::fabs(m.hiresStarting - m.hiresWhole) < 0.05;
        right(exact ? std::to_string(m.hiresWhole)
                    : std::to_string(m.hiresWhole) + " (" + fmt::fixed(m.hiresStarting, 1) + " expected)");
        ImGui::TableNextColumn();
        right(fmt::moneyCompact(m.capacity));
        ImGui::TableNextColumn();
        right(fmt::moneyCompact(m.target));
        ImGui::TableNextColumn();
        right(signedCompact(m.cumulativeCapacity - m.cumulativeTarget));
    }
    ImGui::EndTable();
}

void big(App& app, const char* label, const std::string& value, const std::string& sub, ImU32 color = 0) {
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", label);
    ImGui::PushFont(app.fonts().large);
    if (color)
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(color), "%s", value.c_str());
    else
        ImGui::TextUnformatted(value.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("%s", sub.c_str());
    ImGui::EndGroup();
}
} // namespace

void drawCapacityPanel(App& app) {
    UiState& ui = app.ui();
    QuotaUi& q = ui.quota;
    if (!q.showCapacity) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f),
                            ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(
        ImVec2(std::min(vp->Size.x * 0.86f, px(app, 1100)), std::min(vp->Size.y * 0.84f, px(app, 700))),
        ImGuiCond_FirstUseEver);
    const std::string title = "Capacity - " + app.workspace().active().name + "###capacity";
    if (!ImGui::Begin(title.c_str(), &q.showCapacity, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    const CapacityResult& r = refreshCapacity(app);
    ImGui::BeginChild("controls", ImVec2(px(app, 310), 0), false);
    controls(app, r);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("plan", ImVec2(0, 0), false);
    const Theme th = ui.theme;
    if (!r.ok) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(charts::amberColor(th == Theme::Dark)), "%s",
                           r.error.c_str());
        if (q.capacityInputs.target <= 0)
            ImGui::TextDisabled("Set the company target in the Quotas panel, or a target here.");
    } else {
        if (ImGui::BeginTable("kpis", 4, ImGuiTableFlags_SizingStretchSame)) {
            ImGui::TableNextColumn();
            big(app, "Reps needed", std::to_string(r.repsNeeded),
                std::to_string(r.startingHeadcount) + " now + " + std::to_string(r.hiresAtStart) + " to hire",
                r.reachable ? 0 : badColor(th));
            ImGui::TableNextColumn();
            big(app, "Simple estimate", fmt::fixed(r.repsNeededFormula, 1),
                "ramp " + fmt::percent(r.averageRamp, 0) + ", attrition " +
                    fmt::percent(q.capacityInputs.attrition, 0));
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("target / (productivity x average first-year ramp x (1 - attrition)), the "
                                  "rule of thumb; the plan on the left "
                                  "works month by month instead");
            ImGui::TableNextColumn();
            big(app, "Capacity in the year", fmt::moneyCompact(r.annualCapacity),
                (r.surplus >= 0 ? "+" : "") + signedCompact(r.surplus) + " vs " +
                    fmt::moneyCompact(q.capacityInputs.target),
                r.surplus >= 0 ? goodColor(th) : badColor(th));
            ImGui::TableNextColumn();
            big(app, "One more hire adds", fmt::moneyCompact(static_cast<Money>(r.marginalRep)),
                "in the plan year");
            ImGui::EndTable();
        }
        if (!r.reachable)
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(badColor(th)), "%s", r.error.c_str());
        for (const std::string& w : r.warnings) {
            ImGui::PushStyleColor(ImGuiCol_Text, charts::amberColor(th == Theme::Dark));
            ImGui::TextWrapped("Check the hiring plan: %s.", w.c_str());
            ImGui::PopStyleColor();
            markTarget(app, "capacity.warning");
        }
        ImGui::TextWrapped("%s", r.basis.c_str());
        const float avail = ImGui::GetContentRegionAvail().y;
        cumulativeChart(app, r, std::max(px(app, 160), avail * 0.55f));
        monthTable(r);
    }
    ImGui::EndChild();
    ImGui::End();
}

} // namespace terrane
