// The Deals and flags tab: the risk and upside flags with their deals (a click selects and
// highlights their accounts on the map and filters the table), and the open deals with the
// model's probability, what moved it, and their flags: sortable and filterable; a click on a
// deal selects its account on the map.
#include "app/analyse/forecast_ui.hpp"
#include "app/app.hpp"
#include "app/charts.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/base/text.hpp"

#include <algorithm>

namespace terrane {

namespace {
enum Column { CDeal, CAccount, CProbability, CAmount, CFlags, CWhy, COwner, CStage, CClose, CCount };

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

void flagList(App& app, const ForecastView& v, float w, float h) {
    ForecastUi& f = app.ui().forecast;
    const Theme th = app.ui().theme;
    ImGui::BeginChild("##flags", ImVec2(w, h), true);
    if (ImGui::Selectable("All open deals", f.flagFilter < 0)) {
        f.flagFilter = -1;
        app.highlightAccounts({}, {});
    }
    for (std::size_t i = 0; i < v.flags.size(); ++i) {
        const auto& fl = v.flags[i];
        ImGui::PushID(static_cast<int>(i));
        const std::string label = fl.name + "  (" + fmt::count(fl.deals.size()) + ")";
        ImGui::PushStyleColor(ImGuiCol_Text, fl.risk ? badColor(th) : goodColor(th));
        if (ImGui::Selectable(label.c_str(), f.flagFilter == static_cast<int>(i))) {
            f.flagFilter = static_cast<int>(i);
            selectDealAccounts(app, fl.deals, fl.name);
        }
        ImGui::PopStyleColor();
        markTarget(app, "forecast.flag" + std::to_string(i));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nClick: list its deals and select their accounts on the map.", fl.description.c_str());
        ImGui::PopID();
    }
    ImGui::EndChild();
}
} // namespace

void drawForecastDeals(App& app, const ForecastView& v) {
    ForecastUi& f = app.ui().forecast;
    const Theme th = app.ui().theme;
    const float availH = ImGui::GetContentRegionAvail().y;
    const float flagsW = px(app, 200);
    ImGui::BeginGroup();
    ImGui::TextDisabled("Risk (red) and upside (green)");
    flagList(app, v, flagsW, availH - ImGui::GetTextLineHeightWithSpacing());
    ImGui::EndGroup();
    ImGui::SameLine(0, px(app, 10));
    ImGui::BeginGroup();
    ImGui::SetNextItemWidth(px(app, 200));
    ImGui::InputTextWithHint("##dealfilter", "Filter: deal, account, owner, stage", f.filter, sizeof f.filter);
    markTarget(app, "forecast.filter");
    ImGui::SameLine();
    const std::vector<std::uint32_t> rowsNow = visibleDeals(f, v, f.sortColumn, f.descending);
    ImGui::TextDisabled("%s of %s open deals; P(win) within %s; a click selects the account",
                        fmt::count(rowsNow.size()).c_str(), fmt::count(v.deals.size()).c_str(),
                        v.periods.empty() ? "the period" : v.periods.front().label.c_str());
    const ImGuiTableFlags tf = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable |
                               ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollX;
    if (ImGui::BeginTable("##deals", CCount, tf, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
        ImGui::TableSetupScrollFreeze(1, 1);
        const ImGuiTableColumnFlags fx = ImGuiTableColumnFlags_WidthFixed;
        ImGui::TableSetupColumn("Deal", fx, px(app, 82));
        ImGui::TableSetupColumn("Account", fx, px(app, 150));
        ImGui::TableSetupColumn("P(win)", fx | ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_PreferSortDescending, px(app, 50));
        ImGui::TableSetupColumn("Amount", fx | ImGuiTableColumnFlags_PreferSortDescending, px(app, 62));
        ImGui::TableSetupColumn("Flags", fx | ImGuiTableColumnFlags_PreferSortDescending, px(app, 200));
        ImGui::TableSetupColumn("Why (the features that moved P(win) most, log-odds)", fx | ImGuiTableColumnFlags_NoSort, px(app, 520));
        ImGui::TableSetupColumn("Owner", fx, px(app, 120));
        ImGui::TableSetupColumn("Stage", fx, px(app, 100));
        ImGui::TableSetupColumn("Close", fx, px(app, 88));
        ImGui::TableHeadersRow();
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
                if (r == 0) { // the row's first cell (the selectable spans columns scrolled out of view)
                    const float pr = app.ui().pixelRatio;
                    const ImVec2 a = ImGui::GetItemRectMin();
                    app.ui().targets.rects["forecast.deal0"] =
                        TestTargets::Rect{a.x / pr, a.y / pr, px(app, 70) / pr, ImGui::GetItemRectSize().y / pr, app.ui().frames};
                }
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.account.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt::percent(d.probability, 0).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt::moneyCompact(d.amount).c_str());
                ImGui::TableNextColumn();
                std::string flags;
                for (std::size_t k = 0; k < v.flags.size(); ++k)
                    if (d.flags & (1u << k)) flags += (flags.empty() ? "" : ", ") + v.flags[k].name;
                if (!flags.empty()) {
                    const bool risk = [&] {
                        for (std::size_t k = 0; k < v.flags.size(); ++k)
                            if ((d.flags & (1u << k)) && v.flags[k].risk) return true;
                        return false;
                    }();
                    ImGui::TextColored(ImColor(risk ? badColor(th) : goodColor(th)), "%s", flags.c_str());
                    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", flags.c_str());
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.explanation.c_str());
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.explanation.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.owner.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.stage.c_str());
                if (!d.category.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("forecast category: %s", d.category.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.closeDate == kDateNull ? "none" : fmt::date(d.closeDate).c_str());
            }
        }
        ImGui::EndTable();
    }
    ImGui::EndGroup();
}

} // namespace terrane
