#include "core/base/format.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace terrane::fmt {

std::string count(std::uint64_t n) {
    std::string s = std::to_string(n);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
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

std::string utcTime(std::int64_t unixMs) {
    const std::time_t t = static_cast<std::time_t>(unixMs / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

} // namespace terrane::fmt
