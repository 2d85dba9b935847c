#include <gtest/gtest.h>

#include <cmath>

#include "drivers/sim/synth/face_synth.h"
#include "image_probe.h"

namespace rekam::sim {
namespace {

constexpr const char* kNik = "3171234567890001";

TEST(FaceSynth, DeterministicAndSized) {
    FaceSynth a(kNik), b(kNik);
    FaceScene scene;
    const auto x = a.impression(scene, {1});
    EXPECT_EQ(x.pixels, b.impression(scene, {1}).pixels);
    EXPECT_EQ(x.width, 1280);
    EXPECT_EQ(x.height, 960);
    EXPECT_EQ(x.channels, 3);
    scene.width = 640;
    scene.height = 480;
    const auto small = a.sample(scene, {1});
    EXPECT_EQ(small.image.width, 640);
    EXPECT_LT(small.truth.face.w, 320);
    EXPECT_NE(FaceSynth("3171234567890002").impression({}, {1}).pixels, x.pixels);
}

TEST(FaceSynth, BackdropColourAndGroundTruth) {
    FaceSynth s(kNik);
    FaceScene red, blue;
    blue.backdrop = kBackdropBlue;
    const auto r = s.sample(red, {0});
    const auto b = s.sample(blue, {0});
    EXPECT_GT(r.image.at(20, 20, 0), r.image.at(20, 20, 2) + 80);
    EXPECT_GT(b.image.at(20, 20, 2), b.image.at(20, 20, 0) + 80);
    const auto& t = r.truth;
    ASSERT_TRUE(t.face_present);
    // Eyes: dark pupils at the truth; about 120 px apart at 1280x960; inside the face box.
    for (auto [x, y] :
         {std::pair{t.right_eye_x, t.right_eye_y}, std::pair{t.left_eye_x, t.left_eye_y}}) {
        const int ix = static_cast<int>(x), iy = static_cast<int>(y);
        EXPECT_LT(r.image.at(ix, iy, 0) + r.image.at(ix, iy, 1) + r.image.at(ix, iy, 2), 3 * 60);
        EXPECT_GT(x, t.face.x);
        EXPECT_LT(x, t.face.x + t.face.w);
    }
    EXPECT_GT(t.left_eye_x - t.right_eye_x, 90);
    // The cheek is skin, the same in both backdrops.
    const int cx = static_cast<int>(t.face.x + 0.3 * t.face.w),
              cy = static_cast<int>(t.face.y + 0.65 * t.face.h);
    EXPECT_NEAR(r.image.at(cx, cy, 2), b.image.at(cx, cy, 2), 12);
    EXPECT_TRUE(r.truth.hands.empty());
}

TEST(FaceSynth, ExceptionPhotoShowsBothHands) {
    FaceSynth s(kNik);
    FaceScene plain, exception;
    exception.exception_photo = true;
    const auto p = s.sample(plain, {0});
    const auto e = s.sample(exception, {0});
    ASSERT_EQ(e.truth.hands.size(), 2u);
    EXPECT_LT(e.truth.hands[0].x, e.truth.face.x);
    EXPECT_GT(e.truth.hands[1].x + e.truth.hands[1].w, e.truth.face.x + e.truth.face.w);
    for (const auto& h : e.truth.hands) {
        // Something was drawn over the backdrop/shirt at each palm.
        const int x = static_cast<int>(h.x + h.w / 2), y = static_cast<int>(h.y + 0.75 * h.h);
        int d = 0;
        for (int c = 0; c < 3; ++c) d += std::abs(e.image.at(x, y, c) - p.image.at(x, y, c));
        EXPECT_GT(d, 60);
    }
}

TEST(FaceSynth, ConditionsMoveTheStatistics) {
    FaceSynth s(kNik);
    const FaceScene scene;
    const auto g = s.sample(scene, {2});
    const double mean = probe::mean(g.image);
    EXPECT_LT(probe::mean(s.impression(scene, {2, Condition::Dark})), mean * 0.5);
    EXPECT_GT(probe::mean(s.impression(scene, {2, Condition::Light})), mean + 20);
    const auto blank = s.sample(scene, {2, Condition::Blank});
    EXPECT_FALSE(blank.truth.face_present);
    // Backdrop only: smooth everywhere.
    EXPECT_EQ(probe::foreground(bio::to_grey(blank.image), 8.0).count(), 0);
    const auto off = s.sample(scene, {2, Condition::OffCentre});
    EXPECT_GT(std::fabs(off.truth.face.x + off.truth.face.w / 2 - 640), 300);
    EXPECT_LT(
        probe::foreground(bio::to_grey(s.impression(scene, {2, Condition::Blurred})), 8.0).count(),
        probe::foreground(bio::to_grey(g.image), 8.0).count());
}

}  // namespace
}  // namespace rekam::sim
