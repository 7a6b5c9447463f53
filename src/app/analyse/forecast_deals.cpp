// The Deals and flags tab: the risk and upside flags with their deals (a click selects and
// highlights their accounts on the map and filters the table), and the open deals with the
// model's probability, what moved it, and their flags: sortable and filterable; a click on a
// deal selects its account on the map. The essential columns fit 1440 px without scrolling; the
// explanation takes the rest of the width (in full in the row's tooltip), and a right-click on a
// header hides or shows columns.
#include "app/analyse/forecast_ui.hpp"
#include "app/app.hpp"
#include "app/charts.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/base/text.hpp"

#include <algorithm>

namespace terrane {

namespace {
enum Column { CDeal, CAccount, COwner, CStage, CAmount, CClose, CProbability, CFlags, CWhy, CCount };

// Short tags for the flags column (dealFlagId order); the tooltip says the rest.
const char* flagTag(const std::string& id) {
    if (id == "past_close") return "Overdue";
    if (id == "stale") return "Stale";
    if (id == "pushed_twice") return "Pushed";
    if (id == "oversized") return "Large";
    if (id == "commit_unlikely") return "Commit?";
    if (id == "upside_likely") return "Upside";
    return id.c_str();
}

std::vector<std::uint32_t> visibleDeals(const ForecastUi& f, const ForecastView& v, int sortColumn, bool descending) {
    std::vector<std::uint32_t> rows;
    const std::string needle = toLower(f.filter);
    const std::uint32_t mask = f.flagFilter >= 0 ? 1u << f.flagFilter : 0;
    for (std::uint32_t i = 0; i < v.deals.size(); ++i) {
        const auto& d = v.deals[i];
        if (mask && !(d.flags & mask)) continue;
        if (!needle.empty()) {
            const std::string hay = toLower(d.id + " " + d.account + " " + d.owner + " " + d.stage + " " + d.category);
            if (hay.find(needle) == std::string::npos) continue;
        }
        rows.push_back(i);
    }
    auto key = [&](const ForecastView::DealRow& d) -> double {
        switch (sortColumn) {
        case CAmount: return static_cast<double>(d.amount);
        case CClose: return d.closeDate == kDateNull ? 1e9 : d.closeDate;
        case CFlags: return __builtin_popcount(d.flags);
        default: return d.probability;
        }
    };
    auto text = [&](const ForecastView::DealRow& d) -> const std::string& {
        return sortColumn == CDeal ? d.id : sortColumn == CAccount ? d.account : sortColumn == COwner ? d.owner : d.stage;
    };
    const bool textual = sortColumn == CDeal || sortColumn == CAccount || sortColumn == COwner || sortColumn == CStage;
    std::stable_sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) {
        const auto &x = v.deals[a], &y = v.deals[b];
        if (textual) return descending ? text(y) < text(x) : text(x) < text(y);
        return descending ? key(y) < key(x) : key(x) < key(y);
    });
    return rows;
}

// The flags as a row of chips (wrapping) above the table: a click lists the flag's deals and
// selects their accounts on the map; "All open deals" clears the filter.
void flagChips(App& app, const ForecastView& v) {
    ForecastUi& f = app.ui().forecast;
    const Theme th = app.ui().theme;
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Flags: risk (red), upside (green)");
    auto chip = [&](const std::string& label, bool selected, ImU32 color, const std::string& target) {
        const ImGuiStyle& st = ImGui::GetStyle();
        const float w = ImGui::CalcTextSize(label.c_str()).x + st.FramePadding.x * 2;
        ImGui::SameLine();
        if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
        ImGui::PushStyleColor(ImGuiCol_Text, color);
        ImGui::PushStyleColor(ImGuiCol_Button, selected ? ImGui::GetColorU32(ImGuiCol_ButtonActive) : ImGui::GetColorU32(ImGuiCol_FrameBg));
        const bool clicked = ImGui::Button(label.c_str());
        ImGui::PopStyleColor(2);
        markTarget(app, target);
        return clicked;
    };
    if (chip("All open deals (" + fmt::count(v.deals.size()) + ")", f.flagFilter < 0, ImGui::GetColorU32(ImGuiCol_Text), "forecast.flag_all")) {
        f.flagFilter = -1;
        app.highlightAccounts({}, {});
    }
    for (std::size_t i = 0; i < v.flags.size(); ++i) {
        const auto& fl = v.flags[i];
        ImGui::PushID(static_cast<int>(i));
        const std::string label = fl.name + " (" + fmt::count(fl.deals.size()) + ")";
        if (chip(label, f.flagFilter == static_cast<int>(i), fl.risk ? badColor(th) : goodColor(th), "forecast.flag" + std::to_string(i))) {
            f.flagFilter = static_cast<int>(i);
            selectDealAccounts(app, fl.deals, fl.name);
        }
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s%s\nClick: list its deals and select their accounts on the map; hover a deal for what it was compared with.",
                              fl.description.c_str(),
                              fl.unscored ? ("\n" + fmt::countOf(fl.unscored, "flagged deal is", "flagged deals are") + " not in the table (the forecast did not score them)").c_str()
                                          : "");
        ImGui::PopID();
    }
}
} // namespace

void drawForecastDeals(App& app, const ForecastView& v) {
    ForecastUi& f = app.ui().forecast;
    const Theme th = app.ui().theme;
    flagChips(app, v);
    ImGui::SetNextItemWidth(px(app, 220));
    ImGui::InputTextWithHint("##dealfilter", "Filter: deal, account, owner, stage", f.filter, sizeof f.filter);
    markTarget(app, "forecast.filter");
    ImGui::SameLine();
    const std::vector<std::uint32_t> rowsNow = visibleDeals(f, v, f.sortColumn, f.descending);
    ImGui::TextDisabled("%s of %s open deals. P(win): of winning within %s. Hover a deal for why; click it to find its account.",
                        fmt::count(rowsNow.size()).c_str(), fmt::count(v.deals.size()).c_str(),
                        v.periods.empty() ? "the period" : v.periods.front().label.c_str());
    const ImGuiTableFlags tf = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable |
                               ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Hideable | ImGuiTableFlags_SizingFixedFit;
    if (ImGui::BeginTable("##deals", CCount, tf, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
        ImGui::TableSetupScrollFreeze(1, 1);
        const ImGuiTableColumnFlags fx = ImGuiTableColumnFlags_WidthFixed;
        const ImGuiTableColumnFlags desc = ImGuiTableColumnFlags_PreferSortDescending;
        ImGui::TableSetupColumn("Deal", fx | ImGuiTableColumnFlags_NoHide, px(app, 76));
        ImGui::TableSetupColumn("Account", fx, px(app, 112));
        ImGui::TableSetupColumn("Owner", fx, px(app, 104));
        ImGui::TableSetupColumn("Stage", fx, px(app, 92));
        ImGui::TableSetupColumn("Amount", fx | desc, px(app, 58));
        ImGui::TableSetupColumn("Close", fx, px(app, 82));
        ImGui::TableSetupColumn("P(win)", fx | desc | ImGuiTableColumnFlags_DefaultSort, px(app, 54));
        ImGui::TableSetupColumn("Flags", fx | desc, px(app, 136));
        ImGui::TableSetupColumn("Why: what moved P(win) most (log-odds)", ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_NoSort, 1.0f);
        tableHeaders();
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
            f.sortColumn = specs->Specs[0].ColumnIndex;
            f.descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
        }
        const std::vector<std::uint32_t> rows = visibleDeals(f, v, f.sortColumn, f.descending);
        ImGuiListClipper clip;
        clip.Begin(static_cast<int>(rows.size()));
        while (clip.Step()) {
            for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
                const std::uint32_t di = rows[static_cast<std::size_t>(r)];
                const auto& d = v.deals[di];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(static_cast<int>(di));
                if (ImGui::Selectable(d.id.c_str(), f.selectedDeal == static_cast<int>(di), ImGuiSelectableFlags_SpanAllColumns)) {
                    f.selectedDeal = static_cast<int>(di);
                    selectDealAccounts(app, {di}, "Deal " + d.id);
                }
                const bool rowHovered = ImGui::IsItemHovered();
                if (r == 0) { // the row's first cell (the selectable spans every column)
                    const float pr = app.ui().pixelRatio;
                    const ImVec2 a = ImGui::GetItemRectMin();
                    app.ui().targets.rects["forecast.deal0"] =
                        TestTargets::Rect{a.x / pr, a.y / pr, px(app, 70) / pr, ImGui::GetItemRectSize().y / pr, app.ui().frames};
                }
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.account.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.owner.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.stage.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt::moneyCompact(d.amount).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.closeDate == kDateNull ? "none" : fmt::date(d.closeDate).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt::percent(d.probability, 0).c_str());
                ImGui::TableNextColumn();
                bool risk = false;
                std::string tags;
                for (std::size_t k = 0; k < v.flags.size(); ++k)
                    if (d.flags & (1u << k)) {
                        tags += (tags.empty() ? "" : " ") + std::string(flagTag(v.flags[k].id));
                        risk = risk || v.flags[k].risk;
                    }
                if (!tags.empty()) ImGui::TextColored(ImColor(risk ? badColor(th) : goodColor(th)), "%s", tags.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.explanation.c_str());
                if (rowHovered)
                    ImGui::SetTooltip("%s  %s  %s, %s, %s\nP(win) within %s: %s (of winning it and closing it in the period)\n%s%s%s%s",
                                      d.id.c_str(), d.account.c_str(), d.owner.c_str(), d.stage.c_str(),
                                      d.category.empty() ? "no forecast category" : ("forecast category " + d.category).c_str(),
                                      v.periods.empty() ? "the period" : v.periods.front().label.c_str(), fmt::percent(d.probability, 0).c_str(),
                                      d.explanation.empty() ? "" : "What moved it (log-odds): ", d.explanation.c_str(),
                                      d.flagNotes.empty() ? "" : "\n\n", d.flagNotes.c_str());
            }
        }
        ImGui::EndTable();
    }
}

} // namespace terrane
