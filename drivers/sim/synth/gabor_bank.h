// Precomputed Gabor kernels for ridge growth, quantised by orientation and period.
#pragma once

#include <array>
#include <vector>

namespace rekam::sim {

class GaborBank {
  public:
    static constexpr int kRadius = 6;
    static constexpr int kSize = 2 * kRadius + 1;  // 13 taps
    static constexpr int kRow = 16;                // padded row: one SIMD-friendly length
    static constexpr int kOrientations = 16;
    static constexpr int kPeriods = 8;
    static constexpr float kPeriodMin = 7.5f;
    static constexpr float kPeriodStep = 0.5f;

    GaborBank();

    // Index of the kernel for ridge direction theta (radians, any range) and period px.
    static int index(float theta, float period);
    // kSize rows of kRow floats, centred on tap (kRadius, kRadius).
    const float* kernel(int index) const {
        return &taps_[static_cast<std::size_t>(index) * kStride];
    }

  private:
    static constexpr int kStride = kSize * kRow;
    std::vector<float> taps_;
};

}  // namespace rekam::sim
