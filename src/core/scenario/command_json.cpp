#include "core/scenario/command_json.hpp"

#include <nlohmann/json.hpp>

namespace terrane {

const Json& jsonMember(const Json& obj, const char* key, const std::string& where) {
    if (!obj.is_object()) throw JsonFieldError(where + ": expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) throw JsonFieldError(where + ": missing \"" + key + "\"");
    return *it;
}

std::string jsonString(const Json& obj, const char* key, const std::string& where, bool required) {
    if (!obj.is_object()) throw JsonFieldError(where + ": expected an object");
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (required) throw JsonFieldError(where + ": missing \"" + key + "\"");
        return {};
    }
    if (!it->is_string()) throw JsonFieldError(where + "." + key + ": expected text");
    return it->get<std::string>();
}

std::int64_t jsonInteger(const Json& v, const std::string& where, std::int64_t lo, std::int64_t hi) {
    if (!v.is_number_integer()) throw JsonFieldError(where + ": expected a whole number");
    const std::int64_t x = v.get<std::int64_t>();
    if (x < lo || x > hi) throw JsonFieldError(where + ": " + std::to_string(x) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
    return x;
}

bool CommandReader::has(const char* key) const { return m_j.is_object() && m_j.contains(key); }

std::int64_t CommandReader::integer(const char* key, std::int64_t lo, std::int64_t hi) const {
    return jsonInteger(member(key), m_where + "." + key, lo, hi);
}

bool CommandReader::boolean(const char* key) const {
    const Json& v = member(key);
    if (!v.is_boolean()) fail(key, "true or false");
    return v.get<bool>();
}

std::vector<std::uint32_t> CommandReader::accountRows(const char* key) const {
    const Json& a = member(key);
    if (!a.is_array()) fail(key, "a list of account rows");
    std::vector<std::uint32_t> v;
    v.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        v.push_back(static_cast<std::uint32_t>(
            jsonInteger(a[i], m_where + "." + key + "[" + std::to_string(i) + "]", 0, static_cast<std::int64_t>(m_accounts) - 1)));
    return v;
}

std::int32_t CommandReader::territory(const Json& v, const std::string& where, bool allowNone) const {
    return static_cast<std::int32_t>(jsonInteger(v, where, allowNone ? -1 : 0, static_cast<std::int64_t>(m_territories) + 1000000));
}

std::int32_t CommandReader::territory(const char* key, bool allowNone) const {
    return territory(member(key), m_where + "." + key, allowNone);
}

void CommandReader::fail(const char* key, const std::string& expected) const {
    throw JsonFieldError(m_where + "." + key + ": expected " + expected);
}

Json accountRowsJson(const std::vector<std::uint32_t>& rows) {
    Json a = Json::array();
    for (auto x : rows) a.push_back(x);
    return a;
}

} // namespace terrane
