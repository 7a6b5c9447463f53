// Small text utilities shared by parsers and writers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace terrane {

std::string_view trim(std::string_view s);
std::string toLower(std::string_view s); // ASCII only
bool equalsIgnoreCase(std::string_view a, std::string_view b);
bool startsWith(std::string_view s, std::string_view prefix);
bool endsWith(std::string_view s, std::string_view suffix);
// Splits on `sep` into `out` (cleared first); views point into `s`.
void splitInto(std::string_view s, char sep, std::vector<std::string_view>& out);
// Calls fn(line) for each line, without the terminating "\n" or "\r\n".
template <class Fn> void forEachLine(std::string_view text, Fn&& fn) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        fn(line);
        pos = end + 1;
    }
}
// Whole-string decimal parse ("1.5", "-2e3"); false if anything else is present.
bool parseDouble(std::string_view s, double& out);
double parseDoubleOr(std::string_view s, double fallback);
bool parseInt64(std::string_view s, long long& out);
// Shortest text that parses back to the same double ("0.1", "12", "1e+21"); "" for NaN.
std::string formatDouble(double v);
// Fixed decimals, trailing zeros kept ("40.71280").
std::string formatFixed(double v, int decimals);
// Escapes a string for inclusion in JSON (without the surrounding quotes).
std::string jsonEscape(std::string_view s);

} // namespace terrane
