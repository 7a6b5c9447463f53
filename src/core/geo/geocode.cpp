#include "core/geo/geocode.hpp"

#include "core/base/rng.hpp"
#include "core/base/text.hpp"

#include <algorithm>
#include <unordered_map>

namespace terrane {

// Index
//  [SECTION] names         normalising place and country names
//  [SECTION] index         lookup tables over the gazetteer
//  [SECTION] locate        one address
//  [SECTION] suggest       a spelling that places an address, a postcode's state
//  [SECTION] spread        accounts at one centre spread over a disc
//  [SECTION] accounts      a whole accounts table
//  [SECTION] fixes         suggestions for a table's unplaced and conflicting accounts, applied and undone

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
    // Built over the gazetteer once it is there; before that (the page while geo.tsv loads) an
    // index of nothing, not kept.
    static const Gazetteer nothing;
    static const Geocoder none(nothing);
    if (!Gazetteer::builtInAvailable()) return none;
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

// [SECTION] suggest
namespace {

// Edit distance with adjacent transpositions (optimal string alignment), or limit + 1 when it
// is above `limit` (names whose lengths differ by more are not compared).
std::size_t editDistance(std::string_view a, std::string_view b, std::size_t limit) {
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
    std::vector<std::size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[b.size()], limit + 1);
}

std::size_t spellingLimit(std::size_t letters) { return letters <= 5 ? 1 : letters <= 12 ? 2 : 3; }

} // namespace

std::optional<GeoSuggestion> Geocoder::suggest(const GeoQuery& q) const {
    const Index& ix = *m_ix;
    const GeoResult placed = locate(q);
    if (placed.precision == GeoPrecision::Postcode && placed.conflict) {
        // The postcode wins: offer its state (US ZIP, Canadian FSA) or its place name.
        if (placed.country == "US") {
            const int zip = parseZip(q.postcode, true);
            if (zip < 0 || ix.zipByNumber[static_cast<std::size_t>(zip)] < 0) return std::nullopt;
            const ZipInfo& z = ix.g.zips()[static_cast<std::size_t>(ix.zipByNumber[static_cast<std::size_t>(zip)])];
            const StateInfo& st = ix.g.states()[z.state];
            const int named = ix.usState(q.state);
            if (named >= 0 && named != z.state) return GeoSuggestion{"state", std::string(trim(q.state)), st.code, "the postcode's state"};
            const std::string place = ix.g.placeName(z.place);
            if (!place.empty() && normPlace(place) != normPlace(q.city))
                return GeoSuggestion{"city", std::string(trim(q.city)), place, "the postcode's town"};
        } else if (placed.country == "CA") {
            auto it = ix.fsa.find(parseFsa(q.postcode));
            if (it == ix.fsa.end()) return std::nullopt;
            const FsaInfo& f = ix.g.fsas()[it->second];
            for (const Province& p : kProvinces)
                if (f.province == p.name && ix.province(q.state) >= 0 && normKey(q.state) != normKey(p.code) && normKey(q.state) != normKey(p.name))
                    return GeoSuggestion{"state", std::string(trim(q.state)), p.code, "the postcode's province"};
        }
        return std::nullopt;
    }
    if (placed.precision != GeoPrecision::None) return std::nullopt;
    // The closest name of each kind, tried in turn: country, region, city.
    struct Best {
        std::size_t distance = 99;
        double rank = -1;
        std::string name;
    };
    auto consider = [](Best& b, std::string_view key, std::string_view candidateKey, std::string_view name, double rank) {
        const std::size_t d = editDistance(key, candidateKey, std::min(b.distance, spellingLimit(key.size())));
        if (d > spellingLimit(key.size()) || d == 0) return;
        if (d < b.distance || (d == b.distance && rank > b.rank)) b = Best{d, rank, std::string(name)};
    };
    auto tryField = [&](const char* field, std::string_view value, const Best& b) -> std::optional<GeoSuggestion> {
        if (b.name.empty()) return std::nullopt;
        GeoQuery fixed = q;
        if (std::string_view(field) == "country") fixed.country = b.name;
        if (std::string_view(field) == "state") fixed.state = b.name;
        if (std::string_view(field) == "city") fixed.city = b.name;
        if (locate(fixed).precision == GeoPrecision::None) return std::nullopt;
        return GeoSuggestion{field, std::string(trim(value)), b.name, "spelling"};
    };
    const std::string countryKey = normKey(q.country), stateKey = normKey(q.state);
    if (!countryKey.empty()) {
        Best b;
        for (const CountryInfo& c : ix.g.countries()) {
            consider(b, countryKey, normKey(c.name), c.name, 0);
            for (const std::string& a : c.aliases)
                if (a.size() > 3) consider(b, countryKey, normKey(a), a, 0);
        }
        if (auto s = tryField("country", q.country, b)) return s;
    }
    if (!stateKey.empty()) {
        Best b;
        for (const StateInfo& st : ix.g.states()) consider(b, stateKey, normKey(st.name), st.name, 2);
        for (const Province& p : kProvinces) consider(b, stateKey, normKey(p.name), p.name, 1);
        for (const CountryInfo& c : ix.g.countries()) consider(b, stateKey, normKey(c.name), c.name, 0);
        if (auto s = tryField("state", q.state, b)) return s;
    }
    const std::string cityKey = normPlace(q.city);
    if (!cityKey.empty()) {
        const CountryInfo* country = ix.country(q.country);
        Best b;
        for (const auto& [key, list] : ix.cities) {
            const CityInfo& c = ix.g.cities()[list.front()];
            if (country && std::string_view(c.country, 2) != country->iso2) continue;
            consider(b, cityKey, key, c.name, static_cast<double>(c.population));
        }
        if (auto s = tryField("city", q.city, b)) return s;
    }
    return std::nullopt;
}

// [SECTION] spread
double spreadRadiusKm(GeoPrecision p) {
    switch (p) {
    case GeoPrecision::Country: return 250;
    case GeoPrecision::Region: return 50;
    case GeoPrecision::City: return 5;
    case GeoPrecision::Postcode: return 2;
    case GeoPrecision::Exact:
    case GeoPrecision::None: return 0;
    }
    return 0;
}

void spreadAroundCentre(std::string_view accountId, GeoPrecision p, double& lat, double& lon) {
    const double radius = spreadRadiusKm(p);
    if (radius <= 0 || !std::isfinite(lat) || !std::isfinite(lon)) return;
    std::uint64_t h = 0xcbf29ce484222325ull; // FNV-1a
    for (char c : accountId) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    // A uniform point in the unit disc by rejection: +, *, and comparisons only.
    Rng rng(h);
    double u = 0, v = 0;
    do {
        u = rng.uniform() * 2 - 1;
        v = rng.uniform() * 2 - 1;
    } while (u * u + v * v > 1);
    constexpr double kKmPerDegree = 111.32;
    const double cosLat = std::max(0.05, detCosDeg(lat));
    lat = std::clamp(lat + v * radius / kKmPerDegree, -kMercatorMaxLat, kMercatorMaxLat);
    lon += u * radius / (kKmPerDegree * cosLat);
    if (lon > 180) lon -= 360;
    if (lon < -180) lon += 360;
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
    const std::uint32_t* accountId = ids("account_id");
    const StringPool& pool = m_t.pool();
    end = std::min(end, m_t.rows());
    for (std::size_t r = begin; r < end; ++r) {
        const double la = lat[r], lo = lon[r];
        GeoPrecision p;
        bool conflict = false;
        if (std::isfinite(la) && std::isfinite(lo) && std::fabs(la) <= 90 && std::fabs(lo) <= 180 && !(la == 0 && lo == 0)) {
            // Coordinates a file states, or ones placed (and spread) by an earlier geocoding
            // whose precision came along: those stay as coarse as they were.
            if (!parseGeoPrecision(pool.view(prec[r]), p) || p == GeoPrecision::None) p = GeoPrecision::Exact;
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
            const std::string rowKey = accountId ? std::string() : std::to_string(r);
            spreadAroundCentre(accountId ? pool.view(accountId[r]) : std::string_view(rowKey), p, lat[r], lon[r]);
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

// [SECTION] fixes
std::vector<LocationFix> locationFixes(const Table& accounts, const Geocoder& geocoder) {
    auto text = [&](const char* name) -> const Column* {
        const Column* c = accounts.find(name);
        return c && c->type() == ColumnType::String ? c : nullptr;
    };
    const Column *pc = text("postcode"), *city = text("city"), *state = text("state"), *country = text("country"),
                 *prec = text(kGeoPrecisionColumn.data());
    std::vector<LocationFix> out;
    if (!prec) return out;
    const StringPool& pool = accounts.pool();
    std::unordered_map<std::string, std::size_t> byChange; // "field|from|to" -> out index
    std::unordered_map<std::uint64_t, std::optional<GeoSuggestion>> memo;
    const std::uint32_t noneId = pool.find(geoPrecisionName(GeoPrecision::None)).value_or(0xFFFFFFFFu),
                        postcodeId = pool.find(geoPrecisionName(GeoPrecision::Postcode)).value_or(0xFFFFFFFFu);
    for (std::size_t r = 0; r < accounts.rows(); ++r) {
        const std::uint32_t p = prec->ids()[r];
        if (p != noneId && (p != postcodeId || !pc)) continue;
        const std::uint32_t a = pc ? pc->ids()[r] : 0, b = city ? city->ids()[r] : 0, c = state ? state->ids()[r] : 0,
                            d = country ? country->ids()[r] : 0;
        if (p == postcodeId && !b && !c) continue; // nothing to disagree with
        const std::uint64_t key = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^ (c * 0x165667B19E3779F9ull) ^
                                  (d * 0x27D4EB2F165667C5ull);
        auto it = memo.find(key);
        if (it == memo.end()) {
            GeoQuery q;
            q.postcode = pool.view(a);
            q.city = pool.view(b);
            q.state = pool.view(c);
            q.country = pool.view(d);
            it = memo.emplace(key, geocoder.suggest(q)).first;
        }
        if (!it->second) continue;
        const GeoSuggestion& g = *it->second;
        auto [slot, fresh] = byChange.try_emplace(g.field + "|" + g.from + "|" + g.to, out.size());
        if (fresh) out.push_back(LocationFix{g, {}});
        out[slot->second].rows.push_back(static_cast<std::uint32_t>(r));
    }
    std::stable_sort(out.begin(), out.end(), [](const LocationFix& x, const LocationFix& y) { return x.rows.size() > y.rows.size(); });
    return out;
}

LocationEdit applyLocationFix(Table& accounts, const LocationFix& fix) {
    Column* field = accounts.find(fix.change.field);
    if (!field || field->type() != ColumnType::String)
        throw std::invalid_argument("accounts has no text column '" + fix.change.field + "'");
    LocationEdit e;
    e.fix = fix;
    AccountGeocoder geo(accounts); // adds lat, lon and geo_precision when absent
    auto& lat = accounts.find("lat")->f64();
    auto& lon = accounts.find("lon")->f64();
    auto& prec = accounts.find(kGeoPrecisionColumn)->ids();
    const std::uint32_t to = accounts.pool().intern(fix.change.to);
    for (std::uint32_t r : fix.rows) {
        if (r >= accounts.rows()) throw std::invalid_argument("account row " + std::to_string(r) + " does not exist");
        e.before.push_back(field->ids()[r]);
        e.lat.push_back(lat[r]);
        e.lon.push_back(lon[r]);
        e.precision.push_back(prec[r]);
        field->ids()[r] = to;
        // Placed afresh from the address: the coordinates came from the gazetteer, not the file.
        lat[r] = lon[r] = std::nan("");
        prec[r] = 0;
        geo.run(r, r + 1);
    }
    return e;
}

void undoLocationEdit(Table& accounts, const LocationEdit& e) {
    Column* field = accounts.find(e.fix.change.field);
    Column *lat = accounts.find("lat"), *lon = accounts.find("lon"), *prec = accounts.find(kGeoPrecisionColumn);
    if (!field || !lat || !lon || !prec) return;
    for (std::size_t i = 0; i < e.fix.rows.size(); ++i) {
        const std::uint32_t r = e.fix.rows[i];
        if (r >= accounts.rows()) continue;
        field->ids()[r] = e.before[i];
        lat->f64()[r] = e.lat[i];
        lon->f64()[r] = e.lon[i];
        prec->ids()[r] = e.precision[i];
    }
}

} // namespace terrane
