// Risk and upside flags on the open deals of a pipeline snapshot: past close date, no activity
// for N days, close date pushed twice or more, far larger than the owner's usual won deal, Commit
// deals a model rates unlikely; upside: Best Case / Pipeline deals a model rates likely. The
// model's flags take the per-deal win probability as input (one per snapshot deal, NaN unknown).
#pragma once

#include "core/forecast/pipeline.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace terrane::forecast {

enum class DealFlag : std::uint8_t { PastClose, Stale, PushedTwice, Oversized, CommitUnlikely, UpsideLikely };
inline constexpr int kDealFlagCount = 6;
const char* dealFlagId(DealFlag f);    // "past_close", "stale", "pushed_twice", "oversized", "commit_unlikely", "upside_likely"
const char* dealFlagLabel(DealFlag f); // "Past close date", ...

struct FlagOptions {
    int staleDays = 30;         // no activity for this many days
    int pushes = 2;             // close date pushed at least this often
    double oversize = 3.0;      // amount above this many times the owner's median won deal
    int minWonForOwner = 5;     // fewer won deals: the company's median instead
    double unlikely = 0.3;      // Commit deals below this win probability
    double likely = 0.6;        // Best Case / Pipeline deals at or above it
};

struct FlagList {
    DealFlag flag = DealFlag::PastClose;
    bool upside = false;
    std::string why;                  // the rule, in words ("no activity for 30 days or more")
    std::vector<std::uint32_t> deals; // indices into the snapshot's deals, largest amount first
    Money value = 0;                  // their amounts
};

// One list per flag (empty lists included, in DealFlag order). `winProbability` is empty or has
// one entry per snapshot deal; without it the model's flags are empty.
std::vector<FlagList> flagDeals(const PipelineSnapshot& s, std::span<const double> winProbability, const FlagOptions& opt = {});

} // namespace terrane::forecast
