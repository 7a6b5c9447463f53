// Risk and upside flags on the open deals of a pipeline snapshot: past close date, no activity
// for N days, close date pushed twice or more, far larger than the owner's usual won deal, Commit
// deals a model rates unlikely; upside: Best Case / Pipeline deals a model rates likely. The
// model's flags take the per-deal win probability as input (one per snapshot deal, NaN unknown).
// Every flagged deal carries a note saying what it was compared with, in words.
//
// "Far larger than usual" holds up on skewed deal sizes (a rep's Enterprise deal among SMB wins):
// a deal is flagged when it is at least `oversize` times the median won deal and larger than the
// `oversizeQuantile` quantile of the won deals (1: larger than any of them), both from the
// owner's own wins before the as-of date, or from the company's when the owner has fewer than
// `minWonForOwner` (too few to say what is usual for them).
#pragma once

#include "core/forecast/pipeline.hpp"

#include <cstdint>
#include <functional>
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
    double oversize = 3.0;         // at least this many times the usual median won deal ...
    double oversizeQuantile = 1.0; // ... and above this quantile of the usual won deals (1: the largest)
    int minWonForOwner = 8;        // fewer won deals: the company's won deals are the usual
    double unlikely = 0.3;      // Commit deals below this win probability
    double likely = 0.6;        // Best Case / Pipeline deals at or above it
};

struct FlagList {
    DealFlag flag = DealFlag::PastClose;
    bool upside = false;
    std::string why;                  // the rule, in words ("no activity for 30 days or more")
    std::vector<std::uint32_t> deals; // indices into the snapshot's deals, largest amount first
    std::vector<std::string> notes;   // one per deal: what it was compared with ("4.2x Dana's median won deal of $12,400")
    Money value = 0;                  // their amounts
};

// An owner's display name from the id the opportunities carry (the id itself when empty).
using OwnerName = std::function<std::string(std::string_view owner)>;

// One list per flag (empty lists included, in DealFlag order). `winProbability` is empty or has
// one entry per snapshot deal; without it the model's flags are empty.
std::vector<FlagList> flagDeals(const PipelineSnapshot& s, std::span<const double> winProbability, const FlagOptions& opt = {},
                                const OwnerName& ownerName = {});

} // namespace terrane::forecast
