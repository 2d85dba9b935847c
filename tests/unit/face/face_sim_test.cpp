// The simulated camera's faces (drivers/sim/synth FaceSynth) pass detection and every check in
// good condition; the e-KTP backdrop rule follows the birth year; the exception photo needs both
// hands; a cluttered backdrop fails uniformity.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "biometrics/face/quality.h"
#include "drivers/sim/synth/face_synth.h"
#include "test_images.h"

namespace rekam::bio::face {
namespace {

sim::FaceSample portrait(const char* subject, sim::Rgb backdrop = sim::kBackdropRed,
                         bool exception = false, sim::Condition c = sim::Condition::Good) {
    sim::FaceScene scene;
    scene.width = 1920;
    scene.height = 1080;
    scene.backdrop = backdrop;
    scene.exception_photo = exception;
    return sim::FaceSynth(subject).sample(scene, {0, c});
}

const FaceCheck& check(const FaceAnalysis& a, const char* name) {
    static const FaceCheck missing{"missing", 0, false, ""};
    const FaceCheck* c = a.check(name);
    return c ? *c : missing;
}

TEST(FaceSim, GoodPortraitsPassEveryCheckWithTheRightBackdrop) {
    for (const char* subject : {"3171234567890001", "subject-7", "a", "b", "c"}) {
        const sim::FaceSample s = portrait(subject);
        const FaceAnalysis a = analyse_face(s.image, {1991, false});
        for (const FaceCheck& c : a.checks)
            EXPECT_TRUE(c.pass) << subject << ": " << c.name << " = " << c.value;
        EXPECT_GE(a.quality.score, 60) << subject;
        EXPECT_EQ(a.quality.feedback, std::vector<std::string>{"good"}) << subject;
        ASSERT_TRUE(a.eyes);
        // Against the synthesiser's truth: within 5 % of the inter-eye distance.
        const double d = s.truth.left_eye_x - s.truth.right_eye_x;
        EXPECT_NEAR(a.eyes->right_x, s.truth.right_eye_x, 0.05 * d) << subject;
        EXPECT_NEAR(a.eyes->left_x, s.truth.left_eye_x, 0.05 * d) << subject;
        EXPECT_NEAR(a.eyes->right_y, s.truth.right_eye_y, 0.05 * d) << subject;
        EXPECT_NEAR(a.eyes->left_y, s.truth.left_eye_y, 0.05 * d) << subject;
    }
}

TEST(FaceSim, BackdropRuleFollowsTheBirthYear) {
    const Image red = portrait("subject-7", sim::kBackdropRed).image;
    const Image blue = portrait("subject-7", sim::kBackdropBlue).image;
    EXPECT_TRUE(check(analyse_face(red, {1991, false}), "backdrop_colour").pass);   // odd: red
    EXPECT_TRUE(check(analyse_face(blue, {1990, false}), "backdrop_colour").pass);  // even: blue
    const FaceAnalysis wrong = analyse_face(red, {1990, false});
    EXPECT_FALSE(check(wrong, "backdrop_colour").pass);
    EXPECT_EQ(check(wrong, "backdrop_colour").feedback, "wrong-backdrop");
    EXPECT_LT(wrong.quality.score, 50);
    EXPECT_FALSE(check(analyse_face(blue, {2001, false}), "backdrop_colour").pass);
    // Unknown birth year: no backdrop check at all.
    EXPECT_EQ(analyse_face(red).check("backdrop_colour"), nullptr);
}

TEST(FaceSim, BackgroundRecolouredFlipsTheBackdropCheck) {
    // Recolour every backdrop pixel of a red portrait blue: the odd year fails, the even passes.
    const sim::Rgb r = sim::kBackdropRed, b = sim::kBackdropBlue;
    Image img = portrait("subject-7", r).image;
    const FaceAnalysis before = analyse_face(img, {1991, false});
    ASSERT_TRUE(check(before, "backdrop_colour").pass);
    cv::Mat m = testing::as_mat(img), mask;
    cv::inRange(m, cv::Scalar(r.r - 40, 0, 0), cv::Scalar(255, r.g + 40, r.b + 40), mask);
    m.setTo(cv::Scalar(b.r, b.g, b.b), mask);
    EXPECT_FALSE(check(analyse_face(img, {1991, false}), "backdrop_colour").pass);
    EXPECT_TRUE(check(analyse_face(img, {1992, false}), "backdrop_colour").pass);
}

TEST(FaceSim, ClutteredBackdropFailsUniformity) {
    Image img = portrait("subject-7").image;
    ASSERT_TRUE(check(analyse_face(img), "background_uniformity").pass);
    cv::Mat m = testing::as_mat(img);
    for (int x = 0; x < m.cols; x += 80)  // a shelf of stripes across the top of the room
        m(cv::Rect(x, 0, 40, m.rows / 6)).setTo(cv::Scalar(240, 240, 240));
    const FaceAnalysis a = analyse_face(img);
    EXPECT_FALSE(check(a, "background_uniformity").pass);
    EXPECT_EQ(check(a, "background_uniformity").feedback, "background-not-uniform");
}

TEST(FaceSim, ExceptionPhotoNeedsBothHands) {
    const FaceAnalysis with =
        analyse_face(portrait("subject-7", sim::kBackdropRed, true).image, {1991, true});
    EXPECT_EQ(with.faces, 1);
    EXPECT_TRUE(check(with, "hands_visible").pass) << check(with, "hands_visible").value;
    for (const FaceCheck& c : with.checks) EXPECT_TRUE(c.pass) << c.name << " = " << c.value;
    EXPECT_GE(with.quality.score, 60);
    const FaceAnalysis without = analyse_face(portrait("subject-7").image, {1991, true});
    EXPECT_FALSE(check(without, "hands_visible").pass);
    EXPECT_EQ(check(without, "hands_visible").feedback, "show-both-hands");
    // Not an exception photo: hands are not looked for.
    EXPECT_EQ(analyse_face(portrait("subject-7").image).check("hands_visible"), nullptr);
}

TEST(FaceSim, BadConditionsAreNamed) {
    const auto has = [](const FaceAnalysis& a, const char* code) {
        return std::find(a.quality.feedback.begin(), a.quality.feedback.end(), code) !=
               a.quality.feedback.end();
    };
    EXPECT_TRUE(
        has(analyse_face(portrait("a", sim::kBackdropRed, false, sim::Condition::Blurred).image),
            "blurred"));
    EXPECT_TRUE(
        has(analyse_face(portrait("a", sim::kBackdropRed, false, sim::Condition::OffCentre).image),
            "centre-face"));
    EXPECT_EQ(
        analyse_face(portrait("a", sim::kBackdropRed, false, sim::Condition::Blank).image).faces,
        0);
}

}  // namespace
}  // namespace rekam::bio::face
