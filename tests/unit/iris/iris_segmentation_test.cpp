// Segmentation against the simulator's ground truth and against boundaries read off real frames.
#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgproc.hpp>
#include <string>

#include "biometrics/iris/eye_pair.h"
#include "biometrics/iris/segmentation.h"
#include "drivers/sim/synth/iris_synth.h"
#include "test_images.h"

namespace rekam::bio {
namespace {

using sim::Eye;
using sim::IrisSynth;

std::string subject(int i) { return "32010101019" + std::to_string(10000 + i); }

// Tolerances for simulated eyes, in pixels of a 640x480 frame with ~220 px irises.
constexpr double kPupilTol = 2.0, kIrisCentreTol = 3.0, kIrisRadiusTol = 3.0, kLidTol = 8.0;

TEST(IrisSegmentation, MatchesTheSimulatorsTruth) {
    for (int s = 0; s < 8; ++s) {
        const IrisSynth synth(subject(s));
        for (Eye eye : {Eye::Right, Eye::Left}) {
            for (std::uint32_t k = 0; k < 2; ++k) {
                const auto sample = synth.sample(eye, {k});
                const auto seg = iris::segment(sample.image);
                const auto& t = sample.truth;
                const std::string what = subject(s) + " impression " + std::to_string(k);
                ASSERT_TRUE(seg.found) << what;
                EXPECT_NEAR(seg.pupil.x, t.pupil_x, kPupilTol) << what;
                EXPECT_NEAR(seg.pupil.y, t.pupil_y, kPupilTol) << what;
                EXPECT_NEAR(seg.pupil.r, t.pupil_r, kPupilTol) << what;
                EXPECT_NEAR(seg.iris.x, t.iris_x, kIrisCentreTol) << what;
                EXPECT_NEAR(seg.iris.y, t.iris_y, kIrisCentreTol) << what;
                EXPECT_NEAR(seg.iris.r, t.iris_r, kIrisRadiusTol) << what;
                // The upper lid crosses the iris whenever its apex lies inside the limbus.
                if (t.upper_lid_y > t.iris_y - t.iris_r + kLidTol) {
                    EXPECT_TRUE(seg.upper_lid.covers) << what;
                    EXPECT_NEAR(seg.upper_lid.y_at(t.iris_x), t.upper_lid_y, kLidTol) << what;
                }
                EXPECT_GT(seg.usable_fraction, 0.5) << what;
            }
        }
    }
}

TEST(IrisSegmentation, LargeFramesGiveGeometryInInputPixels) {
    const auto sample = IrisSynth(subject(1), 640, 480).sample(Eye::Right, {0});
    const Image big = testing::from_mat([&] {
        cv::Mat m;
        cv::resize(testing::as_mat(sample.image), m, cv::Size(1280, 960), 0, 0, cv::INTER_LINEAR);
        return m;
    }());
    const auto seg = iris::segment(big);
    ASSERT_TRUE(seg.found);
    EXPECT_NEAR(seg.scale, 0.5, 1e-9);
    EXPECT_NEAR(seg.pupil.x, 2 * sample.truth.pupil_x, 2 * kPupilTol);
    EXPECT_NEAR(seg.iris.r, 2 * sample.truth.iris_r, 2 * kIrisRadiusTol);
}

TEST(IrisSegmentation, FindsBothEyesInAWideFrame) {
    const IrisSynth synth(subject(2));
    const auto right = synth.sample(Eye::Right, {0}), left = synth.sample(Eye::Left, {0});
    cv::Mat wide;
    cv::hconcat(testing::as_mat(right.image), testing::as_mat(left.image), wide);
    const auto pair = iris::analyse_pair(testing::from_mat(wide));
    ASSERT_TRUE(pair.right.has_value());
    ASSERT_TRUE(pair.left.has_value());
    EXPECT_NEAR(pair.right->segmentation.pupil.x, right.truth.pupil_x, kPupilTol);
    EXPECT_NEAR(pair.left->segmentation.pupil.x + pair.left_offset_x - 640, left.truth.pupil_x,
                kPupilTol);
    EXPECT_EQ(pair.left_offset_x, 640);
    // Only one eye present: the other half is empty, not a made-up eye.
    cv::Mat one = wide.clone();
    one(cv::Rect(640, 0, 640, 480)).setTo(150);
    const auto half = iris::analyse_pair(testing::from_mat(one));
    EXPECT_TRUE(half.right.has_value());
    EXPECT_FALSE(half.left.has_value());
}

struct RealEye {
    const char* file;   // under shared_data()/iris
    double px, py, pr;  // pupil, read off the overlay PNGs (iris-overlay) and the raw frames
    double ix, iy, ir;  // limbus
};
// Hand-checked on the frames (tools/iris-overlay drawn and viewed); tolerance kRealTol px.
constexpr RealEye kReal[] = {
    {"casia_irisv2/0000_000.bmp", 326, 245, 23, 324, 245, 84},
    {"casia_irisv2/0000_001.bmp", 331, 239, 24, 328, 241, 86},
    {"casia_irisv2/0000_002.bmp", 326, 241, 23, 324, 246, 84},
    {"casia_irisv2/0000_003.bmp", 329, 250, 23, 327, 252, 83},
    {"openiris/anonymized.png", 328, 235, 62, 325, 240, 119},
};
constexpr double kRealTol = 4.0;

TEST(IrisSegmentation, RealFramesWithinToleranceOfHandCheckedBoundaries) {
    for (const auto& e : kReal) {
        const Image img = testing::load_grey(testing::shared_data() / "iris" / e.file);
        if (img.empty()) GTEST_SKIP() << "no iris data at " << testing::shared_data() / "iris";
        const auto seg = iris::segment(img);
        ASSERT_TRUE(seg.found) << e.file;
        EXPECT_NEAR(seg.pupil.x, e.px, kRealTol) << e.file;
        EXPECT_NEAR(seg.pupil.y, e.py, kRealTol) << e.file;
        EXPECT_NEAR(seg.pupil.r, e.pr, kRealTol) << e.file;
        EXPECT_NEAR(seg.iris.x, e.ix, kRealTol) << e.file;
        EXPECT_NEAR(seg.iris.y, e.iy, kRealTol) << e.file;
        EXPECT_NEAR(seg.iris.r, e.ir, kRealTol) << e.file;
    }
}

}  // namespace
}  // namespace rekam::bio
