// Commission plan values, names and the plan file JSON (PLAN_FORMAT.md): strict reading that
// names the field and what was expected, and writing every field.
//
// Index
//  [SECTION] names
//  [SECTION] reading
//  [SECTION] writing
#include "core/comp/plan.hpp"

#include "core/base/format.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace terrane::comp {

// [SECTION] names
const char* frequencyName(PayoutFrequency f) {
    switch (f) {
    case PayoutFrequency::Annual: return "annual";
    case PayoutFrequency::Quarterly: return "quarterly";
    case PayoutFrequency::Monthly: return "monthly";
    }
    return "annual";
}
const char* tierMethodName(TierMethod m) { return m == TierMethod::Retroactive ? "retroactive" : "marginal"; }
const char* bonusPeriodName(BonusPeriod p) { return p == BonusPeriod::Quarter ? "quarter" : "year"; }
const char* rampKindName(RampKind k) {
    switch (k) {
    case RampKind::None: return "none";
    case RampKind::QuotaRelief: return "quota_relief";
    case RampKind::Guarantee: return "guarantee";
    }
    return "none";
}
int periodsPerYear(PayoutFrequency f) {
    return f == PayoutFrequency::Monthly ? 12 : f == PayoutFrequency::Quarterly ? 4 : 1;
}

std::string formatMultiplier(std::int64_t ppm) {
    std::string s = fmt::fixed(static_cast<double>(ppm) / kPpm, 6);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}
std::string formatPpmPercent(std::int64_t ppm) {
    std::string s = fmt::fixed(static_cast<double>(ppm) / 10000.0, 4);
    while (s.find('.') != std::string::npos && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s + "%";
}

Plan examplePlan(int year) {
    Plan p;
    p.name = "AE plan " + std::to_string(year);
    p.start = daysFromCivil(year, 1, 1);
    p.end = daysFromCivil(year, 12, 31);
    p.commission.tiers = {{0, 500000}, {500000, kPpm}, {kPpm, 1500000}, {1500000, 2000000}};
    p.commission.capOfTargetIncentivePpm = 2500000;
    Spiff s;
    s.name = "Pro Suite push";
    s.product = "Pro Suite";
    s.from = daysFromCivil(year, 7, 1);
    s.to = daysFromCivil(year, 9, 30);
    s.perDeal = 25000;
    p.spiffs.push_back(s);
    return p;
}

// [SECTION] reading
namespace {

[[noreturn]] void fail(const std::string& where, const std::string& expected) {
    throw JsonFieldError(where + ": expected " + expected);
}

// Rejects members the format does not know (a typo must not silently change a plan).
void onlyKeys(const Json& obj, const std::string& where, std::initializer_list<const char*> keys) {
    if (!obj.is_object()) fail(where, "an object");
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const bool known = std::any_of(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; });
        if (!known) {
            std::string list;
            for (const char* k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
            throw JsonFieldError(where + "." + it.key() + ": unknown field (expected one of " + list + ")");
        }
    }
}

const Json* opt(const Json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
}

double number(const Json& v, const std::string& where, double lo, double hi) {
    if (!v.is_number()) fail(where, "a number");
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < lo || x > hi)
        fail(where, "a number from " + fmt::compactNumber(lo) + " to " + fmt::compactNumber(hi) + ", not " + v.dump());
    return x;
}

// A decimal number to parts per million (at most 6 decimals).
std::int64_t ppm(const Json& v, const std::string& where, double lo, double hi) {
    const double x = number(v, where, lo, hi);
    const double scaled = x * 1e6;
    const double r = std::round(scaled);
    if (std::fabs(scaled - r) > std::max(1e-6, std::fabs(scaled) * 1e-12)) fail(where, "a number with at most 6 decimals");
    return static_cast<std::int64_t>(r);
}

Money money(const Json& v, const std::string& where) {
    const double x = number(v, where, 0, 1e13);
    const double scaled = x * 100.0;
    const double r = std::round(scaled);
    if (std::fabs(scaled - r) > std::max(1e-6, scaled * 1e-12)) fail(where, "an amount in whole cents");
    return static_cast<Money>(r);
}

std::string text(const Json& v, const std::string& where) {
    if (!v.is_string()) fail(where, "a string");
    return v.get<std::string>();
}

Date date(const Json& v, const std::string& where) {
    if (!v.is_string()) fail(where, "a date \"YYYY-MM-DD\"");
    Date d;
    if (!parseIsoDate(v.get<std::string>(), d)) fail(where, "a date \"YYYY-MM-DD\", not " + v.dump());
    return d;
}

bool boolean(const Json& v, const std::string& where) {
    if (!v.is_boolean()) fail(where, "true or false");
    return v.get<bool>();
}

template <class E>
E choice(const Json& v, const std::string& where, std::initializer_list<std::pair<const char*, E>> options) {
    std::string list;
    for (const auto& o : options) list += (list.empty() ? "" : " or ") + std::string("\"") + o.first + "\"";
    if (!v.is_string()) fail(where, list);
    const std::string s = v.get<std::string>();
    for (const auto& o : options)
        if (s == o.first) return o.second;
    fail(where, list + ", not " + v.dump());
}

const Json& array(const Json& v, const std::string& where) {
    if (!v.is_array()) fail(where, "a list");
    return v;
}

void readCredit(const Json& j, const std::string& w, CreditRule& c) {
    onlyKeys(j, w, {"measure", "date", "to", "won_only", "overlay_roles", "overlay_level"});
    if (auto* v = opt(j, "measure")) c.measure = text(*v, w + ".measure");
    if (c.measure.empty()) fail(w + ".measure", "a column name");
    if (auto* v = opt(j, "date")) c.date = text(*v, w + ".date");
    if (c.date.empty()) fail(w + ".date", "a column name");
    if (auto* v = opt(j, "to"))
        c.to = choice<CreditTo>(*v, w + ".to", {{"owner", CreditTo::Owner}, {"splits", CreditTo::Splits}});
    if (auto* v = opt(j, "won_only")) c.wonOnly = boolean(*v, w + ".won_only");
    if (auto* v = opt(j, "overlay_roles")) {
        const Json& a = array(*v, w + ".overlay_roles");
        for (std::size_t i = 0; i < a.size(); ++i) c.overlayRoles.push_back(text(a[i], w + ".overlay_roles[" + std::to_string(i) + "]"));
    }
    if (auto* v = opt(j, "overlay_level"))
        c.overlayLevel = choice<std::string>(*v, w + ".overlay_level", {{"region", "region"}, {"district", "district"}});
}

void readCommission(const Json& j, const std::string& w, Commission& c) {
    onlyKeys(j, w, {"enabled", "basis", "method", "tiers", "gate_attainment", "cap_of_target_incentive", "rate_scale",
                    "flat_rates"});
    if (auto* v = opt(j, "enabled")) c.enabled = boolean(*v, w + ".enabled");
    if (auto* v = opt(j, "basis"))
        c.basis = choice<CommissionBasis>(*v, w + ".basis",
                                          {{"attainment", CommissionBasis::Attainment}, {"flat", CommissionBasis::Flat}});
    if (auto* v = opt(j, "method"))
        c.method = choice<TierMethod>(*v, w + ".method",
                                      {{"marginal", TierMethod::Marginal}, {"retroactive", TierMethod::Retroactive}});
    if (auto* v = opt(j, "tiers")) {
        const Json& a = array(*v, w + ".tiers");
        if (a.empty()) fail(w + ".tiers", "at least one tier");
        c.tiers.clear();
        for (std::size_t i = 0; i < a.size(); ++i) {
            const std::string wi = w + ".tiers[" + std::to_string(i) + "]";
            onlyKeys(a[i], wi, {"from_attainment", "multiplier"});
            Tier t;
            t.fromPpm = ppm(jsonMember(a[i], "from_attainment", wi), wi + ".from_attainment", 0, 100);
            t.multiplierPpm = ppm(jsonMember(a[i], "multiplier", wi), wi + ".multiplier", 0, 100);
            if (i == 0 && t.fromPpm != 0) fail(wi + ".from_attainment", "0 for the first tier (tiers must cover all attainment)");
            if (i > 0 && t.fromPpm <= c.tiers.back().fromPpm)
                fail(wi + ".from_attainment", "a value above the previous tier's " + formatMultiplier(c.tiers.back().fromPpm) +
                                                   " (tiers in rising order, no overlaps)");
            c.tiers.push_back(t);
        }
    }
    if (auto* v = opt(j, "gate_attainment")) c.gatePpm = ppm(*v, w + ".gate_attainment", 0, 100);
    if (auto* v = opt(j, "cap_of_target_incentive")) {
        c.capOfTargetIncentivePpm = ppm(*v, w + ".cap_of_target_incentive", 0, 1000);
        if (c.capOfTargetIncentivePpm == 0) fail(w + ".cap_of_target_incentive", "a positive multiple (omit it for no cap)");
    }
    if (auto* v = opt(j, "rate_scale")) c.rateScalePpm = ppm(*v, w + ".rate_scale", 0, 100);
    if (auto* v = opt(j, "flat_rates")) {
        const Json& a = array(*v, w + ".flat_rates");
        for (std::size_t i = 0; i < a.size(); ++i) {
            const std::string wi = w + ".flat_rates[" + std::to_string(i) + "]";
            onlyKeys(a[i], wi, {"product", "segment", "rate"});
            FlatRate r;
            if (auto* p = opt(a[i], "product")) r.product = text(*p, wi + ".product");
            if (auto* s = opt(a[i], "segment")) r.segment = text(*s, wi + ".segment");
            r.ratePpm = ppm(jsonMember(a[i], "rate", wi), wi + ".rate", 0, 10);
            c.flatRates.push_back(r);
        }
    }
    if (c.basis == CommissionBasis::Flat && c.flatRates.empty()) fail(w + ".flat_rates", "at least one rate for basis \"flat\"");
}

} // namespace

Plan parsePlan(const Json& j, const std::string& w) {
    Plan p;
    p.spiffs.clear();
    onlyKeys(j, w, {"format", "version", "name", "currency", "period", "frequency", "credit", "commission", "spiffs",
                    "bonuses", "mbos", "clawback", "draw", "ramp"});
    if (jsonString(j, "format", w, true) != "terrane-comp-plan") fail(w + ".format", "\"terrane-comp-plan\"");
    const std::int64_t version = jsonInteger(jsonMember(j, "version", w), w + ".version", 1, 1000);
    if (version > kPlanFormatVersion)
        fail(w + ".version", "a version up to " + std::to_string(kPlanFormatVersion) + " (this file is version " +
                                 std::to_string(version) + ", from a newer Terrane)");
    if (auto* v = opt(j, "name")) p.name = text(*v, w + ".name");
    if (auto* v = opt(j, "currency")) {
        p.currency = text(*v, w + ".currency");
        if (p.currency.size() != 3 || !std::all_of(p.currency.begin(), p.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            fail(w + ".currency", "a three-letter ISO 4217 code such as \"USD\"");
    }
    {
        const Json& per = jsonMember(j, "period", w);
        onlyKeys(per, w + ".period", {"start", "end"});
        p.start = date(jsonMember(per, "start", w + ".period"), w + ".period.start");
        p.end = date(jsonMember(per, "end", w + ".period"), w + ".period.end");
        if (p.end < p.start) fail(w + ".period.end", "a date on or after period.start");
        if (p.end - p.start > 366) fail(w + ".period.end", "a period of at most one year");
    }
    if (auto* v = opt(j, "frequency"))
        p.frequency = choice<PayoutFrequency>(*v, w + ".frequency",
                                              {{"annual", PayoutFrequency::Annual},
                                               {"quarterly", PayoutFrequency::Quarterly},
                                               {"monthly", PayoutFrequency::Monthly}});
    if (auto* v = opt(j, "credit")) readCredit(*v, w + ".credit", p.credit);
    if (auto* v = opt(j, "commission")) readCommission(*v, w + ".commission", p.commission);
    else p.commission.enabled = false;
    if (auto* v = opt(j, "spiffs")) {
        const Json& a = array(*v, w + ".spiffs");
        if (a.size() > 64) fail(w + ".spiffs", "at most 64 SPIFFs");
        for (std::size_t i = 0; i < a.size(); ++i) {
            const std::string wi = w + ".spiffs[" + std::to_string(i) + "]";
            onlyKeys(a[i], wi, {"name", "product", "segment", "from", "to", "per_deal", "percent_of_amount", "min_amount"});
            Spiff s;
            s.name = jsonString(a[i], "name", wi, true);
            if (auto* x = opt(a[i], "product")) s.product = text(*x, wi + ".product");
            if (auto* x = opt(a[i], "segment")) s.segment = text(*x, wi + ".segment");
            if (auto* x = opt(a[i], "from")) s.from = date(*x, wi + ".from");
            if (auto* x = opt(a[i], "to")) s.to = date(*x, wi + ".to");
            if (s.from != kDateNull && s.to != kDateNull && s.to < s.from) fail(wi + ".to", "a date on or after from");
            if (auto* x = opt(a[i], "per_deal")) s.perDeal = money(*x, wi + ".per_deal");
            if (auto* x = opt(a[i], "percent_of_amount")) s.percentPpm = ppm(*x, wi + ".percent_of_amount", 0, 1);
            if (auto* x = opt(a[i], "min_amount")) s.minAmount = money(*x, wi + ".min_amount");
            if (s.perDeal == 0 && s.percentPpm == 0) fail(wi, "per_deal or percent_of_amount");
            p.spiffs.push_back(s);
        }
    }
    if (auto* v = opt(j, "bonuses")) {
        const Json& a = array(*v, w + ".bonuses");
        for (std::size_t i = 0; i < a.size(); ++i) {
            const std::string wi = w + ".bonuses[" + std::to_string(i) + "]";
            onlyKeys(a[i], wi, {"name", "attainment", "period", "amount"});
            Bonus b;
            b.name = jsonString(a[i], "name", wi, true);
            b.attainmentPpm = ppm(jsonMember(a[i], "attainment", wi), wi + ".attainment", 0, 100);
            if (auto* x = opt(a[i], "period"))
                b.period = choice<BonusPeriod>(*x, wi + ".period", {{"year", BonusPeriod::Year}, {"quarter", BonusPeriod::Quarter}});
            b.amount = money(jsonMember(a[i], "amount", wi), wi + ".amount");
            p.bonuses.push_back(b);
        }
    }
    if (auto* v = opt(j, "mbos")) {
        const Json& a = array(*v, w + ".mbos");
        for (std::size_t i = 0; i < a.size(); ++i) {
            const std::string wi = w + ".mbos[" + std::to_string(i) + "]";
            onlyKeys(a[i], wi, {"rep_id", "name", "amount"});
            Mbo m;
            m.repId = jsonString(a[i], "rep_id", wi, true);
            if (m.repId.empty()) fail(wi + ".rep_id", "a rep id");
            m.name = jsonString(a[i], "name", wi, true);
            m.amount = money(jsonMember(a[i], "amount", wi), wi + ".amount");
            p.mbos.push_back(m);
        }
    }
    if (auto* v = opt(j, "clawback")) {
        const std::string wc = w + ".clawback";
        onlyKeys(*v, wc, {"window_days"});
        p.clawback.enabled = true;
        p.clawback.windowDays = static_cast<int>(jsonInteger(jsonMember(*v, "window_days", wc), wc + ".window_days", 1, 3660));
    }
    if (auto* v = opt(j, "draw")) {
        const std::string wd = w + ".draw";
        onlyKeys(*v, wd, {"per_period", "recoverable"});
        p.draw.perPeriod = money(jsonMember(*v, "per_period", wd), wd + ".per_period");
        if (auto* x = opt(*v, "recoverable")) p.draw.recoverable = boolean(*x, wd + ".recoverable");
    }
    if (auto* v = opt(j, "ramp")) {
        const std::string wr = w + ".ramp";
        onlyKeys(*v, wr, {"kind", "months", "quota_relief", "guarantee_per_month"});
        p.ramp.kind = choice<RampKind>(jsonMember(*v, "kind", wr), wr + ".kind",
                                       {{"none", RampKind::None}, {"quota_relief", RampKind::QuotaRelief}, {"guarantee", RampKind::Guarantee}});
        if (auto* x = opt(*v, "months")) p.ramp.months = static_cast<int>(jsonInteger(*x, wr + ".months", 1, 24));
        if (auto* x = opt(*v, "quota_relief")) p.ramp.reliefPpm = ppm(*x, wr + ".quota_relief", 0, 1);
        if (auto* x = opt(*v, "guarantee_per_month")) p.ramp.guaranteePerMonth = money(*x, wr + ".guarantee_per_month");
        if (p.ramp.kind == RampKind::Guarantee && p.ramp.guaranteePerMonth == 0)
            fail(wr + ".guarantee_per_month", "a positive amount for kind \"guarantee\"");
    }
    return p;
}

Plan parsePlanText(std::string_view text) {
    Json j;
    try {
        j = Json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& e) {
        throw JsonFieldError(std::string("plan: expected JSON (") + e.what() + ")");
    } catch (const nlohmann::json::exception& e) {
        // Out-of-range numbers (8888E88888) and the like: JSON no plan can hold.
        throw JsonFieldError(std::string("plan: expected numbers within range (") + e.what() + ")");
    }
    return parsePlan(j);
}

// [SECTION] writing
namespace {
Json num(std::int64_t ppm) { return static_cast<double>(ppm) / kPpm; }
Json major(Money m) { return moneyToMajor(m); }
} // namespace

Json planToJson(const Plan& p) {
    Json j;
    j["format"] = "terrane-comp-plan";
    j["version"] = kPlanFormatVersion;
    j["name"] = p.name;
    j["currency"] = p.currency;
    j["period"] = {{"start", formatDate(p.start)}, {"end", formatDate(p.end)}};
    j["frequency"] = frequencyName(p.frequency);
    Json c = {{"measure", p.credit.measure},
              {"date", p.credit.date},
              {"to", p.credit.to == CreditTo::Splits ? "splits" : "owner"},
              {"won_only", p.credit.wonOnly}};
    if (!p.credit.overlayRoles.empty()) c["overlay_roles"] = p.credit.overlayRoles;
    if (!p.credit.overlayRoles.empty() || p.credit.overlayLevel != "region") c["overlay_level"] = p.credit.overlayLevel;
    j["credit"] = c;
    const Commission& k = p.commission;
    if (k.enabled || k != Commission{}) {
        Json m;
        m["enabled"] = k.enabled;
        m["basis"] = k.basis == CommissionBasis::Flat ? "flat" : "attainment";
        m["method"] = tierMethodName(k.method);
        Json tiers = Json::array();
        for (const Tier& t : k.tiers) tiers.push_back({{"from_attainment", num(t.fromPpm)}, {"multiplier", num(t.multiplierPpm)}});
        m["tiers"] = tiers;
        if (k.gatePpm) m["gate_attainment"] = num(k.gatePpm);
        if (k.capOfTargetIncentivePpm) m["cap_of_target_incentive"] = num(k.capOfTargetIncentivePpm);
        if (k.rateScalePpm != kPpm) m["rate_scale"] = num(k.rateScalePpm);
        if (!k.flatRates.empty()) {
            Json rates = Json::array();
            for (const FlatRate& r : k.flatRates) {
                Json x;
                if (!r.product.empty()) x["product"] = r.product;
                if (!r.segment.empty()) x["segment"] = r.segment;
                x["rate"] = num(r.ratePpm);
                rates.push_back(x);
            }
            m["flat_rates"] = rates;
        }
        j["commission"] = m;
    }
    Json spiffs = Json::array();
    for (const Spiff& s : p.spiffs) {
        Json x;
        x["name"] = s.name;
        if (!s.product.empty()) x["product"] = s.product;
        if (!s.segment.empty()) x["segment"] = s.segment;
        if (s.from != kDateNull) x["from"] = formatDate(s.from);
        if (s.to != kDateNull) x["to"] = formatDate(s.to);
        if (s.perDeal) x["per_deal"] = major(s.perDeal);
        if (s.percentPpm) x["percent_of_amount"] = num(s.percentPpm);
        if (s.minAmount) x["min_amount"] = major(s.minAmount);
        spiffs.push_back(x);
    }
    j["spiffs"] = spiffs;
    Json bonuses = Json::array();
    for (const Bonus& b : p.bonuses)
        bonuses.push_back({{"name", b.name}, {"attainment", num(b.attainmentPpm)}, {"period", bonusPeriodName(b.period)}, {"amount", major(b.amount)}});
    j["bonuses"] = bonuses;
    Json mbos = Json::array();
    for (const Mbo& m : p.mbos) mbos.push_back({{"rep_id", m.repId}, {"name", m.name}, {"amount", major(m.amount)}});
    j["mbos"] = mbos;
    if (p.clawback.enabled) j["clawback"] = {{"window_days", p.clawback.windowDays}};
    if (p.draw != Draw{}) j["draw"] = {{"per_period", major(p.draw.perPeriod)}, {"recoverable", p.draw.recoverable}};
    if (p.ramp != Ramp{})
        j["ramp"] = {{"kind", rampKindName(p.ramp.kind)},
                     {"months", p.ramp.months},
                     {"quota_relief", num(p.ramp.reliefPpm)},
                     {"guarantee_per_month", major(p.ramp.guaranteePerMonth)}};
    return j;
}

} // namespace terrane::comp
