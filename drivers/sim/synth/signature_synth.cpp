#include "drivers/sim/synth/signature_synth.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "drivers/sim/synth/rng.h"

namespace rekam::sim {
namespace {

using bio::signature::PenSample;
using bio::signature::PenTrace;

constexpr double kTwoPi = 6.283185307179586;

// The citizen's hand, in mm and seconds. Ranges are those of ordinary adult handwriting:
// x-height 3-6 mm, a letter every 3-5 mm at 4-7 letters per second.
struct Letter {
    double height = 4;  // half the vertical swing
    double loop = 2;    // half the horizontal swing (loops when larger than the advance allows)
    double phase = 1.5;
};
struct Stroke {
    std::vector<Letter> letters;
    double gap_mm = 4;  // pen moves this far right before the next stroke starts
};
struct Hand {
    std::vector<Stroke> strokes;
    double advance_mm = 4;   // per letter
    double period_s = 0.18;  // per letter
    double slant = 0.3;      // x shift per mm of height
    double pressure = 0.55;  // of the device range, mid-stroke
    bool underline = false;
    double fill = 0.6;  // of the box width: people size their signature to the box they get
};

Hand hand_of(std::uint64_t seed) {
    Rng rng(seed);
    Hand h;
    h.advance_mm = rng.uniform(3.0, 5.0);
    h.period_s = rng.uniform(0.14, 0.24);
    h.slant = rng.uniform(0.0, 0.45);
    h.pressure = rng.uniform(0.4, 0.65);
    h.underline = rng.chance(0.4);
    h.fill = rng.uniform(0.45, 0.75);
    const int strokes = rng.uniform_int(2, 4);
    for (int s = 0; s < strokes; ++s) {
        Stroke st;
        const int letters = rng.uniform_int(3, 6);
        for (int l = 0; l < letters; ++l) {
            Letter le{rng.uniform(1.5, 3.0), rng.uniform(1.0, 2.8), rng.uniform(0.8, 2.2)};
            if (l == 0 && s == 0) le.height *= 1.8;  // the capital
            if (rng.chance(0.2)) le.height *= 1.6;   // an ascender or descender
            st.letters.push_back(le);
        }
        st.gap_mm = rng.uniform(2.5, 6.0);
        h.strokes.push_back(st);
    }
    return h;
}

// This attempt's variation of the hand: every letter a little different, the whole a little
// faster or slower, larger or smaller.
struct Attempt {
    double time_scale = 1, size_scale = 1, tilt = 0, dx_mm = 0, dy_mm = 0, pressure_phase = 0;
};

// A point of the signature in mm (y up), its time and pen state.
struct Point {
    double x, y, t, p;
    bool down;
};

double smooth(double a, double b, double u) {
    return a + (b - a) * (0.5 - 0.5 * std::cos(u * kTwoPi / 2));
}

std::vector<Point> write(const Hand& hand, Rng& rng, const Attempt& at, double dt,
                         SignatureFault fault) {
    std::vector<Point> pts;
    double t = 0, x0 = 0;
    const double period = hand.period_s * at.time_scale;
    // Hover in: the pen comes down from above the start.
    for (int i = 0; i < 6; ++i)
        pts.push_back({x0 - 1.0 + i * 0.15, 2.0 - i * 0.3, t += dt, 0, false});
    for (std::size_t s = 0; s < hand.strokes.size(); ++s) {
        const Stroke& st = hand.strokes[s];
        std::vector<Letter> ls = st.letters;
        for (auto& l : ls) {
            l.height *= rng.uniform(0.92, 1.08);
            l.loop *= rng.uniform(0.9, 1.1);
            l.phase += rng.uniform(-0.15, 0.15);
        }
        const double duration = period * static_cast<double>(ls.size());
        const double t_start = t + dt;  // one report after the last hover
        double x = 0, y = 0;
        for (double u = 0; u <= duration; u += dt) {
            const double f = u / period;
            const auto k = std::min(static_cast<std::size_t>(f), ls.size() - 1);
            const auto k2 = std::min(k + 1, ls.size() - 1);
            const double frac = f - static_cast<double>(k);
            const double height = smooth(ls[k].height, ls[k2].height, frac);
            const double loop = smooth(ls[k].loop, ls[k2].loop, frac);
            const double phase = smooth(ls[k].phase, ls[k2].phase, frac);
            const double th = kTwoPi * f;
            // Starts and ends on the baseline: the swing grows in and dies out over a half letter.
            const double env = std::min({1.0, f * 2, (duration / period - f) * 2});
            y = height * env * (1 - std::cos(th));
            x = x0 + hand.advance_mm * f + loop * env * std::sin(th + phase) + hand.slant * y;
            const double speed_p =
                0.8 + 0.2 * std::sin(th * 0.5 + at.pressure_phase + static_cast<double>(s));
            const double ramp = std::min({1.0, u / 0.04, (duration - u) / 0.04 * 0.7 + 0.3});
            const double p =
                hand.pressure * speed_p * std::max(0.05, ramp) + rng.uniform(-0.01, 0.01);
            pts.push_back({x, y, t_start + u, p, true});
            if (fault == SignatureFault::TooShort && u > 0.2) return pts;
        }
        t = t_start + duration;
        // Lift: the pen travels above the pad to the next stroke's start.
        const double next_x = x + st.gap_mm;
        const double lift = rng.uniform(0.10, 0.30) * at.time_scale;
        const int n = std::max(2, static_cast<int>(lift / dt));
        const bool last = s + 1 == hand.strokes.size();
        for (int i = 1; i <= n; ++i) {
            const double u = double(i) / n;
            const double to_x = last ? x + 2 : next_x;
            pts.push_back({x + (to_x - x) * u, y * (1 - u) + 3 * std::sin(u * kTwoPi / 2),
                           t + u * lift, 0, false});
        }
        t += lift;
        x0 = next_x;
    }
    if (hand.underline) {
        // A flourish under everything written, right to left.
        const double x_end = x0, dur = 0.35 * at.time_scale;
        for (double u = 0; u <= dur; u += dt) {
            const double f = u / dur;
            const double ramp = std::min({1.0, u / 0.03, (dur - u) / 0.03 * 0.7 + 0.3});
            pts.push_back({x_end - f * (x_end + 2), -3.5 - 1.2 * std::sin(f * kTwoPi / 2) + 0.8 * f,
                           t + dt + u, hand.pressure * 0.9 * std::max(0.05, ramp), true});
        }
        t += dt + dur;
        for (int i = 1; i <= 6; ++i)
            pts.push_back({-2.0 - i * 0.3, -3.0 + i * 0.4, t + i * dt, 0, false});
    }
    return pts;
}

}  // namespace

std::optional<SignatureFault> parse_signature_fault(std::string_view name) {
    for (auto f : {SignatureFault::None, SignatureFault::TooShort, SignatureFault::NoPressure,
                   SignatureFault::OutsideBox, SignatureFault::Blank})
        if (to_string(f) == name) return f;
    return std::nullopt;
}

std::string_view to_string(SignatureFault fault) {
    switch (fault) {
        case SignatureFault::None:
            return "none";
        case SignatureFault::TooShort:
            return "too-short";
        case SignatureFault::NoPressure:
            return "no-pressure";
        case SignatureFault::OutsideBox:
            return "outside-box";
        case SignatureFault::Blank:
            return "blank";
    }
    return "none";
}

SignatureFault signature_fault(Condition condition) {
    switch (condition) {
        case Condition::Partial:
            return SignatureFault::TooShort;
        case Condition::Light:
            return SignatureFault::NoPressure;
        case Condition::OffCentre:
            return SignatureFault::OutsideBox;
        case Condition::Blank:
            return SignatureFault::Blank;
        default:
            return SignatureFault::None;
    }
}

SignatureSynth::SignatureSynth(std::string_view citizen, const bio::signature::PenDevice& device,
                               const bio::signature::SigningBox& box, double rate_hz)
    : citizen_(citizen), device_(device), box_(box), rate_hz_(rate_hz) {
    if (device.x_units_per_mm <= 0 || device.y_units_per_mm <= 0 || rate_hz <= 0)
        throw std::invalid_argument("SignatureSynth: the pad needs a resolution and a rate");
}

PenTrace SignatureSynth::sign(std::uint32_t attempt, SignatureFault fault) const {
    const std::uint64_t seed = subject_seed(citizen_, "signature");
    const Hand hand = hand_of(seed);
    Rng rng(derive(seed, attempt));
    Attempt at;
    at.time_scale = rng.uniform(0.9, 1.1);
    at.size_scale = rng.uniform(0.95, 1.05);
    at.tilt = rng.uniform(-0.035, 0.035);  // +-2 degrees
    at.dx_mm = rng.uniform(-3, 3);
    at.dy_mm = rng.uniform(-2, 2);
    at.pressure_phase = rng.uniform(0, kTwoPi);
    const std::vector<Point> pts = write(hand, rng, at, 1.0 / rate_hz_, fault);

    // Into the box: centred on the ink, as wide as the citizen fills it, at most 80% as tall.
    double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
    for (const auto& p : pts) {
        if (!p.down) continue;
        x0 = std::min(x0, p.x);
        x1 = std::max(x1, p.x);
        y0 = std::min(y0, p.y);
        y1 = std::max(y1, p.y);
    }
    if (x1 < x0) x0 = x1 = y0 = y1 = 0;  // no ink (a blank attempt)
    const double box_w = box_.width() / device_.x_units_per_mm;
    const double box_h = box_.height() / device_.y_units_per_mm;
    const double fit =
        std::min(hand.fill * box_w / std::max(1.0, x1 - x0), 0.8 * box_h / std::max(1.0, y1 - y0));
    const double scale = fit * at.size_scale;
    const double cx = (box_.left + box_.right) / 2.0, cy = (box_.top + box_.bottom) / 2.0;
    const double shift_y = fault == SignatureFault::OutsideBox ? 0.9 * box_h : 0.0;
    const double c = std::cos(at.tilt), sn = std::sin(at.tilt);

    PenTrace tr{device_, box_, {}};
    for (const auto& p : pts) {
        const double mx = (p.x - (x0 + x1) / 2) * scale, my = (p.y - (y0 + y1) / 2) * scale;
        const double rx = c * mx - sn * my + at.dx_mm, ry = sn * mx + c * my + at.dy_mm - shift_y;
        PenSample s;
        s.x = std::clamp(static_cast<std::int32_t>(std::lround(cx + rx * device_.x_units_per_mm)),
                         device_.x.min, device_.x.max);
        s.y = std::clamp(static_cast<std::int32_t>(std::lround(cy - ry * device_.y_units_per_mm)),
                         device_.y.min, device_.y.max);
        s.t_us = std::llround(p.t * 1e6);
        s.down = p.down && fault != SignatureFault::Blank;
        if (s.down && fault != SignatureFault::NoPressure && device_.has_pressure())
            s.pressure = device_.pressure.min +
                         static_cast<std::int32_t>(
                             std::lround(std::clamp(p.p, 0.0, 1.0) * device_.pressure.span()));
        tr.samples.push_back(s);
    }
    return tr;
}

}  // namespace rekam::sim
