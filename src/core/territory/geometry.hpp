// Plan geometry: the planar coordinates the optimiser works in and the distances it reports.
// Lat/lon points are projected to planar km with a sinusoidal projection (detCosDeg, so the
// plan is bit-identical natively and in wasm); reported distances are great-circle for lat/lon
// and Euclidean for planar (x, y) data. Only +, -, *, /, sqrt and rng.hpp's det* functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace terrane::territory {

inline constexpr double kEarthRadiusKm = 6371.0088;
inline constexpr double kKmPerDegree = kEarthRadiusKm * 3.14159265358979323846 / 180.0;

// Portable arctangent and arcsine in radians (argument reduction + series; |error| < 1e-15).
double detAtan(double x);
double detAsin(double x);
double detSinDeg(double degrees);

enum class CoordSystem : std::uint8_t { LatLon, Planar };

class PlanGeometry {
  public:
    // Lat/lon in degrees; NaN (or out of range) marks a point without a location.
    static PlanGeometry fromLatLon(std::span<const double> lat, std::span<const double> lon);
    // Planar coordinates in any unit (reported distances are in that unit).
    static PlanGeometry fromPlanar(std::span<const double> x, std::span<const double> y);

    CoordSystem system() const { return m_system; }
    std::size_t size() const { return m_x.size(); }
    bool placed(std::size_t i) const { return m_x[i] == m_x[i]; }
    // Planar coordinates (km for lat/lon), NaN when not placed.
    const std::vector<double>& x() const { return m_x; }
    const std::vector<double>& y() const { return m_y; }
    // A planar point prepared for repeated reported distances (a territory centre).
    struct Anchor {
        double x = 0, y = 0;
        double ux = 0, uy = 0, uz = 0; // unit-sphere vector for lat/lon data
    };
    Anchor anchor(double x, double y) const;
    // Reported distance between account i and an anchor: great-circle km for lat/lon data.
    double distance(std::size_t i, const Anchor& a) const;
    // Reported distance between accounts i and j.
    double distanceBetween(std::size_t i, std::size_t j) const;
    // Planar point of a lat/lon (for home bases); identity for planar data.
    void project(double lat, double lon, double& x, double& y) const;
    void unproject(double x, double y, double& lat, double& lon) const;
    double centralLongitude() const { return m_lon0; }

  private:
    CoordSystem m_system = CoordSystem::Planar;
    double m_lon0 = 0;
    std::vector<double> m_x, m_y;
    std::vector<double> m_ux, m_uy, m_uz; // unit-sphere vectors of lat/lon points
};

// Great-circle distance in km between two lat/lon points, portable to the last bit.
double detGreatCircleKm(double lat0, double lon0, double lat1, double lon1);

// Indices of the convex hull of the given points (counter-clockwise, no collinear points).
std::vector<std::uint32_t> convexHull(std::span<const double> x, std::span<const double> y,
                                      std::span<const std::uint32_t> subset);

} // namespace terrane::territory
