// Right inspector: the hovered or selected account, the selected territory, or the workspace.
#include "app/app.hpp"
#include "app/format.hpp"
#include "core/geocode.hpp"

#include <cmath>

namespace terrane {

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
        row("Owner", app.repName(acc.str(acc.indexOf("owner"), r)));
        const std::int32_t t = r < ws.active().assignment.size() ? ws.active().assignment[r] : -1;
        row("Territory", std::string(ws.active().territoryName(t)));
        row("Locked", acc.flag(acc.indexOf("locked"), r) ? "yes (named account)" : "no");
        ImGui::EndTable();
    }
}

void drawTerritory(App& app, std::int32_t t) {
    const Workspace& ws = app.workspace();
    const Table& ter = ws.active().territories;
    const auto tr = static_cast<std::size_t>(t);
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted(std::string(ter.str(ter.indexOf("name"), tr)).c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("Territory %s", std::string(ter.str(ter.indexOf("territory_id"), tr)).c_str());
    const TerritoryTotals* tt = nullptr;
    for (const auto& x : app.territoryTotals())
        if (x.territory == t) tt = &x;
    if (!tt) return;
    const std::string_view owner = ter.str(ter.indexOf("owner"), tr);
    if (beginFacts("terr")) {
        row("Owner", app.repName(owner));
        const Table& reps = ws.reps();
        if (auto rr = reps.rowOf(owner)) {
            row("Home base", std::string(reps.str(reps.indexOf("home_city"), *rr)) + ", " + std::string(reps.str(reps.indexOf("home_state"), *rr)));
            const double cap = reps.f64(reps.indexOf("capacity"), *rr);
            row("Capacity", reps.flag(reps.indexOf("vacant"), *rr) ? "vacant seat" : fmt::percent(cap, 0),
                "Ramp factor at the start of the plan year (new hires ramp 25/50/75/100% by quarter)");
        }
        const std::string_view parent = ter.str(ter.indexOf("parent_id"), tr);
        if (auto pr = ter.rowOf(parent)) row("District", std::string(ter.str(ter.indexOf("name"), *pr)));
        row("Accounts", fmt::count(tt->accounts));
        row("Customers", fmt::count(tt->customers));
        row("Potential", fmt::money(tt->potential), "Sum of account potential in this territory");
        row("ARR", fmt::money(tt->arr), "Sum of account ARR in this territory");
        row("Workload", fmt::fixed(tt->workload, 0) + " h/yr", "Sum of account workload hours");
        const double share = app.summary().potential > 0 ? static_cast<double>(tt->potential) / static_cast<double>(app.summary().potential) : 0;
        row("Share of potential", fmt::percent(share), "Territory potential / total potential");
        ImGui::EndTable();
    }
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
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("##inspector", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                             ImGuiWindowFlags_NoBringToFrontOnFocus);
    const std::size_t n = app.workspace().accounts().rows();
    const std::int64_t acct = ui.hoveredAccount >= 0 ? ui.hoveredAccount : ui.selectedAccount;
    if (acct >= 0 && static_cast<std::size_t>(acct) < n) {
        ImGui::TextDisabled(ui.hoveredAccount >= 0 ? "HOVERED ACCOUNT" : "SELECTED ACCOUNT");
        drawAccount(app, static_cast<std::size_t>(acct));
    } else if (ui.selectedTerritory >= 0) {
        ImGui::TextDisabled("SELECTED TERRITORY");
        drawTerritory(app, ui.selectedTerritory);
    } else {
        drawOverview(app);
    }
    ImGui::End();
}

} // namespace terrane
