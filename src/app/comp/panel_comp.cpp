// The Compensation panel (Plan > Compensation...): the scenario's commission plans with a plan
// picker, duplicate and remove, the default target incentive and budget, exports, and four tabs:
// the plan editor, payouts per rep, plan comparison and the cost simulation.
//
// Index
//  [SECTION] quotas       what the plan needs from the quota plan
//  [SECTION] plans        picker, duplicate, remove, settings
//  [SECTION] exports
//  [SECTION] panel
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/comp/export.hpp"
#include "core/data/values.hpp"
#include "platform/platform.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace terrane {
using namespace comp;

namespace {
// [SECTION] quotas
void drawQuotaNotice(App& app) {
    const quota::QuotaResult& q = refreshQuotas(app);
    ImGui::TextColored(ImColor(badColor(app.ui().theme)), "This scenario has no quotas yet: payouts are measured against each rep's quota.");
    ImGui::SameLine();
    if (q.tree.historyTotal > 0) {
        const Money suggestion = (q.tree.historyTotal * 115 / 100) / 100000 * 100000;
        const std::string label = "Set the target to history + 15% (" + fmt::moneyCompact(suggestion) + ")";
        if (ImGui::SmallButton(label.c_str()) && app.runCommand(quota::SetQuotaTarget{suggestion, app.workspace().active().quota.planYear, 0, 0}))
            app.notify(app.workspace().active().log.back().audit.description);
        markTarget(app, "comp.set_quotas");
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("Open Quotas")) app.ui().quota.showQuota = true;
}

// [SECTION] plans
// An amount field committed on Enter or when it loses focus; true with `out` when it changed.
bool amountField(App& app, const char* id, char* buf, std::size_t size, bool& active, Money current, Money& out, const char* hint) {
    if (!active) {
        if (current > 0) std::snprintf(buf, size, "%s", fmt::moneyExact(current).substr(1).c_str());
        else buf[0] = 0;
    }
    ImGui::SetNextItemWidth(px(app, 110));
    const bool enter = ImGui::InputTextWithHint(id, hint, buf, size, ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
    active = ImGui::IsItemActive();
    if (!enter && !ImGui::IsItemDeactivatedAfterEdit()) return false;
    active = false;
    Money m = 0;
    if (buf[0] && (!parseMoneyText(buf, m) || m < 0)) {
        app.notify(std::string("Not an amount: ") + buf);
        return false;
    }
    out = m;
    return m != current;
}

void drawPlans(App& app) {
    CompUi& c = app.ui().comp;
    const Scenario& sc = app.workspace().active();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Plan");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(app, 220));
    const Plan& cur = c.setup.plans[static_cast<std::size_t>(c.plan)];
    if (ImGui::BeginCombo("##plan", cur.name.c_str())) {
        for (int i = 0; i < static_cast<int>(c.setup.plans.size()); ++i) {
            ImGui::PushID(i);
            if (ImGui::Selectable(c.setup.plans[static_cast<std::size_t>(i)].name.c_str(), i == c.plan)) c.plan = i;
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    markTarget(app, "comp.plan");
    ImGui::SameLine();
    if (ImGui::Button("Duplicate plan")) {
        Plan copy = cur;
        copy.name += " (copy)";
        bool ok = true;
        if (c.starter) { // the starting plan is added first: the copy has its original to compare with
            if (sc.comp.defaultTargetIncentive != c.setup.defaultTargetIncentive)
                ok = app.runCommand(SetCompSettings{c.setup.defaultTargetIncentive, c.setup.budget, 0, 0});
            ok = ok && app.runCommand(SetCompPlan{0, c.setup.plans[0], std::nullopt});
        }
        const std::size_t n = app.workspace().active().comp.plans.size();
        if (ok && app.runCommand(SetCompPlan{n, copy, std::nullopt})) {
            c.compareA = c.plan, c.compareB = static_cast<int>(n);
            c.plan = static_cast<int>(n);
            app.notify(app.workspace().active().log.back().audit.description);
        }
    }
    markTarget(app, "comp.duplicate");
    ImGui::SameLine();
    ImGui::BeginDisabled(sc.comp.plans.size() < 2);
    if (ImGui::Button("Remove plan") && app.runCommand(RemoveCompPlan{static_cast<std::size_t>(c.plan), {}})) {
        app.notify(app.workspace().active().log.back().audit.description);
        c.plan = std::max(0, c.plan - 1);
    }
    ImGui::EndDisabled();
    ImGui::SameLine(0, px(app, 20));
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Target incentive");
    ImGui::SameLine();
    Money ti = c.setup.defaultTargetIncentive, budget = c.setup.budget;
    if (amountField(app, "##ti", c.tiText, sizeof c.tiText, c.tiActive, ti, ti, "per rep"))
        app.runCommand(SetCompSettings{ti, budget, 0, 0});
    markTarget(app, "comp.target_incentive");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The variable pay at 100%% of quota for reps whose data has no target_incentive or OTE column");
    ImGui::SameLine();
    ImGui::TextUnformatted("Budget");
    ImGui::SameLine();
    if (amountField(app, "##budget", c.budgetText, sizeof c.budgetText, c.budgetActive, budget, budget, "total payout"))
        app.runCommand(SetCompSettings{c.setup.defaultTargetIncentive, budget, 0, 0});
    markTarget(app, "comp.budget");
}

// [SECTION] exports
void drawExports(App& app) {
    CompUi& c = app.ui().comp;
    const Plan& plan = c.setup.plans[static_cast<std::size_t>(c.plan)];
    const std::string stem = downloadName("", plan.name, "");
    const bool hidden = compPayoutsHidden(app);
    if (ImGui::SmallButton("Plan JSON")) {
        platform::downloadFile(stem + ".json", planToJson(plan).dump(2) + "\n", "application/json");
        app.notify("Exported the plan " + plan.name + " (PLAN_FORMAT.md)");
    }
    markTarget(app, "comp.export.plan");
    ImGui::SameLine();
    ImGui::BeginDisabled(!c.inputs || hidden);
    if (ImGui::SmallButton("Quotas CSV") && c.inputs) {
        std::string csv = "rep_id,quota,target_incentive\n";
        for (const RepInput& r : c.inputs->reps)
            if (!r.repId.empty()) csv += r.repId + "," + formatMoney(r.quota) + "," + formatMoney(r.targetIncentive) + "\n";
        platform::downloadFile(stem + "-quotas.csv", csv, "text/csv");
        app.notify("Exported quotas and target incentives (" + fmt::count(c.inputs->reps.size()) + " reps): terrane comp --quotas reads it");
    }
    markTarget(app, "comp.export.quotas");
    ImGui::SameLine();
    if (ImGui::SmallButton("Payouts CSV") && c.inputs) {
        platform::downloadFile(stem + "-payouts.csv", payoutsCsv(c.payouts), "text/csv");
        app.notify("Exported payouts of " + fmt::countOf(c.payouts.reps.size(), "rep", "reps"));
    }
    markTarget(app, "comp.export.csv");
    ImGui::SameLine();
    if (ImGui::SmallButton("Statements XLSX") && c.inputs) {
        std::vector<std::size_t> reps(c.payouts.reps.size());
        for (std::size_t i = 0; i < reps.size(); ++i) reps[i] = i;
        platform::downloadFile(stem + "-statements.xlsx", statementsWorkbook(c.setup.plans[static_cast<std::size_t>(c.plan)], *c.inputs, c.payouts, reps),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        app.notify("Exported one statement per rep: rates and totals are live formulas");
    }
    markTarget(app, "comp.export.xlsx");
    ImGui::EndDisabled();
}
} // namespace

// [SECTION] panel
void drawCompPanel(App& app) {
    UiState& ui = app.ui();
    CompUi& c = ui.comp;
    if (!c.show) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f), ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->Size.x * 0.94f, px(app, 1340)), std::min(vp->Size.y * 0.88f, px(app, 820))), ImGuiCond_FirstUseEver);
    const std::string title = "Compensation - " + app.workspace().active().name + "###comp";
    if (!ImGui::Begin(title.c_str(), &c.show, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    refreshComp(app);
    drawPlans(app);
    ImGui::SameLine();
    // The exports at the right end of the row, or on the next line when the row is full.
    const float right = ImGui::GetWindowContentRegionMax().x - px(app, 400);
    if (ImGui::GetCursorPosX() + px(app, 10) > right) ImGui::NewLine();
    else ImGui::SetCursorPosX(right);
    drawExports(app);
    if (c.noQuotas) drawQuotaNotice(app);
    if (ImGui::BeginTabBar("compTabs")) {
        static const char* kTabs[] = {"Plan", "Payouts", "Compare plans", "Cost simulation"};
        for (int t = 0; t < 4; ++t) {
            const bool open = ImGui::BeginTabItem(kTabs[t], nullptr, c.tabRequest == t ? ImGuiTabItemFlags_SetSelected : 0);
            markTarget(app, "comp.tab." + std::to_string(t));
            if (!open) continue;
            c.tab = t;
            if (t == 0) drawCompEditor(app);
            if (t == 1) drawCompPayouts(app);
            if (t == 2) drawCompCompare(app);
            if (t == 3) drawCompSimulation(app);
            ImGui::EndTabItem();
        }
        c.tabRequest = -1;
        ImGui::EndTabBar();
    }
    ImGui::End();
}

} // namespace terrane
