// Seeded randomness that gives the same stream natively and in WebAssembly.
// Only IEEE basic operations are used (no libm transcendental calls), so the same seed produces
// bit-identical results on every platform; this is what lets a scenario file reproduce results.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace terrane {

// exp/log/pow built from +,-,*,/ and exact scaling: portable to the last bit (about 1 ulp error).
double detExp(double x);
double detLog(double x);
double detPow(double base, double exponent);
// Cosine of an angle in degrees, portable to the last bit (|error| < 1e-15).
double detCosDeg(double degrees);

class Rng {
  public:
    explicit Rng(std::uint64_t seed, std::uint64_t stream = 0x5851f42d4c957f2dULL);

    // Inline: hot loops (the attainment simulation) draw hundreds of millions of these.
    std::uint32_t next32() {
        const std::uint64_t old = m_state;
        m_state = old * 6364136223846793005ULL + m_inc;
        const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
        const auto rot = static_cast<std::uint32_t>(old >> 59u);
        return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
    }
    std::uint64_t next64();
    // Uniform in [0, 1) with 53 random bits.
    double uniform();
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [0, n); unbiased. n must be > 0.
    std::uint32_t below(std::uint32_t n);
    bool chance(double p) { return uniform() < p; }
    double normal(); // standard normal (Marsaglia polar method)
    double normal(double mean, double sd) { return mean + sd * normal(); }
    double lognormal(double mu, double sigma) { return detExp(mu + sigma * normal()); }
    // Pareto with scale xm and shape alpha (heavy tail: alpha in 1..2).
    double pareto(double xm, double alpha);
    std::uint32_t poisson(double lambda);

  private:
    std::uint64_t m_state;
    std::uint64_t m_inc;
    bool m_hasSpare = false;
    double m_spare = 0.0;
};

// O(1) sampling from a fixed discrete distribution (Vose's alias method).
class AliasTable {
  public:
    AliasTable() = default;
    explicit AliasTable(std::span<const double> weights);
    std::uint32_t sample(Rng& rng) const;
    std::size_t size() const { return m_prob.size(); }

  private:
    std::vector<double> m_prob;
    std::vector<std::uint32_t> m_alias;
};

} // namespace terrane
