// Iris codes: genuine and impostor distances on simulated eyes (targets of issue 5) and on the
// real frames, rotation compensation, and codes that cannot match.
#include "biometrics/iris/iris_code.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <numeric>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "biometrics/iris/quality.h"
#include "drivers/sim/synth/iris_synth.h"
#include "test_images.h"

namespace rekam::bio {
namespace {

using sim::Eye;
using sim::IrisSynth;

struct Stats {
    double mean = 0, sd = 0, min = 1, max = 0;
};
Stats stats(const std::vector<double>& v) {
    Stats s;
    for (double x : v) s.mean += x, s.min = std::min(s.min, x), s.max = std::max(s.max, x);
    s.mean /= static_cast<double>(v.size());
    for (double x : v) s.sd += (x - s.mean) * (x - s.mean);
    s.sd = std::sqrt(s.sd / static_cast<double>(v.size() - 1));
    return s;
}

TEST(IrisCode, SimulatedGenuineAndImpostorDistributions) {
    // 10 subjects x 2 eyes x 3 impressions: 60 genuine pairs, 1710 impostor pairs.
    constexpr int kSubjects = 10;
    constexpr std::size_t kImpressions = 3;
    // A very dark simulated iris can merge with its pupil and is not segmented (counted, at
    // most one eye in 20 allowed); the distributions are over
    // the eyes found in every impression.
    std::vector<std::vector<iris::IrisCode>> eyes;
    int missed = 0;
    for (int s = 0; s < kSubjects; ++s) {
        const IrisSynth synth("3201010101" + std::to_string(800000 + s));
        for (Eye eye : {Eye::Right, Eye::Left}) {
            std::vector<iris::IrisCode> codes;
            for (std::uint32_t k = 0; k < kImpressions; ++k) {
                auto code = iris::encode(synth.impression(eye, {k}));
                // The daemon's quality gate refuses such frames; so does this test (counted).
                if (code.empty() || code.usable() < 0.35) break;
                codes.push_back(std::move(code));
            }
            if (codes.size() == kImpressions)
                eyes.push_back(std::move(codes));
            else
                ++missed;
        }
    }
    std::printf("simulated eyes not segmented in every impression: %d of %d\n", missed,
                2 * kSubjects);
    EXPECT_LE(missed, 1);
    std::vector<double> genuine, impostor;
    for (std::size_t e = 0; e < eyes.size(); ++e)
        for (std::size_t f = e; f < eyes.size(); ++f)
            for (std::size_t i = 0; i < kImpressions; ++i)
                for (std::size_t j = (e == f ? i + 1 : 0); j < kImpressions; ++j)
                    (e == f ? genuine : impostor).push_back(iris::distance(eyes[e][i], eyes[f][j]));
    const Stats g = stats(genuine), im = stats(impostor);
    const double d_prime =
        std::abs(im.mean - g.mean) / std::sqrt((g.sd * g.sd + im.sd * im.sd) / 2);
    std::printf(
        "simulated genuine n=%zu mean %.3f sd %.3f max %.3f; impostor n=%zu mean %.3f sd "
        "%.3f min %.3f; d' %.2f\n",
        genuine.size(), g.mean, g.sd, g.max, impostor.size(), im.mean, im.sd, im.min, d_prime);
    EXPECT_LE(g.max, 0.30);
    EXPECT_GE(im.mean, 0.42);
    EXPECT_LE(im.mean, 0.52);
    EXPECT_GT(im.min, g.max);
    EXPECT_GE(d_prime, 4.0);
}

TEST(IrisCode, RotationOfTheHeadIsCompensated) {
    const auto sample = IrisSynth("3201010101900007").sample(Eye::Right, {0});
    const iris::IrisCode code = iris::encode(sample.image);
    for (double degrees : {-12.0, -5.0, 5.0, 12.0}) {
        const cv::Mat rot =
            cv::getRotationMatrix2D(cv::Point2f(static_cast<float>(sample.truth.pupil_x),
                                                static_cast<float>(sample.truth.pupil_y)),
                                    degrees, 1.0);
        cv::Mat turned;
        cv::warpAffine(testing::as_mat(sample.image), turned, rot, cv::Size(640, 480),
                       cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        const double d = iris::distance(code, iris::encode(testing::from_mat(turned)));
        EXPECT_LE(d, 0.25) << degrees << " degrees";
    }
}

// An eye seen off-axis is foreshortened across the gaze; the frame is unwarped by the pupil's
// ellipse and segmented again, so it still matches the frontal capture. Squeezed horizontally
// (gaze sideways) and vertically (gaze up or down), as far as the quality check's 30 degrees.
TEST(IrisCode, OffAxisGazeIsUnwarped) {
    const auto sample = IrisSynth("3201010101900007").sample(Eye::Right, {0});
    const iris::IrisCode code = iris::encode(sample.image);
    ASSERT_FALSE(code.empty());
    const iris::IrisCode other = iris::encode(IrisSynth("3201010101900031").impression(Eye::Right));
    for (double degrees : {20.0, 25.0, 30.0})
        for (bool sideways : {true, false}) {
            const double squeeze = std::cos(degrees * std::numbers::pi / 180);
            cv::Mat seen;
            cv::resize(testing::as_mat(sample.image), seen, cv::Size(), sideways ? squeeze : 1.0,
                       sideways ? 1.0 : squeeze, cv::INTER_AREA);
            const iris::Analysis a = iris::analyse(testing::from_mat(seen));
            ASSERT_TRUE(a.segmentation.found) << degrees;
            // At 20 degrees the pupil may still pass for the eye's own shape; either way it
            // matches.
            if (degrees > 20) {
                EXPECT_TRUE(a.segmentation.frontal.has_value()) << degrees;
            }
            const iris::IrisCode off = iris::encode(a);
            const double d = iris::distance(code, off);
            std::printf("%s %.0f degrees (measured %.1f): genuine %.3f, impostor %.3f\n",
                        sideways ? "sideways" : "vertical", degrees, a.segmentation.gaze_deg, d,
                        iris::distance(other, off));
            // Without the unwarping: 0.10-0.13 at 25 degrees, 0.19-0.20 at 30.
            EXPECT_LE(d, 0.08) << degrees << (sideways ? " sideways" : " vertically");
        }
}

TEST(IrisCode, CodesThatCannotMatchAreAtDistanceOne) {
    const iris::IrisCode code = iris::encode(IrisSynth("3201010101900008").impression(Eye::Left));
    ASSERT_FALSE(code.empty());
    EXPECT_EQ(iris::distance(code, {}), 1.0);
    EXPECT_EQ(iris::distance({}, {}), 1.0);
    iris::IrisCode masked = code;
    std::fill(masked.mask.begin(), masked.mask.end(), 0);
    EXPECT_EQ(iris::distance(code, masked), 1.0);
    iris::IrisCode truncated = code;
    truncated.bits.resize(10);
    EXPECT_EQ(iris::distance(code, truncated), 1.0);
    EXPECT_EQ(iris::distance(code, code), 0.0);
    EXPECT_TRUE(iris::encode(Image::grey(640, 480, 0, 128)).empty());
    EXPECT_TRUE(iris::encode(Image::grey(1, 1)).empty());
}

TEST(IrisCode, RealGenuinePairsAllBelowEveryImpostorPair) {
    std::vector<Image> casia;
    for (int i = 0; i < 4; ++i)
        casia.push_back(testing::load_grey(testing::shared_data() / "iris" / "casia_irisv2" /
                                           ("0000_00" + std::to_string(i) + ".bmp")));
    const Image other =
        testing::load_grey(testing::shared_data() / "iris" / "openiris" / "anonymized.png");
    for (const auto& img : casia)
        if (img.empty()) GTEST_SKIP() << "no iris data at " << testing::shared_data() / "iris";
    if (other.empty()) GTEST_SKIP() << "no open-iris frame at " << testing::shared_data() / "iris";
    // Other eyes: the open-iris eye, and each CASIA frame mirrored (a mirrored iris is a
    // different pattern: no left eye matches the right one).
    std::vector<iris::IrisCode> same, others;
    for (const auto& img : casia) {
        same.push_back(iris::encode(img));
        cv::Mat flipped;
        cv::flip(testing::as_mat(img), flipped, 1);
        others.push_back(iris::encode(testing::from_mat(flipped)));
    }
    others.push_back(iris::encode(other));
    double worst_genuine = 0, best_impostor = 1;
    for (std::size_t i = 0; i < same.size(); ++i) {
        ASSERT_FALSE(same[i].empty()) << i;
        for (std::size_t j = i + 1; j < same.size(); ++j) {
            const double d = iris::distance(same[i], same[j]);
            std::printf("CASIA genuine %zu-%zu: %.3f\n", i, j, d);
            worst_genuine = std::max(worst_genuine, d);
        }
        for (std::size_t j = 0; j < others.size(); ++j) {
            ASSERT_FALSE(others[j].empty()) << j;
            if (j == i) continue;  // its own mirror image is compared too, below
            best_impostor = std::min(best_impostor, iris::distance(same[i], others[j]));
        }
        best_impostor = std::min(best_impostor, iris::distance(same[i], others[i]));
    }
    std::printf("CASIA worst genuine %.3f, best impostor %.3f\n", worst_genuine, best_impostor);
    EXPECT_LT(worst_genuine, best_impostor);
}

}  // namespace
}  // namespace rekam::bio
