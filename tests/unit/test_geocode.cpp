// Offline geocoding: coordinates, postcodes (ZIP, ZIP+4, lost zeros, FSA), cities, regions,
// countries, and what cannot be placed.
#include "core/geo/geocode.hpp"
#include "core/import/import.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

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

TEST_CASE("coarse places are spread over a disc fixed by the account id") {
    const double radius[] = {spreadRadiusKm(GeoPrecision::Country), spreadRadiusKm(GeoPrecision::Region),
                             spreadRadiusKm(GeoPrecision::City), spreadRadiusKm(GeoPrecision::Postcode)};
    CHECK(radius[0] > radius[1]);
    CHECK(radius[1] > radius[2]);
    CHECK(radius[2] > radius[3]);
    CHECK(radius[3] > 0);
    CHECK(spreadRadiusKm(GeoPrecision::Exact) == 0);
    const double lat0 = 39.8, lon0 = -98.6; // near the US centre
    std::vector<std::pair<double, double>> points;
    double maxKm = 0, meanKm = 0;
    for (int i = 0; i < 200; ++i) {
        double lat = lat0, lon = lon0;
        const std::string id = "ACC-" + std::to_string(i);
        spreadAroundCentre(id, GeoPrecision::Country, lat, lon);
        double again = lat0, againLon = lon0;
        spreadAroundCentre(id, GeoPrecision::Country, again, againLon);
        CHECK(again == lat); // deterministic
        CHECK(againLon == lon);
        const double km = greatCircleKm(lat0, lon0, lat, lon);
        maxKm = std::max(maxKm, km);
        meanKm += km / 200;
        points.emplace_back(lat, lon);
    }
    CHECK(maxKm <= radius[0] * 1.01); // within the disc
    CHECK(meanKm > radius[0] * 0.5);  // uniform over the disc: mean distance 2/3 of the radius
    CHECK(meanKm < radius[0] * 0.8);
    std::sort(points.begin(), points.end());
    CHECK(std::adjacent_find(points.begin(), points.end()) == points.end()); // distinct points
    // Exact coordinates and unplaced accounts do not move.
    double lat = 51.5, lon = -0.12;
    spreadAroundCentre("X", GeoPrecision::Exact, lat, lon);
    CHECK(lat == 51.5);
    CHECK(lon == -0.12);
    // A region's disc is smaller than a country's.
    double rl = lat0, ro = lon0;
    spreadAroundCentre("ACC-1", GeoPrecision::Region, rl, ro);
    CHECK(greatCircleKm(lat0, lon0, rl, ro) <= radius[1] * 1.01);
}

TEST_CASE("an accounts table placed by country only: distinct points, same on a second run") {
    std::string csv = "account_id,name,country\n";
    for (int i = 0; i < 30; ++i) csv += "U" + std::to_string(i) + ",Acme " + std::to_string(i) + ",United States\n";
    csv += "F1,Fra,France\nZ1,Bad,Untied States\n";
    ImportOptions opt;
    opt.fileName = "countries.csv";
    const ImportResult a = importCsv(csv, opt, nullptr), b = importCsv(csv, opt, nullptr);
    REQUIRE(a.ok);
    CHECK(a.report.geocode.counts[static_cast<int>(GeoPrecision::Country)] == 31);
    CHECK(a.report.geocode.unplaced == std::vector<std::uint32_t>{31});
    const auto& lat = a.table.column(a.table.indexOf("lat")).f64();
    const auto& lon = a.table.column(a.table.indexOf("lon")).f64();
    std::vector<std::pair<double, double>> us;
    for (std::size_t r = 0; r < 30; ++r) {
        us.emplace_back(lat[r], lon[r]);
        CHECK(lat[r] == b.table.f64(b.table.indexOf("lat"), r));
    }
    std::sort(us.begin(), us.end());
    CHECK(std::adjacent_find(us.begin(), us.end()) == us.end());
    // Geocoding the placed table again keeps the points and their precision.
    Table t = a.table;
    AccountGeocoder again(t);
    again.run(0, t.rows());
    CHECK(again.summary().counts[static_cast<int>(GeoPrecision::Country)] == 31);
    CHECK(t.f64(t.indexOf("lat"), 3) == lat[3]);
}

TEST_CASE("a misspelt place gets the closest known name that places it") {
    auto suggest = [](std::string_view city, std::string_view state, std::string_view country, std::string_view pc = {}) {
        GeoQuery q;
        q.city = city;
        q.state = state;
        q.country = country;
        q.postcode = pc;
        return Geocoder::builtIn().suggest(q);
    };
    const auto us = suggest("", "", "Untied States");
    REQUIRE(us);
    CHECK(us->field == "country");
    CHECK(us->from == "Untied States");
    CHECK(Geocoder::builtIn().countryCode(us->to) == "US");
    const auto de = suggest("", "", "Germnay");
    REQUIRE(de);
    CHECK(Geocoder::builtIn().countryCode(de->to) == "DE");
    const auto tx = suggest("", "Texsa", "");
    REQUIRE(tx);
    CHECK(tx->field == "state");
    CHECK(tx->to == "Texas");
    const auto city = suggest("Chicgo", "", "");
    REQUIRE(city);
    CHECK(city->field == "city");
    CHECK(city->to == "Chicago");
    CHECK_FALSE(suggest("", "", "United States")); // placed: nothing to suggest
    CHECK_FALSE(suggest("", "", "Qwxyzzy"));       // nothing close
    // A postcode that disagrees with the state: the postcode's state.
    const auto pc = suggest("", "CA", "", "10001");
    REQUIRE(pc);
    CHECK(pc->field == "state");
    CHECK(pc->from == "CA");
    CHECK(pc->to == "NY");
}

TEST_CASE("location fixes: grouped by suggestion, applied with a fresh placement, undone exactly") {
    const std::string csv = "account_id,name,postcode,city,state,country\n"
                            "A1,One,,,,Untied States\nA2,Two,,,,Untied States\nA3,Three,,,,Germany\n"
                            "A4,Four,10001,,CA,\nA5,Five,,,,Qwxyzzy\n";
    ImportOptions opt;
    opt.fileName = "fix.csv";
    ImportResult r = importCsv(csv, opt, nullptr);
    REQUIRE(r.ok);
    Table& t = r.table;
    const std::vector<LocationFix> fixes = locationFixes(t);
    REQUIRE(fixes.size() == 2);
    CHECK(fixes[0].change.field == "country");
    CHECK(fixes[0].change.from == "Untied States");
    CHECK(fixes[0].rows == std::vector<std::uint32_t>{0, 1});
    CHECK(fixes[1].change.field == "state");
    CHECK(fixes[1].change.to == "NY");
    CHECK(fixes[1].rows == std::vector<std::uint32_t>{3});
    const Table before = t;
    const LocationEdit e = applyLocationFix(t, fixes[0]);
    CHECK(t.str(t.indexOf("country"), 0) == fixes[0].change.to);
    CHECK(accountPrecision(t, 0) == GeoPrecision::Country);
    CHECK(accountPrecision(t, 1) == GeoPrecision::Country);
    CHECK(std::isfinite(t.f64(t.indexOf("lat"), 1)));
    CHECK(t.f64(t.indexOf("lat"), 0) != t.f64(t.indexOf("lat"), 1)); // spread like any other
    CHECK(accountPrecision(t, 4) == GeoPrecision::None);              // other rows untouched
    undoLocationEdit(t, e);
    for (std::size_t row = 0; row < t.rows(); ++row) {
        CHECK(t.str(t.indexOf("country"), row) == before.str(before.indexOf("country"), row));
        CHECK(accountPrecision(t, row) == accountPrecision(before, row));
        const double a = t.f64(t.indexOf("lat"), row), b = before.f64(before.indexOf("lat"), row);
        CHECK(((std::isnan(a) && std::isnan(b)) || a == b));
    }
    // The postcode conflict: the state becomes the postcode's, and no conflict is left.
    applyLocationFix(t, fixes[1]);
    CHECK(t.str(t.indexOf("state"), 3) == "NY");
    CHECK(locationFixes(t).size() == 1);
    LocationFix bad = fixes[0];
    bad.change.field = "no_such_column";
    CHECK_THROWS_AS(applyLocationFix(t, bad), std::invalid_argument);
}
