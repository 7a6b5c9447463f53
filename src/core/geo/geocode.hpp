// Offline geocoding of accounts with the built-in gazetteer (core/geo.hpp): coordinates when the
// file has them, else the postcode (US ZIP, Canadian FSA), else city + region + country, else the
// region (US state, Canadian province), else the country. Each account records how precisely it
// was placed; what cannot be placed is listed.
#pragma once

#include "core/geo/geo.hpp"
#include "core/data/table.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace terrane {

enum class GeoPrecision : std::uint8_t { None, Country, Region, City, Postcode, Exact };
inline constexpr int kGeoPrecisionCount = 6;
// "none", "country", "region", "city", "postcode", "exact".
const char* geoPrecisionName(GeoPrecision p);
bool parseGeoPrecision(std::string_view name, GeoPrecision& out);

// The accounts column that holds each row's precision (text, one of the names above).
inline constexpr std::string_view kGeoPrecisionColumn = "geo_precision";

struct GeoQuery {
    std::string_view postcode, city, state, country;
    double lat = std::nan(""), lon = std::nan("");
};

// A change of one address field that would place an account, or settle a postcode that
// disagrees with its state or city: "country: Untied States -> United States".
struct GeoSuggestion {
    std::string field; // "country", "state" or "city"
    std::string from, to;
    std::string reason; // "spelling" or "the postcode's state"
};

struct GeoResult {
    GeoPrecision precision = GeoPrecision::None;
    double lat = std::nan(""), lon = std::nan("");
    std::string country; // ISO alpha-2 when known
    bool conflict = false; // the postcode puts it far from the named city or in another state
    std::string basis;     // what placed it: "ZIP 78701", "city Austin, TX, US", "country GB"
};

class Geocoder {
  public:
    // Over the built-in gazetteer, built on first use.
    static const Geocoder& builtIn();
    explicit Geocoder(const Gazetteer& g);
    ~Geocoder();
    Geocoder(const Geocoder&) = delete;
    Geocoder& operator=(const Geocoder&) = delete;

    GeoResult locate(const GeoQuery& q) const;
    // ISO alpha-2 of a country spelled as a code (GB, GBR), a name or a common alias ("UK",
    // "United States", "Deutschland"); "" when unknown.
    std::string countryCode(std::string_view text) const;
    // For an address locate() cannot place: the closest known country, region or city name
    // (edit distance on the normalised name: at most 1 for names up to 5 letters, 2 up to 12,
    // else 3; ties go to the larger place) whose use places it. For an address whose postcode
    // disagrees with its state or city: the postcode's state or place name. Empty otherwise.
    std::optional<GeoSuggestion> suggest(const GeoQuery& q) const;

  private:
    struct Index;
    std::unique_ptr<Index> m_ix;
};

struct GeocodeSummary {
    std::array<std::uint64_t, kGeoPrecisionCount> counts{}; // accounts by precision
    std::vector<std::uint32_t> unplaced;  // rows with precision none
    std::vector<std::uint32_t> conflicts; // rows whose postcode disagrees with city or state
    bool ran = false;
};

// Places the accounts of `table` in rows [begin, end): rows with valid lat/lon keep them
// (exact), others get coordinates from the gazetteer; writes geo_precision (added if absent).
// Repeated address combinations are looked up once.
class AccountGeocoder {
  public:
    // `geocoder` null: the built-in one, built only if some account lacks coordinates.
    explicit AccountGeocoder(Table& accounts, const Geocoder* geocoder = nullptr);
    ~AccountGeocoder();
    void run(std::size_t begin, std::size_t end);
    const GeocodeSummary& summary() const { return m_summary; }

  private:
    struct Memo;
    Table& m_t;
    const Geocoder* m_g;
    std::unique_ptr<Memo> m_memo;
    GeocodeSummary m_summary;
    std::array<std::uint32_t, kGeoPrecisionCount> m_names{};
};

// All rows at once.
GeocodeSummary geocodeAccounts(Table& accounts);

// The accounts one suggestion settles: unplaced ones whose field is misspelt the same way, or
// ones whose postcode disagrees with the same state or town.
struct LocationFix {
    GeoSuggestion change;
    std::vector<std::uint32_t> rows;
};
// Every suggestion for the accounts that are unplaced or in conflict, most accounts first.
std::vector<LocationFix> locationFixes(const Table& accounts, const Geocoder& geocoder = Geocoder::builtIn());

// A location fix as applied: the cells and coordinates it replaced, so it can be undone exactly.
struct LocationEdit {
    LocationFix fix;
    std::vector<std::uint32_t> before;         // per row: the field's previous string id
    std::vector<double> lat, lon;              // per row: previous coordinates
    std::vector<std::uint32_t> precision;      // per row: previous geo_precision string id
};
// Writes the suggested value into the rows' field and places them again (spread as usual).
// Throws std::invalid_argument when the field is not a text column of `accounts`.
LocationEdit applyLocationFix(Table& accounts, const LocationFix& fix);
// Restores what applyLocationFix() replaced.
void undoLocationEdit(Table& accounts, const LocationEdit& edit);

// Accounts placed at a postcode, city, region or country centre are spread uniformly over a
// disc around it, at a point fixed by their id, so that many accounts at one centre do not draw
// as one point. The disc grows with the coarseness; exact coordinates are not moved. Portable
// arithmetic only, so the CLI and the page place every account at the same point.
double spreadRadiusKm(GeoPrecision p);
void spreadAroundCentre(std::string_view accountId, GeoPrecision p, double& lat, double& lon);

// The precision of account `row`: from geo_precision when present, else exact when it has
// coordinates and none otherwise (the sample workspace).
GeoPrecision accountPrecision(const Table& accounts, std::size_t row);

} // namespace terrane
