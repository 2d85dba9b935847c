#include "drivers/sim/synth/finger_layout.h"

#include <array>

#include "drivers/sim/synth/rng.h"

namespace rekam::sim {
namespace {

// Class frequencies (percent) per finger of one hand, thumb..little, after the
// FBI/NIST statistics: whorl, ulnar loop, radial loop, arch, tented arch.
struct ClassOdds {
    double whorl, ulnar, radial, arch, tented;
};
constexpr std::array<ClassOdds, 5> kOdds{{
    {44, 50, 2, 2, 2},   // thumb
    {32, 36, 14, 9, 9},  // index
    {20, 70, 3, 4, 3},   // middle
    {45, 50, 1, 2, 2},   // ring
    {14, 83, 1, 1, 1},   // little
}};

// Contact ellipse semi-axes ranges per finger, px at 500 ppi.
struct SizeRange {
    float w0, w1, h0, h1;
};
constexpr std::array<SizeRange, 5> kSizes{{
    {160, 176, 205, 225},  // thumb
    {142, 156, 190, 212},  // index
    {145, 160, 195, 215},  // middle
    {138, 152, 185, 205},  // ring
    {120, 134, 165, 185},  // little
}};

PatternClass draw_class(Rng& rng, int finger, bool right_hand) {
    const ClassOdds& o = kOdds[finger];
    const PatternClass ulnar = right_hand ? PatternClass::RightLoop : PatternClass::LeftLoop;
    const PatternClass radial = right_hand ? PatternClass::LeftLoop : PatternClass::RightLoop;
    double u = rng.uniform(0.0, o.whorl + o.ulnar + o.radial + o.arch + o.tented);
    if ((u -= o.whorl) < 0) return PatternClass::Whorl;
    if ((u -= o.ulnar) < 0) return ulnar;
    if ((u -= o.radial) < 0) return radial;
    if ((u -= o.arch) < 0) return PatternClass::Arch;
    return PatternClass::TentedArch;
}

}  // namespace

std::string_view to_string(PatternClass pattern) {
    switch (pattern) {
        case PatternClass::Arch:
            return "arch";
        case PatternClass::TentedArch:
            return "tented-arch";
        case PatternClass::LeftLoop:
            return "left-loop";
        case PatternClass::RightLoop:
            return "right-loop";
        case PatternClass::Whorl:
            return "whorl";
    }
    return "arch";
}

FingerLayout make_layout(std::uint64_t seed, int iso_position) {
    Rng rng(derive(seed, 0x1a7));
    const int pos = iso_position < 1 || iso_position > 10 ? 2 : iso_position;
    const bool right_hand = pos <= 5;
    const int finger = (pos - 1) % 5;

    FingerLayout l;
    const SizeRange& s = kSizes[finger];
    l.half_width = static_cast<float>(rng.uniform(s.w0, s.w1));
    l.half_height = static_cast<float>(rng.uniform(s.h0, s.h1));
    l.period = static_cast<float>(rng.uniform(8.4, 9.6));
    l.pattern = draw_class(rng, finger, right_hand);

    // The core sits a little above the centre of the contact area.
    const float cx = static_cast<float>(rng.uniform(-18, 18));
    const float cy = static_cast<float>(rng.uniform(-50, -10));
    auto f = [&rng](double a, double b) { return static_cast<float>(rng.uniform(a, b)); };
    switch (l.pattern) {
        case PatternClass::LeftLoop:  // delta lower right, ridges enter and leave on the left
        case PatternClass::RightLoop: {
            const float side = l.pattern == PatternClass::LeftLoop ? 1.0f : -1.0f;
            l.cores.push_back({cx, cy});
            l.deltas.push_back({cx + side * f(85, 125), cy + f(95, 135)});
            break;
        }
        case PatternClass::Whorl: {
            const float gap = f(16, 44);
            const float tilt = f(-14, 14);
            l.cores.push_back({cx - tilt / 2, cy - gap / 2});
            l.cores.push_back({cx + tilt / 2, cy + gap / 2});
            const float dy = cy + f(95, 130);
            l.deltas.push_back({cx - f(95, 130), dy + f(-15, 15)});
            l.deltas.push_back({cx + f(95, 130), dy + f(-15, 15)});
            break;
        }
        case PatternClass::TentedArch:
            l.cores.push_back({cx, cy + 10});
            l.deltas.push_back({cx + f(-8, 8), cy + 10 + f(45, 70)});
            break;
        case PatternClass::Arch:
            l.arch_height = f(30, 60);
            l.arch_spread = f(60, 90);
            l.arch_peak = {cx, cy + 20};
            break;
    }
    return l;
}

}  // namespace rekam::sim
