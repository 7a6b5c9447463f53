#include "core/quota/quota_plan.hpp"

#include "core/base/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace terrane::quota {

const QuotaOverride* QuotaPlan::findOverride(std::string_view node) const {
    for (const QuotaOverride& o : overrides)
        if (o.node == node) return &o;
    return nullptr;
}

const char* quotaMethodName(QuotaMethod m) {
    switch (m) {
    case QuotaMethod::Equal:
        return "equal";
    case QuotaMethod::Potential:
        return "potential";
    case QuotaMethod::History:
        return "history";
    case QuotaMethod::Blend:
        return "blend";
    case QuotaMethod::Capacity:
        return "capacity";
    }
    return "?";
}

const char* quotaMethodLabel(QuotaMethod m) {
    switch (m) {
    case QuotaMethod::Equal:
        return "Equal split";
    case QuotaMethod::Potential:
        return "Share of potential";
    case QuotaMethod::History:
        return "Share of history";
    case QuotaMethod::Blend:
        return "Blend";
    case QuotaMethod::Capacity:
        return "Capacity-adjusted";
    }
    return "?";
}

bool parseQuotaMethod(std::string_view s, QuotaMethod& out) {
    for (int i = 0; i < kQuotaMethodCount; ++i) {
        const auto m = static_cast<QuotaMethod>(i);
        if (s == quotaMethodName(m)) {
            out = m;
            return true;
        }
    }
    return false;
}

const char* quotaLevelName(QuotaLevel l) {
    switch (l) {
    case QuotaLevel::Company:
        return "company";
    case QuotaLevel::Region:
        return "region";
    case QuotaLevel::District:
        return "district";
    case QuotaLevel::Territory:
        return "territory";
    }
    return "?";
}

const char* historySourceName(HistorySource s) {
    switch (s) {
    case HistorySource::Auto:
        return "auto";
    case HistorySource::Bookings:
        return "bookings";
    case HistorySource::Opportunities:
        return "opportunities";
    }
    return "?";
}

const char* vacancyPolicyName(VacancyPolicy v) {
    return v == VacancyPolicy::Hold ? "hold" : "allocate";
}
const char* remainderPolicyName(RemainderPolicy r) {
    return r == RemainderPolicy::Reject ? "reject" : "largest";
}

bool parseSharePpm(std::string_view s, std::int64_t& out) {
    s = trim(s);
    bool percent = false;
    if (!s.empty() && s.back() == '%') {
        percent = true;
        s.remove_suffix(1);
        s = trim(s);
    }
    bool neg = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        neg = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) return false;
    // Exact decimal: integer part and up to (6 or 4) fractional digits.
    std::int64_t whole = 0, frac = 0;
    int fracDigits = 0;
    bool dot = false, any = false;
    for (char c : s) {
        if (c == '.') {
            if (dot) return false;
            dot = true;
            continue;
        }
        if (c < '0' || c > '9') return false;
        any = true;
        if (!dot) {
            whole = whole * 10 + (c - '0');
            if (whole > 1000000) return false;
        } else {
            frac = frac * 10 + (c - '0');
            if (++fracDigits > 8) return false;
        }
    }
    if (!any) return false;
    // value = whole.frac (as a fraction, or percent); to ppm.
    const int scaleDigits = percent ? 4 : 6; // 1% = 10^4 ppm, 1 = 10^6 ppm
    std::int64_t ppm = whole;
    for (int i = 0; i < scaleDigits; ++i) ppm *= 10;
    if (fracDigits > scaleDigits) {
        // Finer than 1 ppm is allowed only when the extra digits are zeros.
        std::int64_t div = 1;
        for (int i = 0; i < fracDigits - scaleDigits; ++i) div *= 10;
        if (frac % div != 0) return false;
        frac /= div;
        fracDigits = scaleDigits;
    }
    for (int i = fracDigits; i < scaleDigits; ++i) frac *= 10;
    ppm += frac;
    out = neg ? -ppm : ppm;
    return true;
}

std::string formatPpm(std::int64_t ppm) {
    const std::int64_t a = ppm < 0 ? -ppm : ppm;
    std::string s = std::to_string(a / 10000);
    std::int64_t frac = a % 10000;
    if (frac) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(frac));
        std::string f = buf;
        while (!f.empty() && f.back() == '0') f.pop_back();
        s += "." + f;
    }
    return (ppm < 0 ? "-" : "+") + s + "%";
}

Money applyPpm(Money amount, std::int64_t ppm) {
    const __int128 num = static_cast<__int128>(amount) * (1000000 + ppm);
    const __int128 q = num / 1000000, r = num % 1000000;
    __int128 out = q;
    if (r * 2 >= 1000000)
        ++out;
    else if (r * 2 <= -1000000)
        --out;
    return static_cast<Money>(out);
}

std::string validateSeasonality(const std::vector<double>& w) {
    if (w.size() != 4 && w.size() != 12) return "seasonality needs 4 (quarters) or 12 (months) weights";
    double sum = 0;
    for (double x : w) {
        if (!std::isfinite(x) || x < 0) return "seasonality weights must be zero or positive numbers";
        sum += x;
    }
    if (sum <= 0) return "at least one seasonality weight must be positive";
    return {};
}

std::string validateBlend(const BlendWeights& b) {
    for (double x : {b.potential, b.history, b.equal})
        if (!std::isfinite(x) || x < 0) return "blend weights must be zero or positive";
    if (b.potential + b.history + b.equal <= 0) return "at least one blend weight must be positive";
    return {};
}

std::string validateRamp(const std::vector<double>& ramp, int stepMonths) {
    if (ramp.empty() || ramp.size() > 36) return "the ramp curve needs 1 to 36 steps";
    for (double x : ramp)
        if (!std::isfinite(x) || x < 0 || x > 2) return "ramp factors must be between 0 and 2";
    if (ramp.back() <= 0) return "the last ramp step (fully ramped) must be positive";
    if (stepMonths < 1 || stepMonths > 12) return "a ramp step must last 1 to 12 months";
    return {};
}

std::string validateCapacityPlan(const CapacityPlan& c) {
    if (c.productivity < 0) return "productivity cannot be negative";
    if (c.target < 0) return "the capacity target cannot be negative";
    if (auto e = validateRamp(c.ramp, c.rampStepMonths); !e.empty()) return e;
    if (!std::isfinite(c.attrition) || c.attrition < 0 || c.attrition >= 1)
        return "attrition must be a share from 0 to below 1";
    if (c.timeToHireMonths < 0 || c.timeToHireMonths > 24) return "time to hire must be 0 to 24 months";
    return {};
}

} // namespace terrane::quota
