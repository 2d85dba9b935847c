#include "drivers/sim/synth/face_synth.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "drivers/sim/synth/raster.h"
#include "drivers/sim/synth/rng.h"

namespace rekam::sim {
namespace {

Rgb pick(Rng& rng, std::initializer_list<Rgb> options) {
    const int i = rng.uniform_int(0, static_cast<int>(options.size()) - 1);
    return *(options.begin() + i);
}

// Per-frame geometry, px.
struct Head {
    float cx, cy, a, b;  // face ellipse
    float eye_y, eye_dx, s;
    float light;  // -1 (from image left) .. 1
};

void draw_hand(bio::Image& im, float px, float py, float size, float side, const Rgb& skin,
               std::uint64_t ns, Box& box) {
    // Palm towards the camera: palm pad, four fingers fanning up, thumb towards the face.
    const float pa = 0.42f * size, pb = 0.5f * size;
    auto shade = [&](float x, float y) {
        const float n = 6.0f * hash_noise(ns, static_cast<int>(x), static_cast<int>(y));
        const float k = 1.0f - 0.12f * ((y - py) / (2 * pb));
        return skin * (1.05f * k) + Rgb{n, n, n};
    };
    float top = py - pb;
    for (int f = 0; f < 4; ++f) {
        const float ang = (-0.24f + 0.16f * f) * side;
        const float len = size * (f == 0 || f == 3 ? 0.55f : 0.7f) * (f == 3 ? 0.85f : 1.0f);
        const float bx = px + (-0.3f + 0.2f * f) * side * pa * 2.0f;
        const float by = py - 0.75f * pb;
        const float ex = bx + len * std::sin(ang), ey = by - len * std::cos(ang);
        top = std::min(top, ey - 0.09f * size);
        paint(
            im, std::min(bx, ex) - 20, ey - 20, std::max(bx, ex) + 20, by + 20,
            [=](float x, float y) { return capsule_sdf(x, y, bx, by, ex, ey, 0.085f * size); },
            shade);
    }
    // Palm to the camera: the thumb points towards the body's midline.
    const float tx = px + side * 0.95f * pa, ty = py + 0.05f * pb;
    const float ux = tx + side * 0.45f * size, uy = ty - 0.3f * size;
    paint(
        im, std::min(tx, ux) - 20, uy - 20, std::max(tx, ux) + 20, ty + 20,
        [=](float x, float y) { return capsule_sdf(x, y, tx, ty, ux, uy, 0.1f * size); }, shade);
    paint(
        im, px - pa, py - pb, px + pa, py + pb,
        [=](float x, float y) { return ellipse_sdf(x, y, px, py, pa, pb); }, shade);
    // Palm creases.
    for (int c = 0; c < 2; ++c) {
        const float cy = py - 0.25f * pb + 0.3f * pb * c;
        paint(
            im, px - pa, cy - 6, px + pa, cy + 6,
            [=](float x, float y) {
                const float u = (x - px) / pa;
                return std::fabs(y - (cy + 0.15f * pb * u * u * side)) - 1.0f + 3.0f * u * u;
            },
            [&](float, float) { return skin * 0.75f; }, 0.6f);
    }
    const float left = std::min({ux - 0.1f * size, px - pa, px - 0.4f * size});
    const float right = std::max({ux + 0.1f * size, px + pa, px + 0.4f * size});
    box = {left, top, right - left, py + pb - top};
}

}  // namespace

FaceSynth::FaceSynth(std::string_view subject) : seed_(subject_seed(subject, "face")) {
    Rng rng(derive(seed_, 1));
    // Indonesian skin tones, light to dark.
    const float tone = static_cast<float>(rng.uniform(0.0, 1.0));
    skin_ = mix(Rgb{226, 186, 150}, Rgb{130, 86, 58}, tone);
    hair_ = pick(rng, {{22, 18, 16}, {35, 26, 20}, {50, 36, 26}, {15, 15, 18}});
    shirt_ =
        pick(rng, {{235, 235, 232}, {245, 245, 245}, {40, 50, 80}, {30, 30, 32}, {120, 30, 30}});
    scarf_ = pick(rng, {{30, 30, 35}, {210, 205, 195}, {70, 40, 90}, {20, 60, 70}});
    iris_ = pick(rng, {{45, 28, 18}, {60, 38, 24}, {32, 22, 16}});
    hijab_ = rng.chance(0.25);
    head_w_ = static_cast<float>(rng.uniform(0.93, 1.07));
    head_h_ = static_cast<float>(rng.uniform(0.95, 1.05));
}

FaceSample FaceSynth::sample(const FaceScene& scene, const Impression& imp) const {
    const int w = scene.width, h = scene.height;
    Rng rng(derive(seed_, 0x5000 + imp.index));
    const std::uint64_t ns = derive(seed_, 0x6000 + imp.index);
    FaceSample out;
    out.image = bio::Image::rgb(w, h);
    bio::Image& im = out.image;

    // Backdrop: the given colour, lit a little unevenly, with sensor noise.
    const float light = static_cast<float>(rng.uniform(-1, 1));
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const float u = (x - 0.5f * w) / w, v = (y - 0.45f * h) / h;
            const float k = 1.0f - 0.25f * (u * u + v * v) + 0.05f * light * u;
            const float n = 3.0f * hash_noise(ns, x, y);
            std::uint8_t* p = &im.at(x, y);
            p[0] = to_u8(scene.backdrop.r * k + n);
            p[1] = to_u8(scene.backdrop.g * k + n);
            p[2] = to_u8(scene.backdrop.b * k + n);
        }

    const float s = h / 960.0f;
    Head hd{};
    hd.s = s;
    hd.a = 140.0f * s * head_w_;
    hd.b = 185.0f * s * head_h_;
    hd.cx = 0.5f * w + static_cast<float>(rng.uniform(-20, 20)) * s;
    hd.cy = 0.42f * h + static_cast<float>(rng.uniform(-15, 15)) * s;
    hd.light = light;
    if (imp.condition == Condition::OffCentre) hd.cx = (rng.chance(0.5) ? 0.17f : 0.83f) * w;
    if (imp.condition == Condition::Partial) hd.cy = 0.88f * h;
    hd.eye_y = hd.cy - 0.05f * hd.b;
    hd.eye_dx = 0.42f * hd.a;

    if (imp.condition != Condition::Blank) {
        const Rgb skin = skin_;
        auto skin_shade = [&](float k) {
            return [&, k](float x, float y) {
                const float u = (x - hd.cx) / hd.a, v = (y - hd.cy) / hd.b;
                const float lit =
                    k * (1.02f + 0.12f * hd.light * u - 0.22f * (u * u + 0.5f * v * v));
                const float n = 5.0f * hash_noise(ns, static_cast<int>(x), static_cast<int>(y));
                return skin * lit + Rgb{n, n, n};
            };
        };
        // Shirt and shoulders, then the neck.
        const float sy = hd.cy + 1.75f * hd.b;
        paint(
            im, hd.cx - 3.2f * hd.a, sy - 0.9f * hd.b, hd.cx + 3.2f * hd.a, h,
            [&](float x, float y) {
                return ellipse_sdf(x, y, hd.cx, sy + 0.35f * hd.b, 3.1f * hd.a, 1.25f * hd.b);
            },
            [&](float x, float y) {
                const float n = 4.0f * hash_noise(ns, x, y);
                return shirt_ * (1.0f - 0.1f * std::fabs(x - hd.cx) / hd.a / 3.0f) + Rgb{n, n, n};
            });
        paint(
            im, hd.cx - hd.a, hd.cy, hd.cx + hd.a, sy + 0.2f * hd.b,
            [&](float x, float y) {
                return capsule_sdf(x, y, hd.cx, hd.cy + 0.5f * hd.b, hd.cx, sy - 0.1f * hd.b,
                                   0.5f * hd.a);
            },
            skin_shade(0.8f));
        if (hijab_) {
            paint(
                im, hd.cx - 1.5f * hd.a, hd.cy - 1.4f * hd.b, hd.cx + 1.5f * hd.a, sy + 0.3f * hd.b,
                [&](float x, float y) {
                    return std::min(
                        ellipse_sdf(x, y, hd.cx, hd.cy - 0.05f * hd.b, 1.3f * hd.a, 1.22f * hd.b),
                        ellipse_sdf(x, y, hd.cx, sy, 1.9f * hd.a, 0.5f * hd.b));
                },
                [&](float x, float y) {
                    const float n = 4.0f * hash_noise(ns, x, y);
                    return scarf_ * (1.0f + 0.1f * hd.light * (x - hd.cx) / hd.a) + Rgb{n, n, n};
                });
        } else {
            // Hair behind the head, then ears.
            paint(
                im, hd.cx - 1.3f * hd.a, hd.cy - 1.3f * hd.b, hd.cx + 1.3f * hd.a,
                hd.cy + 0.4f * hd.b,
                [&](float x, float y) {
                    return ellipse_sdf(x, y, hd.cx, hd.cy - 0.2f * hd.b, 1.1f * hd.a, 0.98f * hd.b);
                },
                [&](float x, float y) {
                    const float n = 8.0f * hash_noise(ns, x, y);
                    return hair_ + Rgb{n, n, n};
                });
            for (float side : {-1.0f, 1.0f}) {
                const float ex = hd.cx + side * 0.97f * hd.a, ey = hd.eye_y + 0.15f * hd.b;
                paint(
                    im, ex - 0.2f * hd.a, ey - 0.3f * hd.b, ex + 0.2f * hd.a, ey + 0.3f * hd.b,
                    [=](float x, float y) {
                        return ellipse_sdf(x, y, ex, ey, 0.16f * hd.a, 0.27f * hd.b);
                    },
                    skin_shade(0.9f));
            }
        }
        // Face.
        paint(
            im, hd.cx - hd.a, hd.cy - hd.b, hd.cx + hd.a, hd.cy + hd.b,
            [&](float x, float y) { return ellipse_sdf(x, y, hd.cx, hd.cy, hd.a, hd.b); },
            skin_shade(1.0f));
        if (!hijab_) {
            // Hair over the forehead, down to a curved hairline.
            paint(
                im, hd.cx - hd.a, hd.cy - hd.b, hd.cx + hd.a, hd.cy - 0.3f * hd.b,
                [&](float x, float y) {
                    const float u = (x - hd.cx) / hd.a;
                    const float line = hd.cy - 0.58f * hd.b + 0.35f * hd.b * u * u;
                    return std::max(ellipse_sdf(x, y, hd.cx, hd.cy, hd.a, hd.b), y - line);
                },
                [&](float x, float y) {
                    const float n = 8.0f * hash_noise(ns, x, y);
                    return hair_ + Rgb{n, n, n};
                });
        }
        // Eyes and eyebrows.
        for (float side : {-1.0f, 1.0f}) {
            const float ex = hd.cx + side * hd.eye_dx, ey = hd.eye_y;
            const float ea = 0.2f * hd.a, eb = 0.075f * hd.b;
            const float ir = 0.085f * hd.a;
            paint(
                im, ex - ea, ey - eb, ex + ea, ey + eb,
                [=](float x, float y) { return ellipse_sdf(x, y, ex, ey, ea, eb); },
                [&](float, float) {
                    return Rgb{225, 220, 212};
                });
            paint(
                im, ex - ir, ey - ir, ex + ir, ey + ir,
                [=](float x, float y) {
                    return std::max(std::hypot(x - ex, y - ey) - ir,
                                    ellipse_sdf(x, y, ex, ey, ea, eb));
                },
                [&](float x, float y) {
                    const float r = std::hypot(x - ex, y - ey);
                    return r < 0.45f * ir ? Rgb{12, 10, 10} : iris_;
                });
            paint(
                im, ex - 3 * s + 2 * s, ey - 5 * s, ex + 6 * s, ey,
                [=](float x, float y) {
                    return std::hypot(x - ex - 3 * s, y - ey + 3 * s) - 2.0f * s;
                },
                [](float, float) {
                    return Rgb{250, 250, 250};
                });
            // Upper lid line.
            paint(
                im, ex - ea - 2, ey - eb - 4, ex + ea + 2, ey,
                [=](float x, float y) {
                    return std::max(std::fabs(ellipse_sdf(x, y, ex, ey, ea, eb)) - 1.5f * s,
                                    y - ey);
                },
                [&](float, float) { return hair_ * 0.8f; });
            const float by = ey - 0.22f * hd.b;
            paint(
                im, ex - 1.4f * ea, by - 10 * s, ex + 1.4f * ea, by + 20 * s,
                [=](float x, float y) {
                    const float u = (x - ex) / (1.3f * ea);
                    return std::max(std::fabs(y - (by + 0.1f * hd.b * u * u)) -
                                        4.5f * s * (1 - 0.4f * u * side),
                                    std::fabs(u) - 1.0f);
                },
                [&](float, float) { return hair_; });
        }
        // Nose: a shadowed side and nostrils; mouth.
        const float ny = hd.cy + 0.3f * hd.b;
        const float ns_x = hd.cx - 0.08f * hd.a * (hd.light >= 0 ? -1 : 1);
        paint(
            im, ns_x - 10 * s, hd.eye_y, ns_x + 10 * s, ny,
            [&](float x, float y) {
                return capsule_sdf(x, y, ns_x, hd.eye_y + 0.1f * hd.b, ns_x, ny - 6 * s, 4 * s);
            },
            [&](float x, float y) { return skin_shade(0.85f)(x, y); }, 0.5f);
        for (float side : {-1.0f, 1.0f}) {
            const float nx = hd.cx + side * 0.1f * hd.a;
            paint(
                im, nx - 10 * s, ny - 6 * s, nx + 10 * s, ny + 6 * s,
                [=](float x, float y) { return ellipse_sdf(x, y, nx, ny, 8 * s, 4 * s); },
                [&](float, float) { return skin_ * 0.45f; }, 0.8f);
        }
        const float my = hd.cy + 0.53f * hd.b;
        paint(
            im, hd.cx - 0.4f * hd.a, my - 0.1f * hd.b, hd.cx + 0.4f * hd.a, my + 0.1f * hd.b,
            [&](float x, float y) {
                return ellipse_sdf(x, y, hd.cx, my, 0.33f * hd.a, 0.055f * hd.b);
            },
            [&](float, float y) {
                return Rgb{skin_.r * 0.8f, skin_.g * 0.5f, skin_.b * 0.5f} *
                       (y < my ? 0.85f : 1.0f);
            });
        paint(
            im, hd.cx - 0.4f * hd.a, my - 3 * s, hd.cx + 0.4f * hd.a, my + 3 * s,
            [&](float x, float y) {
                return std::max(std::fabs(y - my) - 1.2f * s, std::fabs(x - hd.cx) - 0.32f * hd.a);
            },
            [&](float, float) { return skin_ * 0.35f; });

        if (scene.exception_photo) {
            out.truth.hands.resize(2);
            for (int i = 0; i < 2; ++i) {
                const float side = i == 0 ? -1.0f : 1.0f;  // image left first
                draw_hand(im, hd.cx + side * 1.55f * hd.a, hd.cy + 1.45f * hd.b, 1.25f * hd.a,
                          -side, skin_, derive(ns, 10 + i), out.truth.hands[i]);
            }
        }

        FaceTruth& t = out.truth;
        t.face_present = true;
        t.right_eye_x = hd.cx - hd.eye_dx;
        t.left_eye_x = hd.cx + hd.eye_dx;
        t.right_eye_y = t.left_eye_y = hd.eye_y;
        t.face = {hd.cx - hd.a, hd.cy - hd.b, 2.0 * hd.a, 2.0 * hd.b};
    }

    switch (imp.condition) {
        case Condition::Blurred:
            box_blur(im, static_cast<int>(6 * s + 0.5f), 2);
            break;
        case Condition::Dark:
            expose(im, 0.35f, 0);
            break;
        case Condition::Light:
            expose(im, 0.4f, 150);
            break;
        default:
            // A good frame still differs a little in exposure between shots.
            expose(im, static_cast<float>(rng.uniform(0.95, 1.05)), 0);
            break;
    }
    return out;
}

}  // namespace rekam::sim
