#include "drivers/sim/synth/finger_render.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "drivers/sim/synth/raster.h"
#include "drivers/sim/synth/rng.h"

namespace rekam::sim {
namespace {

// Everything that varies between two touches of the same finger.
struct Pose {
    float angle = 0;  // rad
    float shift_x = 0, shift_y = 0;
    float contact = 1;  // contact ellipse scale
    float contact_dx = 0, contact_dy = 0;
    float pressure = 0;  // shifts the ridge threshold: + thicker, - thinner
    float warp = 0;      // non-linear distortion amplitude, px
    float warp_phase[4] = {};
    float background = 220, ink = 45, noise = 4;
    int blur = 0;
    float gain = 1, offset = 0;  // exposure
    float breakage = 0;          // fraction of ridge area lost (dry skin)
    float blotch = 0;            // dark smear coverage (wet/smudged)
};

Pose draw_pose(std::uint64_t seed, const Impression& imp, const ScannerFrame& f,
               const FingerLayout& l) {
    Rng rng(derive(seed, 0x1000 + imp.index));
    Pose p;
    p.angle = static_cast<float>(rng.uniform(-10.0, 10.0) * std::numbers::pi / 180.0);
    p.shift_x = static_cast<float>(rng.uniform(-18, 18));
    p.shift_y = static_cast<float>(rng.uniform(-22, 22));
    p.contact = static_cast<float>(rng.uniform(0.86, 1.0));
    p.contact_dx = static_cast<float>(rng.uniform(-12, 12));
    p.contact_dy = static_cast<float>(rng.uniform(-12, 12));
    p.pressure = static_cast<float>(rng.uniform(-0.12, 0.18));
    p.warp = static_cast<float>(rng.uniform(1.0, 3.0));
    for (float& ph : p.warp_phase) ph = static_cast<float>(rng.uniform(0, 2 * std::numbers::pi));
    p.background = static_cast<float>(rng.uniform(205, 228));
    p.ink = static_cast<float>(rng.uniform(30, 60));
    p.noise = static_cast<float>(rng.uniform(3, 6));

    switch (imp.condition) {
        case Condition::Dry:
            p.pressure -= 0.35f;
            p.ink += 70;
            p.breakage = 0.45f;
            break;
        case Condition::Wet:
            p.pressure += 0.75f;
            p.ink -= 10;
            p.blotch = 0.35f;
            p.blur = 1;
            break;
        case Condition::Smudged:
            p.pressure += 0.35f;
            p.blotch = 0.6f;
            p.blur = 2;
            break;
        case Condition::Partial:
            p.contact = static_cast<float>(rng.uniform(0.42, 0.52));
            p.contact_dx = static_cast<float>(rng.uniform(-0.4, 0.4) * l.half_width);
            p.contact_dy = static_cast<float>(rng.uniform(-0.4, 0.4) * l.half_height);
            break;
        case Condition::OffCentre: {
            const float sx = rng.chance(0.5) ? 1.0f : -1.0f;
            const float sy = rng.chance(0.5) ? 1.0f : -1.0f;
            p.shift_x = sx * static_cast<float>(rng.uniform(0.30, 0.40) * f.width);
            p.shift_y = sy * static_cast<float>(rng.uniform(0.05, 0.30) * f.height);
            break;
        }
        case Condition::Blurred:
            p.blur = 4;
            break;
        case Condition::Dark:
            p.gain = 0.38f;
            break;
        case Condition::Light:
            p.gain = 0.3f;
            p.offset = 255 * 0.7f;
            break;
        case Condition::Good:
        case Condition::Blank:
            break;
    }
    return p;
}

}  // namespace

bio::Image render_impression(const FingerMaster& m, std::uint64_t seed, const Impression& imp,
                             const ScannerFrame& f) {
    const FingerLayout& l = m.layout;
    const Pose p = draw_pose(seed, imp, f, l);
    bio::Image out = bio::Image::grey(f.width, f.height, f.ppi);
    const std::uint64_t ns = derive(seed, 0x2000 + imp.index);

    // Uneven pressure across the contact area, and the dry/wet defects, are low-frequency
    // fields in frame coordinates (the skin moves with the finger but so little it is moot).
    const Field press = value_noise(f.width, f.height, 60.0f, derive(ns, 1), 1);
    Field defects;
    if (p.breakage > 0 || p.blotch > 0)
        defects = value_noise(f.width, f.height, p.breakage > 0 ? 7.0f : 28.0f, derive(ns, 2), 2);

    const float ca = std::cos(p.angle);
    const float sa = std::sin(p.angle);
    const float fcx = f.width / 2.0f + p.shift_x;
    const float fcy = f.height / 2.0f + p.shift_y;
    const float ea = l.half_width * p.contact;
    const float eb = l.half_height * p.contact;
    const float soft = 10.0f;  // contact edge width, px
    const float wk = 2 * std::numbers::pi_v<float> / 260.0f;
    const bool blank = imp.condition == Condition::Blank;

    for (int y = 0; y < f.height; ++y) {
        std::uint8_t* row = &out.pixels[static_cast<std::size_t>(y) * f.width];
        for (int x = 0; x < f.width; ++x) {
            const std::size_t i = static_cast<std::size_t>(y) * f.width + x;
            // Frame -> finger coordinates: undo shift and rotation.
            const float dx = x - fcx;
            const float dy = y - fcy;
            float u = ca * dx + sa * dy;
            float v = -sa * dx + ca * dy;
            // Contact region: an ellipse, flattened at the bottom where the finger leaves
            // the platen, with a soft rim where the pressure fades.
            const float cu = (u - p.contact_dx) / ea;
            const float cv = (v - p.contact_dy) / eb;
            const float r = std::sqrt(cu * cu + cv * cv);
            float contact = std::clamp((1.0f - r) * eb / soft, 0.0f, 1.0f);
            contact *= std::clamp((0.82f - cv) * eb / soft, 0.0f, 1.0f);
            float ink = 0.0f;
            if (contact > 0.0f && !blank) {
                // Modest non-linear distortion: skin stretch grows away from the centre.
                const float s = std::min(1.0f, r);
                u += p.warp * s * std::sin(wk * v + p.warp_phase[0]) +
                     0.5f * p.warp * std::sin(wk * 1.7f * u + p.warp_phase[1]);
                v += p.warp * s * std::sin(wk * u + p.warp_phase[2]) +
                     0.5f * p.warp * std::sin(wk * 1.3f * v + p.warp_phase[3]);
                const float ridge = m.ridges.sample(u + m.centre_x, v + m.centre_y, -1.0f);
                // Light touch at the rim thins the ridges there.
                const float local = p.pressure + 0.12f * press.v[i] - 0.5f * (1.0f - contact);
                ink = smoothstep(-0.55f, 0.55f, ridge + local);
                if (p.breakage > 0)  // dry skin: ridges break up where the noise is low
                    ink *= 0.1f + 0.9f * smoothstep(-p.breakage, 0.3f - p.breakage, defects.v[i]);
                if (p.blotch > 0)
                    ink = std::max(
                        ink, smoothstep(1.0f - 2 * p.blotch, 1.0f - 1.6f * p.blotch, defects.v[i]));
                ink *= std::min(1.0f, contact * 1.5f);
            }
            // Illumination falls off a little towards the corners of the platen.
            const float rx = (x - f.width * 0.5f) / f.width;
            const float ry = (y - f.height * 0.5f) / f.height;
            const float bg = p.background * (1.0f - 0.12f * (rx * rx + ry * ry));
            const float value = bg - (bg - p.ink) * ink + p.noise * hash_noise2(ns, x, y);
            row[x] = to_u8(value);
        }
    }
    if (p.blur > 0) box_blur(out, p.blur, 2);
    if (p.gain != 1.0f || p.offset != 0.0f) expose(out, p.gain, p.offset);
    return out;
}

}  // namespace rekam::sim
