#include "core/geo/geocode.hpp"

#include "core/base/text.hpp"

#include <algorithm>
#include <unordered_map>

namespace terrane {

// Index
//  [SECTION] names         normalising place and country names
//  [SECTION] index         lookup tables over the gazetteer
//  [SECTION] locate        one address
//  [SECTION] accounts      a whole accounts table

const char* geoPrecisionName(GeoPrecision p) {
    switch (p) {
    case GeoPrecision::None: return "none";
    case GeoPrecision::Country: return "country";
    case GeoPrecision::Region: return "region";
    case GeoPrecision::City: return "city";
    case GeoPrecision::Postcode: return "postcode";
    case GeoPrecision::Exact: return "exact";
    }
    return "none";
}

bool parseGeoPrecision(std::string_view name, GeoPrecision& out) {
    for (int i = 0; i < kGeoPrecisionCount; ++i) {
        if (name == geoPrecisionName(static_cast<GeoPrecision>(i))) {
            out = static_cast<GeoPrecision>(i);
            return true;
        }
    }
    return false;
}

// [SECTION] names
namespace {

// Base letters of U+00C0..U+00FF (UTF-8 C3 80..C3 BF); ' ' for the two symbols.
constexpr char kLatin1Fold[] = "AAAAAAACEEEEIIIIDNOOOOO OUUUUYTsaaaaaaaceeeeiiiidnooooo ouuuuyty";

// Lower-case letters and digits with single spaces; accents folded; "saint" -> "st".
std::string normPlace(std::string_view s) {
    std::string r;
    r.reserve(s.size());
    bool space = false;
    auto put = [&](char c) {
        if (space && !r.empty()) r += ' ';
        space = false;
        r += c;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 'A' && c <= 'Z') put(static_cast<char>(c - 'A' + 'a'));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) put(static_cast<char>(c));
        else if (c == '\'') continue; // "St. John's" == "St Johns"
        else if (c == 0xC3 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                 static_cast<unsigned char>(s[i + 1]) <= 0xBF) {
            const char f = kLatin1Fold[static_cast<unsigned char>(s[i + 1]) - 0x80];
            ++i;
            if (f == ' ') space = true;
            else put(f >= 'A' && f <= 'Z' ? static_cast<char>(f - 'A' + 'a') : f);
        } else {
            space = true;
        }
    }
    if (r.rfind("saint ", 0) == 0) r.replace(0, 5, "st");
    if (r.rfind("sainte ", 0) == 0) r.replace(0, 6, "ste");
    return r;
}

// Country spellings: letters and digits only ("U.S.A." -> "usa").
std::string normKey(std::string_view s) {
    std::string r;
    for (char c : normPlace(s))
        if (c != ' ') r += c;
    return r;
}

struct Province {
    const char* code;
    const char* name;
    const char* geonames; // GeoNames admin1 code
};
constexpr Province kProvinces[] = {
    {"AB", "Alberta", "01"},       {"BC", "British Columbia", "02"},      {"MB", "Manitoba", "03"},
    {"NB", "New Brunswick", "04"}, {"NL", "Newfoundland and Labrador", "05"}, {"NS", "Nova Scotia", "07"},
    {"ON", "Ontario", "08"},       {"PE", "Prince Edward Island", "09"},  {"QC", "Quebec", "10"},
    {"SK", "Saskatchewan", "11"},  {"YT", "Yukon", "12"},                 {"NT", "Northwest Territories", "13"},
    {"NU", "Nunavut", "14"}};

struct CountryAlias {
    const char* alias;
    const char* iso2;
};
constexpr CountryAlias kCountryAliases[] = {
    {"england", "GB"},      {"scotland", "GB"},      {"wales", "GB"},          {"northernireland", "GB"},
    {"greatbritain", "GB"}, {"britain", "GB"},       {"unitedkingdom", "GB"},  {"america", "US"},
    {"unitedstates", "US"}, {"usa", "US"},           {"deutschland", "DE"},    {"holland", "NL"},
    {"thenetherlands", "NL"}, {"southkorea", "KR"},  {"korea", "KR"},          {"russia", "RU"},
    {"uae", "AE"},          {"taiwan", "TW"},        {"espana", "ES"},         {"brasil", "BR"},
    {"schweiz", "CH"},      {"suisse", "CH"},        {"osterreich", "AT"},     {"italia", "IT"},
    {"vietnam", "VN"},      {"czechrepublic", "CZ"}, {"iran", "IR"},           {"hongkong", "HK"},
    {"macau", "MO"},        {"laos", "LA"},          {"syria", "SY"},          {"bolivia", "BO"},
    {"venezuela", "VE"},    {"tanzania", "TZ"},      {"moldova", "MD"},        {"ivorycoast", "CI"},
    {"turkiye", "TR"},      {"turkey", "TR"},        {"nederland", "NL"},      {"belgique", "BE"},
    {"belgie", "BE"},       {"sverige", "SE"},       {"norge", "NO"},          {"danmark", "DK"},
    {"polska", "PL"},       {"eire", "IE"},          {"nz", "NZ"},             {"aus", "AU"}};

struct GbNation {
    const char* name;
    const char* admin;
};
constexpr GbNation kGbNations[] = {{"england", "ENG"}, {"scotland", "SCT"}, {"wales", "WLS"}, {"northern ireland", "NIR"}};

constexpr double kConflictKm = 60.0;

} // namespace

// [SECTION] index
struct Geocoder::Index {
    const Gazetteer& g;
    std::vector<std::int32_t> zipByNumber; // 100000 entries: index into g.zips() or -1
    std::unordered_map<std::string, std::uint32_t> fsa;
    std::unordered_map<std::string, std::uint16_t> stateByKey; // code and name -> states() index
    std::unordered_map<std::string, int> provinceByKey;       // code and name -> kProvinces index
    std::array<std::array<double, 3>, std::size(kProvinces)> provinceCentre{}; // lat, lon, n
    std::unordered_map<std::string, std::vector<std::uint32_t>> cities; // normPlace(name) -> cities()
    struct Place {
        double lat = 0, lon = 0;
        double n = 0;
        std::uint16_t state = 0;
    };
    std::vector<Place> places;                                             // ZIP place centroids
    std::unordered_map<std::string, std::vector<std::uint32_t>> placesByName; // normPlace(place) -> places
    std::unordered_map<std::string, std::uint32_t> countryByKey;          // normKey(...) -> countries()
    std::unordered_map<std::string, std::uint32_t> countryByIso2;

    explicit Index(const Gazetteer& gz) : g(gz) {
        zipByNumber.assign(100000, -1);
        for (std::size_t i = 0; i < g.zips().size(); ++i)
            if (g.zips()[i].zip < 100000) zipByNumber[g.zips()[i].zip] = static_cast<std::int32_t>(i);
        for (std::size_t i = 0; i < g.fsas().size(); ++i) {
            const FsaInfo& f = g.fsas()[i];
            fsa.emplace(std::string(f.code, 3), static_cast<std::uint32_t>(i));
            for (std::size_t p = 0; p < std::size(kProvinces); ++p) {
                if (f.province == kProvinces[p].name) {
                    provinceCentre[p][0] += f.lat;
                    provinceCentre[p][1] += f.lon;
                    provinceCentre[p][2] += 1;
                }
            }
        }
        for (auto& c : provinceCentre)
            if (c[2] > 0) c[0] /= c[2], c[1] /= c[2];
        for (std::size_t i = 0; i < g.states().size(); ++i) {
            stateByKey.emplace(normKey(g.states()[i].code), static_cast<std::uint16_t>(i));
            stateByKey.emplace(normKey(g.states()[i].name), static_cast<std::uint16_t>(i));
        }
        for (std::size_t p = 0; p < std::size(kProvinces); ++p) {
            provinceByKey.emplace(normKey(kProvinces[p].code), static_cast<int>(p));
            provinceByKey.emplace(normKey(kProvinces[p].name), static_cast<int>(p));
        }
        provinceByKey.emplace("quebec", 8);
        for (std::size_t i = 0; i < g.cities().size(); ++i) cities[normPlace(g.cities()[i].name)].push_back(static_cast<std::uint32_t>(i));
        std::unordered_map<std::string, std::uint32_t> placeIndex;
        for (const ZipInfo& z : g.zips()) {
            const std::string name = normPlace(g.placeName(z.place));
            if (name.empty()) continue;
            const std::string key = name + "|" + std::to_string(z.state);
            auto [it, fresh] = placeIndex.try_emplace(key, static_cast<std::uint32_t>(places.size()));
            if (fresh) {
                places.push_back(Place{0, 0, 0, z.state});
                placesByName[name].push_back(it->second);
            }
            Place& p = places[it->second];
            p.lat += z.lat;
            p.lon += z.lon;
            p.n += 1;
        }
        for (Place& p : places) p.lat /= p.n, p.lon /= p.n;
        for (std::size_t i = 0; i < g.countries().size(); ++i) {
            const CountryInfo& c = g.countries()[i];
            const auto id = static_cast<std::uint32_t>(i);
            countryByIso2.emplace(c.iso2, id);
            countryByKey.emplace(normKey(c.iso2), id);
            countryByKey.emplace(normKey(c.iso3), id);
            countryByKey.emplace(normKey(c.name), id);
            for (const auto& a : c.aliases) countryByKey.emplace(normKey(a), id);
        }
        for (const CountryAlias& a : kCountryAliases)
            if (auto it = countryByIso2.find(a.iso2); it != countryByIso2.end()) countryByKey.emplace(a.alias, it->second);
    }

    const CountryInfo* country(std::string_view text) const {
        const std::string k = normKey(text);
        if (k.empty()) return nullptr;
        auto it = countryByKey.find(k);
        return it == countryByKey.end() ? nullptr : &g.countries()[it->second];
    }
    const CountryInfo* countryIso2(std::string_view iso2) const {
        auto it = countryByIso2.find(std::string(iso2));
        return it == countryByIso2.end() ? nullptr : &g.countries()[it->second];
    }
    int usState(std::string_view text) const {
        auto it = stateByKey.find(normKey(text));
        return it == stateByKey.end() ? -1 : it->second;
    }
    int province(std::string_view text) const {
        auto it = provinceByKey.find(normKey(text));
        return it == provinceByKey.end() ? -1 : it->second;
    }
};

Geocoder::Geocoder(const Gazetteer& g) : m_ix(std::make_unique<Index>(g)) {}
Geocoder::~Geocoder() = default;

const Geocoder& Geocoder::builtIn() {
    static const Geocoder g(Gazetteer::builtIn());
    return g;
}

std::string Geocoder::countryCode(std::string_view text) const {
    const CountryInfo* c = m_ix->country(text);
    return c ? c->iso2 : std::string();
}

// [SECTION] locate
namespace {

// A US ZIP from "78701", "78701-1234", "787011234", "2134" (leading zero lost in Excel) and
// "2134.0"; `lostZeros` allows the 3- and 4-digit forms. -1 when not a ZIP.
int parseZip(std::string_view s, bool lostZeros) {
    s = trim(s);
    if (endsWith(s, ".0")) s.remove_suffix(2);
    std::size_t digits = 0;
    while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
    std::string_view head = s.substr(0, digits);
    const std::string_view rest = s.substr(digits);
    if (digits == 9 && rest.empty()) head = head.substr(0, 5);
    else if (digits == 5 && (rest.empty() || (rest.size() == 5 && rest[0] == '-') || (rest.size() == 4 && rest[0] == ' '))) {
    } else if ((digits == 4 || digits == 3) && rest.empty() && lostZeros) {
    } else {
        return -1;
    }
    int v = 0;
    for (char c : head) v = v * 10 + (c - '0');
    return v;
}

// "M5V 3L9", "m5v3l9", "M5V" -> "M5V"; "" when not a Canadian postal code.
std::string parseFsa(std::string_view s) {
    s = trim(s);
    if (s.size() < 3) return {};
    auto up = [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; };
    const char a = up(s[0]), b = s[1], c = up(s[2]);
    if (a < 'A' || a > 'Z' || b < '0' || b > '9' || c < 'A' || c > 'Z') return {};
    std::string_view rest = trim(s.substr(3));
    if (!rest.empty() && rest.size() != 3) return {};
    return std::string{a, b, c};
}

} // namespace

GeoResult Geocoder::locate(const GeoQuery& q) const {
    const Index& ix = *m_ix;
    GeoResult r;
    if (std::isfinite(q.lat) && std::isfinite(q.lon) && std::fabs(q.lat) <= 90 && std::fabs(q.lon) <= 180 && !(q.lat == 0 && q.lon == 0)) {
        r.precision = GeoPrecision::Exact;
        r.lat = q.lat;
        r.lon = q.lon;
        r.basis = "coordinates in the file";
        if (const CountryInfo* c = ix.country(q.country)) r.country = c->iso2;
        return r;
    }
    // The country: as written, else implied by a US state or Canadian province, else a state
    // field that actually holds a country ("UK", "Singapore").
    std::string_view state = trim(q.state);
    const std::string_view city = trim(q.city);
    const CountryInfo* country = ix.country(q.country);
    int usState = -1, province = -1;
    if (!state.empty()) {
        if (!country || country->iso2 == "US") usState = ix.usState(state);
        if (usState < 0 && (!country || country->iso2 == "CA")) province = ix.province(state);
        if (usState >= 0 && !country) country = ix.countryIso2("US");
        else if (province >= 0 && !country) country = ix.countryIso2("CA");
        else if (usState < 0 && province < 0 && !country) {
            if ((country = ix.country(state))) state = {};
        }
    }
    const std::string cc = country ? country->iso2 : std::string();

    // Finds the city; `nearLat/nearLon` (when set) prefers the candidate nearest to that point.
    auto findCity = [&](std::string_view want, const std::string& inCountry, int inState, int inProvince, double nearLat, double nearLon,
                        double& lat, double& lon, std::string& ccOut, std::string& label) -> bool {
        const std::string key = normPlace(want);
        if (key.empty()) return false;
        const bool near = std::isfinite(nearLat);
        bool have = false;
        double best = 0;
        auto consider = [&](double la, double lo, double score, const std::string& c, std::string l) {
            if (near) score = -greatCircleKm(nearLat, nearLon, la, lo);
            if (!have || score > best) {
                have = true;
                best = score;
                lat = la, lon = lo, ccOut = c, label = std::move(l);
            }
        };
        bool found = false;
        // US: ZIP place names cover every town with a post office.
        if (inCountry.empty() || inCountry == "US") {
            if (auto it = ix.placesByName.find(key); it != ix.placesByName.end()) {
                for (std::uint32_t pi : it->second) {
                    const Index::Place& p = ix.places[pi];
                    if (inState >= 0 && p.state != inState) continue;
                    if (inState < 0 && inCountry.empty() && !near) continue; // GeoNames ranks by population below
                    consider(p.lat, p.lon, p.n, "US", std::string(want) + ", " + ix.g.states()[p.state].code);
                    found = true;
                }
            }
        }
        if (found && !near) return true;
        if (auto it = ix.cities.find(key); it != ix.cities.end()) {
            const char* admin = nullptr;
            if (inState >= 0) admin = ix.g.states()[static_cast<std::size_t>(inState)].code.c_str();
            if (inProvince >= 0) admin = kProvinces[inProvince].geonames;
            std::string gbAdmin;
            if (inCountry == "GB" && !state.empty())
                for (const GbNation& n : kGbNations)
                    if (normPlace(state) == n.name) gbAdmin = n.admin;
            for (std::uint32_t ci : it->second) {
                const CityInfo& c = ix.g.cities()[ci];
                const std::string ccity(c.country, 2);
                if (!inCountry.empty() && ccity != inCountry) continue;
                if (admin && c.admin != admin) continue;
                if (!gbAdmin.empty() && c.admin != gbAdmin) continue;
                consider(c.lat, c.lon, static_cast<double>(c.population) + 1e6 /* above ZIP places */, ccity,
                         std::string(want) + ", " + (ccity == "US" ? c.admin + ", US" : ccity));
                found = true;
            }
        }
        return found;
    };

    // Postcode.
    const std::string_view pc = trim(q.postcode);
    if (!pc.empty()) {
        bool placed = false;
        if (cc.empty() || cc == "US") {
            const bool lostZeros = cc == "US" || usState >= 0;
            const int zip = parseZip(pc, lostZeros);
            if (zip >= 0 && ix.zipByNumber[static_cast<std::size_t>(zip)] >= 0) {
                const ZipInfo& z = ix.g.zips()[static_cast<std::size_t>(ix.zipByNumber[static_cast<std::size_t>(zip)])];
                r.precision = GeoPrecision::Postcode;
                r.lat = z.lat, r.lon = z.lon, r.country = "US";
                r.basis = "ZIP " + ix.g.zipString(z);
                if (usState >= 0 && z.state != usState) r.conflict = true;
                placed = true;
            }
        }
        if (!placed && (cc.empty() || cc == "CA")) {
            const std::string f = parseFsa(pc);
            if (auto it = ix.fsa.find(f); !f.empty() && it != ix.fsa.end()) {
                const FsaInfo& a = ix.g.fsas()[it->second];
                r.precision = GeoPrecision::Postcode;
                r.lat = a.lat, r.lon = a.lon, r.country = "CA";
                r.basis = "FSA " + f;
                if (province >= 0 && a.province != kProvinces[province].name) r.conflict = true;
                placed = true;
            }
        }
        if (placed) {
            // A named city far from the postcode (or only elsewhere in the world) is a conflict.
            if (!city.empty() && !r.conflict) {
                double la = 0, lo = 0;
                std::string c2, label;
                if (findCity(city, r.country, -1, -1, r.lat, r.lon, la, lo, c2, label)) {
                    if (greatCircleKm(r.lat, r.lon, la, lo) > kConflictKm) r.conflict = true;
                } else if (cc.empty() && findCity(city, "", -1, -1, std::nan(""), std::nan(""), la, lo, c2, label)) {
                    r.conflict = true;
                }
            }
            return r;
        }
    }
    // City (+ region + country).
    if (!city.empty()) {
        double la = 0, lo = 0;
        std::string c2, label;
        if (findCity(city, cc, usState, province, std::nan(""), std::nan(""), la, lo, c2, label)) {
            r.precision = GeoPrecision::City;
            r.lat = la, r.lon = lo, r.country = c2;
            r.basis = "city " + label;
            return r;
        }
    }
    // Region.
    if (usState >= 0) {
        const StateInfo& s = ix.g.states()[static_cast<std::size_t>(usState)];
        r.precision = GeoPrecision::Region;
        r.lat = s.lat, r.lon = s.lon, r.country = "US";
        r.basis = "state " + s.code;
        return r;
    }
    if (province >= 0 && ix.provinceCentre[static_cast<std::size_t>(province)][2] > 0) {
        r.precision = GeoPrecision::Region;
        r.lat = ix.provinceCentre[static_cast<std::size_t>(province)][0];
        r.lon = ix.provinceCentre[static_cast<std::size_t>(province)][1];
        r.country = "CA";
        r.basis = std::string("province ") + kProvinces[province].code;
        return r;
    }
    // Country.
    if (country) {
        r.precision = GeoPrecision::Country;
        r.lat = country->lat, r.lon = country->lon, r.country = country->iso2;
        r.basis = "country " + country->iso2;
        return r;
    }
    r.basis = "no usable coordinates, postcode, city, region or country";
    return r;
}

// [SECTION] accounts
struct AccountGeocoder::Memo {
    struct Key {
        std::uint32_t postcode, city, state, country;
        bool operator==(const Key&) const = default;
    };
    struct Hash {
        std::size_t operator()(const Key& k) const {
            std::uint64_t h = k.postcode * 0x9E3779B97F4A7C15ull;
            h ^= (k.city + 0x7F4A7C15ull) * 0xC2B2AE3D27D4EB4Full;
            h ^= (k.state + 0x165667B1ull) * 0x27D4EB2F165667C5ull;
            h ^= (k.country + 0x85EBCA6Bull) * 0x94D049BB133111EBull;
            return static_cast<std::size_t>(h ^ (h >> 31));
        }
    };
    struct Value {
        GeoPrecision precision;
        double lat, lon;
        bool conflict;
    };
    std::unordered_map<Key, Value, Hash> map;
};

AccountGeocoder::AccountGeocoder(Table& accounts, const Geocoder* geocoder)
    : m_t(accounts), m_g(geocoder), m_memo(std::make_unique<Memo>()) {
    m_t.addColumn("lat", ColumnType::F64);
    m_t.addColumn("lon", ColumnType::F64);
    m_t.addColumn(kGeoPrecisionColumn, ColumnType::String);
    for (int i = 0; i < kGeoPrecisionCount; ++i) m_names[static_cast<std::size_t>(i)] = m_t.pool().intern(geoPrecisionName(static_cast<GeoPrecision>(i)));
    m_summary.ran = true;
}

AccountGeocoder::~AccountGeocoder() = default;

void AccountGeocoder::run(std::size_t begin, std::size_t end) {
    auto& lat = m_t.find("lat")->f64();
    auto& lon = m_t.find("lon")->f64();
    auto& prec = m_t.find(kGeoPrecisionColumn)->ids();
    auto ids = [&](const char* name) -> const std::uint32_t* {
        const Column* c = m_t.find(name);
        return c && c->type() == ColumnType::String ? c->ids().data() : nullptr;
    };
    const std::uint32_t* pc = ids("postcode");
    const std::uint32_t* city = ids("city");
    const std::uint32_t* state = ids("state");
    const std::uint32_t* country = ids("country");
    const StringPool& pool = m_t.pool();
    end = std::min(end, m_t.rows());
    for (std::size_t r = begin; r < end; ++r) {
        const double la = lat[r], lo = lon[r];
        GeoPrecision p;
        bool conflict = false;
        if (std::isfinite(la) && std::isfinite(lo) && std::fabs(la) <= 90 && std::fabs(lo) <= 180 && !(la == 0 && lo == 0)) {
            p = GeoPrecision::Exact;
        } else {
            const Memo::Key key{pc ? pc[r] : 0u, city ? city[r] : 0u, state ? state[r] : 0u, country ? country[r] : 0u};
            auto it = m_memo->map.find(key);
            if (it == m_memo->map.end()) {
                GeoQuery q;
                q.postcode = pool.view(key.postcode);
                q.city = pool.view(key.city);
                q.state = pool.view(key.state);
                q.country = pool.view(key.country);
                if (!m_g) m_g = &Geocoder::builtIn();
                const GeoResult g = m_g->locate(q);
                it = m_memo->map.emplace(key, Memo::Value{g.precision, g.lat, g.lon, g.conflict}).first;
            }
            p = it->second.precision;
            conflict = it->second.conflict;
            lat[r] = it->second.lat;
            lon[r] = it->second.lon;
        }
        prec[r] = m_names[static_cast<std::size_t>(p)];
        ++m_summary.counts[static_cast<std::size_t>(p)];
        if (p == GeoPrecision::None) m_summary.unplaced.push_back(static_cast<std::uint32_t>(r));
        if (conflict) m_summary.conflicts.push_back(static_cast<std::uint32_t>(r));
    }
}

GeocodeSummary geocodeAccounts(Table& accounts) {
    AccountGeocoder g(accounts);
    g.run(0, accounts.rows());
    return g.summary();
}

GeoPrecision accountPrecision(const Table& accounts, std::size_t row) {
    if (const Column* c = accounts.find(kGeoPrecisionColumn); c && c->type() == ColumnType::String && row < c->size()) {
        GeoPrecision p;
        if (parseGeoPrecision(accounts.pool().view(c->ids()[row]), p)) return p;
    }
    const double la = accounts.f64(accounts.indexOf("lat"), row), lo = accounts.f64(accounts.indexOf("lon"), row);
    return std::isfinite(la) && std::isfinite(lo) ? GeoPrecision::Exact : GeoPrecision::None;
}

} // namespace terrane
