#include "drivers/sim/synth/iris_synth.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "drivers/sim/synth/raster.h"
#include "drivers/sim/synth/rng.h"

namespace rekam::sim {
namespace {

constexpr float kTwoPi = 2 * std::numbers::pi_v<float>;

// One capture's geometry and optics.
struct IrisPose {
    float cx = 320, cy = 240, r_iris = 112;
    float px = 320, py = 240, r_pupil = 50;
    float lid_up = 0, lid_low = 0, corner_y = 0, half_open = 0;  // eyelid parabolas
    int blur = 0;
    float noise = 3, gain = 1, offset = 0;
};

IrisPose draw_pose(Rng& rng, const Impression& imp, int w, int h, float base_radius) {
    IrisPose p;
    p.r_iris = base_radius * static_cast<float>(rng.uniform(0.97, 1.03));
    p.cx = w / 2.0f + static_cast<float>(rng.uniform(-25, 25));
    p.cy = h / 2.0f + static_cast<float>(rng.uniform(-18, 18));
    p.r_pupil = p.r_iris * static_cast<float>(rng.uniform(0.32, 0.55));  // dilation
    p.px = p.cx + static_cast<float>(rng.uniform(-0.03, 0.03)) * p.r_iris;
    p.py = p.cy + static_cast<float>(rng.uniform(-0.01, 0.04)) * p.r_iris;
    p.lid_up = p.cy - p.r_iris * static_cast<float>(rng.uniform(0.72, 0.98));
    p.lid_low = p.cy + p.r_iris * static_cast<float>(rng.uniform(0.85, 1.05));
    p.corner_y = p.cy + p.r_iris * 0.1f;
    p.half_open = p.r_iris * static_cast<float>(rng.uniform(1.9, 2.2));
    p.blur = rng.chance(0.5) ? 1 : 0;
    p.noise = static_cast<float>(rng.uniform(2, 4));
    switch (imp.condition) {
        case Condition::Blurred:
            p.blur = 5;
            break;
        case Condition::Dark:
            p.gain = 0.35f;
            break;
        case Condition::Light:
            p.gain = 0.4f;
            p.offset = 150;
            break;
        case Condition::Partial:
            p.lid_up = p.cy - 0.1f * p.r_iris;
            p.lid_low = p.cy + 0.3f * p.r_iris;
            break;
        case Condition::OffCentre: {
            const float s = rng.chance(0.5) ? 1.0f : -1.0f;
            const float dx = s * (w / 2.0f - 0.55f * p.r_iris) - (p.cx - w / 2.0f);
            p.cx += dx;
            p.px += dx;
            break;
        }
        default:
            break;
    }
    return p;
}

// Upper/lower eyelid rows at column x (parabolas through the eye corners).
inline void lids(const IrisPose& p, float x, float& up, float& low) {
    const float u = (x - p.cx) / p.half_open;
    const float k = std::max(0.0f, 1.0f - u * u);
    up = p.corner_y + (p.lid_up - p.corner_y) * k;
    low = p.corner_y + (p.lid_low - p.corner_y) * k;
}

// Dark eyelashes hanging from the upper lid over the eye.
void draw_lashes(bio::Image& im, const IrisPose& p, Rng& rng) {
    const int n = rng.uniform_int(50, 80);
    for (int i = 0; i < n; ++i) {
        const float x0 = p.cx + p.half_open * static_cast<float>(rng.uniform(-0.85, 0.85));
        float up, low;
        lids(p, x0, up, low);
        const float len = static_cast<float>(rng.uniform(12, 34));
        const float out = (x0 - p.cx) / p.half_open;  // lashes splay outwards at the sides
        const float ang = std::numbers::pi_v<float> / 2 - 0.9f * out +
                          static_cast<float>(rng.uniform(-0.25, 0.25));
        const float curl = static_cast<float>(rng.uniform(-0.02, 0.02));
        const float dark = static_cast<float>(rng.uniform(25, 55));
        float x = x0, y = up - 2, a = ang;
        for (int s = 0; s < static_cast<int>(len); ++s) {
            x += std::cos(a);
            y += std::sin(a) * 0.8f;
            a += curl;
            const int ix = static_cast<int>(x), iy = static_cast<int>(y);
            for (int dx = 0; dx <= 1; ++dx) {
                if (ix + dx < 0 || iy < 0 || ix + dx >= im.width || iy >= im.height) continue;
                std::uint8_t& px = im.at(ix + dx, iy);
                px = static_cast<std::uint8_t>(std::min<float>(px, dark + 20.0f * dx));
            }
        }
    }
}

}  // namespace

IrisSynth::IrisSynth(std::string_view subject, int width, int height)
    : subject_(subject), width_(width), height_(height) {
    Rng rng(subject_seed(subject, "iris"));
    skin_ = static_cast<float>(rng.uniform(145, 175));
    for (int e = 0; e < 2; ++e) {
        EyeModel& m = eyes_[e];
        m.seed = subject_seed(subject, e == 0 ? "iris-right" : "iris-left");
        m.texture = IrisTexture(m.seed);
        m.iris_radius = static_cast<float>(Rng(derive(m.seed, 7)).uniform(106, 118));
    }
}

IrisSample IrisSynth::sample(Eye eye, const Impression& imp) const {
    const EyeModel& m = model(eye);
    Rng rng(derive(m.seed, 0x3000 + imp.index));
    const IrisPose p = draw_pose(rng, imp, width_, height_, m.iris_radius);
    const std::uint64_t ns = derive(m.seed, 0x4000 + imp.index);
    IrisSample out;
    out.image = bio::Image::grey(width_, height_, 0.0);
    bio::Image& im = out.image;

    if (imp.condition == Condition::Blank) {
        const float level = static_cast<float>(rng.uniform(110, 140));
        for (int y = 0; y < height_; ++y)
            for (int x = 0; x < width_; ++x)
                im.at(x, y) = to_u8(level + p.noise * hash_noise2(ns, x, y));
        return out;
    }

    const Field skin = value_noise(width_, height_, 40.0f, derive(ns, 1), 2);
    const float sclera = static_cast<float>(rng.uniform(175, 200));
    const float pupil_level = static_cast<float>(rng.uniform(16, 30));
    const float base = m.texture.base_level();
    const float ang_scale = IrisTexture::kAngular / kTwoPi;
    // Two NIR illuminators -> two specular spots in the pupil.
    const float spot_r = static_cast<float>(rng.uniform(3.5, 6));
    const float sx1 = p.px - 0.3f * p.r_pupil, sx2 = p.px + 0.3f * p.r_pupil;
    const float sy = p.py - 0.2f * p.r_pupil;

    for (int y = 0; y < height_; ++y) {
        for (int x = 0; x < width_; ++x) {
            float up, low;
            lids(p, static_cast<float>(x), up, low);
            float v;
            const float fy = static_cast<float>(y);
            if (fy <= up || fy >= low) {
                // Skin, with a darker crease above the upper lid and a shadowed lid rim.
                v = skin_ + 7.0f * skin.at(x, y);
                // Crease and rim belong to the open eye only, fading at the corners.
                const float u = (x - p.cx) / p.half_open;
                const float open = std::max(0.0f, 1.0f - u * u);
                const float crease = (up - 22.0f - fy) / 6.0f;
                v -= 25.0f * open * std::exp(-crease * crease);
                const float rim = std::min(std::fabs(fy - up), std::fabs(fy - low));
                v -= 45.0f * std::sqrt(open) * std::exp(-rim / 3.0f);
            } else {
                const float dx = x - p.cx, dy = fy - p.cy;
                const float r = std::sqrt(dx * dx + dy * dy);
                const float pdx = x - p.px, pdy = fy - p.py;
                const float rp = std::sqrt(pdx * pdx + pdy * pdy);
                if (rp < p.r_pupil) {
                    v = pupil_level;
                    const float d1 = std::hypot(x - sx1, fy - sy),
                                d2 = std::hypot(x - sx2, fy - sy);
                    v = std::max(
                        v, 250.0f * smoothstep(spot_r + 1.0f, spot_r - 1.0f, std::min(d1, d2)));
                } else if (r < p.r_iris) {
                    // Rubber sheet: the angle about the pupil, radius between pupil and limbus.
                    const float a = fast_atan2(pdy, pdx);
                    const float t = (rp - p.r_pupil) / (p.r_iris - p.r_pupil + (r - rp));
                    v = base + 38.0f * m.texture.at(t, static_cast<int>(a * ang_scale));
                    // Soft pupil edge.
                    v = pupil_level + (v - pupil_level) * smoothstep(0.0f, 2.0f, rp - p.r_pupil);
                } else {
                    // Sclera, darker towards the corners.
                    const float u = (x - p.cx) / p.half_open;
                    v = sclera * (1.0f - 0.3f * u * u) + 4.0f * skin.at(x, y);
                    v = base - 30.0f + (v - base + 30.0f) * smoothstep(0.0f, 2.5f, r - p.r_iris);
                }
                // The upper lid shadows the top of the opening.
                v *= 1.0f - 0.3f * std::exp(-(fy - up) / 10.0f);
            }
            im.at(x, y) = to_u8(v);
        }
    }
    draw_lashes(im, p, rng);
    if (p.blur > 0) box_blur(im, p.blur, 2);
    for (int y = 0; y < height_; ++y)
        for (int x = 0; x < width_; ++x)
            im.at(x, y) = to_u8(im.at(x, y) + p.noise * hash_noise2(ns, x, y));
    if (p.gain != 1.0f || p.offset != 0.0f) expose(im, p.gain, p.offset);

    IrisTruth& t = out.truth;
    t.eye_present = true;
    t.pupil_x = p.px;
    t.pupil_y = p.py;
    t.pupil_r = p.r_pupil;
    t.iris_x = p.cx;
    t.iris_y = p.cy;
    t.iris_r = p.r_iris;
    t.upper_lid_y = p.lid_up;
    t.lower_lid_y = p.lid_low;
    return out;
}

}  // namespace rekam::sim
