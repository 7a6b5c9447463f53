// The payouts of the plan on the scenario's deals: headline figures, a row per rep (credited,
// attainment, payout, cost of sales) and, for the rep clicked, the statement's lines with their
// explanations to the cent and the deals behind the line clicked. Individual payouts are hidden
// when the opened file's rep names are redacted.
#include "app/app.hpp"
#include "app/charts.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/base/text.hpp"

#include <algorithm>

namespace terrane {
using namespace comp;

namespace {
void rightText(const std::string& s) {
    const float w = ImGui::CalcTextSize(s.c_str()).x, avail = ImGui::GetContentRegionAvail().x;
    if (avail > w) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + avail - w);
    ImGui::TextUnformatted(s.c_str());
}

void figure(App& app, const char* label, const std::string& value, const std::string& sub) {
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", label);
    ImGui::PushFont(app.fonts().large);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("%s", sub.c_str());
    ImGui::EndGroup();
    ImGui::SameLine(0, px(app, 36));
}

void drawLines(App& app, const RepPayout& r, float height) {
    CompUi& c = app.ui().comp;
    const PlanPayouts& p = c.payouts;
    ImGui::Text("%s (%s): quota %s, target incentive %s, credited %s, attainment %s", r.name.c_str(), r.repId.c_str(),
                fmt::moneyExact(r.quota).c_str(), fmt::moneyExact(r.targetIncentive).c_str(), fmt::moneyExact(r.credited).c_str(),
                fmt::percent(r.attainment, 1).c_str());
    const float w = ImGui::GetContentRegionAvail().x;
    if (ImGui::BeginTable("lines", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp,
                          ImVec2(w * 0.62f, height))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Line", 0, 1.1f);
        ImGui::TableSetupColumn("Statement", 0, 0.5f);
        ImGui::TableSetupColumn("How it is computed", 0, 2.4f);
        ImGui::TableSetupColumn("Amount", 0, 0.7f);
        tableHeaders();
        for (std::size_t i = 0; i < r.lines.size(); ++i) {
            const PayoutLine& l = r.lines[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::Selectable(l.label.c_str(), c.line == static_cast<int>(i), ImGuiSelectableFlags_SpanAllColumns)) c.line = static_cast<int>(i);
            markTarget(app, "comp.line." + std::to_string(i));
            ImGui::PopID();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(l.period < static_cast<int>(p.periodLabels.size()) ? p.periodLabels[static_cast<std::size_t>(l.period)].c_str() : "");
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", l.explain.c_str());
            ImGui::TableNextColumn();
            rightText(fmt::moneyExact(l.amount));
        }
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted("Total");
        ImGui::TableNextColumn();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("the sum of the lines");
        ImGui::TableNextColumn();
        rightText(fmt::moneyExact(r.payout));
        ImGui::EndTable();
    }
    ImGui::SameLine();
    ImGui::BeginChild("##deals", ImVec2(0, height), true);
    if (c.line < 0 || c.line >= static_cast<int>(r.lines.size()) || !c.inputs) {
        ImGui::TextDisabled("Click a line to see the deals behind it.");
    } else {
        const PayoutLine& l = r.lines[static_cast<std::size_t>(c.line)];
        ImGui::Text("%s: %s", l.label.c_str(), fmt::countOf(l.deals.size(), "deal", "deals").c_str());
        if (ImGui::BeginTable("deals", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
            for (const char* h : {"Deal", "Product", "Date", "Credit"}) ImGui::TableSetupColumn(h);
            tableHeaders();
            ImGuiListClipper clip;
            clip.Begin(static_cast<int>(l.deals.size()));
            while (clip.Step())
                for (int k = clip.DisplayStart; k < clip.DisplayEnd; ++k) {
                    const Deal& d = c.inputs->deals[l.deals[static_cast<std::size_t>(k)]];
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(d.id.c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(d.product.c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(fmt::date(d.date).c_str());
                    ImGui::TableNextColumn();
                    rightText(fmt::moneyExact(d.measure));
                }
            ImGui::EndTable();
        }
    }
    ImGui::EndChild();
}
} // namespace

void drawCompPayouts(App& app) {
    CompUi& c = app.ui().comp;
    const PlanPayouts& p = refreshComp(app);
    const bool hidden = compPayoutsHidden(app);
    if (!c.error.empty()) {
        ImGui::TextColored(ImColor(badColor(app.ui().theme)), "No payouts: %s", c.error.c_str());
        return;
    }
    std::size_t withTi = 0;
    for (const RepPayout& r : p.reps) withTi += r.targetIncentive > 0;
    figure(app, "Total payout", fmt::moneyExact(p.totalPayout), fmt::countOf(p.reps.size(), "rep", "reps") + ", " + fmt::countOf(p.dealsCredited, "deal", "deals") + " credited");
    figure(app, "Cost of sales", fmt::percent(p.costOfSales, 2), "payout / credited " + fmt::moneyCompact(p.totalCredited));
    figure(app, "Reps at target incentive", fmt::percent(withTi ? static_cast<double>(p.repsAtTarget) / static_cast<double>(withTi) : 0, 0),
           fmt::count(p.repsAtTarget) + " of " + fmt::count(withTi) + " earn at least their target incentive");
    ImGui::NewLine();
    for (const std::string& n : p.notes) ImGui::TextDisabled("%s", n.c_str()); // the inputs' notes included
    if (hidden) {
        ImGui::TextDisabled("Individual payouts are hidden: this file was shared with rep names redacted.");
        return;
    }
    ImGui::SetNextItemWidth(px(app, 200));
    ImGui::InputTextWithHint("##repfilter", "Filter reps", c.repFilter, sizeof c.repFilter);
    const float avail = ImGui::GetContentRegionAvail().y;
    const float tableH = c.rep >= 0 ? avail * 0.5f : avail;
    Money maxPay = 1;
    for (const RepPayout& r : p.reps) maxPay = std::max(maxPay, r.payout);
    const std::string filter = toLower(c.repFilter);
    if (ImGui::BeginTable("payouts", 8, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp,
                          ImVec2(0, tableH - px(app, 6)))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Rep", 0, 1.5f);
        ImGui::TableSetupColumn("Quota", 0, 1.0f);
        ImGui::TableSetupColumn("Credited", 0, 1.0f);
        ImGui::TableSetupColumn("Attainment", 0, 0.7f);
        ImGui::TableSetupColumn("Target incentive", 0, 1.0f);
        ImGui::TableSetupColumn("Payout", 0, 1.0f);
        ImGui::TableSetupColumn("Cost of sales", 0, 0.7f);
        ImGui::TableSetupColumn("", 0, 1.0f);
        tableHeaders();
        for (std::size_t i = 0; i < p.reps.size(); ++i) {
            const RepPayout& r = p.reps[i];
            if (!filter.empty() && toLower(r.name).find(filter) == std::string::npos && toLower(r.repId).find(filter) == std::string::npos) continue;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::Selectable(r.name.c_str(), c.rep == static_cast<int>(i), ImGuiSelectableFlags_SpanAllColumns)) {
                c.rep = c.rep == static_cast<int>(i) ? -1 : static_cast<int>(i);
                c.line = -1;
            }
            markTarget(app, "comp.rep." + r.repId);
            ImGui::PopID();
            ImGui::TableNextColumn();
            rightText(fmt::money(r.quota));
            ImGui::TableNextColumn();
            rightText(fmt::money(r.credited));
            ImGui::TableNextColumn();
            rightText(r.quota > 0 ? fmt::percent(r.attainment, 1) : "-");
            ImGui::TableNextColumn();
            rightText(fmt::money(r.targetIncentive));
            ImGui::TableNextColumn();
            rightText(fmt::moneyExact(r.payout));
            ImGui::TableNextColumn();
            rightText(r.credited > 0 ? fmt::percent(static_cast<double>(r.payout) / static_cast<double>(r.credited), 1) : "-");
            ImGui::TableNextColumn();
            const ImVec2 pos = ImGui::GetCursorScreenPos();
            const float w = ImGui::GetContentRegionAvail().x, h = ImGui::GetTextLineHeight();
            const float len = w * static_cast<float>(static_cast<double>(std::max<Money>(0, r.payout)) / static_cast<double>(maxPay));
            const Theme th = app.ui().theme;
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(pos.x, pos.y + h * 0.2f), ImVec2(pos.x + len, pos.y + h * 0.8f),
                                                      charts::withAlpha(r.payout >= r.targetIncentive && r.targetIncentive > 0 ? goodColor(th) : accentColor(th), 0.7f));
            ImGui::Dummy(ImVec2(w, h));
        }
        ImGui::EndTable();
    }
    if (c.rep >= 0 && c.rep < static_cast<int>(p.reps.size())) drawLines(app, p.reps[static_cast<std::size_t>(c.rep)], ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing());
}

} // namespace terrane
