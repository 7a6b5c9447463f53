// Offline geocoding: coordinates, postcodes (ZIP, ZIP+4, lost zeros, FSA), cities, regions,
// countries, and what cannot be placed.
#include "core/geo/geocode.hpp"
#include "core/import/import.hpp"

#include <doctest/doctest.h>

using namespace terrane;

namespace {
GeoResult at(std::string_view pc, std::string_view city = {}, std::string_view state = {}, std::string_view country = {}) {
    GeoQuery q;
    q.postcode = pc;
    q.city = city;
    q.state = state;
    q.country = country;
    return Geocoder::builtIn().locate(q);
}
} // namespace

TEST_CASE("coordinates in the file are kept as exact") {
    GeoQuery q;
    q.lat = 51.5;
    q.lon = -0.12;
    q.postcode = "10001";
    const GeoResult r = Geocoder::builtIn().locate(q);
    CHECK(r.precision == GeoPrecision::Exact);
    CHECK(r.lat == 51.5);
    q.lat = 0;
    q.lon = 0; // "null island" is a missing value, not a location
    CHECK(Geocoder::builtIn().locate(q).precision == GeoPrecision::Postcode);
    q.lat = 95; // out of range
    CHECK(Geocoder::builtIn().locate(q).precision == GeoPrecision::Postcode);
}

TEST_CASE("US ZIPs: 5 digits, ZIP+4, 9 digits, and leading zeros lost by Excel") {
    const GeoResult a = at("02134");
    CHECK(a.precision == GeoPrecision::Postcode);
    CHECK(a.country == "US");
    CHECK(a.lat == doctest::Approx(42.35).epsilon(0.01));
    CHECK(at("02134-1234").lat == a.lat);
    CHECK(at("021341234").lat == a.lat);
    CHECK(at("2134", "", "MA").lat == a.lat);       // lost zero, the state says US
    CHECK(at("2134", "", "", "USA").lat == a.lat);  // or the country does
    CHECK(at("2134").precision == GeoPrecision::None); // 4 digits alone could be anywhere
    CHECK(at("2134.0", "", "", "US").lat == a.lat); // Excel turned it into a number
    CHECK(at("99999").precision == GeoPrecision::None);
}

TEST_CASE("Canadian postal codes place by FSA") {
    const GeoResult r = at("M5V 3L9");
    CHECK(r.precision == GeoPrecision::Postcode);
    CHECK(r.country == "CA");
    CHECK(r.lat == doctest::Approx(43.64).epsilon(0.01));
    CHECK(at("m5v3l9", "", "", "Canada").precision == GeoPrecision::Postcode);
    CHECK(at("M5V", "Toronto", "ON").precision == GeoPrecision::Postcode);
}

TEST_CASE("city with region and country, then region, then country") {
    const GeoResult austin = at("", "Austin", "TX");
    CHECK(austin.precision == GeoPrecision::City);
    CHECK(austin.lat == doctest::Approx(30.27).epsilon(0.01));
    const GeoResult austinMn = at("", "Austin", "Minnesota");
    CHECK(austinMn.lat == doctest::Approx(43.67).epsilon(0.01));
    const GeoResult paris = at("", "Paris"); // no state or country: the largest Paris
    CHECK(paris.country == "FR");
    CHECK(at("", "London", "", "United Kingdom").country == "GB");
    CHECK(at("", "London", "ON", "").country == "CA");
    CHECK(at("", "Montr\xC3\xA9" "al", "QC").precision == GeoPrecision::City);
    CHECK(at("", "Montreal", "Quebec", "Canada").precision == GeoPrecision::City);
    CHECK(at("", "New York", "NY").precision == GeoPrecision::City);
    CHECK(at("", "Singapore", "Singapore").country == "SG");
    const GeoResult oh = at("", "", "OH");
    CHECK(oh.precision == GeoPrecision::Region);
    CHECK(oh.country == "US");
    CHECK(at("", "", "Ontario").precision == GeoPrecision::Region);
    const GeoResult uk = at("", "", "UK"); // a country written in the state field
    CHECK(uk.precision == GeoPrecision::Country);
    CHECK(uk.country == "GB");
    CHECK(at("", "", "", "Deutschland").country == "DE");
    CHECK(at("", "", "", "DEU").country == "DE");
    CHECK(at("", "Xqzzyville", "", "").precision == GeoPrecision::None);
    CHECK(at("", "", "", "").precision == GeoPrecision::None);
}

TEST_CASE("a postcode far from the named city is a conflict - the postcode wins") {
    const GeoResult r = at("75251", "Paris"); // a Dallas ZIP next to "Paris"
    CHECK(r.precision == GeoPrecision::Postcode);
    CHECK(r.conflict);
    CHECK_FALSE(at("75251", "Dallas", "TX").conflict);
    CHECK(at("10001", "", "CA").conflict); // New York ZIP, California state
}

TEST_CASE("geocoding an accounts table writes precision per row and lists the unplaced") {
    const std::string csv = "account_id,lat,lon,postcode,city,state,country\n"
                            "A1,40.7,-74.0,,,,\nA2,,,78701,,,\nA3,,,,Austin,TX,\nA4,,,,,WA,\nA5,,,,,,Norway\nA6,,,,,,\nA7,,,78701,,,\n";
    ImportOptions opt;
    opt.fileName = "g.csv";
    const ImportResult r = importCsv(csv, opt, nullptr);
    REQUIRE(r.ok);
    const GeocodeSummary& g = r.report.geocode;
    CHECK(g.ran);
    CHECK(g.counts[static_cast<int>(GeoPrecision::Exact)] == 1);
    CHECK(g.counts[static_cast<int>(GeoPrecision::Postcode)] == 2);
    CHECK(g.counts[static_cast<int>(GeoPrecision::City)] == 1);
    CHECK(g.counts[static_cast<int>(GeoPrecision::Region)] == 1);
    CHECK(g.counts[static_cast<int>(GeoPrecision::Country)] == 1);
    CHECK(g.unplaced == std::vector<std::uint32_t>{5});
    CHECK(accountPrecision(r.table, 2) == GeoPrecision::City);
    CHECK(r.table.str(r.table.indexOf("geo_precision"), 4) == "country");
    CHECK_FALSE(std::isnan(r.table.f64(r.table.indexOf("lat"), 1)));
    CHECK(std::isnan(r.table.f64(r.table.indexOf("lat"), 5)));
}
