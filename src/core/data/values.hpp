// Parsing of cell text into typed values, as CRM exports write them.
#pragma once

#include "core/base/types.hpp"

#include <string_view>

namespace terrane {

enum class DateOrder : std::uint8_t { Auto, DMY, MDY, YMD };
const char* dateOrderName(DateOrder o); // "auto", "dmy", "mdy", "ymd"
bool parseDateOrder(std::string_view name, DateOrder& out);

// Numbers: "1234.5", "1,234.50", "(12.00)" negative, "12%" -> 0.12, "1.5k", "2M".
bool parseNumberText(std::string_view s, double& out);
// Money: as numbers, plus currency symbols or ISO codes ("$1,250.00", "£1.250,00", "EUR 12").
// Rounds half away from zero to minor units.
bool parseMoneyText(std::string_view s, Money& out);
// Dates: ISO "2025-03-04" (with optional time and zone; the civil date as written is kept),
// "03/04/2025" in the given order (Auto: DMY when the first number is above 12, else MDY),
// "4-Mar-2025", "March 4, 2025", Excel serial numbers (1900 system, 20000..80000).
bool parseDateText(std::string_view s, DateOrder order, Date& out);
// true/false, yes/no, y/n, 1/0, x, checked/unchecked, on/off (case-insensitive).
bool parseBoolText(std::string_view s, bool& out);
// Integers, accepting "1,200" and "1.2k".
bool parseIntegerText(std::string_view s, long long& out);

// How CRM exports spell "no value" in typed columns: "null", "n/a", "na", "#n/a", "none",
// "nan", "-", "--" (case-insensitive; the caller trims).
bool isNullToken(std::string_view s);

// The three numbers of a day/month date such as "03/04/2025" or "3.4.25" (year expanded).
struct DateParts {
    int first = 0, second = 0, year = 0;
};
enum class DateCellResult : std::uint8_t { Fail, Done, NeedsOrder };
// As parseDateText, except that a numeric day/month date is not guessed when `order` is Auto:
// it returns NeedsOrder with its parts so the caller can decide the order for the whole column.
DateCellResult parseDateCell(std::string_view s, DateOrder order, Date& out, DateParts& parts);
// The date of `p` read in `order` (DMY or MDY); false when that is not a real date.
bool resolveDateParts(const DateParts& p, DateOrder order, Date& out);

} // namespace terrane
