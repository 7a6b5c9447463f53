// Quota panel: the company target down the hierarchy to reps, with every figure's basis;
// fairness of the result; the attainment simulation; scenario comparison; exports.
// Widgets report edits; every change is a core command on the active scenario (undo, audit).
//
// Index
//  [SECTION] helpers
//  [SECTION] settings     target, seasonality, over-assignment, method, rounding, vacancies
//  [SECTION] allocation   the hierarchy table with basis, selection, override and lock
//  [SECTION] fairness     ratio charts, dispersion, outliers
//  [SECTION] attainment   the simulation: figures, histogram, fan chart
//  [SECTION] compare      two scenarios side by side
//  [SECTION] exports
//  [SECTION] panel
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "app/charts.hpp"
#include "core/base/format.hpp"
#include "core/quota/export.hpp"
#include "core/data/values.hpp"
#include "platform/platform.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace terrane {
using namespace quota;

namespace {
// [SECTION] helpers
void command(App& app, Command cmd) {
    if (app.runCommand(std::move(cmd))) app.notify(app.workspace().active().log.back().audit.description);
}

void rightAligned(const std::string& s, ImU32 color = 0) {
    const float w = ImGui::CalcTextSize(s.c_str()).x;
    const float avail = ImGui::GetContentRegionAvail().x;
    if (avail > w) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + avail - w);
    if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextUnformatted(s.c_str());
    if (color) ImGui::PopStyleColor();
}

void help(const char* text) {
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_DelayShort)) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

const char* kPeriodShort[] = {"J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"};

// [SECTION] settings
void drawTarget(App& app, const QuotaResult& r) {
    QuotaUi& q = app.ui().quota;
    Scenario& sc = app.workspace().active();
    if (!q.targetActive) {
        if (sc.quota.target > 0)
            std::snprintf(q.targetText, sizeof q.targetText, "%s",
                          fmt::money(sc.quota.target).substr(1).c_str());
        else
            q.targetText[0] = 0;
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Company target");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(app, 150));
    const bool enter =
        ImGui::InputTextWithHint("##target", "e.g. 12,000,000", q.targetText, sizeof q.targetText,
                                 ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
    markTarget(app, "target");
    q.targetActive = ImGui::IsItemActive();
    help("The company's annual bookings target for the plan year. Type an amount and press Enter.");
    if (enter || ImGui::IsItemDeactivatedAfterEdit()) {
        Money m = 0;
        if (!parseMoneyText(q.targetText, m) || m < 0)
            app.notify(std::string("Not a target amount: ") + q.targetText);
        else if (m != sc.quota.target)
            command(app, SetQuotaTarget{m, sc.quota.planYear, 0, 0});
        q.targetActive = false;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("for %d", r.tree.planYear);
    help("The plan year: the calendar year after the latest date in the opportunity history.");
    if (r.tree.historyTotal > 0) {
        ImGui::SameLine();
        const Money suggestion = (r.tree.historyTotal * 115 / 100) / 100000 * 100000;
        const std::string label = "Use history + 15% (" + fmt::moneyCompact(suggestion) + ")";
        if (ImGui::SmallButton(label.c_str()))
            command(app, SetQuotaTarget{suggestion, sc.quota.planYear, 0, 0});
        markTarget(app, "target.suggest");
        help("Sets the target to the bookings of the history window plus 15%, rounded to $1,000.");
    }
}

void drawSeasonality(App& app) {
    QuotaUi& q = app.ui().quota;
    Scenario& sc = app.workspace().active();
    const auto& w = sc.quota.seasonality;
    const int n = static_cast<int>(w.size());
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Seasonality");
    ImGui::SameLine();
    int mode = n == 12 ? 1 : 0;
    if (ImGui::RadioButton("Quarters", &mode, 0) && n != 4) {
        std::vector<double> v(4, 0.0);
        for (int m = 0; m < 12; ++m) v[static_cast<std::size_t>(m / 3)] += w[static_cast<std::size_t>(m)];
        command(app, SetQuotaSeasonality{v, {}});
    }
    ImGui::SameLine();
    if (ImGui::RadioButton("Months", &mode, 1) && n != 12) {
        std::vector<double> v(12, 0.0);
        for (int m = 0; m < 12; ++m)
            v[static_cast<std::size_t>(m)] = w[static_cast<std::size_t>(m / 3)] / 3.0;
        command(app, SetQuotaSeasonality{v, {}});
    }
    double sum = 0;
    for (double x : w) sum += x;
    if (!q.seasonalityActive)
        for (int i = 0; i < n; ++i)
            q.seasonality[i] =
                sum > 0 ? static_cast<float>(w[static_cast<std::size_t>(i)] / sum * 100.0) : 0.0f;
    bool anyActive = false, commit = false;
    ImGui::SameLine(0, px(app, 14));
    const float sw = n == 4 ? px(app, 44) : px(app, 22);
    for (int i = 0; i < n; ++i) {
        ImGui::PushID(i);
        if (i) ImGui::SameLine(0, px(app, 3));
        ImGui::SetNextItemWidth(sw);
        ImGui::DragFloat("##s", &q.seasonality[i], 0.1f, 0.0f, 100.0f, n == 4 ? "%.0f%%" : "%.0f");
        anyActive |= ImGui::IsItemActive();
        commit |= ImGui::IsItemDeactivatedAfterEdit();
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s: %.1f%% of the year (drag to change; weights are rescaled to 100%%)",
                              n == 4 ? ("Q" + std::to_string(i + 1)).c_str() : kPeriodShort[i],
                              q.seasonality[i]);
        ImGui::PopID();
    }
    q.seasonalityActive = anyActive;
    if (commit) {
        std::vector<double> v(q.seasonality, q.seasonality + n);
        if (validateSeasonality(v).empty()) command(app, SetQuotaSeasonality{v, {}});
    }
}

void drawOverAssign(App& app) {
    QuotaUi& q = app.ui().quota;
    Scenario& sc = app.workspace().active();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Over-assignment");
    help("The uplift from a parent's quota to what its children carry: e.g. +10% to regions means the "
         "regions' quotas sum to "
         "110% of the company target. Levels multiply.");
    static const char* kLabels[] = {"to regions", "to districts", "to territories"};
    for (int l = 0; l < 3; ++l) {
        ImGui::SameLine(0, l ? px(app, 10) : px(app, 8));
        if (!q.overAssignActive[l])
            q.overAssign[l] =
                static_cast<float>(sc.quota.overAssignPpm[static_cast<std::size_t>(l)]) / 10000.0f;
        ImGui::PushID(l);
        ImGui::SetNextItemWidth(px(app, 74));
        ImGui::DragFloat("##oa", &q.overAssign[l], 0.1f, -50.0f, 200.0f, "%+.1f%%");
        markTarget(app, std::string("over_assign.") + (l == 0   ? "region"
                                                             : l == 1 ? "district"
                                                                      : "territory"));
        q.overAssignActive[l] = ImGui::IsItemActive();
        if (ImGui::IsItemDeactivatedAfterEdit()) {
            const auto ppm =
                static_cast<std::int64_t>(std::llround(static_cast<double>(q.overAssign[l]) * 10.0)) * 1000;
            if (ppm != sc.quota.overAssignPpm[static_cast<std::size_t>(l)])
                command(app, SetQuotaOverAssign{static_cast<QuotaLevel>(l + 1), ppm, 0});
        }
        ImGui::SameLine(0, px(app, 4));
        ImGui::TextDisabled("%s", kLabels[l]);
        ImGui::PopID();
    }
}

void drawMethod(App& app, const QuotaResult& r) {
    QuotaUi& q = app.ui().quota;
    Scenario& sc = app.workspace().active();
    AllocationSettings a = sc.quota.allocation;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Allocate by");
    static const char* kHelp[] = {
        "Every territory the same share.", "Share of the accounts' potential (TAM / whitespace).",
        "Share of bookings in the history window (bookings file, or won opportunities).",
        "A weighted mix of potential, history and equal shares.",
        "A base method scaled by each owner's ramp over the plan year (new hires, vacant seats)."};
    for (int m = 0; m < kQuotaMethodCount; ++m) {
        ImGui::SameLine();
        const auto method = static_cast<QuotaMethod>(m);
        if (ImGui::RadioButton(quotaMethodLabel(method), a.method == method) && a.method != method) {
            a.method = method;
            command(app, SetQuotaMethod{a, {}});
        }
        markTarget(app, std::string("method.") + quotaMethodName(method));
        help(kHelp[m]);
    }
    const bool showBlend = a.method == QuotaMethod::Blend ||
                           (a.method == QuotaMethod::Capacity && a.capacityBase == QuotaMethod::Blend);
    if (a.method == QuotaMethod::Capacity) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("Capacity base");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(px(app, 170));
        if (ImGui::BeginCombo("##capbase", quotaMethodLabel(a.capacityBase))) {
            for (int m = 0; m < 4; ++m)
                if (ImGui::Selectable(quotaMethodLabel(static_cast<QuotaMethod>(m)),
                                      a.capacityBase == static_cast<QuotaMethod>(m))) {
                    a.capacityBase = static_cast<QuotaMethod>(m);
                    command(app, SetQuotaMethod{a, {}});
                }
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        std::string ramp;
        for (std::size_t i = 0; i < sc.capacity.ramp.size(); ++i) {
            if (i) ramp += '/';
            ramp += fmt::percent(sc.capacity.ramp[i], 0);
        }
        ImGui::TextDisabled("ramp %s by %d-month steps (set in the Capacity panel)", ramp.c_str(),
                            sc.capacity.rampStepMonths);
    }
    if (showBlend) {
        if (!q.blendActive) {
            const double s = a.blend.potential + a.blend.history + a.blend.equal;
            q.blend[0] = static_cast<float>(a.blend.potential / s * 100);
            q.blend[1] = static_cast<float>(a.blend.history / s * 100);
            q.blend[2] = static_cast<float>(a.blend.equal / s * 100);
        }
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("Blend weights");
        static const char* kNames[] = {"potential", "history", "equal"};
        bool active = false, commit = false;
        for (int i = 0; i < 3; ++i) {
            ImGui::SameLine();
            ImGui::PushID(i);
            ImGui::SetNextItemWidth(px(app, 120));
            std::string fmtText = "%.0f%% ";
            fmtText += kNames[i];
            ImGui::SliderFloat("##bw", &q.blend[i], 0.0f, 100.0f, fmtText.c_str());
            active |= ImGui::IsItemActive();
            commit |= ImGui::IsItemDeactivatedAfterEdit();
            ImGui::PopID();
        }
        q.blendActive = active;
        if (commit && q.blend[0] + q.blend[1] + q.blend[2] > 0) {
            a.blend = BlendWeights{q.blend[0], q.blend[1], q.blend[2]};
            command(app, SetQuotaMethod{a, {}});
        }
    }
    const bool usesHistory = a.method == QuotaMethod::History || showBlend ||
                             (a.method == QuotaMethod::Capacity && a.capacityBase == QuotaMethod::History);
    if (usesHistory) {
        if (!showBlend && a.method != QuotaMethod::Capacity) ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("History: %s, %s to %s (%s)",
                            r.tree.historyUsed == HistorySource::Bookings ? "bookings file"
                                                                          : "won opportunities",
                            fmt::date(r.tree.historyFrom).c_str(), fmt::date(r.tree.historyTo - 1).c_str(),
                            fmt::moneyCompact(r.tree.historyTotal).c_str());
        ImGui::SameLine();
        ImGui::SetNextItemWidth(px(app, 130));
        static const int kMonthsOpts[] = {6, 12, 24};
        const int months =
            a.historyFrom == kDateNull
                ? 12
                : (civilFromDays(r.tree.historyTo).year - civilFromDays(r.tree.historyFrom).year) * 12 +
                      civilFromDays(r.tree.historyTo).month - civilFromDays(r.tree.historyFrom).month;
        const std::string cur = "last " + std::to_string(months) + " months";
        if (ImGui::BeginCombo("##window", cur.c_str())) {
            for (int m : kMonthsOpts) {
                if (ImGui::Selectable(("last " + std::to_string(m) + " months").c_str(), m == months)) {
                    a.historyTo = kDateNull;
                    a.historyFrom = m == 12 ? kDateNull : addMonths(r.tree.historyTo, -m);
                    command(app, SetQuotaMethod{a, {}});
                }
            }
            ImGui::EndCombo();
        }
    }
}

void drawRounding(App& app) {
    Scenario& sc = app.workspace().active();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Round to");
    ImGui::SameLine();
    static const Money kUnits[] = {1, 100, 1000, 10000, 100000, 1000000, 10000000};
    ImGui::SetNextItemWidth(px(app, 100));
    if (ImGui::BeginCombo("##unit", fmt::moneyExact(sc.quota.roundingUnit).c_str())) {
        for (Money u : kUnits)
            if (ImGui::Selectable(fmt::moneyExact(u).c_str(), u == sc.quota.roundingUnit))
                command(app, SetQuotaRounding{u, sc.quota.remainder, 0, {}});
        ImGui::EndCombo();
    }
    markTarget(app, "rounding");
    help("Every quota is a whole number of this unit; each level still sums exactly to its parent.");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(app, 230));
    static const char* kRem[] = {"remainder on the largest quota", "refuse totals not in whole units"};
    const int cur = sc.quota.remainder == RemainderPolicy::Reject ? 1 : 0;
    if (ImGui::BeginCombo("##rem", kRem[cur])) {
        for (int i = 0; i < 2; ++i)
            if (ImGui::Selectable(kRem[i], i == cur))
                command(app, SetQuotaRounding{sc.quota.roundingUnit,
                                              i ? RemainderPolicy::Reject : RemainderPolicy::Largest,
                                              0,
                                              {}});
        ImGui::EndCombo();
    }
    help("When a total (target x over-assignment, or what is left beside a lock) is not a whole number of "
         "units, the sub-unit "
         "remainder either goes to the largest quota (its basis says so) or the plan is refused until the "
         "totals are whole.");
    ImGui::SameLine(0, px(app, 16));
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Vacant seats");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(app, 190));
    static const char* kVac[] = {"quota allocated to the seat", "quota held by the manager"};
    const int v = sc.quota.vacancy == VacancyPolicy::Hold ? 1 : 0;
    if (ImGui::BeginCombo("##vac", kVac[v])) {
        for (int i = 0; i < 2; ++i)
            if (ImGui::Selectable(kVac[i], i == v))
                command(app, SetQuotaVacancy{i ? VacancyPolicy::Hold : VacancyPolicy::Allocate, {}});
        ImGui::EndCombo();
    }
}

void drawReconciliation(App& app, const QuotaResult& r) {
    const Theme th = app.ui().theme;
    if (r.target <= 0) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(charts::amberColor(th == Theme::Dark)),
                           "Set the company target to allocate quotas.");
        return;
    }
    std::string factor;
    if (r.expectedLeafTotal != r.target && r.target > 0)
        factor =
            " x " + fmt::fixed(static_cast<double>(r.expectedLeafTotal) / static_cast<double>(r.target), 4);
    const bool ok = r.reconciled && r.leafTotal == r.expectedLeafTotal;
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ok ? goodColor(th) : badColor(th)), "%s",
                       ok ? "Reconciled" : "Not reconciled");
    ImGui::SameLine();
    ImGui::Text("reps %s + held %s = territories %s = target %s%s", fmt::money(r.repTotal).c_str(),
                fmt::money(r.heldTotal).c_str(), fmt::money(r.leafTotal).c_str(),
                fmt::money(r.target).c_str(), factor.c_str());
    help("Every node's children sum exactly to its pool (quota x the over-assignment of the level below), "
         "every period column "
         "sums to its parent's, and the territories sum to the target uplifted level by level, in whole "
         "cents.");
    for (const QuotaIssue& i : r.issues) {
        if (i.severity == QuotaIssue::Severity::Info) continue;
        const ImU32 c =
            i.severity == QuotaIssue::Severity::Error ? badColor(th) : charts::amberColor(th == Theme::Dark);
        ImGui::PushStyleColor(ImGuiCol_Text, c);
        ImGui::TextWrapped("%s%s%s", i.node.empty() ? "" : i.node.c_str(), i.node.empty() ? "" : ": ",
                           i.message.c_str());
        ImGui::PopStyleColor();
    }
}

// [SECTION] allocation
void drawNodeRow(App& app, const QuotaResult& r, std::int32_t idx,
                 const std::vector<const FairnessRow*>& fairByNode) {
    QuotaUi& q = app.ui().quota;
    const QuotaNode& n = r.tree.nodes[static_cast<std::size_t>(idx)];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGuiTreeNodeFlags flags =
        ImGuiTreeNodeFlags_SpanFullWidth | ImGuiTreeNodeFlags_OpenOnArrow | ImGuiTreeNodeFlags_DefaultOpen;
    const bool leaf = n.children.empty();
    if (leaf) flags |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen;
    if (q.selectedNode == n.id) flags |= ImGuiTreeNodeFlags_Selected;
    const bool open = ImGui::TreeNodeEx(n.id.c_str(), flags, "%s", n.name.c_str());
    if (ImGui::IsItemClicked() && !ImGui::IsItemToggledOpen()) q.selectedNode = n.id;
    markTarget(app, "row." + n.id);
    const Theme th = app.ui().theme;
    ImGui::TableNextColumn();
    if (leaf) {
        const std::string owner = n.owner.empty() ? "(no owner)" : app.repName(n.owner);
        if (n.held)
            ImGui::TextDisabled("%s (held)", owner.c_str());
        else if (n.vacant)
            ImGui::TextDisabled("%s", owner.c_str());
        else
            ImGui::TextUnformatted(owner.c_str());
    } else {
        ImGui::TextDisabled("%s", quotaLevelName(n.level));
    }
    ImGui::TableNextColumn();
    rightAligned(fmt::money(n.quota), n.locked ? accentColor(th) : 0);
    if (r.periods == 4)
        for (int p = 0; p < 4; ++p) {
            ImGui::TableNextColumn();
            rightAligned(fmt::moneyCompact(n.periods[static_cast<std::size_t>(p)]),
                         ImGui::GetColorU32(ImGuiCol_TextDisabled));
        }
    ImGui::TableNextColumn();
    if (n.parent >= 0) rightAligned(fmt::percent(n.share));
    ImGui::TableNextColumn();
    if (n.potential > 0) {
        const double ratio = static_cast<double>(n.quota) / static_cast<double>(n.potential);
        const FairnessRow* f = fairByNode[static_cast<std::size_t>(idx)];
        ImU32 c = 0;
        if (f && f->outlierPotential)
            c = f->potentialDeviation > 0 ? badColor(th) : charts::amberColor(th == Theme::Dark);
        rightAligned(fmt::percent(ratio, 1), c);
    }
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(n.basis.c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", n.basis.c_str());
    ImGui::TableNextColumn();
    if (n.locked) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(accentColor(th)), "locked");
    if (open && !leaf) {
        for (std::int32_t c : n.children) drawNodeRow(app, r, c, fairByNode);
        ImGui::TreePop();
    }
}

void drawSelectedNode(App& app, const QuotaResult& r) {
    QuotaUi& q = app.ui().quota;
    const QuotaNode* n = q.selectedNode.empty() ? nullptr : r.find(q.selectedNode);
    if (!n || n->level == QuotaLevel::Company) {
        ImGui::TextDisabled("Select a region, district or territory to see its basis, or to override and "
                            "lock its quota; the others "
                            "under the same parent re-flow around it.");
        return;
    }
    if (q.overrideFor != n->id) {
        std::snprintf(q.overrideText, sizeof q.overrideText, "%s", fmt::money(n->quota).substr(1).c_str());
        q.overrideFor = n->id;
    }
    ImGui::PushFont(app.fonts().bold);
    ImGui::Text("%s", n->name.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::TextDisabled("%s %s%s%s", quotaLevelName(n->level), n->id.c_str(),
                        n->owner.empty() ? "" : ", owner ",
                        n->owner.empty() ? "" : app.repName(n->owner).c_str());
    ImGui::SameLine(0, px(app, 18));
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Quota");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(app, 130));
    const bool enter =
        ImGui::InputText("##override", q.overrideText, sizeof q.overrideText,
                         ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
    markTarget(app, "override.input");
    help("Type a quota and press Enter (or Lock) to override this node: it keeps exactly this amount and its "
         "siblings re-flow.");
    ImGui::SameLine();
    const bool lock = ImGui::Button(n->locked ? "Update lock" : "Lock at this quota");
    markTarget(app, "override.lock");
    if (enter || lock) {
        Money m = 0;
        if (!parseMoneyText(q.overrideText, m) || m < 0)
            app.notify(std::string("Not an amount: ") + q.overrideText);
        else
            command(app, SetQuotaOverride{n->id, m, std::nullopt});
        q.overrideFor.clear();
    }
    if (n->locked) {
        ImGui::SameLine();
        if (ImGui::Button("Unlock")) {
            command(app, SetQuotaOverride{n->id, std::nullopt, std::nullopt});
            q.overrideFor.clear();
        }
        markTarget(app, "override.unlock");
    }
    ImGui::TextWrapped("Basis: %s", n->basis.c_str());
    std::string per;
    for (std::size_t p = 0; p < n->periods.size(); ++p)
        per += (p ? "   " : "") + r.periodLabels[p].substr(0, r.periodLabels[p].find(' ')) + " " +
               fmt::moneyCompact(n->periods[p]);
    ImGui::TextDisabled("%s", per.c_str());
    ImGui::TextDisabled("Potential %s   history %s   accounts %s%s", fmt::moneyCompact(n->potential).c_str(),
                        fmt::moneyCompact(n->history).c_str(), fmt::count(n->accounts).c_str(),
                        n->children.empty() ? "" : ("   pool for children " + fmt::money(n->pool)).c_str());
}

void drawAllocation(App& app, const QuotaResult& r) {
    const QuotaUi& q = app.ui().quota;
    std::vector<const FairnessRow*> fairByNode(r.tree.nodes.size(), nullptr);
    for (const FairnessRow& f : q.fairness.rows) fairByNode[static_cast<std::size_t>(f.node)] = &f;
    const float detailH = ImGui::GetTextLineHeightWithSpacing() * 4.6f + px(app, 8);
    const float tableH = std::max(px(app, 120), ImGui::GetContentRegionAvail().y - detailH);
    const int cols = 7 + (r.periods == 4 ? 4 : 0);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("alloc", cols, flags, ImVec2(0, tableH))) {
        ImGui::TableSetupScrollFreeze(1, 1);
        ImGui::TableSetupColumn("Node", ImGuiTableColumnFlags_WidthStretch, 2.4f);
        ImGui::TableSetupColumn("Owner", ImGuiTableColumnFlags_WidthStretch, 1.3f);
        ImGui::TableSetupColumn("Quota", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        if (r.periods == 4)
            for (int p = 0; p < 4; ++p)
                ImGui::TableSetupColumn(r.periodLabels[static_cast<std::size_t>(p)].substr(0, 2).c_str(),
                                        ImGuiTableColumnFlags_WidthStretch, 0.62f);
        ImGui::TableSetupColumn("Share", ImGuiTableColumnFlags_WidthStretch, 0.55f);
        ImGui::TableSetupColumn("Q/pot.", ImGuiTableColumnFlags_WidthStretch, 0.55f);
        ImGui::TableSetupColumn("Basis", ImGuiTableColumnFlags_WidthStretch, 3.0f);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 0.5f);
        tableHeaders();
        if (!r.tree.nodes.empty()) drawNodeRow(app, r, 0, fairByNode);
        ImGui::EndTable();
    }
    ImGui::Separator();
    drawSelectedNode(app, r);
}

// [SECTION] fairness
void deviationChart(App& app, const QuotaResult& r, const char* id, bool history, float height) {
    const QuotaUi& q = app.ui().quota;
    const Theme th = app.ui().theme;
    std::vector<const FairnessRow*> rows;
    for (const FairnessRow& f : q.fairness.rows)
        if (std::isfinite(history ? f.historyDeviation : f.potentialDeviation)) rows.push_back(&f);
    auto dev = [&](const FairnessRow* f) { return history ? f->historyDeviation : f->potentialDeviation; };
    std::sort(rows.begin(), rows.end(), [&](auto* a, auto* b) { return dev(a) > dev(b); });
    if (rows.empty()) {
        ImGui::TextDisabled("No territory has %s to compare with.", history ? "history" : "potential");
        return;
    }
    double lo = -0.5, hi = 0.5;
    for (auto* f : rows) lo = std::min(lo, dev(f)), hi = std::max(hi, dev(f));
    hi = std::min(hi * 1.1, 5.0);
    lo = std::max(lo * 1.1, -1.0);
    const double thr = q.fairness.threshold;
    charts::Plot p = charts::beginPlot(
        id, ImVec2(0, height), 0, static_cast<double>(rows.size()), lo, hi,
        [](double v) { return fmt::percent(v, 0); }, app.ui().pixelRatio, 52.0f, 22.0f);
    charts::hband(p, -thr, thr, charts::withAlpha(goodColor(th), 0.08f));
    const float bw = (p.max.x - p.min.x) / static_cast<float>(rows.size());
    int hover = -1;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double d = std::clamp(dev(rows[i]), lo, hi);
        const float x0 = p.min.x + bw * static_cast<float>(i) + bw * 0.12f, x1 = x0 + bw * 0.76f;
        const bool out = std::fabs(dev(rows[i])) > thr;
        const ImU32 c = !out    ? charts::withAlpha(accentColor(th), 0.55f)
                        : d > 0 ? badColor(th)
                                : charts::amberColor(th == Theme::Dark);
        p.dl->AddRectFilled(ImVec2(x0, std::min(p.y(0), p.y(d))),
                            ImVec2(std::max(x1, x0 + 1.0f), std::max(p.y(0), p.y(d))), c);
        if (p.hovered && p.mouse.x >= p.min.x + bw * static_cast<float>(i) &&
            p.mouse.x < p.min.x + bw * static_cast<float>(i + 1))
            hover = static_cast<int>(i);
    }
    charts::hline(p, 0, charts::withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 0.5f), "median", 1.0f);
    charts::hline(p, thr, charts::withAlpha(charts::textColor(), 0.6f), "heavy above", 1.0f);
    charts::hline(p, -thr, charts::withAlpha(charts::textColor(), 0.6f), "light below", 1.0f);
    // Labels: every bar's territory under it where the names fit, else the first and last bars
    // (the heaviest and the lightest) and the outliers, each where it does not overlap another.
    const float pad = 4.0f * app.ui().pixelRatio;
    float freeFrom = p.min.x;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const bool out = std::fabs(dev(rows[i])) > thr;
        if (bw < px(app, 60) && !out && i != 0 && i + 1 != rows.size()) continue;
        const std::string& name = r.tree.nodes[static_cast<std::size_t>(rows[i]->node)].name;
        const float tw = ImGui::CalcTextSize(name.c_str()).x;
        const float cx = p.min.x + bw * (static_cast<float>(i) + 0.5f);
        const float x = std::clamp(cx - tw * 0.5f, p.min.x, p.max.x - tw);
        if (x < freeFrom) continue;
        p.dl->AddText(ImVec2(x, p.max.y + 3.0f * app.ui().pixelRatio), charts::textColor(), name.c_str());
        freeFrom = x + tw + pad;
    }
    if (hover >= 0) {
        const FairnessRow& f = *rows[static_cast<std::size_t>(hover)];
        const QuotaNode& n = r.tree.nodes[static_cast<std::size_t>(f.node)];
        ImGui::SetTooltip("%s (%s)\nquota %s, %s %s\nquota / %s %s: %s %s the median", n.name.c_str(),
                          n.owner.empty() ? "no owner" : app.repName(n.owner).c_str(),
                          fmt::money(n.quota).c_str(), history ? "history" : "potential",
                          fmt::money(history ? n.history : n.potential).c_str(),
                          history ? "history" : "potential",
                          fmt::percent(history ? f.quotaToHistory : f.quotaToPotential, 1).c_str(),
                          fmt::percent(std::fabs(dev(&f)), 0).c_str(), dev(&f) >= 0 ? "above" : "below");
    }
}

void drawFairness(App& app, const QuotaResult& r) {
    QuotaUi& q = app.ui().quota;
    const Fairness& f = q.fairness;
    ImGui::SetNextItemWidth(px(app, 200));
    float thrPct = q.fairnessThreshold * 100.0f;
    if (ImGui::SliderFloat("outlier threshold", &thrPct, 5.0f, 60.0f, "within %.0f%% of the median")) {
        q.fairnessThreshold = thrPct / 100.0f;
        q.fairness = assessFairness(r, q.fairnessThreshold);
    }
    ImGui::SameLine(0, px(app, 20));
    ImGui::TextDisabled("A fair plan gives every territory about the same quota for its opportunity: bars "
                        "outside the band are "
                        "heavy (red) or light (amber) patches.");
    auto stats = [&](const char* what, const RatioStats& s) {
        ImGui::Text("Quota / %s, each territory against the median", what);
        ImGui::SameLine();
        ImGui::TextDisabled("median %s, CV %s, Gini %s, %zu territories", fmt::percent(s.median, 1).c_str(),
                            fmt::percent(s.cv, 1).c_str(), fmt::fixed(s.gini, 3).c_str(), s.count);
    };
    const float h = std::max(
        px(app, 110), (ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 6) * 0.5f);
    stats("potential", f.potential);
    deviationChart(app, r, "##fairpot", false, h);
    stats("history", f.history);
    deviationChart(app, r, "##fairhist", true, h);
    std::size_t outPot = 0, outHist = 0;
    for (const FairnessRow& row : f.rows) outPot += row.outlierPotential, outHist += row.outlierHistory;
    ImGui::Text("%zu outliers on potential, %zu on history (beyond +/- %.0f%% of the median); hover a bar "
                "for the territory.",
                outPot, outHist, f.threshold * 100.0);
}

// [SECTION] attainment
void histogramChart(App& app, const SimResult& s, float height) {
    const Theme th = app.ui().theme;
    std::uint64_t maxC = 1, total = 0;
    for (auto c : s.histogram) maxC = std::max(maxC, c), total += c;
    const double top =
        charts::niceCeil(static_cast<double>(maxC) / static_cast<double>(std::max<std::uint64_t>(1, total)));
    charts::Plot p = charts::beginPlot(
        "##hist", ImVec2(0, height), 0, SimResult::kHistBins, 0, top,
        [](double v) { return fmt::percent(v, 0); }, app.ui().pixelRatio, 46.0f, 22.0f);
    const float bw = (p.max.x - p.min.x) / SimResult::kHistBins;
    int hover = -1;
    for (int b = 0; b < SimResult::kHistBins; ++b) {
        const double share = static_cast<double>(s.histogram[static_cast<std::size_t>(b)]) /
                             static_cast<double>(std::max<std::uint64_t>(1, total));
        const float x0 = p.min.x + bw * static_cast<float>(b) + 1, x1 = x0 + bw - 2;
        const ImU32 c = b >= 10 ? goodColor(th) : accentColor(th);
        p.dl->AddRectFilled(ImVec2(x0, p.y(share)), ImVec2(x1, p.max.y), charts::withAlpha(c, 0.75f));
        if (p.hovered && p.mouse.x >= x0 - 1 && p.mouse.x < x1 + 1) hover = b;
    }
    const float x100 = p.min.x + bw * 10;
    p.dl->AddLine(ImVec2(x100, p.min.y), ImVec2(x100, p.max.y), ImGui::GetColorU32(ImGuiCol_Text),
                  1.5f * p.pr);
    for (int b = 0; b <= SimResult::kHistBins - 1; b += 5) {
        charts::xLabel(p, b, b == 30 ? "300%+" : fmt::percent(b * SimResult::kHistBinWidth, 0),
                       charts::textColor());
    }
    if (hover >= 0)
        ImGui::SetTooltip("%s of rep-trials attain %s%s",
                          fmt::percent(static_cast<double>(s.histogram[static_cast<std::size_t>(hover)]) /
                                       static_cast<double>(std::max<std::uint64_t>(1, total)))
                              .c_str(),
                          fmt::percent(hover * 0.1, 0).c_str(),
                          hover == 30 ? " or more" : (" to " + fmt::percent((hover + 1) * 0.1, 0)).c_str());
}

void fanChart(App& app, const SimModel& m, const SimResult& s, float height) {
    const Theme th = app.ui().theme;
    std::vector<std::size_t> order(s.reps.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return s.reps[a].p50 > s.reps[b].p50; });
    double top = 1.5;
    for (const auto& r : s.reps) top = std::max(top, r.p90);
    top = std::min(charts::niceCeil(top), 5.0);
    charts::Plot p = charts::beginPlot(
        "##fan", ImVec2(0, height), 0, static_cast<double>(order.size()), 0, top,
        [](double v) { return fmt::percent(v, 0); }, app.ui().pixelRatio, 46.0f, 8.0f);
    charts::hband(p, 0.0, 1.0, charts::withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 0.03f));
    const float bw = (p.max.x - p.min.x) / static_cast<float>(std::max<std::size_t>(1, order.size()));
    int hover = -1;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const RepAttainment& a = s.reps[order[k]];
        const float cx = p.min.x + bw * (static_cast<float>(k) + 0.5f);
        const float w = std::max(1.5f, bw * 0.7f);
        const ImU32 c = a.p50 >= 1.0 ? goodColor(th) : a.p90 >= 1.0 ? accentColor(th) : badColor(th);
        p.dl->AddRectFilled(ImVec2(cx - w * 0.5f, p.y(std::min(a.p90, top))),
                            ImVec2(cx + w * 0.5f, p.y(a.p10)), charts::withAlpha(c, 0.22f));
        p.dl->AddRectFilled(ImVec2(cx - w * 0.5f, p.y(std::min(a.p75, top))),
                            ImVec2(cx + w * 0.5f, p.y(a.p25)), charts::withAlpha(c, 0.5f));
        p.dl->AddLine(ImVec2(cx - w * 0.5f, p.y(std::min(a.p50, top))),
                      ImVec2(cx + w * 0.5f, p.y(std::min(a.p50, top))), c, 2.0f * p.pr);
        if (p.hovered && p.mouse.x >= cx - bw * 0.5f && p.mouse.x < cx + bw * 0.5f)
            hover = static_cast<int>(k);
    }
    charts::hline(p, 1.0, ImGui::GetColorU32(ImGuiCol_Text), "100% of quota", 1.5f);
    if (hover >= 0) {
        const std::size_t i = order[static_cast<std::size_t>(hover)];
        const RepAttainment& a = s.reps[i];
        const SimRep& rep = m.reps[i];
        ImGui::BeginTooltip();
        ImGui::Text("%s  (%s)", rep.name.c_str(), rep.repId.c_str());
        ImGui::Text("quota %s, expected %s (%s)", fmt::money(rep.quota).c_str(),
                    fmt::money(static_cast<Money>(a.expectedBookings)).c_str(),
                    fmt::percent(a.mean, 0).c_str());
        ImGui::Text("attainment P10 %s   P25 %s   P50 %s   P75 %s   P90 %s", fmt::percent(a.p10, 0).c_str(),
                    fmt::percent(a.p25, 0).c_str(), fmt::percent(a.p50, 0).c_str(),
                    fmt::percent(a.p75, 0).c_str(), fmt::percent(a.p90, 0).c_str());
        ImGui::Text("chance of reaching quota %s", fmt::percent(a.probAtQuota, 0).c_str());
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36.0f);
        ImGui::TextDisabled("%s", rep.basis.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

void figure(App& app, const char* label, const std::string& value, const std::string& sub,
            ImU32 subColor = 0) {
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", label);
    ImGui::PushFont(app.fonts().large);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopFont();
    if (subColor)
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(subColor), "%s", sub.c_str());
    else
        ImGui::TextDisabled("%s", sub.c_str());
    ImGui::EndGroup();
}

void drawAttainment(App& app, const QuotaResult& r) {
    QuotaUi& q = app.ui().quota;
    Scenario& sc = app.workspace().active();
    const Theme th = app.ui().theme;
    if (r.target <= 0 || !r.ok) {
        ImGui::TextDisabled("Set a target (and resolve the plan's errors) to simulate attainment.");
        return;
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Trials");
    ImGui::SameLine();
    if (!ImGui::IsAnyItemActive())
        q.trials = static_cast<int>(sc.quota.trials), q.seed = static_cast<int>(sc.quota.seed);
    ImGui::SetNextItemWidth(px(app, 110));
    ImGui::InputInt("##trials", &q.trials, 1000, 5000);
    markTarget(app, "simulation.trials");
    ImGui::SameLine();
    ImGui::TextUnformatted("Seed");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(app, 100));
    ImGui::InputInt("##seed", &q.seed);
    q.trials = std::clamp(q.trials, 100, 100000);
    q.seed = std::max(0, q.seed);
    ImGui::SameLine();
    const bool changed = static_cast<std::uint32_t>(q.trials) != sc.quota.trials ||
                         static_cast<std::uint64_t>(q.seed) != sc.quota.seed;
    if (ImGui::Button(changed ? "Run with these" : "Re-run") && changed)
        command(app, SetQuotaSimulation{static_cast<std::uint64_t>(q.seed),
                                        static_cast<std::uint32_t>(q.trials), 0, 0});
    markTarget(app, "simulation.run");
    ImGui::SameLine();
    if (q.simJob) {
        ImGui::ProgressBar(static_cast<float>(q.simJob->progress()), ImVec2(px(app, 180), 0));
        ImGui::SameLine();
        ImGui::TextDisabled("%s", q.simJob->detail().c_str());
    } else if (q.simModel) {
        ImGui::TextDisabled("win rates: %s; %s closed deals won overall", q.simModel->winRateSource.c_str(),
                            fmt::percent(q.simModel->globalWinRate, 0).c_str());
    }
    const bool fresh = q.sim.complete && q.simVersion == q.version && q.simModel;
    if (!fresh) {
        ImGui::TextDisabled("Simulating...");
        return;
    }
    const SimResult& s = q.sim;
    ImGui::Spacing();
    const bool healthy = s.healthy();
    figure(app, "Reps expected at 100%+", fmt::percent(s.shareAtQuota, 0),
           "P10 " + fmt::percent(s.shareP10, 0) + " - P90 " + fmt::percent(s.shareP90, 0) +
               (healthy ? "  (healthy: 60-70%)" : "  (healthy is 60-70%)"),
           healthy ? goodColor(th) : charts::amberColor(th == Theme::Dark));
    ImGui::SameLine(0, px(app, 40));
    figure(app, "Expected bookings", fmt::moneyCompact(static_cast<Money>(s.expectedTotal)),
           fmt::percent(s.expectedTotal / static_cast<double>(r.target), 0) + " of the " +
               fmt::moneyCompact(r.target) + " target");
    ImGui::SameLine(0, px(app, 40));
    figure(app, "Bookings P10 / P50 / P90", fmt::moneyCompact(s.totalP50),
           fmt::moneyCompact(s.totalP10) + " / " + fmt::moneyCompact(s.totalP50) + " / " +
               fmt::moneyCompact(s.totalP90));
    ImGui::SameLine(0, px(app, 40));
    figure(app, "Trials", fmt::count(s.trials),
           "seed " + std::to_string(s.seed) + ", " + fmt::count(q.simModel->reps.size()) + " reps, " +
               fmt::fixed(q.simComputeMs, 0) + " ms");
    ImGui::Spacing();
    const float avail = ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 2;
    ImGui::TextDisabled("Attainment across all reps and trials (share of rep-trials per 10%% band)");
    histogramChart(app, s, std::max(px(app, 90), avail * 0.42f));
    ImGui::TextDisabled("Attainment by rep, P10-P90 (light), P25-P75 (dark), median (line); reps sorted by "
                        "median; hover for detail");
    fanChart(app, *q.simModel, s, std::max(px(app, 110), ImGui::GetContentRegionAvail().y - px(app, 4)));
}

// [SECTION] compare
void drawCompare(App& app) {
    QuotaUi& q = app.ui().quota;
    Workspace& ws = app.workspace();
    const int n = static_cast<int>(ws.scenarios.size());
    if (q.compareB < 0 || q.compareB >= n) q.compareB = static_cast<int>(ws.activeScenario);
    q.compareA = std::clamp(q.compareA, 0, n - 1);
    auto combo = [&](const char* id, int& v) {
        ImGui::SetNextItemWidth(px(app, 200));
        if (ImGui::BeginCombo(id, ws.scenarios[static_cast<std::size_t>(v)].name.c_str())) {
            for (int i = 0; i < n; ++i)
                if (ImGui::Selectable(ws.scenarios[static_cast<std::size_t>(i)].name.c_str(), i == v)) v = i;
            ImGui::EndCombo();
        }
    };
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Compare");
    ImGui::SameLine();
    combo("##a", q.compareA);
    ImGui::SameLine();
    ImGui::TextUnformatted("with");
    ImGui::SameLine();
    combo("##b", q.compareB);
    if (!q.comparison || q.compareVersion != app.ui().dataVersion || q.comparedA != q.compareA ||
        q.comparedB != q.compareB) {
        const QuotaResult a = computeQuotas(ws, ws.scenarios[static_cast<std::size_t>(q.compareA)]);
        const QuotaResult b = computeQuotas(ws, ws.scenarios[static_cast<std::size_t>(q.compareB)]);
        q.comparison = std::make_shared<const QuotaComparison>(compareQuotas(a, b));
        q.compareVersion = app.ui().dataVersion;
        q.comparedA = q.compareA;
        q.comparedB = q.compareB;
    }
    const QuotaComparison& c = *q.comparison;
    const Theme th = app.ui().theme;
    ImGui::Text("Rep quotas %s -> %s (%s%s), target %s -> %s; %zu reps change", fmt::money(c.totalA).c_str(),
                fmt::money(c.totalB).c_str(), c.totalB >= c.totalA ? "+" : "",
                fmt::money(c.totalB - c.totalA).c_str(), fmt::money(c.targetA).c_str(),
                fmt::money(c.targetB).c_str(), c.repsChanged);
    auto deltaTable = [&](const char* id, const std::vector<QuotaDelta>& rows, float width, float height) {
        Money maxAbs = 1;
        for (const auto& d : rows) maxAbs = std::max<Money>(maxAbs, std::llabs(d.delta()));
        if (!ImGui::BeginTable(id, 5,
                               ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                   ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerV,
                               ImVec2(width, height)))
            return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 1.6f);
        ImGui::TableSetupColumn(ws.scenarios[static_cast<std::size_t>(q.compareA)].name.c_str(),
                                ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn(ws.scenarios[static_cast<std::size_t>(q.compareB)].name.c_str(),
                                ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("Change", ImGuiTableColumnFlags_WidthStretch, 0.9f);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        tableHeaders();
        std::vector<const QuotaDelta*> sorted;
        for (const auto& d : rows) sorted.push_back(&d);
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](auto* x, auto* y) { return std::llabs(x->delta()) > std::llabs(y->delta()); });
        for (const QuotaDelta* d : sorted) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(d->name.c_str());
            ImGui::TableNextColumn();
            rightAligned(d->inA ? fmt::money(d->a) : "-");
            ImGui::TableNextColumn();
            rightAligned(d->inB ? fmt::money(d->b) : "-");
            ImGui::TableNextColumn();
            const Money dl = d->delta();
            rightAligned((dl > 0 ? "+" : "") + fmt::money(dl), dl > 0   ? goodColor(th)
                                                               : dl < 0 ? badColor(th)
                                                                        : 0);
            ImGui::TableNextColumn();
            const ImVec2 pos = ImGui::GetCursorScreenPos();
            const float w = ImGui::GetContentRegionAvail().x, h = ImGui::GetTextLineHeight();
            const float mid = pos.x + w * 0.5f, len = w * 0.5f *
                                                      static_cast<float>(static_cast<double>(std::llabs(dl)) /
                                                                         static_cast<double>(maxAbs));
            ImGui::GetWindowDrawList()->AddRectFilled(
                ImVec2(dl >= 0 ? mid : mid - len, pos.y + h * 0.2f),
                ImVec2(dl >= 0 ? mid + len : mid, pos.y + h * 0.8f),
                charts::withAlpha(dl >= 0 ? goodColor(th) : badColor(th), 0.7f));
            ImGui::Dummy(ImVec2(w, h));
        }
        ImGui::EndTable();
    };
    const float h = ImGui::GetContentRegionAvail().y;
    const float w = ImGui::GetContentRegionAvail().x;
    ImGui::BeginGroup();
    ImGui::TextDisabled("By region");
    deltaTable("regions", c.regions, w * 0.42f, h - ImGui::GetTextLineHeightWithSpacing());
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextDisabled("By rep (largest changes first)");
    deltaTable("reps", c.reps, 0, h - ImGui::GetTextLineHeightWithSpacing());
    ImGui::EndGroup();
}

// [SECTION] exports
void drawExports(App& app, const QuotaResult& r) {
    QuotaUi& q = app.ui().quota;
    const Scenario& sc = app.workspace().active();
    const bool simFresh = q.sim.complete && q.simVersion == q.version && q.simModel;
    const SimModel* m = simFresh ? q.simModel.get() : nullptr;
    const SimResult* s = simFresh ? &q.sim : nullptr;
    const std::string stem = sc.name + "-quotas-" + std::to_string(r.tree.planYear);
    ImGui::BeginDisabled(r.target <= 0);
    if (ImGui::SmallButton("CSV by rep")) {
        platform::downloadFile(stem + ".csv", quotaRepsCsv(r, m, s), "text/csv");
        app.notify("Exported quotas by rep (" + std::to_string(r.reps.size()) + " rows)");
    }
    markTarget(app, "export.csv");
    ImGui::SameLine();
    if (ImGui::SmallButton("CSV hierarchy")) {
        platform::downloadFile(stem + "-hierarchy.csv", quotaNodesCsv(r), "text/csv");
        app.notify("Exported the quota hierarchy (" + std::to_string(r.tree.nodes.size()) + " nodes)");
    }
    markTarget(app, "export.nodes");
    ImGui::SameLine();
    if (ImGui::SmallButton("XLSX workbook")) {
        platform::downloadFile(stem + ".xlsx", quotaWorkbook(r, sc.quota, m, s),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        app.notify("Exported the quota workbook: roll-ups are live SUM formulas");
    }
    markTarget(app, "export.xlsx");
    help("Regions, districts, territories and reps on their own sheets; every roll-up is a live SUM over the "
         "children's cells so "
         "Finance can audit and edit in Excel.");
    ImGui::EndDisabled();
}

} // namespace

// [SECTION] panel
void drawQuotaPanel(App& app) {
    UiState& ui = app.ui();
    QuotaUi& q = ui.quota;
    if (!q.showQuota) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f),
                            ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(
        ImVec2(std::min(vp->Size.x * 0.9f, px(app, 1240)), std::min(vp->Size.y * 0.86f, px(app, 800))),
        ImGuiCond_FirstUseEver);
    const std::string title = "Quotas - " + app.workspace().active().name + "###quota";
    if (!ImGui::Begin(title.c_str(), &q.showQuota, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    const QuotaResult& r = refreshQuotas(app);
    drawTarget(app, r);
    ImGui::SameLine();
    const float exportW = px(app, 300);
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - exportW));
    drawExports(app, r);
    drawSeasonality(app);
    ImGui::SameLine(0, px(app, 24));
    drawOverAssign(app);
    drawMethod(app, r);
    drawRounding(app);
    ImGui::Separator();
    drawReconciliation(app, r);
    if (ImGui::BeginTabBar("quotaTabs")) {
        static const char* kTabs[] = {"Allocation", "Fairness", "Attainment", "Compare scenarios"};
        for (int t = 0; t < 4; ++t) {
            ImGuiTabItemFlags f = q.tabRequest == t ? ImGuiTabItemFlags_SetSelected : 0;
            const bool open = ImGui::BeginTabItem(kTabs[t], nullptr, f);
            markTarget(app, std::string("tab.") + std::to_string(t));
            if (!open) continue;
            q.tab = t;
            if (t == 0) drawAllocation(app, r);
            if (t == 1) drawFairness(app, r);
            if (t == 2) drawAttainment(app, r);
            if (t == 3) drawCompare(app);
            ImGui::EndTabItem();
        }
        q.tabRequest = -1;
        ImGui::EndTabBar();
    }
    ImGui::End();
}

} // namespace terrane
