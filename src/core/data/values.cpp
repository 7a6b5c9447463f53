#include "core/data/values.hpp"

#include "core/base/text.hpp"

#include <cmath>
#include <cstring>
#include <string>

namespace terrane {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Strips a leading/trailing currency symbol or ISO code; true if one was present.
std::string_view stripCurrency(std::string_view s) {
    static constexpr std::string_view kPrefixes[] = {
        "US$", "CA$", "C$", "A$", "AU$", "NZ$", "HK$", "S$", "R$", "$", "\xC2\xA3" /*£*/, "\xE2\x82\xAC" /*€*/,
        "\xC2\xA5" /*¥*/, "\xE2\x82\xB9" /*₹*/, "Fr.", "kr", "CHF", "USD", "EUR", "GBP", "CAD", "AUD", "JPY",
        "NZD", "SEK", "NOK", "DKK", "INR", "SGD", "HKD", "BRL", "MXN", "ZAR", "PLN"};
    bool changed = true;
    while (changed) {
        changed = false;
        s = trim(s);
        for (std::string_view p : kPrefixes) {
            if (s.size() > p.size() && startsWith(s, p)) {
                s.remove_prefix(p.size());
                changed = true;
                break;
            }
            if (s.size() > p.size() && endsWith(s, p)) {
                s.remove_suffix(p.size());
                changed = true;
                break;
            }
        }
    }
    return trim(s);
}

// Normalises "1.234,50" / "1,234.50" / "(1 234)" / "12%" / "1.5k" into a plain decimal string
// "-1234.50" plus a power-of-ten scale and a percent flag. False on anything else.
bool normalizeDecimal(std::string_view in, std::string& out, int& pow10, bool& percent) {
    std::string_view s = trim(in);
    out.clear();
    pow10 = 0;
    percent = false;
    if (s.empty()) return false;
    bool neg = false;
    if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
        neg = true;
        s = trim(s.substr(1, s.size() - 2));
    }
    if (!s.empty() && s.back() == '%') {
        percent = true;
        s = trim(s.substr(0, s.size() - 1));
    }
    // Magnitude suffixes.
    if (!s.empty()) {
        const std::string low = toLower(s);
        if (endsWith(low, "bn")) {
            pow10 = 9;
            s.remove_suffix(2);
        } else if (endsWith(low, "mm")) {
            pow10 = 6;
            s.remove_suffix(2);
        } else if (s.back() == 'k' || s.back() == 'K') {
            pow10 = 3;
            s.remove_suffix(1);
        } else if (s.back() == 'm' || s.back() == 'M') {
            pow10 = 6;
            s.remove_suffix(1);
        } else if (s.back() == 'B' || s.back() == 'b') {
            pow10 = 9;
            s.remove_suffix(1);
        }
        s = trim(s);
    }
    if (!s.empty() && (s.front() == '-' || s.front() == '+' || (s.size() > 3 && startsWith(s, "\xE2\x88\x92")))) {
        if (s.front() == '+') {
            s.remove_prefix(1);
        } else {
            neg = !neg;
            s.remove_prefix(s.front() == '-' ? 1 : 3);
        }
    } else if (!s.empty() && s.back() == '-') { // trailing minus (SAP exports)
        neg = !neg;
        s.remove_suffix(1);
    }
    s = trim(s);
    if (s.empty()) return false;
    // Exponent notation passes through as is.
    std::size_t ePos = s.find_first_of("eE");
    std::string_view mantissa = ePos == std::string_view::npos ? s : s.substr(0, ePos);
    std::string_view exponent = ePos == std::string_view::npos ? std::string_view{} : s.substr(ePos);
    std::size_t lastComma = mantissa.rfind(','), lastDot = mantissa.rfind('.');
    int commas = 0, dots = 0;
    for (char c : mantissa) {
        commas += c == ',';
        dots += c == '.';
    }
    char decimal = '.';
    if (commas && dots) {
        decimal = lastComma > lastDot ? ',' : '.';
    } else if (commas) {
        // "1,234" and "1,234,567" are thousands; "12,5" and "0,25" are decimal commas.
        const std::size_t afterLast = mantissa.size() - lastComma - 1;
        decimal = (commas == 1 && afterLast != 3) ? ',' : '.';
        if (commas == 1 && afterLast == 3 && mantissa.substr(0, lastComma) == "0") decimal = ',';
    } else if (dots > 1) {
        decimal = ','; // "1.234.567" uses dots for thousands
    }
    out.reserve(mantissa.size() + exponent.size() + 1);
    if (neg) out += '-';
    bool seenDigit = false, seenDecimal = false;
    std::size_t groupLen = 0;
    bool grouping = false;
    for (std::size_t i = 0; i < mantissa.size(); ++i) {
        const char c = mantissa[i];
        if (isDigit(c)) {
            out += c;
            seenDigit = true;
            ++groupLen;
        } else if (c == decimal) {
            if (seenDecimal) return false;
            if (grouping && groupLen != 3) return false;
            seenDecimal = true;
            out += '.';
        } else if ((c == ',' || c == '.' || c == ' ' || c == '\'') && !seenDecimal && seenDigit) {
            if (grouping && groupLen != 3) return false;
            grouping = true;
            groupLen = 0;
        } else if (c == '\xC2' && i + 1 < mantissa.size() && mantissa[i + 1] == '\xA0' && seenDigit && !seenDecimal) {
            grouping = true; // no-break space as thousands separator
            groupLen = 0;
            ++i;
        } else {
            return false;
        }
    }
    if (grouping && !seenDecimal && groupLen != 3) return false;
    if (!seenDigit) return false;
    out.append(exponent);
    return true;
}

} // namespace

bool parseNumberText(std::string_view s, double& out) {
    {
        double v = 0;
        if (parseDouble(s, v)) {
            if (!std::isfinite(v)) return false;
            out = v;
            return true;
        }
    }
    std::string norm;
    int pow10 = 0;
    bool percent = false;
    if (!normalizeDecimal(s, norm, pow10, percent)) return false;
    double v = 0;
    if (!parseDouble(norm, v)) return false;
    for (int i = 0; i < pow10; ++i) v *= 10.0;
    if (percent) v /= 100.0;
    if (!std::isfinite(v)) return false;
    out = v;
    return true;
}

namespace {
// Plain "-1234.5" with at most two decimals and 15 integer digits: exact minor units.
bool fastMoney(std::string_view s, Money& out) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    bool neg = false;
    if (n > 0 && s[0] == '-') {
        neg = true;
        i = 1;
    }
    std::uint64_t v = 0;
    const std::size_t digitsStart = i;
    while (i < n && isDigit(s[i])) v = v * 10 + static_cast<std::uint64_t>(s[i++] - '0');
    const std::size_t digits = i - digitsStart;
    if (digits == 0 || digits > 15) return false;
    std::uint64_t frac = 0;
    int fracDigits = 0;
    if (i < n && s[i] == '.') {
        ++i;
        while (i < n && isDigit(s[i]) && fracDigits < 2) {
            frac = frac * 10 + static_cast<std::uint64_t>(s[i++] - '0');
            ++fracDigits;
        }
    }
    if (i != n) return false;
    if (fracDigits == 1) frac *= 10;
    const auto m = static_cast<Money>(v * 100 + frac);
    out = neg ? -m : m;
    return true;
}
} // namespace

bool parseMoneyText(std::string_view s, Money& out) {
    if (fastMoney(s, out)) return true;
    std::string_view core = trim(s);
    // Parenthesised negatives may wrap the symbol: "($1,200.00)".
    bool paren = false;
    if (core.size() >= 2 && core.front() == '(' && core.back() == ')') {
        paren = true;
        core = core.substr(1, core.size() - 2);
    }
    core = stripCurrency(core);
    // A sign may sit before the symbol: "-$12", "- EUR 5".
    std::string signedCore(core);
    if (!core.empty() && (core.front() == '-' || core.front() == '+')) {
        std::string_view rest = stripCurrency(core.substr(1));
        signedCore = std::string(1, core.front()) + std::string(rest);
    }
    core = signedCore;
    std::string norm;
    int pow10 = 0;
    bool percent = false;
    std::string wrapped = paren ? "(" + std::string(core) + ")" : std::string(core);
    if (!normalizeDecimal(wrapped, norm, pow10, percent) || percent) return false;
    if (norm.find_first_of("eE") != std::string::npos) {
        double v = 0;
        if (!parseDouble(norm, v)) return false;
        for (int i = 0; i < pow10; ++i) v *= 10.0;
        if (!std::isfinite(v) || std::fabs(v) > 9e15) return false;
        out = static_cast<Money>(std::llround(v * 100.0));
        return true;
    }
    // Exact decimal: integer digits and fraction digits, scaled to minor units.
    bool neg = false;
    std::string_view d = norm;
    if (!d.empty() && d.front() == '-') {
        neg = true;
        d.remove_prefix(1);
    }
    const std::size_t dot = d.find('.');
    std::string digits(d.substr(0, dot));
    std::string frac = dot == std::string_view::npos ? std::string() : std::string(d.substr(dot + 1));
    // Apply the magnitude suffix by moving the decimal point.
    for (int i = 0; i < pow10; ++i) {
        if (!frac.empty()) {
            digits += frac.front();
            frac.erase(frac.begin());
        } else {
            digits += '0';
        }
    }
    while (frac.size() < 3) frac += '0';
    const bool roundUp = frac[2] >= '5';
    unsigned long long minor = 0;
    const std::string all = digits + frac.substr(0, 2);
    std::size_t firstNonZero = all.find_first_not_of('0');
    if (firstNonZero != std::string::npos && all.size() - firstNonZero > 17) return false;
    for (char c : all) minor = minor * 10ull + static_cast<unsigned long long>(c - '0');
    if (roundUp) ++minor;
    out = neg ? -static_cast<Money>(minor) : static_cast<Money>(minor);
    return true;
}

bool parseIntegerText(std::string_view s, long long& out) {
    long long v = 0;
    if (parseInt64(trim(s), v)) {
        out = v;
        return true;
    }
    double d = 0;
    if (!parseNumberText(s, d) || std::fabs(d) > 9e18) return false;
    const double r = std::round(d);
    if (std::fabs(r - d) > 1e-9 * std::max(1.0, std::fabs(d))) return false;
    out = static_cast<long long>(r);
    return true;
}

bool parseBoolText(std::string_view s, bool& out) {
    s = trim(s);
    if (s.empty() || s.size() > 9) return false;
    char buf[10];
    for (std::size_t i = 0; i < s.size(); ++i) buf[i] = (s[i] >= 'A' && s[i] <= 'Z') ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    const std::string_view v(buf, s.size());
    static constexpr std::string_view kTrue[] = {"true", "t", "yes", "y", "1", "x", "checked", "on", "wahr", "oui", "ja", "si"};
    static constexpr std::string_view kFalse[] = {"false", "f", "no", "n", "0", "unchecked", "off", "falsch", "non", "nein"};
    for (auto t : kTrue)
        if (v == t) return out = true, true;
    for (auto f : kFalse)
        if (v == f) return out = false, true;
    return false;
}

namespace {
int monthFromName(std::string_view name) {
    static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
    const std::string low = toLower(name);
    if (low.size() < 3) return 0;
    for (int i = 0; i < 12; ++i)
        if (low.compare(0, 3, kMonths[i]) == 0) return i + 1;
    return 0;
}

int expandYear(int y, std::size_t digits) {
    if (digits <= 2) return y < 70 ? 2000 + y : 1900 + y;
    return y;
}

// Splits "12/03/2025" (any of / - . separators) into three numeric parts with digit counts.
bool splitNumericDate(std::string_view s, int part[3], std::size_t len[3]) {
    int idx = 0;
    std::size_t i = 0;
    while (idx < 3) {
        std::size_t start = i;
        int v = 0;
        while (i < s.size() && isDigit(s[i])) v = v * 10 + (s[i++] - '0');
        if (i == start || i - start > 4) return false;
        part[idx] = v;
        len[idx] = i - start;
        ++idx;
        if (idx < 3) {
            if (i >= s.size() || (s[i] != '/' && s[i] != '-' && s[i] != '.')) return false;
            ++i;
        }
    }
    return i == s.size();
}
} // namespace

const char* dateOrderName(DateOrder o) {
    switch (o) {
    case DateOrder::DMY: return "dmy";
    case DateOrder::MDY: return "mdy";
    case DateOrder::YMD: return "ymd";
    case DateOrder::Auto: break;
    }
    return "auto";
}

bool parseDateOrder(std::string_view name, DateOrder& out) {
    for (DateOrder o : {DateOrder::Auto, DateOrder::DMY, DateOrder::MDY, DateOrder::YMD}) {
        if (name == dateOrderName(o)) {
            out = o;
            return true;
        }
    }
    return false;
}

bool isNullToken(std::string_view s) {
    if (s.empty() || s.size() > 4) return false;
    const char c0 = s[0];
    if (c0 != 'n' && c0 != 'N' && c0 != '#' && c0 != '-') return false;
    if (s == "-" || s == "--") return true;
    char low[5] = {0, 0, 0, 0, 0};
    for (std::size_t i = 0; i < s.size(); ++i) low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    const std::string_view l(low, s.size());
    return l == "null" || l == "n/a" || l == "na" || l == "#n/a" || l == "none" || l == "nan";
}

bool resolveDateParts(const DateParts& p, DateOrder order, Date& out) {
    const int d = order == DateOrder::DMY ? p.first : p.second;
    const int m = order == DateOrder::DMY ? p.second : p.first;
    if (!isValidYmd(p.year, m, d)) return false;
    out = daysFromCivil(p.year, m, d);
    return true;
}

DateCellResult parseDateCell(std::string_view s, DateOrder order, Date& out, DateParts& parts) {
    s = trim(s);
    if (s.empty()) return DateCellResult::Fail;
    // Fast path: ISO "YYYY-MM-DD".
    if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
        const char* c = s.data();
        if (isDigit(c[0]) && isDigit(c[1]) && isDigit(c[2]) && isDigit(c[3]) && isDigit(c[5]) && isDigit(c[6]) && isDigit(c[8]) &&
            isDigit(c[9])) {
            const int y = (c[0] - '0') * 1000 + (c[1] - '0') * 100 + (c[2] - '0') * 10 + (c[3] - '0');
            const int m = (c[5] - '0') * 10 + (c[6] - '0');
            const int d = (c[8] - '0') * 10 + (c[9] - '0');
            if (!isValidYmd(y, m, d)) return DateCellResult::Fail;
            out = daysFromCivil(y, m, d);
            return DateCellResult::Done;
        }
    }
    // Drop a time part: "2025-03-04T10:00:00Z", "03/04/2025 14:22", "02/23/26 08:55 PM",
    // "2025-03-04 10:00:00+01:00", "March 4, 2025 10:00".
    std::string_view datePart = s;
    if (s.size() > 10 && s[10] == 'T') {
        datePart = s.substr(0, 10);
    } else if (const std::size_t colon = s.find(':'); colon != std::string_view::npos) {
        const std::size_t sp = s.rfind(' ', colon);
        if (sp == std::string_view::npos) return DateCellResult::Fail;
        datePart = trim(s.substr(0, sp));
    }
    int p[3];
    std::size_t len[3];
    if (splitNumericDate(datePart, p, len)) {
        if (len[0] == 4) { // Y-M-D
            if (!isValidYmd(p[0], p[1], p[2])) return DateCellResult::Fail;
            out = daysFromCivil(p[0], p[1], p[2]);
            return DateCellResult::Done;
        }
        if (len[2] != 4 && len[2] != 2) return DateCellResult::Fail;
        parts = DateParts{p[0], p[1], expandYear(p[2], len[2])};
        DateOrder o = order;
        if (o == DateOrder::YMD) o = DateOrder::Auto;
        if (o == DateOrder::Auto) {
            if (p[0] > 12 && p[1] > 12) return DateCellResult::Fail;
            // A number above 12 settles the order of this cell, but the column decides.
            return DateCellResult::NeedsOrder;
        }
        return resolveDateParts(parts, o, out) ? DateCellResult::Done : DateCellResult::Fail;
    }
    // Excel serial date (1900 system): plausible range 1954..2119.
    double serial = 0;
    if (parseDouble(datePart, serial) && serial >= 20000 && serial <= 80000) {
        out = daysFromCivil(1899, 12, 30) + static_cast<Date>(std::floor(serial));
        return DateCellResult::Done;
    }
    // Named months: "4-Mar-2025", "4 March 2025", "March 4, 2025", "Mar 4 2025".
    std::string cleaned;
    for (char c : datePart) cleaned += (c == '-' || c == ',' || c == '/' || c == '.') ? ' ' : c;
    std::vector<std::string_view> tok, raw;
    splitInto(cleaned, ' ', raw);
    for (auto t : raw)
        if (!t.empty()) tok.push_back(t);
    if (tok.size() == 3) {
        int m = 0, d = 0, y = 0;
        long long v = 0;
        if ((m = monthFromName(tok[1])) && parseInt64(tok[0], v)) {
            d = static_cast<int>(v);
            long long yy = 0;
            if (!parseInt64(tok[2], yy)) return DateCellResult::Fail;
            y = expandYear(static_cast<int>(yy), tok[2].size());
        } else if ((m = monthFromName(tok[0])) && parseInt64(tok[1], v)) {
            d = static_cast<int>(v);
            long long yy = 0;
            if (!parseInt64(tok[2], yy)) return DateCellResult::Fail;
            y = expandYear(static_cast<int>(yy), tok[2].size());
        } else {
            return DateCellResult::Fail;
        }
        if (!isValidYmd(y, m, d)) return DateCellResult::Fail;
        out = daysFromCivil(y, m, d);
        return DateCellResult::Done;
    }
    return DateCellResult::Fail;
}

bool parseDateText(std::string_view s, DateOrder order, Date& out) {
    DateParts parts;
    switch (parseDateCell(s, order, out, parts)) {
    case DateCellResult::Done: return true;
    case DateCellResult::Fail: return false;
    case DateCellResult::NeedsOrder:
        return resolveDateParts(parts, parts.first > 12 ? DateOrder::DMY : DateOrder::MDY, out);
    }
    return false;
}

} // namespace terrane
