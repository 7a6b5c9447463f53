// Seeded randomness that gives the same numbers natively and in WebAssembly.
//
// Index
//  [SECTION] deterministic elementary functions
//  [SECTION] PCG-XSH-RR 64/32 generator
//  [SECTION] alias table
#include "core/base/rng.hpp"

#include <cmath>
#include <limits>

namespace terrane {

// [SECTION] deterministic elementary functions
namespace {
constexpr double kLn2Hi = 6.93147180369123816490e-01; // high bits of ln 2 (exact in 32 bits)
constexpr double kLn2Lo = 1.90821492927058770002e-10; // ln 2 - kLn2Hi
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kSqrtHalf = 0.70710678118654752440;
} // namespace

double detExp(double x) {
    if (std::isnan(x)) return x;
    if (x > 709.78) return std::numeric_limits<double>::infinity();
    if (x < -745.13) return 0.0;
    // x = k*ln2 + r with |r| <= ln2/2; k by round-half-away on x/ln2.
    const double kd = x * kInvLn2;
    const int k = static_cast<int>(kd < 0 ? kd - 0.5 : kd + 0.5);
    const double r = (x - k * kLn2Hi) - k * kLn2Lo;
    // Taylor series of e^r to degree 13: |r| < 0.347 -> truncation below 1e-17.
    double term = 1.0, sum = 1.0;
    for (int i = 1; i <= 13; ++i) {
        term = term * r / i;
        sum += term;
    }
    return std::ldexp(sum, k);
}

double detLog(double x) {
    if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
    if (x == 0) return -std::numeric_limits<double>::infinity();
    if (std::isinf(x)) return x;
    int e = 0;
    double m = std::frexp(x, &e); // x = m * 2^e, m in [0.5, 1)
    if (m < kSqrtHalf) {
        m *= 2.0;
        e -= 1;
    }
    // log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716.
    const double s = (m - 1.0) / (m + 1.0);
    const double s2 = s * s;
    double term = s, sum = 0.0;
    for (int n = 1; n <= 27; n += 2) {
        sum += term / n;
        term *= s2;
    }
    return (e * kLn2Hi + 2.0 * sum) + e * kLn2Lo;
}

double detPow(double base, double exponent) {
    if (exponent == 0.0) return 1.0;
    if (base == 0.0) return exponent > 0 ? 0.0 : std::numeric_limits<double>::infinity();
    return detExp(exponent * detLog(base));
}

double detCosDeg(double degrees) {
    // Reduce to [0, 180] using symmetry, then to [-90, 90] around 90 via cos(x) = -cos(180 - x)
    // is avoided: evaluate cos on [0, 45] or sin on [0, 45] by Taylor series.
    double d = degrees - 360.0 * static_cast<double>(static_cast<long long>(degrees / 360.0));
    if (d < 0) d += 360.0;
    if (d > 180.0) d = 360.0 - d; // cos is even and 360-periodic
    double sign = 1.0;
    if (d > 90.0) {
        d = 180.0 - d;
        sign = -1.0;
    }
    const bool useSin = d > 45.0;
    const double x = (useSin ? 90.0 - d : d) * 0.017453292519943295;
    const double x2 = x * x;
    double term = useSin ? x : 1.0, sum = 0.0;
    for (int k = 0; k < 12; ++k) {
        sum += term;
        const int a = useSin ? 2 * k + 2 : 2 * k + 1;
        term = -term * x2 / (a * (a + 1));
    }
    return sign * sum;
}

// [SECTION] PCG-XSH-RR 64/32 generator
Rng::Rng(std::uint64_t seed, std::uint64_t stream) : m_state(0), m_inc((stream << 1u) | 1u) {
    next32();
    m_state += seed;
    next32();
}

std::uint64_t Rng::next64() {
    const std::uint64_t hi = next32();
    return (hi << 32) | next32();
}

double Rng::uniform() { return static_cast<double>(next64() >> 11) * 0x1.0p-53; }

std::uint32_t Rng::below(std::uint32_t n) {
    // Rejection of the biased low range (Lemire-free, simple and exact).
    const std::uint32_t threshold = (0u - n) % n;
    for (;;) {
        const std::uint32_t r = next32();
        if (r >= threshold) return r % n;
    }
}

double Rng::normal() {
    if (m_hasSpare) {
        m_hasSpare = false;
        return m_spare;
    }
    double u, v, s;
    do {
        u = uniform() * 2.0 - 1.0;
        v = uniform() * 2.0 - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * detLog(s) / s);
    m_spare = v * f;
    m_hasSpare = true;
    return u * f;
}

double Rng::pareto(double xm, double alpha) {
    const double u = 1.0 - uniform(); // (0, 1]
    return xm * detExp(-detLog(u) / alpha);
}

std::uint32_t Rng::poisson(double lambda) {
    if (lambda <= 0) return 0;
    if (lambda < 30.0) {
        const double limit = detExp(-lambda);
        double p = 1.0;
        std::uint32_t k = 0;
        do {
            ++k;
            p *= uniform();
        } while (p > limit);
        return k - 1;
    }
    const double x = normal(lambda, std::sqrt(lambda)) + 0.5;
    return x < 0 ? 0u : static_cast<std::uint32_t>(x);
}

// [SECTION] alias table
AliasTable::AliasTable(std::span<const double> weights) {
    const std::size_t n = weights.size();
    m_prob.assign(n, 0.0);
    m_alias.assign(n, 0);
    if (n == 0) return;
    double total = 0.0;
    for (double w : weights) total += w > 0 ? w : 0.0;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
        scaled[i] = total > 0 ? (weights[i] > 0 ? weights[i] : 0.0) * static_cast<double>(n) / total : 1.0;
        (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
        const std::uint32_t s = small.back(), l = large.back();
        small.pop_back();
        m_prob[s] = scaled[s];
        m_alias[s] = l;
        scaled[l] = (scaled[l] + scaled[s]) - 1.0;
        if (scaled[l] < 1.0) {
            large.pop_back();
            small.push_back(l);
        }
    }
    for (std::uint32_t i : large) m_prob[i] = 1.0;
    for (std::uint32_t i : small) m_prob[i] = 1.0;
}

std::uint32_t AliasTable::sample(Rng& rng) const {
    const std::uint32_t i = rng.below(static_cast<std::uint32_t>(m_prob.size()));
    return rng.uniform() < m_prob[i] ? i : m_alias[i];
}

} // namespace terrane
