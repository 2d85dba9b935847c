#include "drivers/sim/synth/gabor_bank.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace rekam::sim {

GaborBank::GaborBank() : taps_(static_cast<std::size_t>(kOrientations) * kPeriods * kStride, 0.0f) {
    const double sigma = 3.2;
    for (int o = 0; o < kOrientations; ++o) {
        const double theta = std::numbers::pi * o / kOrientations;
        // The filter oscillates across the ridges, along the normal (-sin, cos).
        const double nx = -std::sin(theta);
        const double ny = std::cos(theta);
        for (int p = 0; p < kPeriods; ++p) {
            const double freq = 1.0 / (kPeriodMin + kPeriodStep * p);
            float* k = &taps_[static_cast<std::size_t>(o * kPeriods + p) * kStride];
            double sum = 0.0;
            double env_sum = 0.0;
            std::array<double, kSize * kSize> env{};
            for (int y = -kRadius; y <= kRadius; ++y)
                for (int x = -kRadius; x <= kRadius; ++x) {
                    const double e = std::exp(-(x * x + y * y) / (2 * sigma * sigma));
                    const double g = e * std::cos(2 * std::numbers::pi * freq * (x * nx + y * ny));
                    env[(y + kRadius) * kSize + x + kRadius] = e;
                    k[(y + kRadius) * kRow + x + kRadius] = static_cast<float>(g);
                    sum += g;
                    env_sum += e;
                }
            // Zero DC so growth does not drift towards all-ridge or all-valley; then unit
            // gain for a matched sinusoid so the saturation threshold means the same per bin.
            double gain = 0.0;
            for (int y = -kRadius; y <= kRadius; ++y)
                for (int x = -kRadius; x <= kRadius; ++x) {
                    float& t = k[(y + kRadius) * kRow + x + kRadius];
                    t -= static_cast<float>(env[(y + kRadius) * kSize + x + kRadius] * sum /
                                            env_sum);
                    gain += t * std::cos(2 * std::numbers::pi * freq * (x * nx + y * ny));
                }
            for (int i = 0; i < kStride; ++i) k[i] = static_cast<float>(k[i] / gain);
        }
    }
}

int GaborBank::index(float theta, float period) {
    const float turns = theta * static_cast<float>(kOrientations / std::numbers::pi);
    int o = static_cast<int>(std::lround(turns)) % kOrientations;
    if (o < 0) o += kOrientations;
    const int p = std::clamp(static_cast<int>(std::lround((period - kPeriodMin) / kPeriodStep)), 0,
                             kPeriods - 1);
    return o * kPeriods + p;
}

}  // namespace rekam::sim
