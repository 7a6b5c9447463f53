// Projection, distances, and the gazetteer parsed from the embedded asset.
//
// Index
//  [SECTION] projection and distance
//  [SECTION] gazetteer parsing
#include "core/geo/geo.hpp"

#include "core/geo/embedded.hpp"
#include "core/base/text.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <unordered_map>

namespace terrane {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180.0;
} // namespace

// [SECTION] projection and distance
double mercatorX(double lon) { return (lon + 180.0) / 360.0; }

double mercatorY(double lat) {
    const double c = std::clamp(lat, -kMercatorMaxLat, kMercatorMaxLat) * kDeg;
    return (1.0 - std::log(std::tan(kPi / 4.0 + c / 2.0)) / kPi) / 2.0;
}

double lonFromMercatorX(double x) { return x * 360.0 - 180.0; }

double latFromMercatorY(double y) {
    const double n = kPi * (1.0 - 2.0 * y);
    return std::atan(std::sinh(n)) / kDeg;
}

double greatCircleKm(double lat0, double lon0, double lat1, double lon1) {
    const double p0 = lat0 * kDeg, p1 = lat1 * kDeg;
    const double dp = p1 - p0, dl = (lon1 - lon0) * kDeg;
    const double a = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p0) * std::cos(p1) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2.0 * 6371.0088 * std::asin(std::min(1.0, std::sqrt(a)));
}

// [SECTION] gazetteer parsing
const Gazetteer& Gazetteer::builtIn() {
    static const Gazetteer empty;
    static std::mutex lock;
    static std::atomic<const Gazetteer*> parsed{nullptr};
    if (const Gazetteer* g = parsed.load(std::memory_order_acquire)) return *g;
    const std::string_view text = embedded::kGeoTsvView();
    if (text.empty()) return empty;
    const std::lock_guard<std::mutex> hold(lock);
    if (!parsed.load(std::memory_order_relaxed)) parsed.store(new Gazetteer(parse(text)), std::memory_order_release);
    return *parsed.load(std::memory_order_relaxed);
}

bool Gazetteer::builtInAvailable() { return !embedded::kGeoTsvView().empty(); }

Gazetteer Gazetteer::parse(std::string_view text) {
    Gazetteer g;
    std::string section;
    std::unordered_map<std::string, std::uint32_t> placeIds;
    std::unordered_map<std::string, std::uint16_t> stateIds;
    std::vector<std::string_view> f;
    forEachLine(text, [&](std::string_view line) {
        if (line.empty() || line[0] == '#') return;
        splitInto(line, '\t', f);
        if (line[0] == '@') {
            section = std::string(f[0].substr(1));
            return;
        }
        auto num = [&](std::size_t i) { return i < f.size() ? parseDoubleOr(f[i], 0.0) : 0.0; };
        auto txt = [&](std::size_t i) { return i < f.size() ? std::string(f[i]) : std::string(); };
        if (section == "states" && f.size() >= 5) {
            stateIds[txt(0)] = static_cast<std::uint16_t>(g.m_states.size());
            g.m_states.push_back({txt(0), txt(1), txt(2), num(3), num(4)});
        } else if (section == "zips" && f.size() >= 7) {
            ZipInfo z;
            z.zip = static_cast<std::uint32_t>(parseDoubleOr(f[0], 0));
            z.lat = num(1);
            z.lon = num(2);
            auto st = stateIds.find(txt(3));
            z.state = st == stateIds.end() ? 0 : st->second;
            z.countyFips = static_cast<std::uint32_t>(num(4));
            auto [it, fresh] = placeIds.try_emplace(txt(5), static_cast<std::uint32_t>(g.m_places.size()));
            if (fresh) g.m_places.push_back(txt(5));
            z.place = it->second;
            z.weight = static_cast<std::uint32_t>(num(6));
            g.m_zips.push_back(z);
        } else if (section == "ca_fsa" && f.size() >= 4 && f[0].size() == 3) {
            FsaInfo a;
            std::copy(f[0].begin(), f[0].end(), a.code);
            a.lat = num(1);
            a.lon = num(2);
            a.province = txt(3);
            g.m_fsas.push_back(std::move(a));
        } else if (section == "cities" && f.size() >= 6) {
            CityInfo c;
            c.name = txt(0);
            if (f[1].size() == 2) std::copy(f[1].begin(), f[1].end(), c.country);
            c.admin = txt(2);
            c.lat = num(3);
            c.lon = num(4);
            c.population = static_cast<std::uint32_t>(num(5));
            g.m_cities.push_back(std::move(c));
        } else if (section == "countries" && f.size() >= 6) {
            CountryInfo c{txt(0), txt(1), txt(2), txt(3), {}, num(4), num(5)};
            if (f.size() >= 7 && !f[6].empty()) {
                std::vector<std::string_view> al;
                splitInto(f[6], '|', al);
                for (auto a : al) c.aliases.emplace_back(a);
            }
            g.m_countries.push_back(std::move(c));
        }
    });
    std::sort(g.m_zips.begin(), g.m_zips.end(), [](const ZipInfo& a, const ZipInfo& b) { return a.zip < b.zip; });
    return g;
}

const StateInfo* Gazetteer::stateByCode(std::string_view code) const {
    for (const StateInfo& s : m_states)
        if (equalsIgnoreCase(s.code, code)) return &s;
    return nullptr;
}

const ZipInfo* Gazetteer::zip(std::uint32_t zip5) const {
    auto it = std::lower_bound(m_zips.begin(), m_zips.end(), zip5, [](const ZipInfo& z, std::uint32_t v) { return z.zip < v; });
    return it != m_zips.end() && it->zip == zip5 ? &*it : nullptr;
}

std::string Gazetteer::zipString(const ZipInfo& z) const {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%05u", z.zip);
    return buf;
}

} // namespace terrane
