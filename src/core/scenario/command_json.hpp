// Reading and writing plan commands as JSON (the command logs of .terrane files). Each domain's
// commands read and write their own fields through these, so every command reports bad input the
// same way: the JSON path and what was expected ("scenarios[0].commands[3].to: expected ...").
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace terrane {

struct Scenario;
using Json = nlohmann::ordered_json;

// A validation failure; the message starts with the JSON path where it happened.
struct JsonFieldError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// `obj[key]`, or throws "where: missing "key"" (or "expected an object").
const Json& jsonMember(const Json& obj, const char* key, const std::string& where);
// `obj[key]` as text; missing or null gives "" unless `required`.
std::string jsonString(const Json& obj, const char* key, const std::string& where, bool required = false);
// A whole number within [lo, hi].
std::int64_t jsonInteger(const Json& v, const std::string& where, std::int64_t lo, std::int64_t hi);

// One command's JSON object with the bounds its references must respect.
class CommandReader {
public:
    CommandReader(const Json& j, std::string where, std::size_t accounts, std::size_t territories)
        : m_j(j), m_where(std::move(where)), m_accounts(accounts), m_territories(territories) {}
    const Json& json() const { return m_j; }
    const std::string& where() const { return m_where; }
    bool has(const char* key) const;
    const Json& member(const char* key) const { return jsonMember(m_j, key, m_where); }
    std::string text(const char* key, bool required = false) const { return jsonString(m_j, key, m_where, required); }
    std::int64_t integer(const char* key, std::int64_t lo, std::int64_t hi) const;
    bool boolean(const char* key) const;
    // A list of account rows, each an existing row.
    std::vector<std::uint32_t> accountRows(const char* key) const;
    // A territory row (-1 allowed with `allowNone`). Rows made by earlier commands in the log are
    // accepted here; the command's own validation refuses the rest when it is replayed.
    std::int32_t territory(const char* key, bool allowNone) const;
    std::int32_t territory(const Json& v, const std::string& where, bool allowNone) const;
    [[noreturn]] void fail(const char* key, const std::string& expected) const;

private:
    const Json& m_j;
    std::string m_where;
    std::size_t m_accounts, m_territories;
};

// Writing: account rows as a JSON list.
Json accountRowsJson(const std::vector<std::uint32_t>& rows);

} // namespace terrane
