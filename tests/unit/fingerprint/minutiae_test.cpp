// Minutiae on real prints: counts in a band around NIST mindtct's, sane fields, and invariance to
// the resolution and to rotation (checked through the matcher).
#include "biometrics/fingerprint/minutiae.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <opencv2/imgproc.hpp>

#include "biometrics/fingerprint/matcher.h"
#include "prints.h"

namespace rekam::bio::fingerprint {
namespace {

Image transformed(const Image& img, double scale, double degrees, double ppi) {
    const cv::Mat src(img.height, img.width, CV_8UC1, const_cast<std::uint8_t*>(img.pixels.data()));
    cv::Mat dst;
    const cv::Size size(static_cast<int>(img.width * scale), static_cast<int>(img.height * scale));
    cv::Mat m =
        cv::getRotationMatrix2D(cv::Point2f(img.width / 2.0f, img.height / 2.0f), degrees, scale);
    m.at<double>(0, 2) += (size.width - img.width) / 2.0;
    m.at<double>(1, 2) += (size.height - img.height) / 2.0;
    cv::warpAffine(src, dst, m, size, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
    return Image{dst.cols, dst.rows, 1, ppi, std::vector<std::uint8_t>(dst.datastart, dst.dataend)};
}

// Our counts against NBIS mindtct on the 43 reference images: measured ratios have a mean of 1.12
// and reach 1.98 on a wet print (fvc2002_db2b/104_5: its smears break ridges into endings). Fewer
// false minutiae are removed than before because, pooled over the development sets, removing
// them cost the matcher more true minutiae (docs/fingerprint.md). The band leaves room for small
// tuning, not for a regression.
TEST(FingerprintMinutiae, CountsWithinBandOfMindtct) {
    const auto ref = testing::nist_reference();
    if (ref.empty())
        GTEST_SKIP() << "no REFERENCE-nist-tools.csv under " << testing::fingerprint_data();
    double ratio_sum = 0;
    int n = 0;
    for (const auto& r : ref) {
        const Image img = testing::load_print(r.file, r.ppi);
        if (img.empty()) continue;
        const Minutiae m = extract_minutiae(img);
        const double ratio = static_cast<double>(m.points.size()) / r.mindtct;
        EXPECT_GE(ratio, 0.6) << r.file << ": " << m.points.size() << " vs mindtct " << r.mindtct;
        EXPECT_LE(ratio, 2.2) << r.file << ": " << m.points.size() << " vs mindtct " << r.mindtct;
        ratio_sum += ratio;
        ++n;
    }
    ASSERT_GT(n, 10);
    std::printf("mean ours/mindtct over %d images: %.2f\n", n, ratio_sum / n);
    EXPECT_GT(ratio_sum / n, 0.8);
    EXPECT_LT(ratio_sum / n, 1.3);
}

TEST(FingerprintMinutiae, FieldsAreSane) {
    REQUIRE_FINGERPRINT_DATA();
    const Image& img = testing::fvc_db2b(102, 1);
    const Minutiae m = extract_minutiae(img);
    EXPECT_EQ(m.width, img.width);
    EXPECT_EQ(m.height, img.height);
    EXPECT_EQ(m.ppi, 569.0);
    int endings = 0, bifurcations = 0;
    for (const auto& p : m.points) {
        EXPECT_GE(p.x, 0);
        EXPECT_LT(p.x, img.width);
        EXPECT_GE(p.y, 0);
        EXPECT_LT(p.y, img.height);
        EXPECT_GE(p.angle, 0);
        EXPECT_LT(p.angle, 2 * CV_PI);
        EXPECT_GE(p.quality, 1);
        EXPECT_LE(p.quality, 100);
        endings += p.type == MinutiaType::ending;
        bifurcations += p.type == MinutiaType::bifurcation;
    }
    EXPECT_EQ(endings + bifurcations, static_cast<int>(m.points.size()));
    EXPECT_GT(endings, 5);
    EXPECT_GT(bifurcations, 5);
    // Minutiae are never packed closer than half a ridge period (clusters are removed as noise).
    for (std::size_t i = 0; i < m.points.size(); ++i)
        for (std::size_t j = i + 1; j < m.points.size(); ++j)
            EXPECT_GT(std::hypot(m.points[i].x - m.points[j].x, m.points[i].y - m.points[j].y),
                      3.0);
}

TEST(FingerprintMinutiae, SameFingerAtAnotherResolutionOrRotation) {
    REQUIRE_FINGERPRINT_DATA();
    const Image& img = testing::fvc_db2b(101, 2);
    const Minutiae base = extract_minutiae(img);
    // 1.5x the pixels, declared as such: positions come back in the new image's pixels.
    const Minutiae big = extract_minutiae(transformed(img, 1.5, 0, 569 * 1.5));
    EXPECT_EQ(big.ppi, 569 * 1.5);
    EXPECT_NEAR(static_cast<double>(big.points.size()), base.points.size(),
                0.25 * base.points.size());
    EXPECT_GE(match_score(base, big), kMatchThreshold * 2);
    const Minutiae turned = extract_minutiae(transformed(img, 1.0, 25, 569));
    EXPECT_GE(match_score(base, turned), kMatchThreshold * 2);
}

}  // namespace
}  // namespace rekam::bio::fingerprint
