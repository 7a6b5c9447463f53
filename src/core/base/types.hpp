// Basic value types shared by the whole model: money in integer minor units and civil dates.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace terrane {

// Money is an integer count of minor units (cents, pence). Never a double.
using Money = std::int64_t;
inline constexpr Money kMoneyNull = std::numeric_limits<std::int64_t>::min();

// A civil date as days since 1970-01-01 (proleptic Gregorian).
using Date = std::int32_t;
inline constexpr Date kDateNull = std::numeric_limits<std::int32_t>::min();

struct Ymd {
    int year = 1970;
    int month = 1; // 1..12
    int day = 1;   // 1..31
};

// Days since 1970-01-01 for a proleptic Gregorian date (any year, no validation).
Date daysFromCivil(int y, int m, int d);
// Today in UTC, by the system clock.
Date todayUtc();
Ymd civilFromDays(Date days);
bool isValidYmd(int y, int m, int d);
int daysInMonth(int y, int m);
// "YYYY-MM-DD"; empty string for kDateNull.
std::string formatDate(Date d);
// Strict ISO "YYYY-MM-DD"; false if malformed or not a real date.
bool parseIsoDate(std::string_view s, Date& out);
// Date plus whole months, clamping the day to the target month's length.
Date addMonths(Date d, int months);

// "1234.56" (always two decimals for 2-digit currencies); "" for kMoneyNull.
std::string formatMoney(Money m);
// Money as a decimal number of major units, for JSON and charts.
double moneyToMajor(Money m);
// Rounds half away from zero to whole minor units.
Money moneyFromMajor(double major);

} // namespace terrane
