// The shared analysis: orientation and frequency fields on gratings of known geometry, and the
// resolution taken from the image on real prints.
#include "biometrics/fingerprint/analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "prints.h"

namespace rekam::bio::fingerprint {
namespace {

// Dark ridges along direction `angle` (radians, image coordinates, y down) every `period` px.
Image grating(int w, int h, double angle, double period, double ppi) {
    Image img = Image::grey(w, h, ppi);
    const double nx = -std::sin(angle), ny = std::cos(angle);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            img.at(x, y) = static_cast<std::uint8_t>(
                128 + 90 * std::cos(2 * CV_PI * (x * nx + y * ny) / period));
    return img;
}

double orientation_error(double a, double b) {
    const double d = std::fmod(std::abs(a - b), CV_PI);
    return std::min(d, CV_PI - d);
}

TEST(FingerprintAnalysis, GratingGivesItsOrientationAndFrequency) {
    for (double deg : {0.0, 30.0, 75.0, 120.0, 165.0}) {
        const Analysis a = analyse(grating(256, 256, deg * CV_PI / 180, 9.0, 500));
        ASSERT_TRUE(a.usable());
        EXPECT_EQ(a.foreground_blocks, a.mask.rows * a.mask.cols) << deg;
        for (int y = 2; y < a.mask.rows - 2; ++y) {
            for (int x = 2; x < a.mask.cols - 2; ++x) {
                EXPECT_LT(orientation_error(a.orientation.at<float>(y, x), deg * CV_PI / 180),
                          3.0 * CV_PI / 180)
                    << deg << " deg at block " << x << "," << y;
                EXPECT_GT(a.ocl.at<float>(y, x), 0.9f);
            }
        }
        EXPECT_NEAR(1.0 / a.median_frequency, 9.0, 1.0) << deg;
    }
}

TEST(FingerprintAnalysis, ResolutionComesFromTheImage) {
    // The same grating at 1000 ppi has twice the period in pixels: at the 500-ppi working
    // resolution both look the same.
    const Analysis a500 = analyse(grating(256, 256, 0.5, 9.0, 500));
    const Analysis a1000 = analyse(grating(512, 512, 0.5, 18.0, 1000));
    EXPECT_NEAR(a1000.scale, 0.5, 1e-9);
    EXPECT_EQ(a1000.grey.cols, 256);
    EXPECT_NEAR(1.0 / a1000.median_frequency, 1.0 / a500.median_frequency, 0.8);
    // Unknown resolution (0) is taken as 500 ppi.
    const Analysis unknown = analyse(grating(256, 256, 0.5, 9.0, 0));
    EXPECT_EQ(unknown.source_ppi, 500.0);
    EXPECT_EQ(unknown.scale, 1.0);
}

TEST(FingerprintAnalysis, RealPrintAt569Ppi) {
    REQUIRE_FINGERPRINT_DATA();
    const Image& img = testing::fvc_db2b(101, 1);
    const Analysis a = analyse(img);
    ASSERT_TRUE(a.usable());
    EXPECT_EQ(a.source_ppi, 569.0);
    EXPECT_NEAR(a.scale, 500.0 / 569.0, 1e-9);
    EXPECT_NEAR(a.grey.cols, img.width * a.scale, kBlock);
    // Adult ridge periods are 7-13 px at 500 ppi; FVC2002 DB2 101 is about 9.
    EXPECT_GT(1.0 / a.median_frequency, 7.0);
    EXPECT_LT(1.0 / a.median_frequency, 12.0);
    const double fg = static_cast<double>(a.foreground_blocks) / (a.mask.rows * a.mask.cols);
    EXPECT_GT(fg, 0.4);
    // The print's ridges are clear: most foreground blocks have a frequency and high OCL.
    int with_freq = 0, clear = 0;
    for (int y = 0; y < a.mask.rows; ++y)
        for (int x = 0; x < a.mask.cols; ++x)
            if (a.mask.at<std::uint8_t>(y, x)) {
                with_freq += a.frequency.at<float>(y, x) > 0;
                clear += a.ocl.at<float>(y, x) > 0.5f;
            }
    EXPECT_GT(with_freq, a.foreground_blocks * 7 / 10);
    EXPECT_GT(clear, a.foreground_blocks * 7 / 10);
}

}  // namespace
}  // namespace rekam::bio::fingerprint
