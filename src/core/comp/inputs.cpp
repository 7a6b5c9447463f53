// The payout engine's inputs: reps (quota, target incentive, ramp) and deals from a workspace and
// its quota plan, or quotas and splits from the CLI's CSV files.
//
// Index
//  [SECTION] workspace
//  [SECTION] quota and split files
#include "core/comp/payout.hpp"

#include "core/base/format.hpp"
#include "core/base/text.hpp"
#include "core/data/values.hpp"
#include "core/io/csv.hpp"
#include "core/quota/allocate.hpp"
#include "core/scenario/workspace.hpp"

#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace terrane::comp {

// [SECTION] workspace
namespace {

// "60/40" (base/variable) → the variable share in ppm; -1 when not understood.
std::int64_t variableShareOfMix(std::string_view mix) {
    const auto slash = mix.find('/');
    if (slash == std::string_view::npos) return -1;
    double base = 0, variable = 0;
    if (!parseNumberText(mix.substr(0, slash), base) || !parseNumberText(mix.substr(slash + 1), variable)) return -1;
    if (base < 0 || variable < 0 || base + variable <= 0) return -1;
    return static_cast<std::int64_t>(std::llround(variable / (base + variable) * 1e6));
}

Money measureOf(const Table& t, int col, std::size_t row) {
    const Column& c = t.column(static_cast<std::size_t>(col));
    if (c.type() == ColumnType::Money) return t.i64(col, row);
    const double v = t.f64(col, row);
    return std::isnan(v) ? kMoneyNull : moneyFromMajor(v);
}

} // namespace

PayoutInputs inputsFromWorkspace(const Plan& plan, const Workspace& ws, const quota::QuotaResult* quotas) {
    PayoutInputs in;
    const Table& reps = ws.reps();
    const int cId = reps.indexOf("rep_id"), cName = reps.indexOf("name"), cRole = reps.indexOf("role"),
              cRegion = reps.indexOf("region"), cDistrict = reps.indexOf("district"), cStart = reps.indexOf("start_date"),
              cOte = reps.indexOf("ote"), cBase = reps.indexOf("base_salary"), cTi = reps.indexOf("target_incentive"),
              cMix = reps.indexOf("pay_mix"), cRampEnd = reps.indexOf("ramp_end"), cVacant = reps.indexOf("vacant");
    std::unordered_map<std::string_view, Money> quotaOf;
    if (quotas)
        for (const quota::RepQuota& q : quotas->reps)
            if (!q.repId.empty()) quotaOf[q.repId] += q.quota;
    std::size_t fromOte = 0, fromMix = 0, given = 0, missing = 0;
    for (std::size_t r = 0; r < reps.rows(); ++r) {
        if (reps.flag(cVacant, r)) continue;
        RepInput rep;
        rep.repId = std::string(reps.str(cId, r));
        if (rep.repId.empty()) continue;
        rep.name = std::string(reps.str(cName, r));
        rep.role = std::string(reps.str(cRole, r));
        rep.region = std::string(reps.str(cRegion, r));
        rep.district = std::string(reps.str(cDistrict, r));
        const std::int64_t start = reps.i64(cStart, r), rampEnd = reps.i64(cRampEnd, r);
        rep.start = start == kI64Null ? kDateNull : static_cast<Date>(start);
        rep.rampEnd = rampEnd == kI64Null ? kDateNull : static_cast<Date>(rampEnd);
        if (auto it = quotaOf.find(rep.repId); it != quotaOf.end()) {
            rep.quota = it->second;
            rep.hasQuota = rep.quota > 0;
        }
        const Money ote = reps.i64(cOte, r), base = reps.i64(cBase, r), ti = reps.i64(cTi, r);
        rep.ote = ote == kMoneyNull ? 0 : ote;
        if (ti != kMoneyNull) {
            rep.targetIncentive = ti;
            ++given;
        } else if (ote != kMoneyNull && base != kMoneyNull) {
            rep.targetIncentive = ote - base;
            ++fromOte;
        } else if (ote != kMoneyNull) {
            const std::int64_t share = variableShareOfMix(reps.str(cMix, r));
            if (share >= 0) {
                rep.targetIncentive = roundDiv(static_cast<__int128>(ote) * share, kPpm);
                ++fromMix;
            } else {
                ++missing;
            }
        } else {
            ++missing;
        }
        if (rep.ote == 0 && rep.targetIncentive > 0 && base != kMoneyNull) rep.ote = base + rep.targetIncentive;
        in.reps.push_back(std::move(rep));
    }
    if (given) in.notes.push_back("Target incentive from reps.target_incentive for " + fmt::countOf(given, "rep", "reps"));
    if (fromOte) in.notes.push_back("Target incentive = reps.ote − reps.base_salary for " + fmt::countOf(fromOte, "rep", "reps"));
    if (fromMix) in.notes.push_back("Target incentive = reps.ote × variable share of reps.pay_mix for " + fmt::countOf(fromMix, "rep", "reps"));
    if (missing)
        in.notes.push_back(fmt::countOf(missing, "rep has", "reps have") +
                           " no target incentive (no target_incentive, ote with base_salary or pay_mix): commission 0");

    const Table& opp = ws.opportunities();
    const int oId = opp.indexOf("opportunity_id"), oOwner = opp.indexOf("owner"), oProduct = opp.indexOf("product"),
              oAcc = opp.indexOf("account_id"), oWon = opp.indexOf("is_won"), oClosed = opp.indexOf("is_closed"),
              oCancel = opp.indexOf("cancel_date");
    const int oMeasure = opp.indexOf(plan.credit.measure), oDate = opp.indexOf(plan.credit.date);
    if (opp.rows() > 0) {
        if (oMeasure < 0 || !isNumericType(opp.column(static_cast<std::size_t>(oMeasure)).type()))
            throw std::runtime_error("credit.measure: the opportunities have no numeric column \"" + plan.credit.measure + "\"");
        if (oDate < 0 || opp.column(static_cast<std::size_t>(oDate)).type() != ColumnType::Date)
            throw std::runtime_error("credit.date: the opportunities have no date column \"" + plan.credit.date + "\"");
    }
    const Table& acc = ws.accounts();
    const int aSeg = acc.indexOf("segment");
    in.deals.reserve(opp.rows());
    for (std::size_t r = 0; r < opp.rows(); ++r) {
        Deal d;
        d.id = std::string(opp.str(oId, r));
        d.owner = std::string(opp.str(oOwner, r));
        d.product = std::string(opp.str(oProduct, r));
        if (aSeg >= 0 && oAcc >= 0)
            if (auto row = acc.rowOf(opp.str(oAcc, r))) d.segment = std::string(acc.str(aSeg, *row));
        d.measure = measureOf(opp, oMeasure, r);
        const std::int64_t date = opp.i64(oDate, r), cancel = opp.i64(oCancel, r);
        d.date = date == kI64Null ? kDateNull : static_cast<Date>(date);
        d.cancelDate = cancel == kI64Null ? kDateNull : static_cast<Date>(cancel);
        d.won = opp.flag(oWon, r) && (oClosed < 0 || opp.flag(oClosed, r));
        in.deals.push_back(std::move(d));
    }
    return in;
}

// [SECTION] quota and split files
namespace {

struct CsvTable {
    std::vector<std::vector<std::string>> rows;
    std::vector<int> cols;
};

CsvTable readCsv(std::string_view text, const std::string& file, std::initializer_list<const char*> required) {
    CsvTable t;
    t.rows = parseCsv(text, detectDelimiter(text));
    if (t.rows.empty()) throw std::runtime_error(file + ": empty file (expected a header with " + *required.begin() + ", ...)");
    for (const char* name : required) {
        int found = -1;
        for (std::size_t c = 0; c < t.rows[0].size(); ++c)
            if (toLower(trim(t.rows[0][c])) == name) found = static_cast<int>(c);
        if (found < 0) throw std::runtime_error(file + ": missing column \"" + name + "\" in the header");
        t.cols.push_back(found);
    }
    return t;
}

const std::string& cell(const CsvTable& t, std::size_t row, std::size_t k) {
    static const std::string empty;
    const auto c = static_cast<std::size_t>(t.cols[k]);
    return c < t.rows[row].size() ? t.rows[row][c] : empty;
}

[[noreturn]] void bad(const std::string& file, std::size_t row, const char* col, const std::string& value,
                      const char* expected) {
    throw std::runtime_error(file + ": row " + std::to_string(row + 1) + ", column " + col + ": expected " + expected +
                             ", not \"" + value + "\"");
}

} // namespace

void applyQuotaCsv(PayoutInputs& in, std::string_view text, const std::string& file) {
    const CsvTable t = readCsv(text, file, {"rep_id", "quota", "target_incentive"});
    std::vector<RepInput> reps = in.reps;
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t r = 0; r < reps.size(); ++r) index.emplace(reps[r].repId, r);
    for (std::size_t row = 1; row < t.rows.size(); ++row) {
        if (t.rows[row].size() == 1 && trim(t.rows[row][0]).empty()) continue;
        const std::string id{trim(cell(t, row, 0))};
        if (id.empty()) bad(file, row, "rep_id", id, "a rep id");
        Money quota = 0, ti = 0;
        if (!parseMoneyText(cell(t, row, 1), quota) || quota < 0) bad(file, row, "quota", cell(t, row, 1), "an amount ≥ 0");
        if (!parseMoneyText(cell(t, row, 2), ti) || ti < 0)
            bad(file, row, "target_incentive", cell(t, row, 2), "an amount ≥ 0");
        auto it = index.find(id);
        if (it == index.end()) {
            RepInput rep;
            rep.repId = id;
            it = index.emplace(id, reps.size()).first;
            reps.push_back(std::move(rep));
        }
        RepInput& rep = reps[it->second];
        rep.quota = quota;
        rep.targetIncentive = ti;
        rep.hasQuota = quota > 0;
    }
    in.reps = std::move(reps);
    in.notes.push_back("Quotas and target incentives from " + file);
}

void applySplitsCsv(PayoutInputs& in, std::string_view text, const std::string& file) {
    const CsvTable t = readCsv(text, file, {"opportunity_id", "rep_id", "percent"});
    std::vector<Split> splits;
    for (std::size_t row = 1; row < t.rows.size(); ++row) {
        if (t.rows[row].size() == 1 && trim(t.rows[row][0]).empty()) continue;
        Split s;
        s.dealId = std::string(trim(cell(t, row, 0)));
        s.repId = std::string(trim(cell(t, row, 1)));
        if (s.dealId.empty()) bad(file, row, "opportunity_id", s.dealId, "an opportunity id");
        if (s.repId.empty()) bad(file, row, "rep_id", s.repId, "a rep id");
        const std::string& p = cell(t, row, 2);
        double v = 0;
        if (!parseNumberText(p, v) || v < 0 || v > 100) bad(file, row, "percent", p, "a share such as 40, 40% or 0.4");
        // "40" means 40%; "0.4" and "40%" (parsed as 0.4) mean 40%.
        const bool percentSign = p.find('%') != std::string::npos;
        if (!percentSign && v > 1) v /= 100.0;
        s.sharePpm = static_cast<std::int64_t>(std::llround(v * 1e6));
        splits.push_back(std::move(s));
    }
    in.splits.insert(in.splits.end(), splits.begin(), splits.end());
    in.notes.push_back("Split credit from " + file);
}

} // namespace terrane::comp
