// Help > Getting started and glossary: a short guide from your own files to a first balanced plan,
// and what every figure the studio shows means.
#include "app/app.hpp"
#include "app/widgets.hpp"

namespace terrane {

namespace {
struct Term {
    const char* name;
    const char* meaning;
};

// Every figure the page shows, in the words the panels use.
constexpr Term kGlossary[] = {
    {"Potential", "What an account could spend with you in a year (TAM / whitespace), from the accounts file."},
    {"ARR", "Annual recurring revenue an account pays today. Accounts with ARR are customers."},
    {"Customers", "Accounts with ARR above zero; they keep their territory unless 'Customers may change rep' is on."},
    {"Workload", "Hours per year an account needs from its rep (a column, or estimated from size and tier)."},
    {"Open pipeline", "Sum of the amounts of open deals (not won, not lost)."},
    {"Whitespace", "Potential not yet won: potential minus ARR."},
    {"Capacity", "A rep's share of a full seat: 1 for a ramped rep, less while ramping; a vacant seat gets the vacancy factor."},
    {"Target", "A territory's fair share of a metric: the total times its capacity share (or the mean when targets are equal)."},
    {"Deviation", "How far a territory is from its target: (value - target) / target. Max deviation is the largest over territories."},
    {"Tolerance", "The band every territory should stay inside, e.g. +/-5% of target. Green inside, red outside."},
    {"Oversize account", "An account larger than a territory's share on its own; it keeps its territory and the others are balanced around it."},
    {"Gini", "Inequality of capacity-adjusted loads: 0 when every territory carries the same, 1 when one carries all."},
    {"Disruption", "Share of accounts (or of ARR) whose territory changes from the reference plan."},
    {"Disruption budget", "The most the optimiser may move: a share of accounts and of ARR."},
    {"Contiguous", "Every territory is one connected piece (no enclaves) of the accounts' neighbour graph."},
    {"Compactness", "Potential-weighted mean distance from accounts to their territory's centre (km); smaller is tighter."},
    {"Locked", "An account that never moves: not by hand, the optimiser or a rebalance."},
    {"Vacant seat", "A seat with no rep yet: it gets a reduced target (the vacancy factor) until someone is hired."},
    {"Quota", "A rep's share of the company target, from potential, history or capacity; over-assignment adds a safety margin."},
    {"At quota", "Share of reps expected to reach their quota in the attainment simulation."},
    {"Win rate", "Won deals / (won + lost) deals."},
    {"Ramp", "A new hire's productivity by quarter of tenure (25%/50%/75%/100%)."},
    {"Attrition", "Share of reps who leave in a year; each leaver is backfilled after the time to hire."},
    {"Reps needed", "The smallest team whose capacity over the year reaches the target, month by month."},
    {"Simple estimate", "target / (productivity x average first-year ramp x (1 - attrition)): the rule of thumb."},
};

void gettingStarted(App& app) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + px(app, 620));
    ImGui::TextUnformatted("The studio opens on a generated sample. Everything runs in this page: your files never leave it.");
    ImGui::Spacing();
    const char* steps[] = {
        "Bring your data: File > Import, or drop CSV exports on the page (accounts, reps, deals; Salesforce, HubSpot, "
        "Pipedrive or a spreadsheet). Check the column mapping the dialog proposes and confirm.",
        "Check the data: the import report and Data quality list rows that need attention (duplicates, missing places, "
        "deals past their close date).",
        "Make territories: Territories > Create from... builds one per rep or one per value of a column (a region, a "
        "state); or Plan > Optimise territories creates one per rep or N balanced ones in one click.",
        "Balance: the Optimise window balances potential and workload within their tolerances, compact and contiguous, "
        "moving at most the disruption budget. The plan becomes a new scenario; the baseline never changes.",
        "Adjust by hand: select accounts on the map (box, lasso, click) and drop them on a territory. Every edit can be "
        "undone and is in the audit log.",
        "Share: File > Save scenario file, or export the assignment for your CRM (CSV).",
    };
    int n = 1;
    for (const char* s : steps) {
        ImGui::Text("%d.", n++);
        ImGui::SameLine();
        ImGui::TextWrapped("%s", s);
    }
    ImGui::PopTextWrapPos();
}

void glossary(App& app) {
    if (!ImGui::BeginTable("glossary", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY,
                           ImVec2(px(app, 660), px(app, 380))))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Term", ImGuiTableColumnFlags_WidthFixed, px(app, 140));
    ImGui::TableSetupColumn("Meaning", ImGuiTableColumnFlags_WidthStretch);
    tableHeaders();
    for (const Term& t : kGlossary) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(t.name);
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", t.meaning);
    }
    ImGui::EndTable();
}
} // namespace

void drawHelpDialog(App& app) {
    UiState& ui = app.ui();
    openModal("Getting started", ui.dialogs.help);
    if (!beginModal("Getting started", ImGuiWindowFlags_AlwaysAutoResize)) return;
    if (ImGui::BeginTabBar("helpTabs")) {
        if (ImGui::BeginTabItem("Getting started")) {
            gettingStarted(app);
            ImGui::EndTabItem();
        }
        const bool open = ImGui::BeginTabItem("Glossary");
        markTarget(app, "help.glossary");
        if (open) {
            glossary(app);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::Spacing();
    if (ImGui::Button("Close", ImVec2(px(app, 120), 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    markTarget(app, "help.close");
    ImGui::EndPopup();
}

} // namespace terrane
