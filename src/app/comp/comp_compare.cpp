// Two plans of the scenario side by side on the same deals: total cost, cost of sales, who wins
// and who loses, per-rep deltas, and for the rep clicked "why did my pay change": the difference
// attributed to each changed component.
#include "app/app.hpp"
#include "app/charts.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <algorithm>
#include <cstdlib>

namespace terrane {
using namespace comp;

namespace {
std::string signedMoney(Money m) { return (m > 0 ? "+" : "") + fmt::moneyExact(m); }

void planCombo(App& app, const char* id, int& v) {
    const CompUi& c = app.ui().comp;
    ImGui::SetNextItemWidth(px(app, 220));
    if (ImGui::BeginCombo(id, c.setup.plans[static_cast<std::size_t>(v)].name.c_str())) {
        for (int i = 0; i < static_cast<int>(c.setup.plans.size()); ++i) {
            ImGui::PushID(i);
            if (ImGui::Selectable(c.setup.plans[static_cast<std::size_t>(i)].name.c_str(), i == v)) v = i;
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
}
} // namespace

void drawCompCompare(App& app) {
    CompUi& c = app.ui().comp;
    const Theme th = app.ui().theme;
    refreshComp(app);
    if (c.setup.plans.size() < 2) {
        ImGui::TextDisabled("Compare needs two plans: use \"Duplicate plan\" above, change the copy, and compare it with the original.");
        return;
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Compare");
    ImGui::SameLine();
    planCombo(app, "##a", c.compareA);
    ImGui::SameLine();
    ImGui::TextUnformatted("with");
    ImGui::SameLine();
    planCombo(app, "##b", c.compareB);
    refreshCompComparison(app);
    if (!c.inputs) {
        ImGui::TextDisabled("No payouts: %s", c.error.c_str());
        return;
    }
    const PlanComparison& k = c.comparison;
    const Money d = k.totalB - k.totalA;
    ImGui::Text("Total payout %s -> %s (%s); cost of sales %s -> %s", fmt::moneyExact(k.totalA).c_str(), fmt::moneyExact(k.totalB).c_str(),
                signedMoney(d).c_str(), fmt::percent(k.costOfSalesA, 2).c_str(), fmt::percent(k.costOfSalesB, 2).c_str());
    ImGui::TextColored(ImColor(goodColor(th)), "%zu reps earn more", k.winners);
    ImGui::SameLine();
    ImGui::TextColored(ImColor(badColor(th)), "%zu earn less", k.losers);
    ImGui::SameLine();
    ImGui::TextDisabled("%zu unchanged", k.unchanged);
    if (compPayoutsHidden(app)) {
        ImGui::TextDisabled("Individual payouts are hidden: this file was shared with rep names redacted.");
        return;
    }
    const float h = ImGui::GetContentRegionAvail().y, w = ImGui::GetContentRegionAvail().x;
    std::vector<std::size_t> order(k.reps.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return std::llabs(k.reps[a].delta) > std::llabs(k.reps[b].delta); });
    Money maxAbs = 1;
    for (const RepDelta& r : k.reps) maxAbs = std::max<Money>(maxAbs, std::llabs(r.delta));
    if (ImGui::BeginTable("deltas", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp,
                          ImVec2(w * 0.58f, h))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Rep (largest changes first)", 0, 1.5f);
        ImGui::TableSetupColumn(c.setup.plans[static_cast<std::size_t>(c.comparedA)].name.c_str(), 0, 1.0f);
        ImGui::TableSetupColumn(c.setup.plans[static_cast<std::size_t>(c.comparedB)].name.c_str(), 0, 1.0f);
        ImGui::TableSetupColumn("Change", 0, 0.9f);
        ImGui::TableSetupColumn("", 0, 1.0f);
        tableHeaders();
        for (std::size_t i : order) {
            const RepDelta& r = k.reps[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::Selectable(r.name.c_str(), c.whyRep == static_cast<int>(i), ImGuiSelectableFlags_SpanAllColumns)) c.whyRep = static_cast<int>(i);
            markTarget(app, "comp.why." + r.repId);
            ImGui::PopID();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::moneyExact(r.a).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::moneyExact(r.b).c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(ImColor(r.delta > 0 ? goodColor(th) : r.delta < 0 ? badColor(th) : charts::textColor()), "%s", signedMoney(r.delta).c_str());
            ImGui::TableNextColumn();
            const ImVec2 pos = ImGui::GetCursorScreenPos();
            const float cw = ImGui::GetContentRegionAvail().x, lh = ImGui::GetTextLineHeight();
            const float mid = pos.x + cw * 0.5f, len = cw * 0.5f * static_cast<float>(static_cast<double>(std::llabs(r.delta)) / static_cast<double>(maxAbs));
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(r.delta >= 0 ? mid : mid - len, pos.y + lh * 0.2f),
                                                      ImVec2(r.delta >= 0 ? mid + len : mid, pos.y + lh * 0.8f),
                                                      charts::withAlpha(r.delta >= 0 ? goodColor(th) : badColor(th), 0.7f));
            ImGui::Dummy(ImVec2(cw, lh));
        }
        ImGui::EndTable();
    }
    ImGui::SameLine();
    ImGui::BeginChild("##why", ImVec2(0, h), true);
    ImGui::TextUnformatted("Why did my pay change?");
    const Attribution& at = c.attribution;
    if (c.whyRep < 0 || c.whyRep >= static_cast<int>(at.reps.size())) {
        ImGui::TextDisabled("Click a rep to see their change attributed to each changed part of the plan.");
    } else {
        const RepAttribution& r = at.reps[static_cast<std::size_t>(c.whyRep)];
        ImGui::Text("%s: %s -> %s (%s)", r.name.c_str(), fmt::moneyExact(r.before).c_str(), fmt::moneyExact(r.after).c_str(),
                    signedMoney(r.after - r.before).c_str());
        if (ImGui::BeginTable("parts", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn("Changed part", 0, 1.5f);
            ImGui::TableSetupColumn("Effect", 0, 1.0f);
            tableHeaders();
            for (const ComponentDelta& p : r.parts) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(p.component.c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(ImColor(p.delta > 0 ? goodColor(th) : p.delta < 0 ? badColor(th) : charts::textColor()), "%s", signedMoney(p.delta).c_str());
            }
            ImGui::EndTable();
        }
        ImGui::PushTextWrapPos(0);
        if (!r.explain.empty()) ImGui::TextWrapped("%s", r.explain.c_str());
        ImGui::TextDisabled("%s", at.method.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::EndChild();
}

} // namespace terrane
