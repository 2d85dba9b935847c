#include "drivers/sim/synth/iris_texture.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "drivers/sim/synth/raster.h"
#include "drivers/sim/synth/rng.h"

namespace rekam::sim {

IrisTexture::IrisTexture(std::uint64_t seed) : v_(static_cast<std::size_t>(kRadial) * kAngular) {
    Rng rng(derive(seed, 0x1415));
    base_ = static_cast<float>(rng.uniform(95, 135));
    // Fibres: noise that varies fast around the circle and slowly outwards gives radial
    // streaks; two scales so they fork and wander like stroma.
    const Field fine = value_noise(kAngular, kRadial, 3.0f, derive(seed, 1), 2);
    const Field coarse = value_noise(kAngular, kRadial, 16.0f, derive(seed, 2), 2);
    const float collarette = static_cast<float>(rng.uniform(0.28, 0.38));
    const float zig_amp = static_cast<float>(rng.uniform(0.03, 0.06));
    const int zig_freq = rng.uniform_int(9, 16);
    const float zig_phase = static_cast<float>(rng.uniform(0, 2 * std::numbers::pi));

    for (int r = 0; r < kRadial; ++r) {
        const float t = r / float(kRadial - 1);
        for (int a = 0; a < kAngular; ++a) {
            const float ang = 2 * std::numbers::pi_v<float> * a / kAngular;
            // Fibres stretch radially: sample the fine noise with a compressed radius.
            const float fib = fine.at(a, std::min(kRadial - 1, r / 4));
            float v = 0.45f * fib + 0.35f * coarse.at(a, r);
            // Collarette: a bright zig-zag ridge; the pupillary zone inside it is darker.
            const float c = collarette + zig_amp * std::sin(zig_freq * ang + zig_phase) +
                            0.02f * coarse.at(a, 0);
            const float d = (t - c) / 0.035f;
            v += 0.55f * std::exp(-d * d);
            if (t < c) v -= 0.2f;
            // The limbus darkens towards the sclera.
            v -= 0.6f * smoothstep(0.85f, 1.0f, t);
            v_[static_cast<std::size_t>(r) * kAngular + a] = v;
        }
    }
    // Crypts: dark lenses elongated along the fibres, mostly just outside the collarette.
    const int crypts = rng.uniform_int(8, 20);
    for (int k = 0; k < crypts; ++k) {
        const float t0 = static_cast<float>(rng.uniform(collarette + 0.03, 0.8));
        const float a0 = static_cast<float>(rng.uniform(0, kAngular));
        const float rt = static_cast<float>(rng.uniform(0.04, 0.10));  // radial half-size
        const float ra = static_cast<float>(rng.uniform(4.0, 12.0));   // angular half-size
        const float depth = static_cast<float>(rng.uniform(0.6, 1.2));
        for (int r = 0; r < kRadial; ++r) {
            const float dt = (r / float(kRadial - 1) - t0) / rt;
            if (std::fabs(dt) > 1.5f) continue;
            for (int da = -static_cast<int>(2 * ra); da <= static_cast<int>(2 * ra); ++da) {
                const float q = dt * dt + (da / ra) * (da / ra);
                if (q > 2.5f) continue;
                const int a = (static_cast<int>(a0) + da + kAngular) & (kAngular - 1);
                v_[static_cast<std::size_t>(r) * kAngular + a] -= depth * std::exp(-q);
            }
        }
    }
    // Contraction furrows: partial dark rings in the ciliary zone.
    const int furrows = rng.uniform_int(2, 5);
    for (int k = 0; k < furrows; ++k) {
        const float t0 = static_cast<float>(rng.uniform(0.55, 0.88));
        const int a0 = rng.uniform_int(0, kAngular - 1);
        const int len = rng.uniform_int(kAngular / 8, kAngular / 2);
        const int r = static_cast<int>(t0 * (kRadial - 1));
        for (int i = 0; i < len; ++i) {
            const int a = (a0 + i) & (kAngular - 1);
            const float fade = std::sin(std::numbers::pi_v<float> * i / len);
            v_[static_cast<std::size_t>(r) * kAngular + a] -= 0.5f * fade;
            v_[static_cast<std::size_t>(r + 1) * kAngular + a] -= 0.25f * fade;
        }
    }
}

}  // namespace rekam::sim
