// The plan editor: period, statements and credit rules (owner or splits, overlay roles), the
// commission (tiers as an editable table with method, gate, cap and base rate, or flat rates per
// product / segment), SPIFFs, bonuses, MBOs per rep, clawback, draw and ramp; beside it the
// payout curve drawn live from the draft, marked at target and cap, and the plan checks. Widgets
// change the draft; a finished edit becomes one command (undo, audit).
//
// Index
//  [SECTION] fields
//  [SECTION] plan
//  [SECTION] curve
//  [SECTION] checks
//  [SECTION] editor
#include "app/app.hpp"
#include "app/charts.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace terrane {
using namespace comp;

namespace {
// [SECTION] fields
// What the editor's widgets did this frame: one is being edited, an edit finished.
struct Edits {
    bool active = false, commit = false;
    void item() {
        active |= ImGui::IsItemActive();
        commit |= ImGui::IsItemDeactivatedAfterEdit();
    }
};

void label(const char* text) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(text);
    ImGui::SameLine();
}

void tip(const char* text) {
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_DelayShort)) ImGui::SetTooltip("%s", text);
}

// A parts-per-million value shown as `scale` units (percent: 10000, multiplier: 1e6).
void ppmField(App& app, const char* id, std::int64_t& ppm, double scale, const char* format, float width, Edits& e,
              const std::string& target = {}) {
    double v = static_cast<double>(ppm) / scale;
    ImGui::SetNextItemWidth(px(app, width));
    if (ImGui::InputDouble(id, &v, 0, 0, format, ImGuiInputTextFlags_AutoSelectAll) && std::isfinite(v))
        ppm = std::clamp<std::int64_t>(std::llround(v * scale), 0, 1000LL * kPpm);
    if (!target.empty()) markTarget(app, target);
    e.item();
}

void moneyField(App& app, const char* id, Money& m, float width, Edits& e) {
    double v = moneyToMajor(m);
    ImGui::SetNextItemWidth(px(app, width));
    if (ImGui::InputDouble(id, &v, 0, 0, "%.2f", ImGuiInputTextFlags_AutoSelectAll) && std::isfinite(v))
        m = std::clamp<Money>(moneyFromMajor(v), 0, kMaxCompMoney);
    e.item();
}

void textField(App& app, const char* id, std::string& s, float width, Edits& e, const char* hint = "") {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s", s.c_str());
    ImGui::SetNextItemWidth(px(app, width));
    if (ImGui::InputTextWithHint(id, hint, buf, sizeof buf)) s = buf;
    e.item();
}

// A date typed as YYYY-MM-DD: the draft changes once the text is a real date.
void dateField(App& app, const char* id, Date& d, Edits& e, bool optional = false) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%s", formatDate(d).c_str());
    ImGui::SetNextItemWidth(px(app, 92));
    if (ImGui::InputTextWithHint(id, optional ? "plan period" : "YYYY-MM-DD", buf, sizeof buf)) {
        Date nd = kDateNull;
        if (parseIsoDate(buf, nd)) d = nd;
        else if (optional && !buf[0]) d = kDateNull;
    }
    e.item();
}

void intField(App& app, const char* id, int& v, int lo, int hi, float width, Edits& e) {
    ImGui::SetNextItemWidth(px(app, width));
    ImGui::InputInt(id, &v, 0, 0, ImGuiInputTextFlags_AutoSelectAll);
    v = std::clamp(v, lo, hi);
    e.item();
}

template <class T> bool removeButton(std::vector<T>& v, std::size_t i, Edits& e) {
    if (!ImGui::SmallButton("x")) return false;
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
    e.commit = true;
    return true;
}

// [SECTION] plan
void drawPeriod(App& app, Plan& p, Edits& e) {
    label("Name");
    textField(app, "##name", p.name, 180, e);
    ImGui::SameLine();
    label("Currency");
    textField(app, "##cur", p.currency, 46, e);
    ImGui::SameLine();
    label("Period");
    dateField(app, "##start", p.start, e);
    ImGui::SameLine();
    label("to");
    dateField(app, "##end", p.end, e);
    label("Statements");
    static const char* kFreq[] = {"annual", "quarterly (year-to-date true-up)", "monthly (year-to-date true-up)"};
    int f = static_cast<int>(p.frequency);
    ImGui::SetNextItemWidth(px(app, 230));
    if (ImGui::Combo("##freq", &f, kFreq, 3)) p.frequency = static_cast<PayoutFrequency>(f), e.commit = true;
    ImGui::SameLine();
    label("Credit");
    textField(app, "##measure", p.credit.measure, 80, e, "amount");
    tip("The opportunities column that is credited: amount, arr or any numeric column");
    ImGui::SameLine();
    label("by");
    textField(app, "##date", p.credit.date, 90, e, "close_date");
    tip("The date column that places a deal in a period");
    ImGui::SameLine();
    if (ImGui::Checkbox("won only", &p.credit.wonOnly)) e.commit = true;
    label("Credit to");
    static const char* kTo[] = {"the owner", "splits (owner gets the rest)"};
    int to = static_cast<int>(p.credit.to);
    ImGui::SetNextItemWidth(px(app, 200));
    if (ImGui::Combo("##to", &to, kTo, 2)) p.credit.to = static_cast<CreditTo>(to), e.commit = true;
    markTarget(app, "comp.credit.to");
    tip("Splits: the splits dataset (opportunity_id, rep_id, percent) credits each listed rep its share");
    ImGui::SameLine();
    label("Overlay roles");
    std::string roles;
    for (std::size_t i = 0; i < p.credit.overlayRoles.size(); ++i) roles += (i ? ", " : "") + p.credit.overlayRoles[i];
    const std::string before = roles;
    textField(app, "##overlay", roles, 150, e, "none (e.g. SE, CSM)");
    markTarget(app, "comp.credit.overlay");
    tip("Reps whose reps.role is listed get full overlay credit for won deals of owners in the same region or district");
    if (roles != before) {
        p.credit.overlayRoles.clear();
        std::size_t at = 0;
        while (at <= roles.size()) {
            std::size_t comma = roles.find(',', at);
            if (comma == std::string::npos) comma = roles.size();
            std::string r = roles.substr(at, comma - at);
            r.erase(0, r.find_first_not_of(' '));
            r.erase(r.find_last_not_of(' ') + 1);
            if (!r.empty()) p.credit.overlayRoles.push_back(r);
            at = comma + 1;
        }
    }
    ImGui::SameLine();
    label("by");
    static const char* kLevel[] = {"region", "district"};
    int level = p.credit.overlayLevel == "district" ? 1 : 0;
    ImGui::SetNextItemWidth(px(app, 90));
    if (ImGui::Combo("##level", &level, kLevel, 2)) p.credit.overlayLevel = kLevel[level], e.commit = true;
}

void drawFlatRates(App& app, Commission& k, Edits& e) {
    ImGui::SameLine(0, px(app, 18));
    label("Cap");
    ppmField(app, "##fcap", k.capOfTargetIncentivePpm, 1e6, "%.2fx", 60, e);
    tip("Commission is capped at this multiple of target incentive (0: no cap)");
    if (!k.flatRates.empty() &&
        ImGui::BeginTable("flat", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("Product", 0, 1.4f);
        ImGui::TableSetupColumn("Segment", 0, 1.0f);
        ImGui::TableSetupColumn("Rate of the measure", 0, 1.0f);
        ImGui::TableSetupColumn("", 0, 0.25f);
        tableHeaders();
        for (std::size_t i = 0; i < k.flatRates.size(); ++i) {
            FlatRate& f = k.flatRates[i];
            ImGui::PushID(static_cast<int>(i));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            textField(app, "##p", f.product, -1, e, "any product");
            ImGui::TableNextColumn();
            textField(app, "##s", f.segment, -1, e, "any segment");
            ImGui::TableNextColumn();
            ppmField(app, "##r", f.ratePpm, 10000.0, "%.2f%%", -1, e, "comp.flat." + std::to_string(i) + ".rate");
            ImGui::TableNextColumn();
            const bool removed = k.flatRates.size() > 1 && removeButton(k.flatRates, i, e);
            ImGui::PopID();
            if (removed) break;
        }
        ImGui::EndTable();
    }
    if (ImGui::SmallButton("Add flat rate")) {
        k.flatRates.push_back(FlatRate{"", "", 100000});
        e.commit = true;
    }
    markTarget(app, "comp.flat.add");
    ImGui::SameLine();
    ImGui::TextDisabled("The first matching row applies; deals matching none earn no commission.");
}

void drawCommission(App& app, Plan& p, const CompUi& c, Edits& e) {
    Commission& k = p.commission;
    ImGui::SeparatorText("Commission");
    if (ImGui::Checkbox("Pay commission", &k.enabled)) e.commit = true;
    markTarget(app, "comp.commission.enabled");
    ImGui::SameLine();
    label("  on");
    int basis = static_cast<int>(k.basis);
    if (ImGui::RadioButton("attainment tiers", &basis, 0)) e.commit = true;
    markTarget(app, "comp.basis.0");
    tip("Tiers of attainment on the base rate (target incentive / quota)");
    ImGui::SameLine();
    if (ImGui::RadioButton("flat rates per product / segment", &basis, 1)) e.commit = true;
    markTarget(app, "comp.basis.1");
    tip("A share of each credited deal's measure by product and segment (the first matching rate applies)");
    k.basis = static_cast<CommissionBasis>(basis);
    // A flat basis needs a rate (the file format says so): switching adds one for any deal.
    if (k.basis == CommissionBasis::Flat && k.flatRates.empty()) k.flatRates.push_back(FlatRate{"", "", 100000});
    if (k.basis == CommissionBasis::Flat) {
        drawFlatRates(app, k, e);
        return;
    }
    label("Method");
    int m = static_cast<int>(k.method);
    if (ImGui::RadioButton("marginal", &m, 0)) e.commit = true;
    tip("Each band of attainment pays at its own multiplier");
    ImGui::SameLine();
    if (ImGui::RadioButton("retroactive", &m, 1)) e.commit = true;
    tip("All credit pays at the multiplier of the band reached");
    k.method = static_cast<TierMethod>(m);
    ImGui::SameLine(0, px(app, 18));
    label("Gate");
    ppmField(app, "##gate", k.gatePpm, 10000.0, "%.0f%%", 56, e, "comp.gate");
    tip("No commission below this attainment (0%: no gate)");
    ImGui::SameLine();
    label("Cap");
    ppmField(app, "##cap", k.capOfTargetIncentivePpm, 1e6, "%.2fx", 60, e, "comp.cap");
    tip("Commission is capped at this multiple of target incentive (0: no cap)");
    ImGui::SameLine();
    label("Base rate");
    ppmField(app, "##scale", k.rateScalePpm, 1e6, "%.3fx", 66, e);
    tip("Scales the base rate (target incentive / quota); 1 pays exactly the target incentive at 100%");

    // The typical rep's base rate, for the rate column.
    Money quota = 0, ti = 0;
    if (c.inputs) {
        std::vector<Money> qs, ts;
        for (const RepInput& r : c.inputs->reps)
            if (r.quota > 0) qs.push_back(r.quota), ts.push_back(r.targetIncentive);
        if (!qs.empty()) {
            std::nth_element(qs.begin(), qs.begin() + static_cast<std::ptrdiff_t>(qs.size() / 2), qs.end());
            std::nth_element(ts.begin(), ts.begin() + static_cast<std::ptrdiff_t>(ts.size() / 2), ts.end());
            quota = qs[qs.size() / 2], ti = ts[ts.size() / 2];
        }
    }
    const double base = quota > 0 ? static_cast<double>(ti) / static_cast<double>(quota) * static_cast<double>(k.rateScalePpm) / 1e6 : 0;
    if (ImGui::BeginTable("tiers", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("Tier", 0, 0.4f);
        ImGui::TableSetupColumn("From attainment", 0, 1.0f);
        ImGui::TableSetupColumn("Multiplier", 0, 1.0f);
        ImGui::TableSetupColumn("Rate (median rep)", 0, 1.2f);
        ImGui::TableSetupColumn("", 0, 0.3f);
        tableHeaders();
        for (std::size_t i = 0; i < k.tiers.size(); ++i) {
            Tier& t = k.tiers[i];
            ImGui::PushID(static_cast<int>(i));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%zu", i + 1);
            ImGui::TableNextColumn();
            ppmField(app, "##from", t.fromPpm, 10000.0, "%.1f%%", 80, e, "comp.tier." + std::to_string(i) + ".from");
            ImGui::SameLine();
            ImGui::TextDisabled("%s", i + 1 < k.tiers.size() ? ("to " + formatPpmPercent(k.tiers[i + 1].fromPpm)).c_str() : "and above");
            ImGui::TableNextColumn();
            ppmField(app, "##mult", t.multiplierPpm, 1e6, "%.3fx", 80, e, "comp.tier." + std::to_string(i) + ".multiplier");
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            if (base > 0) ImGui::Text("%s of credit", fmt::percent(base * static_cast<double>(t.multiplierPpm) / 1e6, 2).c_str());
            else ImGui::TextDisabled("needs quotas");
            ImGui::TableNextColumn();
            if (k.tiers.size() > 1 && i > 0 && removeButton(k.tiers, i, e)) {
                ImGui::PopID();
                break;
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (ImGui::SmallButton("Add tier")) {
        const Tier last = k.tiers.back();
        k.tiers.push_back(Tier{last.fromPpm + 500000, last.multiplierPpm + 500000});
        e.commit = true;
    }
    markTarget(app, "comp.tier.add");
    ImGui::SameLine();
    ImGui::TextDisabled("A tier's multiplier applies to the base rate from its attainment up to the next tier's.");
}

void drawSpiffs(App& app, Plan& p, Edits& e) {
    ImGui::SeparatorText("SPIFFs");
    if (!p.spiffs.empty() &&
        ImGui::BeginTable("spiffs", 9, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
        static const char* kCols[] = {"Name", "Product", "Segment", "From", "To", "Per deal", "% of deal", "Min deal", ""};
        static const float kWeights[] = {1.4f, 1.1f, 0.8f, 1.0f, 1.0f, 0.8f, 0.7f, 0.8f, 0.3f};
        for (int i = 0; i < 9; ++i) ImGui::TableSetupColumn(kCols[i], 0, kWeights[i]);
        tableHeaders();
        for (std::size_t i = 0; i < p.spiffs.size(); ++i) {
            Spiff& s = p.spiffs[i];
            ImGui::PushID(static_cast<int>(i));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            textField(app, "##n", s.name, -1, e);
            ImGui::TableNextColumn();
            textField(app, "##p", s.product, -1, e, "any");
            ImGui::TableNextColumn();
            textField(app, "##s", s.segment, -1, e, "any");
            ImGui::TableNextColumn();
            dateField(app, "##f", s.from, e, true);
            ImGui::TableNextColumn();
            dateField(app, "##t", s.to, e, true);
            ImGui::TableNextColumn();
            moneyField(app, "##d", s.perDeal, -1, e);
            ImGui::TableNextColumn();
            ppmField(app, "##pc", s.percentPpm, 10000.0, "%.2f%%", -1, e);
            ImGui::TableNextColumn();
            moneyField(app, "##min", s.minAmount, -1, e);
            markTarget(app, "comp.spiff." + std::to_string(i) + ".min");
            ImGui::TableNextColumn();
            const bool removed = removeButton(p.spiffs, i, e);
            ImGui::PopID();
            if (removed) break;
        }
        ImGui::EndTable();
    }
    if (ImGui::SmallButton("Add SPIFF")) {
        Spiff s;
        s.name = "SPIFF " + std::to_string(p.spiffs.size() + 1);
        s.perDeal = 25000;
        p.spiffs.push_back(s);
        e.commit = true;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("Paid per qualifying won deal in the window (empty dates: the plan period).");
}

void drawBonuses(App& app, Plan& p, Edits& e) {
    ImGui::SeparatorText("Bonuses");
    for (std::size_t i = 0; i < p.bonuses.size(); ++i) {
        Bonus& b = p.bonuses[i];
        ImGui::PushID(static_cast<int>(i));
        textField(app, "##n", b.name, 150, e);
        ImGui::SameLine();
        label("at attainment >=");
        ppmField(app, "##a", b.attainmentPpm, 10000.0, "%.0f%%", 60, e);
        ImGui::SameLine();
        int per = static_cast<int>(b.period);
        ImGui::SetNextItemWidth(px(app, 110));
        static const char* kPer[] = {"for the year", "per quarter"};
        if (ImGui::Combo("##per", &per, kPer, 2)) b.period = static_cast<BonusPeriod>(per), e.commit = true;
        ImGui::SameLine();
        label("pays");
        moneyField(app, "##m", b.amount, 100, e);
        ImGui::SameLine();
        const bool removed = removeButton(p.bonuses, i, e);
        ImGui::PopID();
        if (removed) break;
    }
    if (ImGui::SmallButton("Add bonus")) {
        p.bonuses.push_back(Bonus{"Quota club", kPpm, BonusPeriod::Year, 500000});
        e.commit = true;
    }
}

// MBOs: an objective per rep (picked from the scenario's reps), paid in the last statement.
void drawMbos(App& app, Plan& p, const CompUi& c, Edits& e) {
    ImGui::SeparatorText("MBOs (objectives per rep)");
    for (std::size_t i = 0; i < p.mbos.size(); ++i) {
        Mbo& m = p.mbos[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::SetNextItemWidth(px(app, 170));
        std::string shown = m.repId.empty() ? std::string("(pick a rep)") : m.repId;
        if (c.inputs)
            for (const RepInput& r : c.inputs->reps)
                if (r.repId == m.repId && !r.name.empty()) shown = r.name + " (" + r.repId + ")";
        if (ImGui::BeginCombo("##rep", shown.c_str(), ImGuiComboFlags_HeightLarge)) {
            if (c.inputs)
                for (const RepInput& r : c.inputs->reps) {
                    if (r.repId.empty()) continue;
                    const std::string item = r.name.empty() ? r.repId : r.name + " (" + r.repId + ")";
                    if (ImGui::Selectable(item.c_str(), r.repId == m.repId)) m.repId = r.repId, e.commit = true;
                }
            ImGui::EndCombo();
        }
        markTarget(app, "comp.mbo." + std::to_string(i) + ".rep");
        ImGui::SameLine();
        textField(app, "##n", m.name, 170, e, "objective");
        ImGui::SameLine();
        label("pays");
        moneyField(app, "##m", m.amount, 100, e);
        markTarget(app, "comp.mbo." + std::to_string(i) + ".amount");
        ImGui::SameLine();
        const bool removed = removeButton(p.mbos, i, e);
        ImGui::PopID();
        if (removed) break;
    }
    ImGui::BeginDisabled(!c.inputs || c.inputs->reps.empty());
    if (ImGui::SmallButton("Add MBO") && c.inputs) {
        // The first rep without an MBO yet.
        std::string rep;
        for (const RepInput& r : c.inputs->reps) {
            if (r.repId.empty()) continue;
            bool has = false;
            for (const Mbo& m : p.mbos) has |= m.repId == r.repId;
            if (!has) {
                rep = r.repId;
                break;
            }
        }
        if (rep.empty()) rep = c.inputs->reps.front().repId;
        p.mbos.push_back(Mbo{rep, "Objective " + std::to_string(p.mbos.size() + 1), 200000});
        e.commit = true;
    }
    markTarget(app, "comp.mbo.add");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextDisabled("Objectives met, paid in the last statement (the cost simulation counts them as earned).");
}

void drawOther(App& app, Plan& p, Edits& e) {
    ImGui::SeparatorText("Clawback, draw and ramp");
    if (ImGui::Checkbox("Claw back deals cancelled within", &p.clawback.enabled)) {
        if (!p.clawback.enabled) p.clawback.windowDays = Clawback{}.windowDays; // a plan without clawback keeps no window
        e.commit = true;
    }
    markTarget(app, "comp.clawback");
    ImGui::SameLine();
    ImGui::BeginDisabled(!p.clawback.enabled);
    intField(app, "##cw", p.clawback.windowDays, 1, 3650, 50, e);
    markTarget(app, "comp.clawback.days");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextDisabled("days (needs a cancel_date column)");
    label("Draw per statement");
    moneyField(app, "##draw", p.draw.perPeriod, 100, e);
    markTarget(app, "comp.draw");
    ImGui::SameLine();
    if (ImGui::Checkbox("recoverable", &p.draw.recoverable)) e.commit = true;
    label("New-hire ramp");
    static const char* kRamp[] = {"none", "quota relief", "guaranteed payout"};
    int r = static_cast<int>(p.ramp.kind);
    ImGui::SetNextItemWidth(px(app, 140));
    if (ImGui::Combo("##ramp", &r, kRamp, 3)) p.ramp.kind = static_cast<RampKind>(r), e.commit = true;
    markTarget(app, "comp.ramp");
    if (p.ramp.kind != RampKind::None) {
        ImGui::SameLine();
        label("for");
        intField(app, "##rm", p.ramp.months, 1, 24, 40, e);
        ImGui::SameLine();
        if (p.ramp.kind == RampKind::QuotaRelief) {
            label("months, quota reduced by");
            ppmField(app, "##rel", p.ramp.reliefPpm, 10000.0, "%.0f%%", 56, e);
        } else {
            label("months, guaranteed per month");
            moneyField(app, "##g", p.ramp.guaranteePerMonth, 100, e);
        }
    }
}

// [SECTION] curve
void drawCurve(App& app, const CompUi& c, float height) {
    const Theme th = app.ui().theme;
    Money quota = 100000000, ti = 10000000; // a rep with a $1M quota and $100K incentive when there are no quotas
    bool typical = false;
    if (c.inputs) {
        std::vector<Money> qs, ts;
        for (const RepInput& r : c.inputs->reps)
            if (r.quota > 0 && r.targetIncentive > 0) qs.push_back(r.quota), ts.push_back(r.targetIncentive);
        if (!qs.empty()) {
            std::sort(qs.begin(), qs.end());
            std::sort(ts.begin(), ts.end());
            quota = qs[qs.size() / 2], ti = ts[ts.size() / 2], typical = true;
        }
    }
    const Commission& k = c.draft.commission;
    if (k.enabled && k.basis == CommissionBasis::Flat) {
        // Flat rates pay a share of each deal by its product and segment: no attainment curve.
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled("Flat rates: each credited deal pays its product / segment rate of the measure, whatever the attainment, so "
                            "there is no attainment curve; bonuses and MBOs come on top. The payouts tab shows each rep's lines.");
        ImGui::PopTextWrapPos();
        markTarget(app, "comp.curve");
        return;
    }
    double maxAtt = 2.0;
    for (const Tier& t : k.tiers) maxAtt = std::max(maxAtt, static_cast<double>(t.fromPpm) / 1e6 + 0.5);
    const PayoutCurve curve = payoutCurve(c.draft, quota, ti, std::min(maxAtt, 5.0), 121);
    std::vector<double> xs, ys;
    double top = 1.0;
    for (const CurvePoint& pt : curve.points) {
        xs.push_back(pt.attainment * 100.0);
        ys.push_back(static_cast<double>(pt.payout) / static_cast<double>(std::max<Money>(1, ti)));
        top = std::max(top, ys.back());
    }
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("Payout curve: payout as a share of target incentive, by attainment (%s)",
                        typical ? ("median rep: quota " + fmt::money(quota) + ", target incentive " + fmt::money(ti)).c_str()
                                : "a rep with quota $1,000,000 and target incentive $100,000");
    ImGui::PopTextWrapPos();
    charts::Plot p = charts::beginPlot("##curve", ImVec2(0, height), 0, xs.empty() ? 200 : xs.back(), 0, charts::niceCeil(top * 1.05),
                                       [](double v) { return fmt::percent(v, 0); }, app.ui().pixelRatio, 50.0f, 22.0f);
    markTarget(app, "comp.curve");
    for (double t : charts::niceTicks(p.x0, p.x1, 8))
        if (p.x(t) + px(app, 16) < p.max.x) charts::xLabel(p, t, fmt::percent(t / 100.0, 0), charts::textColor());
    charts::hline(p, 1.0, charts::withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 0.5f), "target incentive", 1.0f);
    charts::vline(p, 100.0, ImGui::GetColorU32(ImGuiCol_Text), "target 100%", 1.0f);
    if (curve.capAttainment >= 0) charts::vline(p, curve.capAttainment * 100.0, charts::amberColor(th == Theme::Dark),
                                                ("cap " + fmt::percent(curve.capAttainment, 0)).c_str(), 1.0f);
    charts::polyline(p, xs, ys, curve.falls ? badColor(th) : accentColor(th), 2.5f);
    // The point at target: payout at exactly 100%.
    const float tx = p.x(100.0), ty = p.y(static_cast<double>(curve.atTarget) / static_cast<double>(std::max<Money>(1, ti)));
    p.dl->AddCircleFilled(ImVec2(tx, ty), 4.0f * p.pr, ImGui::GetColorU32(ImGuiCol_Text));
    if (p.hovered && !xs.empty()) {
        const double ax = p.dataX(p.mouse.x);
        std::size_t i = 0;
        while (i + 1 < xs.size() && xs[i + 1] <= ax) ++i;
        ImGui::SetTooltip("%s of quota (%s credited): payout %s, %s of target incentive", fmt::percent(xs[i] / 100.0, 0).c_str(),
                          fmt::money(static_cast<Money>(std::llround(static_cast<double>(quota) * xs[i] / 100.0))).c_str(),
                          fmt::moneyExact(curve.points[i].payout).c_str(), fmt::percent(ys[i], 0).c_str());
    }
    ImGui::TextDisabled("At 100%%: %s (%s of target incentive)%s", fmt::moneyExact(curve.atTarget).c_str(),
                        fmt::percent(static_cast<double>(curve.atTarget) / static_cast<double>(std::max<Money>(1, ti)), 1).c_str(),
                        curve.falls ? "  -  the payout FALLS somewhere as attainment rises" : "");
}

// [SECTION] checks
void drawChecks(App& app, const CompUi& c) {
    const Theme th = app.ui().theme;
    ImGui::SeparatorText("Plan checks");
    markTarget(app, "comp.checks");
    if (c.checks.empty()) {
        ImGui::TextColored(ImColor(goodColor(th)), "No problems found: ready to publish.");
        return;
    }
    for (const PlanCheck& k : c.checks) {
        const ImU32 col = k.severity == CheckSeverity::Error     ? badColor(th)
                          : k.severity == CheckSeverity::Warning ? charts::amberColor(th == Theme::Dark)
                                                                 : charts::textColor();
        ImGui::PushStyleColor(ImGuiCol_Text, col);
        ImGui::Bullet();
        ImGui::PushTextWrapPos(0);
        ImGui::TextWrapped("%s%s", k.field.empty() ? "" : (k.field + ": ").c_str(), k.message.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
}
} // namespace

// [SECTION] editor
void drawCompEditor(App& app) {
    CompUi& c = app.ui().comp;
    if (!c.draftValid) return;
    const float h = ImGui::GetContentRegionAvail().y;
    const float leftW = ImGui::GetContentRegionAvail().x * 0.56f;
    Edits e;
    Plan& p = c.draft;
    ImGui::BeginChild("##editor", ImVec2(leftW, h), false);
    if (c.starter)
        ImGui::TextColored(ImColor(charts::amberColor(app.ui().theme == Theme::Dark)),
                           "A starting plan built from this scenario's quotas: your first edit adds it to the scenario.");
    drawPeriod(app, p, e);
    drawCommission(app, p, c, e);
    drawSpiffs(app, p, e);
    drawBonuses(app, p, e);
    drawMbos(app, p, c, e);
    drawOther(app, p, e);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##curve", ImVec2(0, h), false);
    drawCurve(app, c, std::max(px(app, 160), h * 0.5f));
    drawChecks(app, c);
    ImGui::EndChild();
    c.editing = e.active;
    if (e.commit) {
        // Tiers are kept in order of attainment (a tier moved past another changes places).
        std::stable_sort(p.commission.tiers.begin(), p.commission.tiers.end(), [](const Tier& a, const Tier& b) { return a.fromPpm < b.fromPpm; });
        commitCompDraft(app);
    }
}

} // namespace terrane
