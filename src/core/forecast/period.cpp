// Forecast periods: calendar months, quarters and years.
#include "core/forecast/period.hpp"

namespace terrane::forecast {

namespace {
int monthsOf(PeriodKind k) { return k == PeriodKind::Month ? 1 : k == PeriodKind::Quarter ? 3 : 12; }
} // namespace

const char* periodKindName(PeriodKind k) {
    switch (k) {
    case PeriodKind::Month: return "month";
    case PeriodKind::Quarter: return "quarter";
    case PeriodKind::Year: return "year";
    }
    return "?";
}

bool parsePeriodKind(std::string_view text, PeriodKind& out) {
    for (PeriodKind k : {PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year})
        if (text == periodKindName(k)) {
            out = k;
            return true;
        }
    return false;
}

Period periodContaining(Date d, PeriodKind k) {
    const Ymd ymd = civilFromDays(d);
    const int n = monthsOf(k);
    const int firstMonth = (ymd.month - 1) / n * n + 1;
    Period p;
    p.kind = k;
    p.start = daysFromCivil(ymd.year, firstMonth, 1);
    p.end = addMonths(p.start, n) - 1;
    return p;
}

Period shiftPeriod(const Period& p, int n) {
    Period q;
    q.kind = p.kind;
    q.start = addMonths(p.start, n * monthsOf(p.kind));
    q.end = addMonths(q.start, monthsOf(p.kind)) - 1;
    return q;
}

Period nextPeriod(const Period& p) { return shiftPeriod(p, 1); }
Period prevPeriod(const Period& p) { return shiftPeriod(p, -1); }

std::string periodLabel(const Period& p) {
    static constexpr const char* kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const Ymd ymd = civilFromDays(p.start);
    const std::string year = std::to_string(ymd.year);
    switch (p.kind) {
    case PeriodKind::Month: return std::string(kMonths[ymd.month - 1]) + " " + year;
    case PeriodKind::Quarter: return year + "-Q" + std::to_string((ymd.month - 1) / 3 + 1);
    case PeriodKind::Year: return year;
    }
    return year;
}

} // namespace terrane::forecast
