#include "core/quota/quota_json.hpp"

#include "core/base/types.hpp"

#include <algorithm>
#include <cmath>

namespace terrane::quota {

namespace {
using Json = nlohmann::ordered_json;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw QuotaJsonError(where + ": " + what);
}

std::int64_t integer(const Json& j, const char* key, const std::string& where, std::int64_t lo,
                     std::int64_t hi, std::int64_t fallback) {
    if (!j.contains(key)) return fallback;
    const Json& v = j[key];
    if (!v.is_number_integer()) fail(where + "." + key, "expected a whole number");
    const auto x = v.get<std::int64_t>();
    if (x < lo || x > hi)
        fail(where + "." + key,
             "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    return x;
}

double number(const Json& j, const char* key, const std::string& where, double lo, double hi,
              double fallback) {
    if (!j.contains(key)) return fallback;
    const Json& v = j[key];
    if (!v.is_number()) fail(where + "." + key, "expected a number");
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < lo || x > hi)
        fail(where + "." + key, "expected a number from " + std::to_string(lo) + " to " + std::to_string(hi));
    return x;
}

std::vector<double> numbers(const Json& j, const char* key, const std::string& where,
                            std::vector<double> fallback) {
    if (!j.contains(key)) return fallback;
    const Json& v = j[key];
    if (!v.is_array()) fail(where + "." + key, "expected a list of numbers");
    std::vector<double> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_number()) fail(where + "." + key + "[" + std::to_string(i) + "]", "expected a number");
        out.push_back(v[i].get<double>());
    }
    return out;
}

std::string text(const Json& j, const char* key, const std::string& where, const std::string& fallback) {
    if (!j.contains(key)) return fallback;
    if (!j[key].is_string()) fail(where + "." + key, "expected text");
    return j[key].get<std::string>();
}

QuotaMethod method(const std::string& s, const std::string& where) {
    QuotaMethod m;
    if (!parseQuotaMethod(s, m))
        fail(where, "unknown method '" + s + "' (equal, potential, history, blend or capacity)");
    return m;
}

constexpr std::int64_t kMaxMoney = 1000000000000000LL;
} // namespace

Json allocationToJson(const AllocationSettings& a) {
    Json j;
    j["method"] = quotaMethodName(a.method);
    j["blend"] = {{"potential", a.blend.potential}, {"history", a.blend.history}, {"equal", a.blend.equal}};
    j["capacity_base"] = quotaMethodName(a.capacityBase);
    j["history_source"] = historySourceName(a.historySource);
    j["history_from"] = a.historyFrom == kDateNull ? Json(nullptr) : Json(formatDate(a.historyFrom));
    j["history_to"] = a.historyTo == kDateNull ? Json(nullptr) : Json(formatDate(a.historyTo));
    return j;
}

AllocationSettings allocationFromJson(const Json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "expected an object");
    AllocationSettings a;
    a.method = method(text(j, "method", where, "potential"), where + ".method");
    if (j.contains("blend")) {
        const Json& b = j["blend"];
        if (!b.is_object()) fail(where + ".blend", "expected an object");
        a.blend = BlendWeights{number(b, "potential", where + ".blend", 0, 1e9, 0.5),
                               number(b, "history", where + ".blend", 0, 1e9, 0.5),
                               number(b, "equal", where + ".blend", 0, 1e9, 0.0)};
        if (auto e = validateBlend(a.blend); !e.empty()) fail(where + ".blend", e);
    }
    a.capacityBase = method(text(j, "capacity_base", where, "potential"), where + ".capacity_base");
    if (a.capacityBase == QuotaMethod::Capacity)
        fail(where + ".capacity_base", "the capacity base cannot be capacity");
    const std::string hs = text(j, "history_source", where, "auto");
    if (hs == "auto")
        a.historySource = HistorySource::Auto;
    else if (hs == "bookings")
        a.historySource = HistorySource::Bookings;
    else if (hs == "opportunities")
        a.historySource = HistorySource::Opportunities;
    else
        fail(where + ".history_source", "expected auto, bookings or opportunities");
    for (const char* key : {"history_from", "history_to"}) {
        if (!j.contains(key) || j[key].is_null()) continue;
        Date d = kDateNull;
        if (!j[key].is_string() || !parseIsoDate(j[key].get<std::string>(), d))
            fail(where + "." + key, "expected a date like 2026-01-01 or null");
        (std::string(key) == "history_from" ? a.historyFrom : a.historyTo) = d;
    }
    return a;
}

Json quotaPlanToJson(const QuotaPlan& p) {
    Json j;
    j["target"] = p.target;
    j["plan_year"] = p.planYear;
    j["seasonality"] = p.seasonality;
    j["over_assign_ppm"] = {
        {"region", p.overAssignPpm[0]}, {"district", p.overAssignPpm[1]}, {"territory", p.overAssignPpm[2]}};
    j["allocation"] = allocationToJson(p.allocation);
    j["vacancy"] = vacancyPolicyName(p.vacancy);
    j["rounding_unit"] = p.roundingUnit;
    j["remainder"] = remainderPolicyName(p.remainder);
    Json ov = Json::array();
    for (const QuotaOverride& o : p.overrides) ov.push_back({{"node", o.node}, {"amount", o.amount}});
    j["overrides"] = ov;
    j["seed"] = p.seed;
    j["trials"] = p.trials;
    return j;
}

QuotaPlan quotaPlanFromJson(const Json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "expected an object");
    QuotaPlan p;
    p.target = integer(j, "target", where, 0, kMaxMoney, 0);
    p.planYear = static_cast<int>(integer(j, "plan_year", where, 0, 9998, 0));
    p.seasonality = numbers(j, "seasonality", where, p.seasonality);
    if (auto e = validateSeasonality(p.seasonality); !e.empty()) fail(where + ".seasonality", e);
    if (j.contains("over_assign_ppm")) {
        const Json& o = j["over_assign_ppm"];
        if (!o.is_object()) fail(where + ".over_assign_ppm", "expected an object");
        const char* keys[] = {"region", "district", "territory"};
        for (int l = 0; l < 3; ++l)
            p.overAssignPpm[static_cast<std::size_t>(l)] =
                integer(o, keys[l], where + ".over_assign_ppm", -500000, 2000000, 0);
    }
    if (j.contains("allocation")) p.allocation = allocationFromJson(j["allocation"], where + ".allocation");
    const std::string v = text(j, "vacancy", where, "allocate");
    if (v != "allocate" && v != "hold") fail(where + ".vacancy", "expected allocate or hold");
    p.vacancy = v == "hold" ? VacancyPolicy::Hold : VacancyPolicy::Allocate;
    p.roundingUnit = integer(j, "rounding_unit", where, 1, 100000000000LL, p.roundingUnit);
    const std::string r = text(j, "remainder", where, "largest");
    if (r != "largest" && r != "reject") fail(where + ".remainder", "expected largest or reject");
    p.remainder = r == "reject" ? RemainderPolicy::Reject : RemainderPolicy::Largest;
    if (j.contains("overrides")) {
        const Json& ov = j["overrides"];
        if (!ov.is_array()) fail(where + ".overrides", "expected a list");
        for (std::size_t i = 0; i < ov.size(); ++i) {
            const std::string w = where + ".overrides[" + std::to_string(i) + "]";
            if (!ov[i].is_object()) fail(w, "expected {node, amount}");
            QuotaOverride o{text(ov[i], "node", w, ""), integer(ov[i], "amount", w, 0, kMaxMoney, 0)};
            if (o.node.empty()) fail(w + ".node", "expected a node id");
            if (p.findOverride(o.node)) fail(w + ".node", "'" + o.node + "' is overridden twice");
            p.overrides.push_back(std::move(o));
        }
        std::sort(p.overrides.begin(), p.overrides.end(),
                  [](const QuotaOverride& a, const QuotaOverride& b) { return a.node < b.node; });
    }
    p.seed =
        static_cast<std::uint64_t>(integer(j, "seed", where, 0, std::numeric_limits<std::int64_t>::max(), 1));
    p.trials = static_cast<std::uint32_t>(integer(j, "trials", where, 1, 100000, 2000));
    return p;
}

Json capacityPlanToJson(const CapacityPlan& c) {
    Json j;
    j["productivity"] = c.productivity;
    j["ramp"] = c.ramp;
    j["ramp_step_months"] = c.rampStepMonths;
    j["attrition"] = c.attrition;
    j["time_to_hire_months"] = c.timeToHireMonths;
    j["target"] = c.target;
    return j;
}

CapacityPlan capacityPlanFromJson(const Json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "expected an object");
    CapacityPlan c;
    c.productivity = integer(j, "productivity", where, 0, kMaxMoney, 0);
    c.ramp = numbers(j, "ramp", where, c.ramp);
    c.rampStepMonths = static_cast<int>(integer(j, "ramp_step_months", where, 1, 12, 3));
    c.attrition = number(j, "attrition", where, 0, 0.999999, 0.15);
    c.timeToHireMonths = static_cast<int>(integer(j, "time_to_hire_months", where, 0, 24, 3));
    c.target = integer(j, "target", where, 0, kMaxMoney, 0);
    if (auto e = validateCapacityPlan(c); !e.empty()) fail(where, e);
    return c;
}

} // namespace terrane::quota
