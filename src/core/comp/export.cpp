// Payout exports (see export.hpp).
//
// Index
//  [SECTION] JSON
//  [SECTION] CSV
//  [SECTION] XLSX statements
#include "core/comp/export.hpp"

#include "core/base/format.hpp"
#include "core/io/csv.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>

namespace terrane::comp {

// [SECTION] JSON
Json payoutsJson(const Plan& plan, const PayoutInputs& in, const PlanPayouts& out, bool withDeals) {
    Json j;
    j["plan"] = plan.name;
    j["currency"] = plan.currency;
    j["periods"] = out.periodLabels;
    Json reps = Json::array();
    for (const RepPayout& r : out.reps) {
        Json x;
        x["rep_id"] = r.repId;
        x["name"] = r.name;
        x["quota"] = moneyToMajor(r.quota);
        x["target_incentive"] = moneyToMajor(r.targetIncentive);
        x["credited"] = moneyToMajor(r.credited);
        x["attainment"] = r.attainment;
        x["payout"] = moneyToMajor(r.payout);
        Json pp = Json::array();
        for (Money m : r.periodPayout) pp.push_back(moneyToMajor(m));
        x["period_payouts"] = pp;
        if (!r.note.empty()) x["note"] = r.note;
        Json lines = Json::array();
        for (const PayoutLine& l : r.lines) {
            Json y;
            y["component"] = componentName(l.component);
            y["label"] = l.label;
            y["period"] = l.period;
            y["amount"] = moneyToMajor(l.amount);
            y["explain"] = l.explain;
            if (withDeals) {
                Json d = Json::array();
                for (std::uint32_t k : l.deals) d.push_back(in.deals[k].id);
                y["deals"] = d;
            }
            lines.push_back(y);
        }
        x["lines"] = lines;
        reps.push_back(x);
    }
    j["reps"] = reps;
    j["total_payout"] = moneyToMajor(out.totalPayout);
    j["total_credited"] = moneyToMajor(out.totalCredited);
    j["cost_of_sales"] = out.costOfSales;
    j["reps_at_target"] = out.repsAtTarget;
    j["deals_credited"] = out.dealsCredited;
    j["notes"] = out.notes;
    return j;
}

Json checksJson(const std::vector<PlanCheck>& checks) {
    Json a = Json::array();
    for (const PlanCheck& c : checks)
        a.push_back({{"severity", checkSeverityName(c.severity)}, {"code", c.code}, {"field", c.field}, {"message", c.message}});
    return a;
}

// [SECTION] CSV
namespace {
constexpr std::array<Component, 9> kComponents{Component::Commission, Component::Cap,   Component::Spiff,
                                               Component::Bonus,      Component::Mbo,   Component::Clawback,
                                               Component::Ramp,       Component::Draw,  Component::PriorPaid};
}

std::string payoutsCsv(const PlanPayouts& out) {
    std::string s;
    const auto field = [&](std::string_view v, bool last = false) {
        appendCsvField(s, v);
        s += last ? '\n' : ',';
    };
    for (const char* h : {"rep_id", "name", "quota", "target_incentive", "credited", "attainment", "payout"}) field(h);
    for (std::size_t i = 0; i < kComponents.size(); ++i) field(componentName(kComponents[i]), i + 1 == kComponents.size());
    for (const RepPayout& r : out.reps) {
        field(r.repId);
        field(r.name);
        field(formatMoney(r.quota));
        field(formatMoney(r.targetIncentive));
        field(formatMoney(r.credited));
        field(fmt::fixed(r.attainment, 6));
        field(formatMoney(r.payout));
        std::array<Money, kComponents.size()> by{};
        for (const PayoutLine& l : r.lines) by[static_cast<std::size_t>(l.component)] += l.amount;
        for (std::size_t i = 0; i < kComponents.size(); ++i)
            field(formatMoney(by[static_cast<std::size_t>(kComponents[i])]), i + 1 == kComponents.size());
    }
    return s;
}

// [SECTION] XLSX statements
namespace {
std::string num(double v) {
    // Shortest text that reads back as v (cached values compared by an independent reader).
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    double back = std::strtod(buf, nullptr);
    if (back != v) std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}
} // namespace

xlsx::Sheet statementSheet(const Plan& plan, const PayoutInputs& in, const PlanPayouts& out, std::size_t k,
                           std::string sheetName) {
    using xlsx::Style;
    const RepPayout& r = out.reps[k];
    xlsx::Sheet s(std::move(sheetName));
    s.text(0, 0, "Payout statement: " + plan.name, Style::Bold);
    s.text(1, 0, "Rep");
    s.text(1, 1, r.name.empty() ? r.repId : r.name + " (" + r.repId + ")");
    s.text(2, 0, "Period");
    s.text(2, 1, fmt::date(plan.start) + " – " + fmt::date(plan.end));
    s.text(3, 0, "Quota");
    s.money(3, 1, r.quota);
    s.text(4, 0, "Target incentive");
    s.money(4, 1, r.targetIncentive);
    s.text(5, 0, "Base rate (target incentive ÷ quota)");
    const double rate = r.quota > 0 ? static_cast<double>(r.targetIncentive) / static_cast<double>(r.quota) : 0.0;
    s.formula(5, 1, "IF(B4=0,0,B5/B4)", num(rate), Style::Percent);
    s.text(6, 0, "Credited");
    s.money(6, 1, r.credited);
    s.text(7, 0, "Attainment");
    s.formula(7, 1, "IF(B4=0,0,B7/B4)", num(r.attainment), Style::Percent);
    const int head = 9;
    const char* headers[] = {"Statement", "Component", "Line", "Credit", "Rate", "Multiplier", "Amount", "Explanation", "Deals"};
    for (int c = 0; c < 9; ++c) s.text(head, c, headers[c], Style::Header);
    int row = head + 1;
    for (const PayoutLine& l : r.lines) {
        s.text(row, 0, out.periodLabels.empty() ? "" : out.periodLabels[static_cast<std::size_t>(l.period)]);
        s.text(row, 1, componentName(l.component));
        s.text(row, 2, l.label);
        const std::string R = std::to_string(row + 1);
        if (l.rateLine) {
            s.number(row, 3, l.credit, Style::Money);
            if (l.baseRate) s.formula(row, 4, "$B$6", num(rate), Style::Percent);
            else s.number(row, 4, l.rate, Style::Percent);
            s.number(row, 5, l.multiplier);
            s.formula(row, 6, "ROUND(D" + R + "*E" + R + "*F" + R + ",2)", formatMoney(l.amount), Style::Money);
        } else {
            s.money(row, 6, l.amount);
        }
        s.text(row, 7, l.explain);
        std::string deals;
        for (std::size_t i = 0; i < l.deals.size() && i < 50; ++i) deals += (i ? ", " : "") + in.deals[l.deals[i]].id;
        if (l.deals.size() > 50) deals += ", … (" + fmt::count(l.deals.size()) + " deals)";
        s.text(row, 8, deals);
        ++row;
    }
    s.text(row, 2, "Total payout", Style::Bold);
    std::string sum = "SUM(G";
    sum += std::to_string(head + 2);
    sum += ":G";
    sum += std::to_string(std::max(row, head + 1));
    sum += ")";
    s.formula(row, 6, sum, formatMoney(r.payout), Style::MoneyBold);
    s.columnWidth(0, 16);
    s.columnWidth(1, 12);
    s.columnWidth(2, 30);
    s.columnWidth(3, 14);
    s.columnWidth(6, 14);
    s.columnWidth(7, 70);
    s.freezeRows(head + 1);
    return s;
}

std::string statementsWorkbook(const Plan& plan, const PayoutInputs& in, const PlanPayouts& out,
                               const std::vector<std::size_t>& reps) {
    using xlsx::Style;
    std::vector<xlsx::Sheet> sheets;
    xlsx::Sheet summary("Summary");
    for (int c = 0; c < 5; ++c) summary.text(0, c, std::array{"Rep", "Name", "Credited", "Payout", "Statement"}[c], Style::Header);
    sheets.push_back(std::move(summary));
    int row = 1;
    for (std::size_t k : reps) {
        const RepPayout& r = out.reps[k];
        // Sheet names: at most 31 characters, no []:*?/\ and unique.
        std::string name;
        for (char c : r.repId) name += std::string_view("[]:*?/\\'").find(c) == std::string_view::npos ? c : '_';
        if (name.size() > 24) name.resize(24);
        name = std::to_string(row) + " " + name;
        xlsx::Sheet st = statementSheet(plan, in, out, k, name);
        const int totalRow = 10 + static_cast<int>(r.lines.size());
        xlsx::Sheet& sum = sheets[0];
        sum.text(row, 0, r.repId);
        sum.text(row, 1, r.name);
        sum.money(row, 2, r.credited);
        sum.formula(row, 3, "'" + name + "'!G" + std::to_string(totalRow + 1), formatMoney(r.payout), Style::Money);
        sum.text(row, 4, name);
        sheets.push_back(std::move(st));
        ++row;
    }
    sheets[0].text(row, 1, "Total", Style::Bold);
    sheets[0].formula(row, 3, "SUM(D2:D" + std::to_string(std::max(row, 2)) + ")", formatMoney([&] {
                          Money t = 0;
                          for (std::size_t k : reps) t += out.reps[k].payout;
                          return t;
                      }()),
                      Style::MoneyBold);
    sheets[0].columnWidth(1, 24);
    sheets[0].columnWidth(2, 14);
    sheets[0].columnWidth(3, 14);
    return xlsx::writeWorkbook(sheets);
}

} // namespace terrane::comp
