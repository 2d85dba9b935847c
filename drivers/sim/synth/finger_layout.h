// The global shape of one finger: pattern class, singular points, size and ridge period.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace rekam::sim {

// The five Henry/NIST classes SFinGe draws from.
enum class PatternClass { Arch, TentedArch, LeftLoop, RightLoop, Whorl };

std::string_view to_string(PatternClass pattern);

struct SingularPoint {
    float x = 0.0f;  // relative to the finger centre, px at 500 ppi, y down
    float y = 0.0f;
};

struct FingerLayout {
    PatternClass pattern = PatternClass::Arch;
    std::vector<SingularPoint> cores;
    std::vector<SingularPoint> deltas;
    float half_width = 150.0f;  // contact ellipse semi-axes, px
    float half_height = 200.0f;
    float period = 9.0f;  // mean ridge period, px
    // Plain arches have no singular points; their ridges bulge by `arch_height` px.
    float arch_height = 0.0f;
    float arch_spread = 80.0f;
    SingularPoint arch_peak;
};

// Draws the layout of ISO finger position 1..10 from the finger's seed, with realistic class
// frequencies per finger (thumbs and ring fingers: more whorls; index: more arches and
// radial loops; ulnar loops lean right on the right hand and left on the left hand).
FingerLayout make_layout(std::uint64_t seed, int iso_position);

}  // namespace rekam::sim
