#include "drivers/sim/synth/finger_master.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "drivers/sim/synth/rng.h"

namespace rekam::sim {
namespace {

constexpr int kMargin = 24;     // canvas border: kernel reach plus SIMD over-read
constexpr float kGrowPad = 10;  // grow a little beyond the contact ellipse
constexpr int kIterations = 9;
constexpr float kGain = 1.8f;  // > 1 so the filtered signal saturates into ridges/valleys

struct Span {
    int x0 = 0;
    int x1 = 0;  // exclusive
};

// One growth step over the rows' spans: filter `src` with each pixel's kernel into `dst`.
void gabor_step(const Field& src, Field& dst, const std::vector<std::uint16_t>& kidx,
                const std::vector<Span>& spans, const GaborBank& bank, float gain) {
    const int w = src.width;
    constexpr int R = GaborBank::kRadius;
    for (int y = 0; y < src.height; ++y) {
        const Span sp = spans[y];
        for (int x = sp.x0; x < sp.x1; ++x) {
            const float* k = bank.kernel(kidx[static_cast<std::size_t>(y) * w + x]);
            const float* s = &src.v[static_cast<std::size_t>(y - R) * w + (x - R)];
            float acc[GaborBank::kRow] = {};
            for (int i = 0; i < GaborBank::kSize; ++i) {
                const float* kr = k + i * GaborBank::kRow;
                const float* sr = s + static_cast<std::size_t>(i) * w;
                for (int j = 0; j < GaborBank::kRow; ++j) acc[j] += kr[j] * sr[j];
            }
            float sum = 0.0f;
            for (float a : acc) sum += a;
            dst.v[static_cast<std::size_t>(y) * w + x] = std::clamp(gain * sum, -1.0f, 1.0f);
        }
    }
}

}  // namespace

float model_orientation(const FingerLayout& l, float x, float y) {
    if (l.cores.empty() && l.deltas.empty()) {
        // Plain arch: ridges y = y0 - h exp(-dx^2 / 2s^2), flatter away from the peak row.
        const float dx = x - l.arch_peak.x;
        const float s2 = l.arch_spread * l.arch_spread;
        const float fall = (y - l.arch_peak.y) / (0.9f * l.half_height);
        const float h = l.arch_height * std::exp(-fall * fall);
        return std::atan(h * dx / s2 * std::exp(-dx * dx / (2 * s2)));
    }
    float a = 0.0f;
    for (const auto& c : l.cores) a += fast_atan2(y - c.y, x - c.x);
    for (const auto& d : l.deltas) a -= fast_atan2(y - d.y, x - d.x);
    return 0.5f * a;
}

FingerMaster grow_master(const FingerLayout& layout, std::uint64_t seed, const GaborBank& bank) {
    FingerMaster m;
    m.layout = layout;
    const float ew = layout.half_width + kGrowPad;
    const float eh = layout.half_height + kGrowPad;
    const int w = 2 * (static_cast<int>(ew) + kMargin);
    const int h = 2 * (static_cast<int>(eh) + kMargin);
    m.centre_x = w / 2.0f;
    m.centre_y = h / 2.0f;

    // Rows' spans inside the growth ellipse.
    std::vector<Span> spans(h);
    for (int y = 0; y < h; ++y) {
        const float v = (y - m.centre_y) / eh;
        if (std::fabs(v) >= 1.0f) continue;
        const float half = ew * std::sqrt(1.0f - v * v);
        spans[y] = {std::max(kMargin, static_cast<int>(m.centre_x - half)),
                    std::min(w - kMargin, static_cast<int>(m.centre_x + half) + 1)};
    }

    // Smooth perturbations of orientation and period make each finger's flow its own.
    const Field bend = value_noise(w, h, 90.0f, derive(seed, 11), 2);
    const Field pace = value_noise(w, h, 70.0f, derive(seed, 12), 1);
    const float bend_amp = static_cast<float>(Rng(derive(seed, 13)).uniform(0.10, 0.22));

    std::vector<std::uint16_t> kidx(static_cast<std::size_t>(w) * h, 0);
    for (int y = 0; y < h; ++y)
        for (int x = spans[y].x0; x < spans[y].x1; ++x) {
            const float fx = x - m.centre_x;
            const float fy = y - m.centre_y;
            const std::size_t i = static_cast<std::size_t>(y) * w + x;
            const float theta = model_orientation(layout, fx, fy) + bend_amp * bend.v[i];
            const float period = layout.period * (1.0f + 0.07f * pace.v[i]);
            kidx[i] = static_cast<std::uint16_t>(GaborBank::index(theta, period));
        }

    // Sparse seeded noise: the ridges grow out of these spikes along the field.
    Field a(w, h, 0.0f);
    Field b(w, h, 0.0f);
    const std::uint64_t ns = derive(seed, 14);
    for (int y = 0; y < h; ++y)
        for (int x = spans[y].x0; x < spans[y].x1; ++x) {
            const float n = hash_noise(ns, x, y);
            if (std::fabs(n) > 0.9f) a.at(x, y) = n > 0 ? 1.0f : -1.0f;
        }
    for (int it = 0; it < kIterations; ++it) {
        gabor_step(a, b, kidx, spans, bank, kGain);
        std::swap(a.v, b.v);
    }
    m.ridges = std::move(a);
    return m;
}

}  // namespace rekam::sim
