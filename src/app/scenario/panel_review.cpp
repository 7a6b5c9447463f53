// Review mode: the presentation leadership sees when they open a shared scenario file —
// headline figures, integrity, the comparison with the baseline, the map, and the review
// trail where they comment and stamp an approval. The detail is one click away (the studio).
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/forecast/period.hpp"

#include <algorithm>

namespace terrane {

namespace {

void card(App& app, const char* label, const std::string& value, const std::string& sub, const char* basis, ImU32 subColor = 0) {
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", label);
    ImGui::PushFont(app.fonts().large);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopFont();
    if (!sub.empty()) {
        if (subColor) ImGui::TextColored(ImColor(subColor), "%s", sub.c_str());
        else ImGui::TextDisabled("%s", sub.c_str());
    }
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", basis);
}
} // namespace

void drawReviewMode(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    Workspace& ws = app.workspace();
    const float pr = ui.pixelRatio;
    const App::OpenedFile& file = app.openedFile();
    beginPanel("##review", pos, size);
    ImGui::PushFont(app.fonts().large);
    ImGui::TextWrapped("%s", file.meta.title.empty() ? ws.name.c_str() : file.meta.title.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("%s%s%s  |  Terrane %s", file.meta.author.empty() ? "" : ("by " + file.meta.author + "  |  ").c_str(),
                        file.meta.created.empty() ? "" : "saved ", file.meta.created.c_str(), file.meta.appVersion.c_str());
    if (!file.meta.description.empty()) ImGui::TextWrapped("%s", file.meta.description.c_str());

    // Integrity.
    const std::string sha = file.meta.contentSha256.substr(0, 12);
    if (file.tampered) {
        ImGui::TextColored(ImColor(badColor(ui.theme)), "WARNING: this file's content does not match its seal: it was changed outside Terrane.");
    } else if (file.changedAfterApproval) {
        ImGui::TextColored(ImColor(badColor(ui.theme)), "WARNING: the plan changed after its last approval; the approval does not cover it.");
    } else if (!file.reviewProblem.empty()) {
        ImGui::TextColored(ImColor(badColor(ui.theme)), "WARNING: the review trail was altered: %s.", file.reviewProblem.c_str());
    } else if (file.resultsDifferences > 0) {
        ImGui::TextColored(ImColor(badColor(ui.theme)),
                           "WARNING: %zu of the saved results differ from the plan's; they were edited outside Terrane.", file.resultsDifferences);
    } else if (!file.name.empty()) {
        ImGui::TextColored(ImColor(goodColor(ui.theme)), "Content intact (SHA-256 %s...)", sha.c_str());
    }
    for (std::size_t i = 0; i < file.warnings.size() && i < 8; ++i) {
        ImGui::Bullet();
        ImGui::TextWrapped("%s", file.warnings[i].c_str());
    }
    if (file.warnings.size() > 8)
        ImGui::TextDisabled("... and %zu more (terrane scenario validate lists them all)", file.warnings.size() - 8);
    if (file.meta.redaction.any()) ImGui::TextDisabled("Shared with redaction: names or amounts are hidden; headline figures use the real data.");
    ImGui::Separator();

    // Scenario being presented.
    ImGui::SetNextItemWidth(260 * pr);
    if (ImGui::BeginCombo("Scenario", ws.active().name.c_str())) {
        for (std::size_t i = 0; i < ws.scenarios.size(); ++i)
            if (ImGui::Selectable(ws.scenarios[i].name.c_str(), i == ws.activeScenario)) {
                app.setActiveScenario(i);
                ui.layers.changesOnly = i != 0;
                app.refreshMap();
            }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("compared with %s", ws.scenarios[ui.referenceScenario].name.c_str());

    const PlanMetrics& now = app.metrics();
    const PlanMetrics& base = app.metricsFor(0);
    const int P = static_cast<int>(PlanMetric::Potential), W = static_cast<int>(PlanMetric::Workload);
    const float colW = (ImGui::GetContentRegionAvail().x - 16 * pr) / 3.0f;
    auto next = [&](int i) {
        if (i % 3) ImGui::SameLine(static_cast<float>(i % 3) * (colW + 8 * pr) + ImGui::GetStyle().WindowPadding.x);
    };
    ImGui::Spacing();
    next(0);
    card(app, "Potential covered", fmt::moneyCompact(static_cast<Money>(now.total.sum[P] - now.unassigned.sum[P])),
         fmt::count(static_cast<std::uint64_t>(now.total.sum[0] - now.unassigned.sum[0])) + " accounts, " + fmt::count(now.territories.size()) + " territories",
         "Sum of potential over assigned accounts");
    next(1);
    // The same figures, to the same decimal, as the metrics bar and the optimiser's result.
    card(app, "Balance (potential)", "+/-" + fmt::percent(now.balance.maxAbsDeviation[P], 1),
         "baseline +/-" + fmt::percent(base.balance.maxAbsDeviation[P], 1),
         "Largest deviation of a territory's potential from its capacity-adjusted target",
         now.balance.maxAbsDeviation[P] <= base.balance.maxAbsDeviation[P] ? goodColor(ui.theme) : badColor(ui.theme));
    next(2);
    card(app, "Balance (workload)", "+/-" + fmt::percent(now.balance.maxAbsDeviation[W], 1),
         "baseline +/-" + fmt::percent(base.balance.maxAbsDeviation[W], 1), "Largest deviation of workload hours from target",
         now.balance.maxAbsDeviation[W] <= base.balance.maxAbsDeviation[W] ? goodColor(ui.theme) : badColor(ui.theme));
    ImGui::Spacing();
    next(0);
    card(app, "Accounts moving", fmt::percent(now.disruption.accountsMovedShare), fmt::count(now.disruption.accountsMoved) + " accounts",
         "Accounts whose territory differs from the reference scenario");
    next(1);
    card(app, "ARR moving", fmt::percent(now.disruption.arrMovedShare), fmt::moneyCompact(static_cast<Money>(now.disruption.arrMoved)),
         "ARR of customers that change territory");
    next(2);
    card(app, "Owner changes", fmt::count(now.disruption.ownerChanged), fmt::percent(now.disruption.customersMovedShare) + " of customers move",
         "Accounts whose rep changes");
    if (ws.active().quota.target > 0) {
        // Quotas: target, total quota with over-assignment, expected attainment (the simulation
        // runs in the background and fills in when done).
        const quota::QuotaResult& q = refreshQuotas(app);
        const QuotaUi& qu = ui.quota;
        ImGui::Spacing();
        next(0);
        card(app, "Quota target", fmt::moneyCompact(q.target), ws.active().quota.target > 0 ? "for the plan year" : "",
             "The company target this scenario's quotas are set against");
        next(1);
        const double over = q.target > 0 ? static_cast<double>(q.leafTotal) / static_cast<double>(q.target) - 1.0 : 0.0;
        card(app, "Total quota", fmt::moneyCompact(q.leafTotal),
             fmt::percent(over) + " over-assignment" + (q.heldTotal > 0 ? ", " + fmt::moneyCompact(q.heldTotal) + " held for vacant seats" : ""),
             "Sum of territory quotas (reps' quotas plus quota held by managers for vacant seats)");
        next(2);
        const bool simReady = qu.sim.complete && qu.simVersion == qu.version;
        card(app, "Expected attainment",
             simReady ? fmt::percent(qu.sim.shareAtQuota, 0) + " at quota" : std::string("simulating..."),
             simReady ? "of reps; bookings " + fmt::moneyCompact(static_cast<Money>(std::llround(qu.sim.expectedTotal))) : std::string(),
             "Monte Carlo of each rep's bookings from their pipeline and history (Plan > Quotas > Attainment)",
             simReady ? (qu.sim.healthy() ? goodColor(ui.theme) : badColor(ui.theme)) : 0);
    }
    if (!ws.active().comp.plans.empty()) {
        // Compensation: the cost of the plan shown in Plan > Compensation on the actual deals.
        const comp::PlanPayouts& cp = refreshComp(app);
        const CompUi& cu = ui.comp;
        const std::string plan = cu.setup.plans[static_cast<std::size_t>(cu.plan)].name;
        std::size_t withTi = 0;
        for (const comp::RepPayout& r : cp.reps) withTi += r.targetIncentive > 0;
        ImGui::Spacing();
        next(0);
        card(app, "Commission cost", cu.error.empty() ? fmt::moneyCompact(cp.totalPayout) : std::string("-"),
             plan + (ws.active().comp.plans.size() > 1 ? " (" + fmt::count(ws.active().comp.plans.size()) + " plans)" : ""),
             "Total payout of the plan on the scenario's won deals (Plan > Compensation)");
        next(1);
        card(app, "Cost of sales", fmt::percent(cp.costOfSales, 1), "of " + fmt::moneyCompact(cp.totalCredited) + " credited",
             "Total payout / credited revenue");
        next(2);
        card(app, "Reps at OTE", fmt::percent(withTi ? static_cast<double>(cp.repsAtTarget) / static_cast<double>(withTi) : 0.0, 0),
             fmt::count(cp.repsAtTarget) + " of " + fmt::count(withTi) + " reps",
             "Reps whose payout reaches their target incentive (on-target earnings)");
    }
    if (const auto& fc = ws.active().forecast; fc && !fc->periods.empty()) {
        // The forecast saved with the plan, exactly as saved (Analyse > Forecast re-runs it).
        const forecast::SavedPeriod& p = fc->periods.front();
        ImGui::Spacing();
        next(0);
        card(app, "Forecast (P50)", fmt::moneyCompact(p.p50), "P10 " + fmt::moneyCompact(p.p10) + " - P90 " + fmt::moneyCompact(p.p90),
             "Won value in the first forecast period, closed to date included: the median of the saved forecast's trials");
        markTarget(app, "review.forecast");
        next(1);
        forecast::PeriodKind kind = forecast::PeriodKind::Quarter;
        forecast::parsePeriodKind(fc->period, kind);
        card(app, "Forecast period", forecast::periodLabel(forecast::Period{p.start, p.end, kind}),
             fmt::date(p.start) + " - " + fmt::date(p.end) + ", as of " + fmt::date(fc->asOf) + ", seed " + std::to_string(fc->seed),
             "The saved settings reproduce these numbers: Analyse > Forecast opens with them");
        next(2);
        card(app, "Pipeline coverage", p.quota > 0 ? fmt::fixed(p.coverage, 2) + "x" : std::string("no quota"),
             p.quota > 0 ? "of the " + fmt::moneyCompact(p.quota) + " quota still to close" : std::string(),
             "Open pipeline due in the period over the quota still to close (quota - closed won)",
             p.quota > 0 ? (p.coverage >= 3.0 ? goodColor(ui.theme) : warnColor(ui.theme)) : 0);
    }
    ImGui::Spacing();
    if (ImGui::Button("Open the detail in the studio")) ui.reviewMode = false;
    ImGui::SameLine();
    if (ImGui::Button("Save with review")) ui.save.show = true;

    // The biggest changes against the reference.
    ImGui::SeparatorText("Largest changes by territory");
    std::vector<const TerritoryFigures*> rows;
    for (const auto& t : now.territories) rows.push_back(&t);
    std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->movedIn + a->movedOut > b->movedIn + b->movedOut; });
    if (ImGui::BeginTable("reviewterr", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY,
                          ImVec2(0, std::min(220.0f * pr, ImGui::GetContentRegionAvail().y * 0.45f)))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Territory", 0, 1.5f);
        ImGui::TableSetupColumn("Owner", 0, 1.3f);
        ImGui::TableSetupColumn("In / out", 0, 0.8f);
        ImGui::TableSetupColumn("Potential", 0, 0.8f);
        ImGui::TableSetupColumn("vs target", 0, 0.7f);
        tableHeaders();
        for (const TerritoryFigures* t : rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            territoryRowCell(app, t->territory, t->name);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(t->vacant ? "vacant seat" : t->ownerName.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("+%llu / -%llu", static_cast<unsigned long long>(t->movedIn), static_cast<unsigned long long>(t->movedOut));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::moneyCompact(static_cast<Money>(t->f.sum[P])).c_str());
            ImGui::TableNextColumn();
            const double d = t->f.deviation[P];
            ImGui::TextColored(ImColor(std::fabs(d) <= now.options.tolerance ? goodColor(ui.theme) : badColor(ui.theme)), "%+.0f%%", d * 100);
        }
        ImGui::EndTable();
    }

    // Review trail and the stamp.
    ImGui::SeparatorText("Review");
    for (const ReviewEntry& e : app.review()) {
        if (e.kind == ReviewEntry::Kind::Approval) {
            const ImU32 c = e.decision == "approved" ? goodColor(ui.theme) : badColor(ui.theme);
            ImGui::TextColored(ImColor(c), "%s: %s", e.author.c_str(), e.decision.c_str());
        } else {
            ImGui::Text("%s:", e.author.c_str());
        }
        ImGui::SameLine();
        ImGui::TextDisabled("%s%s", fmt::timeUtc(e.timeMs, false).c_str(), e.scenario.empty() ? "" : ("  on " + e.scenario).c_str());
        if (!e.text.empty()) ImGui::TextWrapped("  %s", e.text.c_str());
    }
    if (app.review().empty()) ImGui::TextDisabled("No comments or approvals yet.");
    ImGui::SetNextItemWidth(200 * pr);
    ImGui::InputTextWithHint("##who", "Your name", ui.review.author, sizeof ui.review.author);
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextMultiline("##note", ui.review.text, sizeof ui.review.text, ImVec2(-1, 48 * pr));
    const bool named = ui.review.author[0] != 0;
    ImGui::BeginDisabled(!named || ui.review.text[0] == 0);
    if (ImGui::Button("Add comment")) {
        app.addReview(ReviewEntry{ReviewEntry::Kind::Comment, ui.review.author, "", ui.review.text, ws.active().name, 0, "", "", ""});
        ui.review.text[0] = 0;
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    const char* decisions[] = {"approved", "changes requested", "rejected"};
    ImGui::SetNextItemWidth(170 * pr);
    ImGui::Combo("##decision", &ui.review.decision, decisions, 3);
    ImGui::SameLine();
    ImGui::BeginDisabled(!named);
    if (ImGui::Button("Stamp decision")) {
        app.addReview(ReviewEntry{ReviewEntry::Kind::Approval, ui.review.author, decisions[ui.review.decision], ui.review.text, ws.active().name, 0, "", "", ""});
        ui.review.text[0] = 0;
    }
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Sealed to this plan's content: any later change to the plan shows as changed after approval");
    ImGui::End();
}

} // namespace terrane
