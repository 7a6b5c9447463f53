// Parsing of cell text into typed values, as CRM exports write them.
#pragma once

#include "core/types.hpp"

#include <string_view>

namespace terrane {

enum class DateOrder : std::uint8_t { Auto, DMY, MDY, YMD };

// Numbers: "1234.5", "1,234.50", "(12.00)" negative, "12%" -> 0.12, "1.5k", "2M".
bool parseNumberText(std::string_view s, double& out);
// Money: as numbers, plus currency symbols or ISO codes ("$1,250.00", "£1.250,00", "EUR 12").
// Rounds half away from zero to minor units.
bool parseMoneyText(std::string_view s, Money& out);
// Dates: ISO "2025-03-04" (with optional time and zone), "03/04/2025" in the given order,
// "4-Mar-2025", Excel serial numbers (1900 system, 20000..80000).
bool parseDateText(std::string_view s, DateOrder order, Date& out);
// true/false, yes/no, y/n, 1/0, x, checked/unchecked, on/off (case-insensitive).
bool parseBoolText(std::string_view s, bool& out);
// Integers, accepting "1,200" and "1.2k".
bool parseIntegerText(std::string_view s, long long& out);

} // namespace terrane
