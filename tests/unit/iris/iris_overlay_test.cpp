// The technician's picture: the circles are drawn where the segmentation put them.
#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "drivers/sim/synth/iris_synth.h"
#include "overlay.h"
#include "test_images.h"

namespace rekam::bio {
namespace {

bool greenish(const cv::Vec3b& bgr) { return bgr[1] > 180 && bgr[0] < 80 && bgr[2] < 80; }
bool reddish(const cv::Vec3b& bgr) { return bgr[2] > 180 && bgr[0] < 80 && bgr[1] < 80; }

TEST(IrisOverlay, DrawsPupilAndLimbusWhereTheyWereFoundForBothEyes) {
    const sim::IrisSynth synth("3201010101500001");
    cv::Mat wide;
    cv::hconcat(testing::as_mat(synth.impression(sim::Eye::Right, {0})),
                testing::as_mat(synth.impression(sim::Eye::Left, {1})), wide);
    const Image image = testing::from_mat(wide);
    const auto eyes = iris::analyse_pair(image);
    ASSERT_TRUE(eyes.right && eyes.left);
    const cv::Mat pic = tools::draw_overlay(image, eyes);
    ASSERT_EQ(pic.size(), wide.size());
    ASSERT_EQ(pic.type(), CV_8UC3);
    for (const auto& [eye, dx] : {std::pair{&*eyes.right, 0}, std::pair{&*eyes.left, 640}}) {
        const auto& s = eye->segmentation;
        // The 9 o'clock points of both circles carry their colours (lids never reach there).
        const cv::Vec3b pupil_edge =
            pic.at<cv::Vec3b>(static_cast<int>(std::lround(s.pupil.y)),
                              static_cast<int>(std::lround(s.pupil.x - s.pupil.r)) + dx);
        const cv::Vec3b limbus =
            pic.at<cv::Vec3b>(static_cast<int>(std::lround(s.iris.y)),
                              static_cast<int>(std::lround(s.iris.x - s.iris.r)) + dx);
        EXPECT_TRUE(greenish(pupil_edge)) << dx;
        EXPECT_TRUE(reddish(limbus)) << dx;
    }
}

TEST(IrisOverlay, NoEyeStillGivesAPicture) {
    const Image blank = Image::grey(640, 480, 0, 128);
    const cv::Mat pic = tools::draw_overlay(blank, iris::analyse_pair(blank));
    EXPECT_EQ(pic.size(), cv::Size(640, 480));
}

}  // namespace
}  // namespace rekam::bio
