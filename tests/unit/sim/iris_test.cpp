#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "drivers/sim/synth/iris_synth.h"
#include "image_probe.h"

namespace rekam::sim {
namespace {

constexpr const char* kNik = "3171234567890001";

// Mean grey over pixels with distance from (cx, cy) in [r0, r1).
double ring_mean(const bio::Image& im, double cx, double cy, double r0, double r1,
                 double y_min = -1e9, double y_max = 1e9) {
    double s = 0;
    int n = 0;
    for (int y = 0; y < im.height; ++y)
        for (int x = 0; x < im.width; ++x) {
            const double r = std::hypot(x - cx, y - cy);
            if (r >= r0 && r < r1 && y > y_min && y < y_max) s += im.at(x, y), ++n;
        }
    return n ? s / n : -1;
}

// The iris band unwrapped (rubber sheet) from the ground truth: 8 rings x 128 angles.
std::vector<double> unwrap(const IrisSample& s) {
    std::vector<double> v;
    const auto& t = s.truth;
    for (int r = 0; r < 8; ++r)
        for (int a = 0; a < 128; ++a) {
            const double ang = 2 * M_PI * a / 128;
            // The lower half only: eyelids and lashes cover the top.
            if (std::sin(ang) < 0.2) continue;
            const double f = 0.15 + 0.6 * r / 7.0;
            const double rad = t.pupil_r + f * (t.iris_r - t.pupil_r);
            v.push_back(s.image.at(static_cast<int>(t.pupil_x + rad * std::cos(ang)),
                                   static_cast<int>(t.pupil_y + rad * std::sin(ang))));
        }
    return v;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
    double ma = 0, mb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
    ma /= a.size();
    mb /= b.size();
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

TEST(IrisSynth, DeterministicAndFramed) {
    IrisSynth a(kNik), b(kNik);
    const auto x = a.sample(Eye::Left, {2});
    EXPECT_EQ(x.image.pixels, b.sample(Eye::Left, {2}).image.pixels);
    EXPECT_EQ(x.image.width, 640);
    EXPECT_EQ(x.image.height, 480);
    EXPECT_EQ(x.image.channels, 1);
    EXPECT_GE(2 * x.truth.iris_r, 210);
}

TEST(IrisSynth, GroundTruthMatchesPixels) {
    IrisSynth s(kNik);
    for (std::uint32_t i = 0; i < 6; ++i) {
        const auto smp = s.sample(i % 2 ? Eye::Left : Eye::Right, {i});
        const auto& t = smp.truth;
        ASSERT_TRUE(t.eye_present);
        const double ratio = t.pupil_r / t.iris_r;
        EXPECT_GE(ratio, 0.3);
        EXPECT_LE(ratio, 0.6);
        // Pupil (below the specular spots) dark; iris band mid-grey; iris darker than sclera.
        const double pupil =
            ring_mean(smp.image, t.pupil_x, t.pupil_y, 0, 0.8 * t.pupil_r, t.pupil_y);
        const double iris = ring_mean(smp.image, t.iris_x, t.iris_y, t.pupil_r + 5, t.iris_r - 5,
                                      t.iris_y, t.lower_lid_y - 5);
        EXPECT_LT(pupil, 50) << i;
        EXPECT_GT(iris, 60) << i;
        EXPECT_LT(iris, 170) << i;
        EXPECT_GT(iris, pupil + 40) << i;
    }
}

TEST(IrisSynth, EachEyeHasItsOwnTexture) {
    IrisSynth s(kNik);
    const auto r0 = unwrap(s.sample(Eye::Right, {0})), r1 = unwrap(s.sample(Eye::Right, {1}));
    const auto l0 = unwrap(s.sample(Eye::Left, {0}));
    const double same = correlation(r0, r1), other = correlation(r0, l0);
    EXPECT_GT(same, 0.5);
    EXPECT_GT(same, other + 0.3) << same << " vs " << other;
    // Dilation changes between impressions.
    EXPECT_NE(s.sample(Eye::Right, {0}).truth.pupil_r, s.sample(Eye::Right, {1}).truth.pupil_r);
}

TEST(IrisSynth, ConditionsMoveTheStatistics) {
    IrisSynth s(kNik);
    const auto g = s.sample(Eye::Right, {3});
    const double mean = probe::mean(g.image);
    EXPECT_LT(probe::mean(s.impression(Eye::Right, {3, Condition::Dark})), mean * 0.5);
    EXPECT_GT(probe::mean(s.impression(Eye::Right, {3, Condition::Light})), mean + 20);
    const auto blank = s.sample(Eye::Right, {3, Condition::Blank});
    EXPECT_FALSE(blank.truth.eye_present);
    EXPECT_EQ(probe::foreground(blank.image, 8.0).count(), 0);
    const auto partial = s.sample(Eye::Right, {3, Condition::Partial});
    EXPECT_LT(partial.truth.lower_lid_y - partial.truth.upper_lid_y,
              0.5 * (g.truth.lower_lid_y - g.truth.upper_lid_y));
    const auto off = s.sample(Eye::Right, {3, Condition::OffCentre});
    EXPECT_TRUE(off.truth.iris_x < off.truth.iris_r || off.truth.iris_x > 640 - off.truth.iris_r);
    // Defocus removes fine detail: fewer textured blocks.
    EXPECT_LT(probe::foreground(s.impression(Eye::Right, {3, Condition::Blurred}), 12.0).count(),
              probe::foreground(g.image, 12.0).count());
}

}  // namespace
}  // namespace rekam::sim
