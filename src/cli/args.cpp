#include "cli/args.hpp"

#include "core/base/memory.hpp"
#include "core/base/text.hpp"
#include "core/data/values.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace terrane::cli {

Args::Args(int argc, char** argv, int first, const std::vector<std::string>& flags) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
            std::string key = a.substr(2), value;
            if (auto eq = key.find('='); eq != std::string::npos) {
                value = key.substr(eq + 1);
                key = key.substr(0, eq);
            } else if (std::find(flags.begin(), flags.end(), key) != flags.end()) {
                value = "true";
            } else {
                if (i + 1 >= argc) throw UsageError("option --" + key + " needs a value");
                value = argv[++i];
            }
            m_values.emplace(key, value);
        } else {
            m_positional.push_back(a);
        }
    }
}

bool Args::has(const std::string& key) const { return m_values.count(key) > 0; }

std::string Args::get(const std::string& key, const std::string& fallback) const {
    auto it = m_values.find(key);
    return it == m_values.end() ? fallback : it->second;
}

std::string Args::required(const std::string& key) const {
    auto it = m_values.find(key);
    if (it == m_values.end()) throw UsageError("missing required option --" + key);
    return it->second;
}

std::vector<std::string> Args::all(const std::string& key) const {
    std::vector<std::string> out;
    auto [b, e] = m_values.equal_range(key);
    for (auto it = b; it != e; ++it) out.push_back(it->second);
    return out;
}

long long Args::integer(const std::string& key, long long fallback) const {
    if (!has(key)) return fallback;
    long long v = 0;
    if (!parseInt64(get(key), v)) throw UsageError("option --" + key + " expects a whole number, got '" + get(key) + "'");
    return v;
}

double Args::number(const std::string& key, double fallback) const {
    if (!has(key)) return fallback;
    double v = 0;
    if (!parseDouble(get(key), v)) throw UsageError("option --" + key + " expects a number, got '" + get(key) + "'");
    return v;
}

void Args::allowOnly(const std::vector<std::string>& known) const {
    for (const auto& [k, v] : m_values)
        if (std::find(known.begin(), known.end(), k) == known.end()) throw UsageError("unknown option --" + k);
}

std::vector<double> parseNumberList(const std::string& option, const std::string& text, double lo, double hi) {
    std::vector<std::string_view> parts;
    splitInto(text, ',', parts);
    std::vector<double> out;
    for (std::string_view part : parts) {
        double v = 0;
        if (!parseNumberText(trim(part), v) || v < lo || v > hi) {
            const std::string range = lo > -1e300 && hi < 1e300 ? " between " + formatDouble(lo) + " and " + formatDouble(hi) : "";
            throw UsageError("option --" + option + " expects comma-separated numbers" + range + ", got '" + text + "'");
        }
        out.push_back(v);
    }
    return out;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw InputError(path + ": cannot open file (" + std::strerror(errno) + ")");
    const std::streamoff size = in.tellg();
    std::string out;
    if (size > 0) {
        // One allocation and one read for regular files (a 100 MB export should not be copied twice).
        reserveLarge(out, static_cast<std::size_t>(size));
        out.resize(static_cast<std::size_t>(size));
        in.seekg(0);
        if (!in.read(out.data(), size)) throw InputError(path + ": read failed (" + std::strerror(errno) + ")");
        return out;
    }
    in.clear();
    in.seekg(0);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path + ": cannot write file (" + std::strerror(errno) + ")");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw InputError(path + ": write failed");
}

} // namespace terrane::cli
