// Frames that are not prints: a clear error for a broken buffer, otherwise score 0 (or a low one
// for noise) and no minutiae, never a crash.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <stdexcept>

#include "biometrics/fingerprint/quality.h"

namespace rekam::bio::fingerprint {
namespace {

void expect_nothing(const Image& img, const char* what) {
    const Assessment a = assess(img);
    EXPECT_EQ(a.quality.score, 0) << what;
    ASSERT_FALSE(a.quality.feedback.empty()) << what;
    EXPECT_EQ(a.quality.feedback.front(), "no-object") << what;
    EXPECT_TRUE(a.minutiae.points.empty()) << what;
}

TEST(FingerprintGarbage, EmptyTinyBlankAndHuge) {
    expect_nothing(Image{}, "empty");
    expect_nothing(Image::grey(10, 10, 500, 128), "10x10");
    expect_nothing(Image::grey(1, 5000, 500, 0), "1x5000");
    expect_nothing(Image::grey(500, 500, 500, 255), "all white");
    expect_nothing(Image::grey(500, 500, 500, 0), "all black");
    expect_nothing(Image::grey(5000, 5000, 500, 255), "5000x5000 white");
    // A decode failure (a corrupt file) reaches us as an empty image.
    expect_nothing(Image::grey(0, 0), "zero size");
}

TEST(FingerprintGarbage, HugeNoiseIsAssessedWithoutCrashing) {
    Image noise = Image::grey(5000, 5000, 500);
    cv::Mat m(5000, 5000, CV_8UC1, noise.pixels.data());
    cv::randu(m, 0, 256);
    const Assessment a = assess(noise);
    EXPECT_LT(a.quality.score, 30);
}

TEST(FingerprintGarbage, InconsistentBufferIsAClearError) {
    Image short_buffer = Image::grey(100, 100);
    short_buffer.pixels.resize(50);
    EXPECT_THROW(assess(short_buffer), std::invalid_argument);
    EXPECT_THROW(extract_minutiae(short_buffer), std::invalid_argument);
    Image bad_channels = Image::grey(10, 10);
    bad_channels.channels = 2;
    EXPECT_THROW(analyse(bad_channels), std::invalid_argument);
    EXPECT_THROW(assess_quality(Image{-5, 10, 1, 0, {1, 2, 3}}), std::invalid_argument);
}

}  // namespace
}  // namespace rekam::bio::fingerprint
