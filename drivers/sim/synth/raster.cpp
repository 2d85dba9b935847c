#include "drivers/sim/synth/raster.h"

#include <cmath>
#include <type_traits>

#include "drivers/sim/synth/rng.h"

namespace rekam::sim {

float Field::sample(float x, float y, float outside) const {
    if (!(x >= 0.0f && y >= 0.0f && x <= width - 1.001f && y <= height - 1.001f)) return outside;
    int x0 = static_cast<int>(x);
    int y0 = static_cast<int>(y);
    float fx = x - x0;
    float fy = y - y0;
    const float* p = &v[static_cast<std::size_t>(y0) * width + x0];
    float top = p[0] + fx * (p[1] - p[0]);
    float bot = p[width] + fx * (p[width + 1] - p[width]);
    return top + fy * (bot - top);
}

Field value_noise(int w, int h, float cell, std::uint64_t seed, int octaves) {
    Field out(w, h, 0.0f);
    float weight = 1.0f;
    float total = 0.0f;
    for (int o = 0; o < octaves; ++o, cell *= 0.5f, weight *= 0.5f) {
        const std::uint64_t s = derive(seed, static_cast<std::uint64_t>(o));
        const int gw = static_cast<int>(w / cell) + 2;
        const int gh = static_cast<int>(h / cell) + 2;
        std::vector<float> grid(static_cast<std::size_t>(gw) * gh);
        for (int gy = 0; gy < gh; ++gy)
            for (int gx = 0; gx < gw; ++gx) grid[gy * gw + gx] = hash_noise(s, gx, gy);
        // Interpolation weights per column once, then rows.
        std::vector<int> cx(w);
        std::vector<float> fxs(w);
        for (int x = 0; x < w; ++x) {
            float gx = x / cell;
            cx[x] = static_cast<int>(gx);
            float f = gx - cx[x];
            fxs[x] = f * f * (3.0f - 2.0f * f);
        }
        for (int y = 0; y < h; ++y) {
            float gy = y / cell;
            int cy = static_cast<int>(gy);
            float fy = gy - cy;
            fy = fy * fy * (3.0f - 2.0f * fy);
            const float* r0 = &grid[cy * gw];
            const float* r1 = &grid[(cy + 1) * gw];
            float* dst = &out.v[static_cast<std::size_t>(y) * w];
            for (int x = 0; x < w; ++x) {
                int c = cx[x];
                float a = r0[c] + fxs[x] * (r0[c + 1] - r0[c]);
                float b = r1[c] + fxs[x] * (r1[c + 1] - r1[c]);
                dst[x] += weight * (a + fy * (b - a));
            }
        }
        total += weight;
    }
    // Interpolated uniform noise rarely reaches +-1; rescale so the spread is ~[-1, 1].
    const float k = 1.6f / total;
    for (float& x : out.v) x = std::clamp(x * k, -1.0f, 1.0f);
    return out;
}

float fast_atan2(float y, float x) {
    const float ax = std::fabs(x);
    const float ay = std::fabs(y);
    const float mx = std::max(ax, ay);
    if (mx == 0.0f) return 0.0f;
    const float a = std::min(ax, ay) / mx;
    const float s = a * a;
    // Minimax polynomial for atan on [0, 1], error ~1e-5 rad.
    float r = ((-0.0464964749f * s + 0.15931422f) * s - 0.327622764f) * s * a + a;
    if (ay > ax) r = 1.57079637f - r;
    if (x < 0.0f) r = 3.14159274f - r;
    if (y < 0.0f) r = -r;
    return r;
}

namespace {

// One running-sum pass over `n` elements spaced `step` apart, using `tmp` as scratch.
template <typename T>
void blur_line(T* data, int n, std::ptrdiff_t step, int r, std::vector<float>& tmp) {
    tmp.resize(n);
    for (int i = 0; i < n; ++i) tmp[i] = static_cast<float>(data[i * step]);
    const float inv = 1.0f / (2 * r + 1);
    float acc = 0.0f;
    for (int i = -r; i <= r; ++i) acc += tmp[std::clamp(i, 0, n - 1)];
    for (int i = 0; i < n; ++i) {
        if constexpr (std::is_same_v<T, float>)
            data[i * step] = acc * inv;
        else
            data[i * step] = static_cast<T>(acc * inv + 0.5f);
        acc += tmp[std::min(i + r + 1, n - 1)] - tmp[std::max(i - r, 0)];
    }
}

// Horizontal passes run along rows per channel; the vertical pass keeps a running sum per
// column over whole rows, so memory is always walked in order (big RGB frames stay fast).
template <typename T>
void blur_planes(T* data, int w, int h, int channels, int r, int passes) {
    std::vector<float> tmp;
    const std::size_t stride = static_cast<std::size_t>(w) * channels;
    std::vector<float> src(stride * h);
    std::vector<float> acc(stride);
    const float inv = 1.0f / (2 * r + 1);
    for (int p = 0; p < passes; ++p) {
        for (int y = 0; y < h; ++y)
            for (int c = 0; c < channels; ++c)
                blur_line(data + y * stride + c, w, channels, r, tmp);
        for (std::size_t i = 0; i < src.size(); ++i) src[i] = static_cast<float>(data[i]);
        std::fill(acc.begin(), acc.end(), 0.0f);
        for (int i = -r; i <= r; ++i) {
            const float* row = &src[std::clamp(i, 0, h - 1) * stride];
            for (std::size_t k = 0; k < stride; ++k) acc[k] += row[k];
        }
        for (int y = 0; y < h; ++y) {
            T* dst = data + y * stride;
            for (std::size_t k = 0; k < stride; ++k) {
                if constexpr (std::is_same_v<T, float>)
                    dst[k] = acc[k] * inv;
                else
                    dst[k] = static_cast<T>(acc[k] * inv + 0.5f);
            }
            const float* add = &src[std::min(y + r + 1, h - 1) * stride];
            const float* sub = &src[std::max(y - r, 0) * stride];
            for (std::size_t k = 0; k < stride; ++k) acc[k] += add[k] - sub[k];
        }
    }
}

}  // namespace

void box_blur(bio::Image& image, int radius, int passes) {
    if (radius <= 0 || image.empty()) return;
    blur_planes(image.pixels.data(), image.width, image.height, image.channels, radius, passes);
}

void box_blur(Field& field, int radius, int passes) {
    if (radius <= 0 || field.v.empty()) return;
    blur_planes(field.v.data(), field.width, field.height, 1, radius, passes);
}

void expose(bio::Image& image, float gain, float offset) {
    for (auto& p : image.pixels) p = to_u8(gain * p + offset);
}

}  // namespace rekam::sim
