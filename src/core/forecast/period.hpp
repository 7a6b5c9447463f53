// Forecast periods: calendar months, quarters and years, the one containing a date, the next and
// previous ones, and their labels ("Mar 2026", "2026-Q3", "2026").
#pragma once

#include "core/base/types.hpp"

#include <string>
#include <string_view>

namespace terrane::forecast {

enum class PeriodKind : std::uint8_t { Month, Quarter, Year };
const char* periodKindName(PeriodKind k); // "month", "quarter", "year"
bool parsePeriodKind(std::string_view text, PeriodKind& out);

// A calendar period, both ends inclusive.
struct Period {
    Date start = kDateNull;
    Date end = kDateNull;
    PeriodKind kind = PeriodKind::Month;

    bool contains(Date d) const { return d != kDateNull && d >= start && d <= end; }
    int days() const { return end - start + 1; }
    bool operator==(const Period&) const = default;
};

Period periodContaining(Date d, PeriodKind k);
Period nextPeriod(const Period& p);
Period prevPeriod(const Period& p);
// `p` moved by `n` periods (negative: back).
Period shiftPeriod(const Period& p, int n);
// "Mar 2026", "2026-Q3", "2026".
std::string periodLabel(const Period& p);

} // namespace terrane::forecast
