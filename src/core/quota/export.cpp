// Quota exports.
//
// Index
//  [SECTION] helpers
//  [SECTION] csv
//  [SECTION] workbook
#include "core/base/format.hpp"
#include "core/quota/export.hpp"

#include "core/io/csv.hpp"
#include "core/base/text.hpp"
#include "core/io/xlsx.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace terrane::quota {

namespace {
// [SECTION] helpers
std::string ancestorName(const QuotaResult& r, std::int32_t node, QuotaLevel level) {
    for (std::int32_t p = r.tree.nodes[static_cast<std::size_t>(node)].parent; p >= 0;
         p = r.tree.nodes[static_cast<std::size_t>(p)].parent)
        if (r.tree.nodes[static_cast<std::size_t>(p)].level == level)
            return r.tree.nodes[static_cast<std::size_t>(p)].name;
    return {};
}

std::string periodColumn(const QuotaResult& r, int p) {
    static constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                              "jul", "aug", "sep", "oct", "nov", "dec"};
    return r.periods == 12 ? std::string("quota_") + kMonths[p] : "quota_q" + std::to_string(p + 1);
}

std::string fixed(double v, int decimals) {
    return std::isfinite(v) ? formatFixed(v, decimals) : std::string();
}

const char* statusOf(const QuotaNode& n) {
    if (n.held) return "held";
    if (n.owner.empty()) return "no_owner";
    return n.vacant ? "vacant" : "rep";
}
} // namespace

// [SECTION] csv
std::string quotaRepsCsv(const QuotaResult& r, const SimModel* model, const SimResult* sim) {
    std::string out;
    CsvWriter w(out);
    const bool withSim = model && sim && sim->complete && sim->reps.size() == model->reps.size();
    for (const char* h :
         {"rep_id", "rep_name", "status", "territory", "territory_name", "district", "region", "quota"})
        w.field(h);
    for (int p = 0; p < r.periods; ++p) w.field(periodColumn(r, p));
    for (const char* h : {"share_of_parent", "locked", "rounding_remainder", "capacity", "potential",
                          "history", "quota_to_potential", "basis"})
        w.field(h);
    if (withSim)
        for (const char* h : {"expected_attainment", "attainment_p10", "attainment_p50", "attainment_p90",
                              "probability_at_quota"})
            w.field(h);
    w.endRow();
    std::unordered_map<std::string, std::size_t> simIndex;
    if (withSim)
        for (std::size_t i = 0; i < model->reps.size(); ++i) simIndex[model->reps[i].repId] = i;
    auto row = [&](const std::string& repId, const std::string& repName, const char* status,
                   const std::vector<std::int32_t>& terr, Money quota, const std::vector<Money>& periods,
                   double capacity, Money potential, Money history, const std::string& basis) {
        const QuotaNode& first = r.tree.nodes[static_cast<std::size_t>(terr[0])];
        std::string ids, names;
        bool locked = false;
        Money rem = 0;
        for (std::int32_t t : terr) {
            const QuotaNode& n = r.tree.nodes[static_cast<std::size_t>(t)];
            ids += (ids.empty() ? "" : ";") + n.id;
            names += (names.empty() ? "" : "; ") + n.name;
            locked |= n.locked;
            rem += n.remainder;
        }
        w.field(repId).field(repName).field(status).field(ids).field(names);
        w.field(ancestorName(r, terr[0], QuotaLevel::District))
            .field(ancestorName(r, terr[0], QuotaLevel::Region));
        w.field(formatMoney(quota));
        for (int p = 0; p < r.periods; ++p) w.field(formatMoney(periods[static_cast<std::size_t>(p)]));
        w.field(terr.size() == 1 ? fixed(first.share, 6) : std::string());
        w.field(locked ? "true" : "false").field(formatMoney(rem)).field(fixed(capacity, 4));
        w.field(formatMoney(potential)).field(formatMoney(history));
        w.field(potential > 0 ? fixed(static_cast<double>(quota) / static_cast<double>(potential), 6)
                              : std::string());
        w.field(basis);
        if (withSim) {
            auto it = repId.empty() ? simIndex.end() : simIndex.find(repId);
            if (it != simIndex.end() && std::string(status) != "held") {
                const RepAttainment& a = sim->reps[it->second];
                w.field(fixed(a.mean, 4))
                    .field(fixed(a.p10, 4))
                    .field(fixed(a.p50, 4))
                    .field(fixed(a.p90, 4))
                    .field(fixed(a.probAtQuota, 4));
            } else {
                for (int k = 0; k < 5; ++k) w.field("");
            }
        }
        w.endRow();
    };
    for (const RepQuota& q : r.reps) {
        const QuotaNode& n0 = r.tree.nodes[static_cast<std::size_t>(q.territories[0])];
        row(q.repId, q.name, statusOf(n0), q.territories, q.quota, q.periods, q.capacity, q.potential,
            q.history, q.basis);
    }
    for (std::size_t i = 0; i < r.tree.nodes.size(); ++i) {
        const QuotaNode& n = r.tree.nodes[i];
        if (n.level != QuotaLevel::Territory || !n.held) continue;
        row(n.owner, "Held by the manager of " + r.tree.nodes[static_cast<std::size_t>(n.parent)].name,
            "held", {static_cast<std::int32_t>(i)}, n.quota, n.periods, n.capacity, n.potential, n.history,
            n.basis);
    }
    return out;
}

std::string quotaNodesCsv(const QuotaResult& r) {
    std::string out;
    CsvWriter w(out);
    for (const char* h : {"level", "node_id", "name", "parent_id", "owner", "status", "quota", "pool"})
        w.field(h);
    for (int p = 0; p < r.periods; ++p) w.field(periodColumn(r, p));
    for (const char* h : {"share_of_parent", "locked", "rounding_remainder", "accounts", "potential",
                          "history", "capacity", "basis"})
        w.field(h);
    w.endRow();
    for (const QuotaNode& n : r.tree.nodes) {
        w.field(quotaLevelName(n.level)).field(n.id).field(n.name);
        w.field(n.parent >= 0 ? r.tree.nodes[static_cast<std::size_t>(n.parent)].id : std::string());
        w.field(n.owner).field(n.level == QuotaLevel::Territory ? statusOf(n) : "");
        w.field(formatMoney(n.quota)).field(n.children.empty() ? std::string() : formatMoney(n.pool));
        for (int p = 0; p < r.periods; ++p)
            w.field(p < static_cast<int>(n.periods.size())
                        ? formatMoney(n.periods[static_cast<std::size_t>(p)])
                        : "");
        w.field(n.parent >= 0 ? fixed(n.share, 6) : std::string())
            .field(n.locked ? "true" : "false")
            .field(formatMoney(n.remainder));
        w.field(static_cast<long long>(n.accounts))
            .field(formatMoney(n.potential))
            .field(formatMoney(n.history));
        w.field(n.level == QuotaLevel::Territory ? fixed(n.capacity, 4) : std::string()).field(n.basis);
        w.endRow();
    }
    return out;
}

// [SECTION] workbook
namespace {
using xlsx::Sheet;
using xlsx::Style;

struct Placement {
    int sheet = -1; // index into level sheets
    int row = -1;   // 0-based sheet row
};

// "SUM(Sheet!D2:D4,Sheet!D9)" over the given rows of one column on each sheet (runs merged).
std::string sumFormula(const std::vector<std::pair<std::string, std::vector<int>>>& bySheet, int col) {
    std::string f;
    for (const auto& [sheet, rowsIn] : bySheet) {
        std::vector<int> rows = rowsIn;
        std::sort(rows.begin(), rows.end());
        for (std::size_t i = 0; i < rows.size();) {
            std::size_t j = i;
            while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1) ++j;
            f += f.empty() ? "" : ",";
            f += sheet + "!" + xlsx::cellRef(rows[i], col);
            if (j > i) {
                f += ':';
                f += xlsx::cellRef(rows[j], col);
            }
            i = j + 1;
        }
    }
    std::string out = "SUM(";
    out += f.empty() ? std::string("0") : f;
    out += ')';
    return out;
}
} // namespace

std::string quotaWorkbook(const QuotaResult& r, const QuotaPlan& plan, const SimModel* model,
                          const SimResult* sim) {
    const auto& N = r.tree.nodes;
    // Level sheets in order; node -> (sheet, row).
    const QuotaLevel levels[] = {QuotaLevel::Region, QuotaLevel::District, QuotaLevel::Territory};
    const char* sheetNames[] = {"Regions", "Districts", "Territories"};
    std::vector<Placement> place(N.size());
    int levelSheet[4] = {-1, -1, -1, -1};
    std::vector<Sheet> sheets;
    sheets.emplace_back("Summary");
    for (int li = 0; li < 3; ++li) {
        int row = 1;
        for (std::size_t i = 1; i < N.size(); ++i) {
            if (N[i].level != levels[li]) continue;
            if (levelSheet[static_cast<int>(levels[li])] < 0) {
                levelSheet[static_cast<int>(levels[li])] = static_cast<int>(sheets.size());
                sheets.emplace_back(sheetNames[li]);
            }
            place[i] = Placement{levelSheet[static_cast<int>(levels[li])], row++};
        }
    }
    const int P = r.periods;
    // Columns of level sheets.
    constexpr int cId = 0, cName = 1, cParent = 2, cOwner = 3, cQuota = 4, cPool = 5, cAlloc = 6, cOver = 7,
                  cCheck = 8;
    const int cPeriod0 = 9, cPeriodSum = cPeriod0 + P, cPeriodCheck = cPeriodSum + 1, cPot = cPeriodCheck + 1,
              cHist = cPot + 1, cRatio = cHist + 1, cBasis = cRatio + 1;
    for (int li = 0; li < 3; ++li) {
        const int si = levelSheet[static_cast<int>(levels[li])];
        if (si < 0) continue;
        Sheet& s = sheets[static_cast<std::size_t>(si)];
        const char* heads[] = {"ID",
                               "Name",
                               "Parent",
                               "Owner",
                               "Quota",
                               "Pool for children",
                               "Allocated to children",
                               "Over-assignment",
                               "Check: allocated - pool"};
        for (int c = 0; c < 9; ++c) s.text(0, c, heads[c], Style::Header);
        for (int p = 0; p < P; ++p)
            s.text(0, cPeriod0 + p, r.periodLabels[static_cast<std::size_t>(p)], Style::Header);
        s.text(0, cPeriodSum, "Periods total", Style::Header);
        s.text(0, cPeriodCheck, "Check: periods - quota", Style::Header);
        s.text(0, cPot, "Potential", Style::Header);
        s.text(0, cHist, "History", Style::Header);
        s.text(0, cRatio, "Quota / potential", Style::Header);
        s.text(0, cBasis, "Basis", Style::Header);
        s.freezeRows(1);
        s.columnWidth(cId, 12);
        s.columnWidth(cName, 24);
        s.columnWidth(cParent, 12);
        for (int c = cQuota; c <= cHist; ++c) s.columnWidth(c, 15);
        s.columnWidth(cBasis, 70);
    }
    for (std::size_t i = 1; i < N.size(); ++i) {
        const QuotaNode& n = N[i];
        const Placement pl = place[i];
        if (pl.sheet < 0) continue;
        Sheet& s = sheets[static_cast<std::size_t>(pl.sheet)];
        const int row = pl.row;
        s.text(row, cId, n.id);
        s.text(row, cName, n.name);
        s.text(row, cParent, n.parent > 0 ? N[static_cast<std::size_t>(n.parent)].id : "company");
        if (!n.owner.empty() || n.level == QuotaLevel::Territory)
            s.text(row, cOwner, n.owner.empty() ? "(none)" : n.owner + (n.held ? " (held)" : ""));
        s.money(row, cQuota, n.quota);
        if (!n.children.empty()) {
            s.money(row, cPool, n.pool);
            std::map<int, std::vector<int>> rowsBySheet;
            for (std::int32_t ch : n.children)
                rowsBySheet[place[static_cast<std::size_t>(ch)].sheet].push_back(
                    place[static_cast<std::size_t>(ch)].row);
            std::vector<std::pair<std::string, std::vector<int>>> refs;
            for (auto& [si, rows] : rowsBySheet)
                refs.emplace_back(sheets[static_cast<std::size_t>(si)].name(), rows);
            Money alloc = 0;
            for (std::int32_t ch : n.children) alloc += N[static_cast<std::size_t>(ch)].quota;
            s.formula(row, cAlloc, sumFormula(refs, cQuota), formatMoney(alloc), Style::Money);
            const std::string q = xlsx::cellRef(row, cQuota), a = xlsx::cellRef(row, cAlloc),
                              p = xlsx::cellRef(row, cPool);
            s.formula(row, cOver, "IF(" + q + "=0,0," + a + "/" + q + "-1)",
                      n.quota ? formatDouble(static_cast<double>(alloc) / static_cast<double>(n.quota) - 1.0)
                              : "0",
                      Style::Percent);
            s.formula(row, cCheck, "ROUND(" + a + "-" + p + ",2)", formatMoney(alloc - n.pool),
                      Style::Money);
        }
        for (int p = 0; p < P; ++p) s.money(row, cPeriod0 + p, n.periods[static_cast<std::size_t>(p)]);
        const std::string first = xlsx::cellRef(row, cPeriod0), last = xlsx::cellRef(row, cPeriod0 + P - 1);
        s.formula(row, cPeriodSum, "SUM(" + first + ":" + last + ")", formatMoney(n.quota), Style::Money);
        s.formula(row, cPeriodCheck,
                  "ROUND(" + xlsx::cellRef(row, cPeriodSum) + "-" + xlsx::cellRef(row, cQuota) + ",2)",
                  "0.00", Style::Money);
        s.money(row, cPot, n.potential);
        s.money(row, cHist, n.history);
        s.formula(row, cRatio,
                  "IF(" + xlsx::cellRef(row, cPot) + "=0,\"\"," + xlsx::cellRef(row, cQuota) + "/" +
                      xlsx::cellRef(row, cPot) + ")",
                  n.potential > 0
                      ? formatDouble(static_cast<double>(n.quota) / static_cast<double>(n.potential))
                      : "",
                  Style::Percent);
        s.text(row, cBasis, n.basis);
    }

    // Reps: quotas reference the territory cells (live).
    sheets.emplace_back("Reps");
    {
        Sheet& s = sheets.back();
        const char* heads[] = {"Rep ID", "Name", "Status", "Territories", "Quota"};
        for (int c = 0; c < 5; ++c) s.text(0, c, heads[c], Style::Header);
        for (int p = 0; p < P; ++p)
            s.text(0, 5 + p, r.periodLabels[static_cast<std::size_t>(p)], Style::Header);
        s.text(0, 5 + P, "Basis", Style::Header);
        s.freezeRows(1);
        s.columnWidth(0, 10);
        s.columnWidth(1, 24);
        s.columnWidth(3, 16);
        s.columnWidth(4, 15);
        s.columnWidth(5 + P, 70);
        const std::string terSheet =
            levelSheet[3] >= 0 ? sheets[static_cast<std::size_t>(levelSheet[3])].name() : "Territories";
        int row = 1;
        for (const RepQuota& q : r.reps) {
            const QuotaNode& n0 = N[static_cast<std::size_t>(q.territories[0])];
            s.text(row, 0, q.repId);
            s.text(row, 1, q.name);
            s.text(row, 2, n0.owner.empty() ? "no owner" : n0.vacant ? "vacant seat" : "rep");
            std::string ids, f;
            for (std::int32_t t : q.territories) {
                ids += (ids.empty() ? "" : ";") + N[static_cast<std::size_t>(t)].id;
                f += (f.empty() ? "" : "+") + terSheet + "!" +
                     xlsx::cellRef(place[static_cast<std::size_t>(t)].row, cQuota);
            }
            s.text(row, 3, ids);
            s.formula(row, 4, f, formatMoney(q.quota), Style::Money);
            for (int p = 0; p < P; ++p) {
                std::string pf;
                for (std::int32_t t : q.territories)
                    pf += (pf.empty() ? "" : "+") + terSheet + "!" +
                          xlsx::cellRef(place[static_cast<std::size_t>(t)].row, cPeriod0 + p);
                s.formula(row, 5 + p, pf, formatMoney(q.periods[static_cast<std::size_t>(p)]),
                          Style::Money);
            }
            s.text(row, 5 + P, q.basis);
            ++row;
        }
        s.text(row + 1, 3, "Total", Style::Bold);
        s.formula(row + 1, 4,
                  "SUM(" + xlsx::cellRef(1, 4) + ":" + xlsx::cellRef(std::max(1, row - 1), 4) + ")",
                  formatMoney(r.repTotal), Style::MoneyBold);
    }

    // Summary: settings and level totals as formulas.
    {
        Sheet& s = sheets[0];
        s.columnWidth(0, 44);
        s.columnWidth(1, 20);
        s.columnWidth(2, 60);
        int row = 0;
        s.text(row++, 0, "Terrane quota plan " + std::to_string(r.tree.planYear), Style::Bold);
        auto setting = [&](const std::string& k, const std::string& v) {
            s.text(row, 0, k);
            s.text(row++, 1, v);
        };
        setting("Method", quotaMethodLabel(plan.allocation.method));
        for (int l = 0; l < kOverAssignLevels; ++l)
            setting(std::string("Over-assignment to ") + quotaLevelName(static_cast<QuotaLevel>(l + 1)) + "s",
                    formatPpm(plan.overAssignPpm[static_cast<std::size_t>(l)]));
        setting("Rounding unit", fmt::moneyExact(r.unit));
        setting("Rounding remainder",
                plan.remainder == RemainderPolicy::Reject ? "refused" : "placed on the largest share");
        setting("Vacant seats", plan.vacancy == VacancyPolicy::Hold ? "quota held by the manager"
                                                                    : "quota allocated to the seat");
        setting("History", std::string(historySourceName(r.tree.historyUsed)) + " " +
                               formatDate(r.tree.historyFrom) + " to " + formatDate(r.tree.historyTo - 1));
        ++row;
        s.text(row, 0, "Figure", Style::Header);
        s.text(row, 1, "Amount", Style::Header);
        s.text(row++, 2, "Formula basis", Style::Header);
        const int targetRow = row;
        s.text(row, 0, "Company target", Style::Bold);
        s.money(row, 1, r.target, Style::MoneyBold);
        s.text(row++, 2, "entered");
        // Company pool and its allocation.
        const QuotaNode& c = N[0];
        s.text(row, 0, "Company pool (target x over-assignment)");
        s.money(row, 1, c.pool);
        s.text(row++, 2, "apportioned");
        {
            std::map<int, std::vector<int>> bySheet;
            for (std::int32_t ch : c.children)
                bySheet[place[static_cast<std::size_t>(ch)].sheet].push_back(
                    place[static_cast<std::size_t>(ch)].row);
            std::vector<std::pair<std::string, std::vector<int>>> refs;
            for (auto& [si, rows] : bySheet)
                refs.emplace_back(sheets[static_cast<std::size_t>(si)].name(), rows);
            Money alloc = 0;
            for (std::int32_t ch : c.children) alloc += N[static_cast<std::size_t>(ch)].quota;
            s.text(row, 0, "Allocated below the company");
            s.formula(row, 1, sumFormula(refs, cQuota), formatMoney(alloc), Style::Money);
            s.text(row++, 2, "sum of the company's children");
            s.text(row, 0, "Check: allocated - company pool");
            s.formula(row, 1, "ROUND(" + xlsx::cellRef(row - 1, 1) + "-" + xlsx::cellRef(row - 2, 1) + ",2)",
                      formatMoney(alloc - c.pool), Style::Money);
            ++row;
        }
        for (QuotaLevel l : {QuotaLevel::Region, QuotaLevel::District, QuotaLevel::Territory}) {
            const int si = levelSheet[static_cast<int>(l)];
            if (si < 0) continue;
            const std::string& sn = sheets[static_cast<std::size_t>(si)].name();
            int last = 0;
            for (std::size_t i = 1; i < N.size(); ++i)
                if (N[i].level == l) last = std::max(last, place[i].row);
            s.text(row, 0, "Sum of " + std::string(quotaLevelName(l)) + " quotas");
            s.formula(row, 1,
                      "SUM(" + sn + "!" + xlsx::cellRef(1, cQuota) + ":" + xlsx::cellRef(last, cQuota) + ")",
                      formatMoney(r.levelTotals[static_cast<std::size_t>(l)]), Style::Money);
            s.text(row, 2, "over-assignment vs target:");
            s.formula(row, 3,
                      "IF(" + xlsx::cellRef(targetRow, 1) + "=0,0," + xlsx::cellRef(row, 1) + "/" +
                          xlsx::cellRef(targetRow, 1) + "-1)",
                      r.target
                          ? formatDouble(static_cast<double>(r.levelTotals[static_cast<std::size_t>(l)]) /
                                             static_cast<double>(r.target) -
                                         1.0)
                          : "0",
                      Style::Percent);
            ++row;
        }
        s.text(row, 0, "Sum of rep quotas");
        s.formula(row, 1,
                  "SUM(Reps!" + xlsx::cellRef(1, 4) + ":" +
                      xlsx::cellRef(std::max<int>(1, static_cast<int>(r.reps.size())), 4) + ")",
                  formatMoney(r.repTotal), Style::Money);
        s.text(row++, 2, "live: references the territory quotas");
        if (levelSheet[3] >= 0) {
            s.text(row, 0, "Held by managers for vacant seats");
            s.formula(row, 1, "ROUND(" + xlsx::cellRef(row - 2, 1) + "-" + xlsx::cellRef(row - 1, 1) + ",2)",
                      formatMoney(r.heldTotal), Style::Money);
            s.text(row++, 2, "territory quotas - rep quotas");
        }
        if (model && sim && sim->complete) {
            ++row;
            s.text(row++, 0,
                   "Attainment simulation (seed " + std::to_string(sim->seed) + ", " +
                       std::to_string(sim->trials) + " trials)",
                   Style::Bold);
            auto fig = [&](const std::string& k, double v, Style st) {
                s.text(row, 0, k);
                s.number(row++, 1, v, st);
            };
            fig("Reps expected at or above 100% (mean share)", sim->shareAtQuota, Style::Percent);
            fig("Expected bookings", std::floor(sim->expectedTotal + 0.5) / 100.0, Style::Money);
            fig("Bookings P10", static_cast<double>(sim->totalP10) / 100.0, Style::Money);
            fig("Bookings P50", static_cast<double>(sim->totalP50) / 100.0, Style::Money);
            fig("Bookings P90", static_cast<double>(sim->totalP90) / 100.0, Style::Money);
        }
    }
    // Simulation per rep (values).
    if (model && sim && sim->complete && sim->reps.size() == model->reps.size()) {
        sheets.emplace_back("Simulation");
        Sheet& s = sheets.back();
        const char* heads[] = {
            "Rep ID", "Name", "Quota", "Expected bookings",    "Expected attainment", "P10", "P25",
            "P50",    "P75",  "P90",   "Probability at quota", "Model basis"};
        for (int c = 0; c < 12; ++c) s.text(0, c, heads[c], Style::Header);
        s.freezeRows(1);
        s.columnWidth(1, 24);
        s.columnWidth(11, 90);
        for (std::size_t i = 0; i < model->reps.size(); ++i) {
            const SimRep& m = model->reps[i];
            const RepAttainment& a = sim->reps[i];
            const int row = static_cast<int>(i) + 1;
            s.text(row, 0, m.repId);
            s.text(row, 1, m.name);
            s.money(row, 2, m.quota);
            s.number(row, 3, std::floor(a.expectedBookings + 0.5) / 100.0, Style::Money);
            s.number(row, 4, a.mean, Style::Percent);
            s.number(row, 5, a.p10, Style::Percent);
            s.number(row, 6, a.p25, Style::Percent);
            s.number(row, 7, a.p50, Style::Percent);
            s.number(row, 8, a.p75, Style::Percent);
            s.number(row, 9, a.p90, Style::Percent);
            s.number(row, 10, a.probAtQuota, Style::Percent);
            s.text(row, 11, m.basis);
        }
    }
    return xlsx::writeWorkbook(sheets);
}

} // namespace terrane::quota
