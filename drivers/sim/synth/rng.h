// Small deterministic random source. The std distributions are not specified bit-for-bit,
// so the synthesisers draw everything from here to stay identical across standard libraries.
#pragma once

#include <cmath>
#include <cstdint>

namespace rekam::sim {

// SplitMix64 finaliser: a good 64-bit avalanche, used for seeds and per-pixel hashes.
constexpr std::uint64_t mix64(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Derive an independent stream for a sub-part (e.g. impression index) of a seed.
constexpr std::uint64_t derive(std::uint64_t seed, std::uint64_t part) {
    return mix64(seed ^ mix64(part + 0x632be59bd9b4e019ULL));
}

class Rng {
  public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        state_ += 0x9e3779b97f4a7c15ULL;
        return mix64(state_);
    }
    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int uniform_int(int lo, int hi) {  // inclusive
        return lo + static_cast<int>(uniform() * (hi - lo + 1));
    }
    bool chance(double p) { return uniform() < p; }
    // Standard normal (Box-Muller).
    double normal() {
        double u1 = uniform();
        double u2 = uniform();
        if (u1 < 1e-300) u1 = 1e-300;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

  private:
    std::uint64_t state_;
};

// Cheap per-pixel noise in [-1, 1) from a position hash: no state, so rows can be drawn
// in any order and stay deterministic.
inline float hash_noise(std::uint64_t seed, int x, int y) {
    std::uint64_t h =
        mix64(seed ^ (static_cast<std::uint64_t>(static_cast<std::uint32_t>(y)) << 32 |
                      static_cast<std::uint32_t>(x)));
    return static_cast<float>(static_cast<double>(h >> 40) * 0x1.0p-23) - 1.0f;
}

// Roughly Gaussian (sum of two uniforms, triangular), unit-ish spread, from one hash.
inline float hash_noise2(std::uint64_t seed, int x, int y) {
    std::uint64_t h =
        mix64(seed ^ (static_cast<std::uint64_t>(static_cast<std::uint32_t>(y)) << 32 |
                      static_cast<std::uint32_t>(x)));
    float a = static_cast<float>(h & 0xffffff) * 0x1.0p-24f;
    float b = static_cast<float>((h >> 24) & 0xffffff) * 0x1.0p-24f;
    return (a + b - 1.0f) * 1.73f;
}

}  // namespace rekam::sim
