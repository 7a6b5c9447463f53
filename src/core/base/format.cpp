#include "core/base/format.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace terrane::fmt {

std::string count(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string s;
    s.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
        s.push_back(digits[i]);
    }
    return s;
}

std::string countOf(std::uint64_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

std::string money(Money m) {
    if (m == kMoneyNull) return "-";
    const bool neg = m < 0;
    const std::uint64_t major = static_cast<std::uint64_t>(neg ? -(m / 100) : m / 100);
    return (neg ? "-$" : "$") + count(major);
}

std::string moneyExact(Money m) {
    if (m == kMoneyNull) return "-";
    const bool neg = m < 0;
    const unsigned long long a = neg ? 0ull - static_cast<unsigned long long>(m) : static_cast<unsigned long long>(m);
    std::string out = (neg ? "-$" : "$") + count(a / 100);
    if (a % 100) {
        char buf[8];
        std::snprintf(buf, sizeof buf, ".%02llu", a % 100);
        out += buf;
    }
    return out;
}

std::string moneyCompact(Money m) {
    if (m == kMoneyNull) return "-";
    const double v = static_cast<double>(m) / 100.0;
    const double a = std::fabs(v);
    char buf[32];
    if (a >= 1e9) std::snprintf(buf, sizeof buf, "$%.2fB", v / 1e9);
    else if (a >= 1e6) std::snprintf(buf, sizeof buf, "$%.1fM", v / 1e6);
    else if (a >= 1e4) std::snprintf(buf, sizeof buf, "$%.0fK", v / 1e3);
    else if (a >= 1e3) std::snprintf(buf, sizeof buf, "$%.1fK", v / 1e3);
    else std::snprintf(buf, sizeof buf, "$%.0f", v);
    return buf;
}

std::string percent(double fraction, int decimals) {
    if (std::isnan(fraction)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, fraction * 100.0);
    return buf;
}

std::string fixed(double v, int decimals) {
    if (std::isnan(v)) return "-";
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string compactNumber(double v) {
    char buf[64];
    const double a = std::fabs(v);
    if (a >= 1e9)
        std::snprintf(buf, sizeof buf, "%.2fB", v / 1e9);
    else if (a >= 1e6)
        std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
    else if (a >= 1e4)
        std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

namespace {
std::string utc(std::int64_t unixMs, const char* pattern) {
    const std::time_t t = static_cast<std::time_t>(unixMs / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, pattern, &tm);
    return buf;
}
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
std::string dayMonthYear(int y, int m, int d) { return std::to_string(d) + " " + kMonths[(m + 11) % 12] + " " + std::to_string(y); }
} // namespace

std::string timeUtc(std::int64_t unixMs, bool seconds) {
    const std::int64_t days = unixMs >= 0 ? unixMs / 86400000 : -((-unixMs + 86399999) / 86400000);
    const Ymd ymd = civilFromDays(static_cast<Date>(days));
    return dayMonthYear(ymd.year, ymd.month, ymd.day) + ", " + utc(unixMs, seconds ? "%H:%M:%S UTC" : "%H:%M UTC");
}

std::string date(Date d) {
    if (d == kDateNull) return {};
    const Ymd ymd = civilFromDays(d);
    return dayMonthYear(ymd.year, ymd.month, ymd.day);
}

std::string isoTimestamp(std::int64_t unixMs) { return utc(unixMs, "%Y-%m-%dT%H:%M:%SZ"); }

} // namespace terrane::fmt
