// The per-eye iris pattern, in normalised polar coordinates (Daugman's rubber sheet), so it
// stays the same eye whatever the pupil dilation.
#pragma once

#include <cstdint>
#include <vector>

namespace rekam::sim {

class IrisTexture {
  public:
    static constexpr int kRadial = 64;    // pupil edge (0) .. limbus (kRadial-1)
    static constexpr int kAngular = 512;  // 0 .. 2 pi

    IrisTexture() = default;
    // Radial fibres, crypts, a zig-zag collarette and concentric furrows, drawn from `seed`.
    explicit IrisTexture(std::uint64_t seed);

    // Relative brightness around 0 (about -1..1) at normalised radius t in [0, 1] and
    // angle index a (any integer; wraps).
    float at(float t, int a) const {
        int r = static_cast<int>(t * (kRadial - 1) + 0.5f);
        r = r < 0 ? 0 : (r >= kRadial ? kRadial - 1 : r);
        return v_[static_cast<std::size_t>(r) * kAngular +
                  (static_cast<unsigned>(a) & (kAngular - 1))];
    }
    float base_level() const { return base_; }

  private:
    std::vector<float> v_;
    float base_ = 110.0f;  // mean NIR grey of this iris
};

}  // namespace rekam::sim
