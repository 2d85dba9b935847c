// Small raster helpers shared by the synthesisers: smooth noise fields, blur, fast maths.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "biometrics/image.h"

namespace rekam::sim {

// A W x H float field, row-major.
struct Field {
    int width = 0;
    int height = 0;
    std::vector<float> v;

    Field() = default;
    Field(int w, int h, float fill = 0.0f)
        : width(w), height(h), v(static_cast<std::size_t>(w) * h, fill) {}
    float& at(int x, int y) { return v[static_cast<std::size_t>(y) * width + x]; }
    float at(int x, int y) const { return v[static_cast<std::size_t>(y) * width + x]; }
    // Bilinear sample; outside the field returns `outside`.
    float sample(float x, float y, float outside = 0.0f) const;
};

// Smooth value noise in about [-1, 1]: random values on a grid of `cell` px, smoothly
// interpolated. `octaves` halves the cell size each time with half the weight.
Field value_noise(int w, int h, float cell, std::uint64_t seed, int octaves = 1);

// atan2 to ~1e-4 rad; the orientation models call it several times per pixel.
float fast_atan2(float y, float x);

inline float smoothstep(float e0, float e1, float x) {
    float t = std::clamp((x - e0) / (e1 - e0), 0.0f, 1.0f);
    return t * t * (3.0f - 2.0f * t);
}

inline std::uint8_t to_u8(float v) {
    return static_cast<std::uint8_t>(std::clamp(v + 0.5f, 0.0f, 255.0f));
}

// Separable box blur of radius r (window 2r+1), `passes` times (3 passes ~ Gaussian).
// Works on grey and RGB images; edges are clamped.
void box_blur(bio::Image& image, int radius, int passes = 2);
void box_blur(Field& field, int radius, int passes = 2);

// Exposure: map each value v to gain * v + offset (clamped); used by Dark/Light.
void expose(bio::Image& image, float gain, float offset);

}  // namespace rekam::sim
