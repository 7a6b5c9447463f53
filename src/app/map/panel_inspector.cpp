// Right inspector: the hovered or selected account, the selected territory, or the workspace.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/geo/geocode.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

namespace terrane {

AccountOwners accountOwners(const App& app, std::size_t row) {
    const Workspace& ws = app.workspace();
    const Table& acc = ws.accounts();
    const Scenario& sc = ws.active();
    AccountOwners o;
    o.crm = app.repName(acc.str(acc.indexOf("owner"), row));
    const std::int32_t t = row < sc.assignment.size() ? sc.assignment[row] : -1;
    o.plan = t < 0 ? std::string("(unassigned)")
                   : app.repName(sc.territories.str(sc.territories.indexOf("owner"), static_cast<std::size_t>(t)));
    return o;
}

namespace {
void row(const char* label, const std::string& value, const char* basis = nullptr) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", label);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(value.c_str());
    if (basis && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", basis);
}

bool beginFacts(const char* id) {
    return ImGui::BeginTable(id, 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg);
}

void headline(App& app, const char* label, const std::string& value, const char* basis) {
    ImGui::TextDisabled("%s", label);
    ImGui::PushFont(app.fonts().large);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopFont();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", basis);
}

void drawAccount(App& app, std::size_t r) {
    const Workspace& ws = app.workspace();
    const Table& acc = ws.accounts();
    auto S = [&](const char* c) { return std::string(acc.str(acc.indexOf(c), r)); };
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextWrapped("%s", S("name").c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("Account %s", S("account_id").c_str());
    if (beginFacts("acct")) {
        row("Location", S("city") + ", " + S("state") + " " + S("postcode"));
        const double lat = acc.f64(acc.indexOf("lat"), r), lon = acc.f64(acc.indexOf("lon"), r);
        row("Coordinates", std::isnan(lat) ? std::string("not placed") : fmt::fixed(lat, 4) + ", " + fmt::fixed(lon, 4));
        const GeoPrecision gp = accountPrecision(acc, r);
        static constexpr const char* kPlaced[] = {"not placed", "country centre", "state / province centre", "city centre",
                                                  "postcode centre", "exact (coordinates in the file)"};
        row("Placed by", kPlaced[static_cast<int>(gp)],
            "Geocoding precision: exact when the file has coordinates, else the centre of the postcode (US ZIP, Canadian FSA), city, "
            "state or province, or country from the built-in gazetteer");
        row("Segment", S("segment"));
        row("Industry", S("industry"));
        row("Tier", S("tier"));
        const auto emp = acc.i64(acc.indexOf("employees"), r);
        row("Employees", emp == kI64Null ? "-" : fmt::count(static_cast<std::uint64_t>(emp)));
        row("Revenue", fmt::money(acc.i64(acc.indexOf("revenue"), r)));
        row("Potential", fmt::money(acc.i64(acc.indexOf("potential"), r)), "The potential column of the accounts file");
        row("ARR", fmt::money(acc.i64(acc.indexOf("arr"), r)), "Current annual recurring revenue (0 = not a customer)");
        row("Workload", fmt::fixed(acc.f64(acc.indexOf("workload"), r), 1) + " h/yr");
        const AccountOwners owners = accountOwners(app, r);
        row(AccountOwners::kCrmLabel, owners.crm, "The owner column of the accounts file, as the CRM has it");
        row(AccountOwners::kPlanLabel, owners.plan, "The rep who owns the account's territory in this scenario");
        const std::int32_t t = r < ws.active().assignment.size() ? ws.active().assignment[r] : -1;
        row("Territory", std::string(ws.active().territoryName(t)));
        row("Locked", r < ws.active().locked.size() && ws.active().locked[r] ? "yes: stays in its territory" : "no");
        ImGui::EndTable();
    }
}

void drawTerritory(App& app, std::int32_t t) {
    const Workspace& ws = app.workspace();
    const Scenario& sc = ws.active();
    const Table& ter = sc.territories;
    const auto tr = static_cast<std::size_t>(t);
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted(std::string(sc.territoryName(t)).c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("Territory %s", std::string(sc.territoryId(t)).c_str());
    const TerritoryFigures* tf = nullptr;
    for (const auto& x : app.metrics().territories)
        if (x.territory == t) tf = &x;
    if (!tf) return;
    const std::string_view owner = ter.str(ter.indexOf("owner"), tr);
    if (beginFacts("terr")) {
        row("Owner", app.repName(owner));
        const Table& reps = ws.reps();
        if (auto rr = reps.rowOf(owner)) {
            row("Home base", std::string(reps.str(reps.indexOf("home_city"), *rr)) + ", " + std::string(reps.str(reps.indexOf("home_state"), *rr)));
            row("Capacity", tf->vacant ? "vacant seat (" + fmt::fixed(tf->f.capacity, 2) + " planned)" : fmt::percent(tf->f.capacity, 0),
                "Ramp factor at the start of the plan year (new hires ramp 25/50/75/100% by quarter)");
        }
        const std::string_view parent = ter.str(ter.indexOf("parent_id"), tr);
        if (auto pr = ter.rowOf(parent)) row("Parent", std::string(ter.str(ter.indexOf("name"), *pr)));
        const auto& f = tf->f;
        auto metricRow = [&](PlanMetric m, const char* basis) {
            const int k = static_cast<int>(m);
            const std::string v = isMoneyMetric(m) ? fmt::money(static_cast<Money>(f.sum[k])) : fmt::fixed(f.sum[k], m == PlanMetric::Workload ? 1 : 0);
            char dev[32];
            std::snprintf(dev, sizeof dev, "  (%+.1f%%)", f.deviation[k] * 100);
            row(planMetricLabel(m), v + dev, basis);
        };
        metricRow(PlanMetric::Accounts, "Accounts in this territory; in brackets: deviation from the capacity-adjusted target");
        metricRow(PlanMetric::Customers, "Accounts with ARR > 0");
        metricRow(PlanMetric::Potential, "Sum of account potential; target = total potential x target share");
        metricRow(PlanMetric::Workload, "Sum of account workload hours per year");
        metricRow(PlanMetric::Arr, "Sum of account ARR");
        metricRow(PlanMetric::Pipeline, "Sum of open opportunity amounts of its accounts");
        row("Target share", fmt::percent(f.targetShare, 2), "Owner capacity / total capacity");
        if (ws.activeScenario != 0) row("Moved in / out", fmt::count(tf->movedIn) + " / " + fmt::count(tf->movedOut), "Against the baseline");
        ImGui::EndTable();
    }
}

void drawSelection(App& app) {
    const UiState& ui = app.ui();
    const Workspace& ws = app.workspace();
    const Scenario& sc = ws.active();
    const AccountValues& v = app.accountValues();
    ImGui::PushFont(app.fonts().bold);
    ImGui::Text("%s accounts selected", fmt::count(ui.selection.count).c_str());
    ImGui::PopFont();
    std::array<double, kPlanMetricCount> sum{};
    std::size_t locked = 0;
    std::unordered_map<std::int32_t, std::size_t> byTerritory;
    for (std::size_t a = 0; a < ui.selection.flags.size(); ++a) {
        if (!ui.selection.flags[a]) continue;
        for (int k = 0; k < kPlanMetricCount; ++k) sum[static_cast<std::size_t>(k)] += v.values[a][static_cast<std::size_t>(k)];
        locked += sc.locked[a];
        ++byTerritory[sc.assignment[a]];
    }
    if (beginFacts("sel")) {
        row("Customers", fmt::count(static_cast<std::uint64_t>(sum[static_cast<int>(PlanMetric::Customers)])));
        row("Potential", fmt::money(static_cast<Money>(sum[static_cast<int>(PlanMetric::Potential)])));
        row("ARR", fmt::money(static_cast<Money>(sum[static_cast<int>(PlanMetric::Arr)])));
        row("Pipeline", fmt::money(static_cast<Money>(sum[static_cast<int>(PlanMetric::Pipeline)])));
        row("Workload", fmt::fixed(sum[static_cast<int>(PlanMetric::Workload)], 0) + " h/yr");
        row("Locked", fmt::count(locked));
        ImGui::EndTable();
    }
    ImGui::Spacing();
    ImGui::TextDisabled("In territories");
    std::vector<std::pair<std::size_t, std::int32_t>> list;
    for (auto [t, n] : byTerritory) list.emplace_back(n, t);
    std::sort(list.rbegin(), list.rend());
    for (std::size_t i = 0; i < list.size() && i < 12; ++i)
        ImGui::BulletText("%s: %s", std::string(sc.territoryName(list[i].second)).c_str(), fmt::count(list[i].first).c_str());
    ImGui::Spacing();
    ImGui::TextDisabled("M move  |  K lock  |  Shift+K unlock  |  Esc clear");
}

void drawOverview(App& app) {
    const WorkspaceSummary& s = app.summary();
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted("Workspace overview");
    ImGui::PopFont();
    ImGui::TextDisabled("Hover or click an account on the map for detail.");
    ImGui::Spacing();
    headline(app, "Total potential", fmt::moneyCompact(s.potential), "Sum of the potential column over all accounts");
    headline(app, "Current ARR", fmt::moneyCompact(s.arr), "Sum of the arr column over all accounts");
    headline(app, "Open pipeline", fmt::moneyCompact(s.openPipeline), "Sum of amount over opportunities that are not closed");
    ImGui::Spacing();
    if (beginFacts("overview")) {
        row("Accounts", fmt::count(s.accounts));
        row("Customers", fmt::count(s.customers) + " (" + fmt::percent(s.accounts ? double(s.customers) / double(s.accounts) : 0) + ")",
            "Accounts with ARR above zero");
        row("Placed on the map", fmt::count(s.locatedAccounts));
        row("Reps and seats", fmt::count(s.reps) + " (" + fmt::count(s.vacantSeats) + " vacant)");
        row("Territories", fmt::count(s.territories));
        row("Opportunities", fmt::count(s.opportunities) + " (" + fmt::count(s.openOpportunities) + " open)");
        const double wr = (s.won + s.lost) ? double(s.won) / double(s.won + s.lost) : std::nan("");
        row("Win rate", fmt::percent(wr), "Won / (won + lost) over closed opportunities");
        row("Won bookings", fmt::money(s.wonAmount), "Sum of amount over won opportunities");
        ImGui::EndTable();
    }
}
} // namespace

void drawInspector(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    beginPanel("##inspector", pos, size);
    const std::size_t n = app.workspace().accounts().rows();
    const std::int64_t acct = ui.hoveredAccount >= 0 ? ui.hoveredAccount : ui.selection.count == 1 ? ui.selection.focus : -1;
    if (acct >= 0 && static_cast<std::size_t>(acct) < n) {
        ImGui::TextDisabled(ui.hoveredAccount >= 0 ? "HOVERED ACCOUNT" : "SELECTED ACCOUNT");
        drawAccount(app, static_cast<std::size_t>(acct));
    } else if (ui.selection.count > 1) {
        ImGui::TextDisabled("SELECTION");
        drawSelection(app);
    } else if (ui.selectedTerritory >= 0) {
        ImGui::TextDisabled("SELECTED TERRITORY");
        drawTerritory(app, ui.selectedTerritory);
    } else {
        drawOverview(app);
    }
    ImGui::End();
}

} // namespace terrane
