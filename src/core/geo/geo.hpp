// Geography: projections, distances and the built-in gazetteer (US states and ZIP centroids,
// Canadian FSAs, world cities, countries) derived at build time from pinned npm packages.
//
// Index
//  [SECTION] projection and distance
//  [SECTION] gazetteer
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace terrane {

// [SECTION] projection and distance
inline constexpr double kMercatorMaxLat = 85.0;
// Web Mercator into the unit square: x east, y south, (0,0) at lon -180 / lat 85.
double mercatorX(double lon);
double mercatorY(double lat);
double lonFromMercatorX(double x);
double latFromMercatorY(double y);
// Great-circle distance in km (haversine, mean Earth radius 6371.0088 km).
double greatCircleKm(double lat0, double lon0, double lat1, double lon1);

// [SECTION] gazetteer
struct StateInfo {
    std::string code; // "CA"
    std::string fips; // "06"
    std::string name; // "California"
    double lat = 0, lon = 0;
};
struct ZipInfo {
    std::uint32_t zip = 0; // 5 digits as a number
    double lat = 0, lon = 0;
    std::uint16_t state = 0; // index into states()
    std::uint32_t countyFips = 0;
    std::uint32_t place = 0; // index into placeNames()
    std::uint32_t weight = 0; // population-derived sampling weight
};
struct FsaInfo {
    char code[4] = {0, 0, 0, 0}; // "M5V"
    double lat = 0, lon = 0;
    std::string province;
};
struct CityInfo {
    std::string name;
    char country[3] = {0, 0, 0}; // ISO alpha-2
    std::string admin;           // US state code or GeoNames admin1 code
    double lat = 0, lon = 0;
    std::uint32_t population = 0;
};
struct CountryInfo {
    std::string iso2, iso3, numeric, name;
    std::vector<std::string> aliases;
    double lat = 0, lon = 0;
};

class Gazetteer {
  public:
    // The built-in gazetteer, parsed on first use once its text is there (embedded.hpp); an
    // empty one, not kept, while it is not (the page before geo.tsv has arrived).
    static const Gazetteer& builtIn();
    static bool builtInAvailable();
    // Parses the tab-separated sectioned text written by scripts/build_assets.mjs.
    static Gazetteer parse(std::string_view text);

    std::span<const StateInfo> states() const { return m_states; }
    std::span<const ZipInfo> zips() const { return m_zips; }
    std::span<const FsaInfo> fsas() const { return m_fsas; }
    std::span<const CityInfo> cities() const { return m_cities; }
    std::span<const CountryInfo> countries() const { return m_countries; }
    const std::string& placeName(std::uint32_t i) const { return m_places[i]; }

    const StateInfo* stateByCode(std::string_view code) const; // case-insensitive
    const ZipInfo* zip(std::uint32_t zip5) const;              // binary search
    std::string zipString(const ZipInfo& z) const;              // zero-padded "02134"

  private:
    std::vector<StateInfo> m_states;
    std::vector<ZipInfo> m_zips;
    std::vector<FsaInfo> m_fsas;
    std::vector<CityInfo> m_cities;
    std::vector<CountryInfo> m_countries;
    std::vector<std::string> m_places;
};

} // namespace terrane
