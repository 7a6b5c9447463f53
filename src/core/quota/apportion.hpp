// Exact integer splitting: every split sums to its total to the minor unit.
#pragma once

#include "core/base/types.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace terrane::quota {

struct Apportionment {
    std::vector<Money> amounts;
    Money free = 0;             // the part split by weight (total minus honoured locks)
    Money remainder = 0;        // the part of `free` that was not a whole number of units
    int remainderAt = -1;       // the item that received `remainder` (-1: none)
    bool locksIgnored = false;  // locked amounts exceeded the total, or nobody could take the rest
    bool equalFallback = false; // every unlocked weight was zero: the free part was split equally
};

// Splits `total` (>= 0) among items: a locked item (locked[i] != kMoneyNull) gets exactly its
// amount, the rest is split in proportion to the non-negative integer weights in whole `unit`s by
// largest remainder (ties to the lower index). The part of the free amount that is not a whole
// number of units goes to the unlocked item with the largest amount (ties to the lower index).
// If the locks cannot be honoured, they are ignored (locksIgnored). Sum of amounts == total.
// `locked` may be empty (no locks).
Apportionment apportion(Money total, std::span<const std::int64_t> weights, std::span<const Money> locked,
                        Money unit);

// An integer matrix (row-major, rows.size() x cols.size()) whose rows sum exactly to `rows` and
// columns exactly to `cols` (which must have equal totals), each cell within `unit` of the
// proportional value rows[i] * cols[j] / total. Every row and column sum must be a multiple of
// `unit` (see commonUnit).
std::vector<Money> roundMatrix(std::span<const Money> rows, std::span<const Money> cols, Money unit);

// The coarsest of {preferred, 100, 1} that divides every value (period splits use whole
// rounding units when the amounts allow, else whole major units, else minor units).
Money commonUnit(Money preferred, std::span<const Money> values);

// Quantises non-negative finite doubles to integer weights with the same proportions (to about
// 1e-12), so that splits are exact integer arithmetic.
std::vector<std::int64_t> quantizeWeights(std::span<const double> weights);

} // namespace terrane::quota
