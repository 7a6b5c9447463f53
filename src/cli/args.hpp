// Command-line arguments: `--key value`, `--key=value`, repeatable keys, flags, positionals.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace terrane::cli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
  public:
    // `flags` lists the options that take no value (e.g. "json").
    Args(int argc, char** argv, int first, const std::vector<std::string>& flags);

    bool has(const std::string& key) const;
    std::string get(const std::string& key, const std::string& fallback = "") const;
    std::string required(const std::string& key) const; // throws UsageError
    std::vector<std::string> all(const std::string& key) const;
    long long integer(const std::string& key, long long fallback) const;
    double number(const std::string& key, double fallback) const;
    const std::vector<std::string>& positional() const { return m_positional; }
    // Throws UsageError naming any option not in `known`.
    void allowOnly(const std::vector<std::string>& known) const;

  private:
    std::multimap<std::string, std::string> m_values;
    std::vector<std::string> m_positional;
};

// The one comma-list parser: "0.25,0.5,0.75,1" -> numbers (each as a CSV cell would read: "10%"
// is 0.1); throws UsageError naming the option when a part is not a number or is outside [lo, hi].
std::vector<double> parseNumberList(const std::string& option, const std::string& text, double lo = -1e300, double hi = 1e300);

std::string readFile(const std::string& path);                       // throws InputError
void writeFile(const std::string& path, const std::string& content); // throws InputError

} // namespace terrane::cli
