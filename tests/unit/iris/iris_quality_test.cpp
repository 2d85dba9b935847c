// ISO/IEC 29794-6 quality: falls as the frame is blurred, darkened, occluded or shifted; garbage
// gives a clear low score, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <string>

#include "biometrics/iris/quality.h"
#include "drivers/sim/synth/iris_synth.h"
#include "test_images.h"

namespace rekam::bio {
namespace {

using sim::Eye;
using sim::IrisSynth;

std::vector<std::pair<std::string, Image>> good_eyes() {
    std::vector<std::pair<std::string, Image>> out;
    for (int s = 0; s < 3; ++s)
        out.emplace_back("sim " + std::to_string(s),
                         IrisSynth("320101010170000" + std::to_string(s)).impression(Eye::Right));
    const Image real =
        testing::load_grey(testing::shared_data() / "iris" / "openiris" / "anonymized.png");
    if (!real.empty()) out.emplace_back("open-iris", real);
    const Image casia =
        testing::load_grey(testing::shared_data() / "iris" / "casia_irisv2" / "0000_000.bmp");
    if (!casia.empty()) out.emplace_back("casia", casia);
    return out;
}

TEST(IrisQuality, ReportsTheIsoMeasuresAndAGoodScore) {
    for (const auto& [name, img] : good_eyes()) {
        const iris::Analysis a = iris::analyse(img);
        EXPECT_EQ(a.quality.algorithm, "rekam-iris-29794-6/1");
        ASSERT_TRUE(a.segmentation.found) << name;
        for (const char* m : {"usable_iris_area", "iris_sclera_contrast", "iris_pupil_contrast",
                              "pupil_boundary_circularity", "grey_scale_utilisation",
                              "iris_diameter", "pupil_iris_ratio", "iris_pupil_concentricity",
                              "margin_adequacy", "sharpness", "motion_blur", "gaze_angle"})
            EXPECT_GE(a.quality.measure(m, -1), 0) << name << " " << m;
        EXPECT_GE(a.quality.score, 50) << name;
        EXPECT_GT(a.quality.measure("pupil_iris_ratio"), 20) << name;
        EXPECT_LT(a.quality.measure("pupil_iris_ratio"), 70) << name;
        EXPECT_EQ(iris::assess_quality(img).score, a.quality.score);
    }
}

TEST(IrisQuality, FallsWithBlurDarknessOcclusionAndShift) {
    for (const auto& [name, img] : good_eyes()) {
        const iris::Analysis a = iris::analyse(img);
        const Quality& q = a.quality;
        const auto& s = a.segmentation;
        const Quality blurred = iris::assess_quality(testing::blurred(img, 3.0));
        const Quality dark = iris::assess_quality(testing::scaled_grey(img, 0.3));
        const int r = static_cast<int>(s.iris.r);
        // An eyelid-grey band over the top half of the iris, down to the centre row: deeper
        // than any lid in these frames.
        const Quality occluded = iris::assess_quality(
            testing::occluded(img,
                              cv::Rect(static_cast<int>(s.iris.x) - r,
                                       static_cast<int>(s.iris.y) - r - 4, 2 * r, r + 4),
                              190));
        const int dx = img.width - r / 2 - static_cast<int>(s.iris.x);
        const Quality shifted = iris::assess_quality(testing::shifted(img, dx, 0, 128));
        EXPECT_LT(blurred.score, q.score - 20) << name;
        EXPECT_LT(dark.score, q.score - 20) << name;
        EXPECT_LT(shifted.score, q.score - 20) << name;
        EXPECT_LT(occluded.score, q.score - 10) << name;
        EXPECT_LT(occluded.measure("usable_iris_area"), q.measure("usable_iris_area") - 15) << name;
    }
}

TEST(IrisQuality, SimulatedConditionsGiveTheRightFeedback) {
    const IrisSynth synth("3201010101700009");
    const auto with = [&](sim::Condition c) {
        return iris::assess_quality(synth.impression(Eye::Left, {0, c}));
    };
    const auto has = [](const Quality& q, const std::string& code) {
        return std::find(q.feedback.begin(), q.feedback.end(), code) != q.feedback.end();
    };
    const Quality good = with(sim::Condition::Good);
    EXPECT_EQ(good.feedback.front(), "good");
    EXPECT_TRUE(has(with(sim::Condition::Blurred), "blurred"));
    EXPECT_TRUE(has(with(sim::Condition::Dark), "too-dark"));
    const Quality partial = with(sim::Condition::Partial);
    EXPECT_TRUE(partial.score == 0 || has(partial, "open-eyes-wider"));
    EXPECT_LT(partial.score, good.score - 30);
    EXPECT_LT(with(sim::Condition::OffCentre).score, good.score - 20);
    EXPECT_EQ(with(sim::Condition::Blank).score, 0);
}

TEST(IrisQuality, GarbageGivesALowScoreNeverACrash) {
    const auto low = [](const Image& img, const char* what) {
        const iris::Analysis a = iris::analyse(img);
        EXPECT_LT(a.quality.score, 30) << what;
        EXPECT_FALSE(a.quality.feedback.empty()) << what;
    };
    low(Image::grey(640, 480, 0, 0), "black");
    low(Image::grey(640, 480, 0, 255), "white");
    low(Image::grey(1, 1), "1x1");
    low(Image{0, 0, 1, 0, {}}, "empty");
    low(testing::noise(640, 480, 1, 3), "noise");
    low(testing::noise(640, 480, 3, 4), "rgb noise");
    low(Image::grey(10000, 10000, 0, 90), "10000x10000");
    EXPECT_THROW(iris::analyse(Image{640, 480, 1, 0, {1, 2, 3}}), std::invalid_argument);
    for (const auto& f : testing::files_in("face/dlib_faces", {".jpg", ".png"})) {
        const Image face = testing::load_rgb(f);
        if (face.empty()) continue;
        EXPECT_LT(iris::assess_quality(face).score, 40) << f;
    }
}

}  // namespace
}  // namespace rekam::bio
