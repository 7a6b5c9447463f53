#include "core/base/text.hpp"

#include <fast_float/fast_float.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace terrane {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

std::string toLower(std::string_view s) {
    std::string r(s);
    for (char& c : r)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return r;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

void splitInto(std::string_view s, char sep, std::vector<std::string_view>& out) {
    out.clear();
    std::size_t pos = 0;
    for (;;) {
        const std::size_t end = s.find(sep, pos);
        if (end == std::string_view::npos) {
            out.push_back(s.substr(pos));
            return;
        }
        out.push_back(s.substr(pos, end - pos));
        pos = end + 1;
    }
}

bool parseDouble(std::string_view s, double& out) {
    if (s.empty()) return false;
    const char* first = s.data();
    const char* last = s.data() + s.size();
    if (*first == '+') ++first;
    auto res = fast_float::from_chars(first, last, out);
    return res.ec == std::errc() && res.ptr == last;
}

double parseDoubleOr(std::string_view s, double fallback) {
    double v;
    return parseDouble(s, v) ? v : fallback;
}

bool parseInt64(std::string_view s, long long& out) {
    if (s.empty()) return false;
    const char* first = s.data();
    if (*first == '+') ++first;
    auto res = std::from_chars(first, s.data() + s.size(), out);
    return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

std::string formatDouble(double v) {
    if (std::isnan(v)) return {};
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.0f", v);
        return buf;
    }
    char buf[40];
    for (int prec = 6; prec <= 17; ++prec) {
        std::snprintf(buf, sizeof buf, "%.*g", prec, v);
        double back = 0;
        if (parseDouble(buf, back) && back == v) break;
    }
    return buf;
}

std::string formatFixed(double v, int decimals) {
    if (std::isnan(v)) return {};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string jsonEscape(std::string_view s) {
    std::string r;
    r.reserve(s.size() + 2);
    for (char c : s) {
        switch (c) {
        case '"': r += "\\\""; break;
        case '\\': r += "\\\\"; break;
        case '\n': r += "\\n"; break;
        case '\r': r += "\\r"; break;
        case '\t': r += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                r += buf;
            } else {
                r += c;
            }
        }
    }
    return r;
}

} // namespace terrane
