// The statistics the forecast model stands on: L2-regularised logistic regression (Newton / IRLS
// with Eigen), pooled group effects shrunk towards zero (a random intercept per owner or segment,
// so small teams borrow strength from the company), and isotonic calibration (pool adjacent
// violators) that turns scores into probabilities.
//
// Index
//  [SECTION] regression   fit and predict
//  [SECTION] groups       shrunk per-group intercepts
//  [SECTION] isotonic     monotone calibration map
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace terrane::forecast {

// [SECTION] regression
double sigmoid(double z);

struct LogisticFit {
    std::vector<double> beta; // one per column of X (column 0 is usually the intercept)
    int iterations = 0;
    bool converged = false;
};

// Maximises sum_i w_i [y_i log p_i + (1-y_i) log(1-p_i)] - 1/2 sum_j penalty_j beta_j^2 with
// p_i = sigmoid(offset_i + x_i . beta). X is row-major n x p. `offset` may be empty.
LogisticFit fitLogistic(std::span<const float> X, int p, std::span<const std::uint8_t> y, std::span<const float> w,
                        std::span<const double> penalty, std::span<const double> offset = {}, int maxIter = 30);

// [SECTION] groups
// Per-group intercepts b_g with a normal prior of precision `tau` (about "tau pseudo-deals at
// the company's rate"), given each row's fixed log-odds `eta`: the posterior mode by Newton.
// Groups with few deals stay near 0; large groups get their own rate.
std::vector<double> shrunkGroupEffects(std::span<const std::uint32_t> group, std::size_t groups,
                                       std::span<const std::uint8_t> y, std::span<const float> w,
                                       std::span<const double> eta, double tau);

// [SECTION] isotonic
// A non-decreasing map from scores to probabilities, linear between the fitted blocks' centres.
struct IsotonicMap {
    std::vector<double> x, y; // block centres (scores) and their rates; empty = identity
    double operator()(double score) const;
};
// Fits the map to (score, outcome, weight) by pooling adjacent violators.
IsotonicMap fitIsotonic(std::span<const double> score, std::span<const std::uint8_t> y, std::span<const float> w);

} // namespace terrane::forecast
