#include "core/base/types.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace terrane {

// Civil-from-days and days-from-civil use the era/day-of-era decomposition of the
// proleptic Gregorian calendar (400-year eras of 146097 days).
Date daysFromCivil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153u * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2u) / 5u + static_cast<unsigned>(d) - 1u;
    const unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
    return static_cast<Date>(era * 146097 + static_cast<int>(doe) - 719468);
}

Ymd civilFromDays(Date days) {
    const int z = days + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
    const int y = static_cast<int>(yoe) + era * 400;
    const unsigned doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
    const unsigned mp = (5u * doy + 2u) / 153u;
    const unsigned d = doy - (153u * mp + 2u) / 5u + 1u;
    const unsigned m = mp < 10u ? mp + 3u : mp - 9u;
    return Ymd{y + (m <= 2u ? 1 : 0), static_cast<int>(m), static_cast<int>(d)};
}

int daysInMonth(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

bool isValidYmd(int y, int m, int d) {
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

std::string formatDate(Date d) {
    if (d == kDateNull) return {};
    const Ymd v = civilFromDays(d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day);
    return buf;
}

bool parseIsoDate(std::string_view s, Date& out) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    int parts[3] = {0, 0, 0};
    const int starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
    for (int p = 0; p < 3; ++p) {
        for (int i = 0; i < lens[p]; ++i) {
            const char c = s[static_cast<size_t>(starts[p] + i)];
            if (c < '0' || c > '9') return false;
            parts[p] = parts[p] * 10 + (c - '0');
        }
    }
    if (!isValidYmd(parts[0], parts[1], parts[2])) return false;
    out = daysFromCivil(parts[0], parts[1], parts[2]);
    return true;
}

Date addMonths(Date d, int months) {
    Ymd v = civilFromDays(d);
    int idx = v.year * 12 + (v.month - 1) + months;
    const int y = idx / 12, m = idx % 12 + 1;
    const int day = v.day > daysInMonth(y, m) ? daysInMonth(y, m) : v.day;
    return daysFromCivil(y, m, day);
}

Date todayUtc() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return daysFromCivil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::string formatMoney(Money m) {
    if (m == kMoneyNull) return {};
    const bool neg = m < 0;
    // Work in unsigned to survive INT64_MIN + 1 without overflow.
    const unsigned long long a = neg ? 0ull - static_cast<unsigned long long>(m) : static_cast<unsigned long long>(m);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s%llu.%02llu", neg ? "-" : "", a / 100ull, a % 100ull);
    return buf;
}

double moneyToMajor(Money m) {
    if (m == kMoneyNull) return std::nan("");
    return static_cast<double>(m) / 100.0;
}

Money moneyFromMajor(double major) {
    return static_cast<Money>(std::llround(major * 100.0));
}

} // namespace terrane
