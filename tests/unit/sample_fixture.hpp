// The generated sample workspace, exactly as `terrane demo` and the page make it: the one
// fixture the unit tests build their workspaces from.
#pragma once

#include "core/scenario/sample.hpp"
#include "core/scenario/workspace.hpp"

#include <cstddef>
#include <cstdint>

namespace fixture {

// `accounts` accounts and `reps` reps and seats (SampleOptions' defaults otherwise: seed 42,
// data as of 2026-10-01).
inline terrane::Workspace sampleWorkspace(std::size_t accounts, std::size_t reps, std::uint64_t seed = terrane::SampleOptions{}.seed) {
    terrane::Workspace ws;
    terrane::SampleOptions o;
    o.accounts = accounts;
    o.reps = reps;
    o.seed = seed;
    terrane::generateSample(o, ws);
    return ws;
}

} // namespace fixture
