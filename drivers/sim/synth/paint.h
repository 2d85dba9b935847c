// Soft-edged shape painting on RGB frames: each shape is a signed distance function plus a
// colour function, blended with ~1 px anti-aliasing and touched only within its box.
#pragma once

#include <algorithm>
#include <cmath>

#include "biometrics/image.h"

namespace rekam::sim {

struct Rgb {
    float r = 0, g = 0, b = 0;
};
inline Rgb operator*(Rgb c, float k) { return {c.r * k, c.g * k, c.b * k}; }
inline Rgb operator+(Rgb a, Rgb b) { return {a.r + b.r, a.g + b.g, a.b + b.b}; }
inline Rgb mix(Rgb a, Rgb b, float t) { return a * (1 - t) + b * t; }

// Approximate signed distance (px, negative inside) to an axis-aligned ellipse.
inline float ellipse_sdf(float x, float y, float cx, float cy, float a, float b) {
    const float u = (x - cx) / a, v = (y - cy) / b;
    return (std::sqrt(u * u + v * v) - 1.0f) * std::min(a, b);
}

// Signed distance to a capsule (segment p0-p1 with radius r).
inline float capsule_sdf(float x, float y, float x0, float y0, float x1, float y1, float r) {
    const float dx = x1 - x0, dy = y1 - y0;
    const float t =
        std::clamp(((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy + 1e-6f), 0.0f, 1.0f);
    return std::hypot(x - (x0 + t * dx), y - (y0 + t * dy)) - r;
}

// Paints pixels of the box [x0,x1)x[y0,y1) where sdf < 0.5, blending `shade` by coverage
// times `opacity`.
template <typename Sdf, typename Shade>
void paint(bio::Image& im, float x0, float y0, float x1, float y1, Sdf sdf, Shade shade,
           float opacity = 1.0f) {
    const int xa = std::max(0, static_cast<int>(std::floor(x0)));
    const int ya = std::max(0, static_cast<int>(std::floor(y0)));
    const int xb = std::min(im.width, static_cast<int>(std::ceil(x1)) + 1);
    const int yb = std::min(im.height, static_cast<int>(std::ceil(y1)) + 1);
    for (int y = ya; y < yb; ++y)
        for (int x = xa; x < xb; ++x) {
            const float d = sdf(static_cast<float>(x), static_cast<float>(y));
            if (d >= 0.5f) continue;
            const float alpha = std::min(1.0f, 0.5f - d) * opacity;
            const Rgb c = shade(static_cast<float>(x), static_cast<float>(y));
            std::uint8_t* p = &im.at(x, y);
            p[0] = static_cast<std::uint8_t>(std::clamp(p[0] + alpha * (c.r - p[0]), 0.0f, 255.0f));
            p[1] = static_cast<std::uint8_t>(std::clamp(p[1] + alpha * (c.g - p[1]), 0.0f, 255.0f));
            p[2] = static_cast<std::uint8_t>(std::clamp(p[2] + alpha * (c.b - p[2]), 0.0f, 255.0f));
        }
}

}  // namespace rekam::sim
