// Minutiae in matching coordinates, shared by the cylinders and the matcher's consolidation.
#pragma once

#include <cmath>
#include <numbers>
#include <vector>

#include "biometrics/fingerprint/cylinder.h"
#include "biometrics/fingerprint/minutiae.h"

namespace rekam::bio::fingerprint {

// a - b as an angle in [-pi, pi).
inline float angle_difference(float a, float b) {
    constexpr float pi = std::numbers::pi_v<float>;
    float d = std::fmod(a - b + pi, 2 * pi);
    if (d < 0) d += 2 * pi;
    return d - pi;
}

// Positions taken to 500 ppi from the print's own resolution (so that readers of different
// resolutions compare) with y up, so that the ISO angles run counter-clockwise in this frame too.
inline std::vector<MatchPoint> to_match_points(const Minutiae& m) {
    const double s = 500.0 / (m.ppi > 0 ? m.ppi : 500.0);
    std::vector<MatchPoint> out;
    out.reserve(m.points.size());
    for (const auto& p : m.points)
        out.push_back({static_cast<float>(p.x * s), static_cast<float>(-p.y * s),
                       static_cast<float>(p.angle), static_cast<float>(p.quality) / 100.0f});
    return out;
}

}  // namespace rekam::bio::fingerprint
