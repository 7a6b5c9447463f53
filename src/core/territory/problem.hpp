// What the territory optimiser balances: accounts with locations and metric values, territories
// with owners and capacities, targets, locks and the current assignment, built from a workspace
// and a scenario (the page's active scenario, or the one the CLI assembles from its files).
//
// Capacity (the same rules as the metrics panel, core/metrics.hpp): each territory's targets are
// proportional to its owner's capacity (reps.capacity clamped to 0..1, 1 when blank; 0.25/0.5/0.75
// for ramping reps). A vacant seat (reps.vacant) plans for `vacancyFactor` of a full seat
// (MetricsOptions::vacantCapacity, default 0.5: the seat is expected to be filled and ramping during
// the year); a factor of 0 gives it no accounts. A territory whose owner is not a known rep counts
// as a full seat. With `capacityAdjusted` off every territory has capacity 1.
#pragma once

#include "core/territory/geometry.hpp"
#include "core/territory/travel_graph.hpp"
#include "core/scenario/workspace.hpp"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace terrane::territory {

// Bad or insufficient input for balancing (missing coordinates, unknown metric, ...).
struct BalanceInputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct BalanceMetric {
    // "potential", "workload", "accounts", "customers", "arr", "pipeline" (open opportunity
    // amounts), "whitespace" (potential - ARR, at least 0) or any numeric account column.
    std::string name;
    double tolerance = 0.05; // allowed |load - target| / target
};

// What "compact" means for a run (improve.hpp): weighted distance to the centroid, the largest
// territory diameter, or weighted distance to the owner's home base.
enum class Compactness : std::uint8_t { Distance, Diameter, Home };

struct BalanceOptions {
    std::vector<BalanceMetric> metrics; // 1 to 5 metrics, each with its own tolerance
    CoordSystem coords = CoordSystem::LatLon;
    std::string xColumn = "x", yColumn = "y"; // planar coordinate columns (CoordSystem::Planar)
    bool contiguous = false;       // every territory connected on the Delaunay graph of the accounts
    bool fixedCentres = false;     // compactness to the owner's home base instead of the centroid
    double maxMovedAccounts = 1.0; // share of accounts that may change territory
    double maxMovedValue = 1.0;    // share of ARR (potential without ARR) that may change territory
    bool moveCustomers = false;    // customers (ARR > 0) may change territory (within the budget)
    double vacancyFactor = 0.5;    // capacity of a vacant seat
    bool capacityAdjusted = true;  // targets follow capacity (else equal targets)
    std::uint64_t seed = 1;
    double timeLimitMs = 0; // 0: none. When reached the best plan so far is returned (and the
                            // result then depends on machine speed: reported as time_limited).
                            // Time left after the first plan goes to improving the compactness.
    Compactness compactness = Compactness::Distance; // Home implies fixedCentres
    std::uint64_t improveIterations = 0; // move attempts after the first plan (reproducible by seed)
};

// Why an account cannot be moved by the optimiser.
enum class Fixed : std::uint8_t {
    Free = 0,
    Locked = 1,
    Customer = 2,
    Unplaced = 3,
    Excluded = 4,
    Oversize = 5
};

struct BalanceProblem {
    // [accounts]
    std::size_t accounts = 0;
    PlanGeometry geo;
    std::vector<double> values;        // accounts x metrics, row-major
    std::vector<double> weight;        // compactness weight: potential, or 1 without potential
    std::vector<double> moveValue;     // what the moved-value share counts (ARR, else potential)
    std::vector<std::int32_t> current; // territory index before optimising, -1 none
    std::vector<Fixed> fixed;
    // Accounts larger (in some metric) than the band of every territory: carved out. They keep
    // their territory (or follow the nearest centre), count in the figures, but not in the targets
    // or the balancing: the other accounts are balanced around them.
    std::vector<std::uint8_t> oversize;
    std::vector<std::uint32_t> accountId; // string-pool ids (for messages and output)
    std::shared_ptr<StringPool> pool;
    // The adjacency dataset's travel graph (contiguity and diameters follow it), or null.
    std::shared_ptr<const TravelGraph> travel;
    // [territories]
    std::vector<std::string> territoryId, territoryName, owner;
    std::vector<std::int32_t> territoryRow; // row in the source scenario's territories table
    std::vector<double> capacity;
    std::vector<double> homeX, homeY; // planar home base of the owner; NaN when unknown
    // [metrics]
    std::vector<std::string> metricName;
    std::vector<double> tolerance;
    std::vector<double> total;  // per metric, over the accounts in the plan that are not oversize
    std::vector<double> target; // territories x metrics: what the optimiser balances (oversize excluded)
    // territories x metrics: capacity share x the total over every account in the plan; the
    // reported deviations use these (as the metrics panel does).
    std::vector<double> reportTarget;
    std::string weightName = "potential"; // or "accounts"
    std::string moveValueName = "arr";    // or "potential" / "accounts"
    std::vector<std::string> warnings;
    // The entry of `warnings` about oversize accounts ("" when none): the optimiser drops it when
    // it names an oversize account as the blocking constraint, so it is not said twice.
    std::string oversizeNote;

    std::size_t K() const { return territoryId.size(); }
    std::size_t M() const { return metricName.size(); }
    double value(std::size_t i, std::size_t m) const { return values[i * metricName.size() + m]; }
    // The value the balancing works with (0 for oversize accounts).
    double balanceValue(std::size_t i, std::size_t m) const {
        return oversize[i] ? 0.0 : values[i * metricName.size() + m];
    }
    double targetOf(std::size_t k, std::size_t m) const { return target[k * metricName.size() + m]; }
    double reportTargetOf(std::size_t k, std::size_t m) const {
        return reportTarget[k * metricName.size() + m];
    }
    bool inPlan(std::size_t i) const { return fixed[i] != Fixed::Excluded; }
    std::string_view accountName(std::size_t i) const { return pool->view(accountId[i]); }
};

// Options with the workspace's metrics settings (vacant capacity, capacity adjustment) so the plan's
// targets match the metrics panel.
BalanceOptions balanceOptionsFor(const Workspace& ws);

// Builds the problem for the leaf territories of `scenario` (their owners give capacities and
// home bases; the scenario's assignment and locks are the starting point). Throws
// BalanceInputError naming what is missing.
BalanceProblem makeBalanceProblem(const Workspace& ws, const Scenario& scenario, const BalanceOptions& opt);

// Per-account values of a metric by name (money in major units); throws BalanceInputError for
// unknown columns or text that is not a number (naming the row and column).
std::vector<double> accountMetricValues(const Workspace& ws, std::string_view metric);
// The built-in metric names (as the metrics panel's): accounts, customers, potential, workload,
// arr, pipeline, whitespace.
bool isBuiltInMetric(std::string_view name);
// Parses "potential:0.05" (also "potential:5%"); throws BalanceInputError.
BalanceMetric parseBalanceMetric(std::string_view spec);

} // namespace terrane::territory
