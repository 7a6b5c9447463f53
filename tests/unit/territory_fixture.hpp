// Synthetic territory instances for tests: accounts on a plane in clusters plus background,
// heavy-tailed potential, workload that loosely follows size, some customers with ARR.
#pragma once

#include "core/base/rng.hpp"
#include "core/territory/planning.hpp"
#include "core/territory/problem.hpp"
#include "core/scenario/workspace.hpp"

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

namespace fixture {

inline terrane::Workspace planarWorkspace(std::size_t n, std::uint64_t seed, int clusters = 8,
                                          double sigma = 0.5) {
    using namespace terrane;
    Workspace ws;
    Table& acc = ws.accounts();
    acc.resize(n);
    Column& x = acc.addColumn("x", ColumnType::F64);
    Column& y = acc.addColumn("y", ColumnType::F64);
    Column& id = *acc.find("account_id");
    Column& pot = *acc.find("potential");
    Column& arr = *acc.find("arr");
    Column& work = *acc.find("workload");
    Rng rng(seed, 99);
    std::vector<double> cx, cy;
    for (int c = 0; c < clusters; ++c)
        cx.push_back(rng.uniform(100, 900)), cy.push_back(rng.uniform(100, 900));
    for (std::size_t i = 0; i < n; ++i) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "A%06zu", i + 1);
        id.ids()[i] = ws.pool->intern(buf);
        if (rng.chance(0.3) || clusters == 0) {
            x.f64()[i] = rng.uniform(0, 1000);
            y.f64()[i] = rng.uniform(0, 1000);
        } else {
            const auto c = rng.below(static_cast<std::uint32_t>(clusters));
            x.f64()[i] = cx[c] + rng.normal(0, 60);
            y.f64()[i] = cy[c] + rng.normal(0, 60);
        }
        const double p = std::floor(rng.lognormal(std::log(20000.0), sigma));
        pot.i64()[i] = static_cast<Money>(p) * 100;
        arr.i64()[i] = rng.chance(0.2) ? static_cast<Money>(p * 0.3) * 100 : 0;
        work.f64()[i] = std::floor(10.0 + 20.0 * rng.uniform() + p / 4000.0);
    }
    ws.rebuildBaseline();
    return ws;
}

inline terrane::territory::BalanceOptions
planarOptions(std::vector<terrane::territory::BalanceMetric> metrics) {
    terrane::territory::BalanceOptions o;
    o.coords = terrane::territory::CoordSystem::Planar;
    o.metrics = std::move(metrics);
    return o;
}

inline std::shared_ptr<const terrane::territory::BalanceProblem>
freshProblem(const terrane::Workspace& ws, std::size_t K, const terrane::territory::BalanceOptions& o,
             std::vector<std::uint8_t> locks = {}) {
    using namespace terrane::territory;
    if (locks.empty()) locks.assign(ws.accounts().rows(), 0);
    const terrane::Scenario sc = freshScenario(ws, K, locks);
    return std::make_shared<const BalanceProblem>(makeBalanceProblem(ws, sc, o));
}

} // namespace fixture
