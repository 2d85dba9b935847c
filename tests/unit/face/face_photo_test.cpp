// Detection and checks on real photos (../shared/data/face/face_recognition), and each check
// turning from pass to fail on its own perturbation of a photo that passes it.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "biometrics/face/quality.h"
#include "test_images.h"

namespace rekam::bio::face {
namespace {

Image photo(const char* name) {
    return testing::load_rgb(testing::shared_data() / "face/face_recognition" / name);
}

bool passes(const FaceAnalysis& a, const char* check) {
    const FaceCheck* c = a.check(check);
    return c && c->pass;
}
bool fails(const FaceAnalysis& a, const char* check, const char* feedback) {
    const FaceCheck* c = a.check(check);
    if (!c || c->pass || c->feedback != feedback) return false;
    return std::find(a.quality.feedback.begin(), a.quality.feedback.end(), feedback) !=
           a.quality.feedback.end();
}

#define NEED(img) \
    if ((img).empty()) GTEST_SKIP() << "no face photos under " << testing::shared_data() / "face"

TEST(FacePhotos, OneFaceWithEyesInEveryFrontalPhoto) {
    for (const char* name :
         {"obama.jpg", "obama1.jpg", "obama2.jpg", "obama3.jpg", "obama_small.jpg",
          "obama-240p.jpg", "obama-480p.jpg", "obama-720p.jpg", "obama-1080p.jpg"}) {
        const Image img = photo(name);
        NEED(img);
        const FaceAnalysis a = analyse_face(img);
        EXPECT_EQ(a.faces, 1) << name;
        EXPECT_TRUE(a.eyes_found) << name;
        ASSERT_TRUE(a.eyes) << name;
        // Eyes inside the face box, about level on these portraits (obama3 leans 9 degrees).
        EXPECT_GT(a.eyes->right_x, a.box_x) << name;
        EXPECT_LT(a.eyes->left_x, a.box_x + a.box_width) << name;
        EXPECT_LT(std::abs(a.check("roll")->value), 10) << name;
        EXPECT_EQ(a.quality.algorithm, kQualityAlgorithm);
    }
}

TEST(FacePhotos, ResolutionLadderScalesAndFailsTheSizeCheckAt240p) {
    const int heights[] = {240, 480, 720, 1080};
    double d[4];
    for (int i = 0; i < 4; ++i) {
        const Image img = photo(("obama-" + std::to_string(heights[i]) + "p.jpg").c_str());
        NEED(img);
        const FaceAnalysis a = analyse_face(img);
        ASSERT_EQ(a.faces, 1) << heights[i];
        d[i] = a.check("inter_eye_distance")->value;
    }
    // PROVENANCE.md: about 23/47/70/105 px.
    EXPECT_NEAR(d[3], 105, 6);
    for (int i = 0; i < 4; ++i)
        EXPECT_NEAR(d[i] / heights[i], d[3] / 1080, 0.1 * d[3] / 1080) << heights[i];
    EXPECT_FALSE(analyse_face(photo("obama-240p.jpg")).check("inter_eye_distance")->pass);
    EXPECT_TRUE(analyse_face(photo("obama-1080p.jpg")).check("inter_eye_distance")->pass);
    const Quality q = assess_quality(photo("obama-240p.jpg"));
    EXPECT_NE(std::find(q.feedback.begin(), q.feedback.end(), "move-closer"), q.feedback.end());
}

class Perturbed : public ::testing::Test {
  protected:
    void SetUp() override {
        img = photo("obama-1080p.jpg");
        NEED(img);
        base = analyse_face(img);
        ASSERT_EQ(base.faces, 1);
    }
    cv::Mat mat() const { return testing::as_mat(img).clone(); }
    Image img;
    FaceAnalysis base;
};

TEST_F(Perturbed, BlurFailsSharpness) {
    ASSERT_TRUE(passes(base, "sharpness"));
    EXPECT_TRUE(fails(analyse_face(testing::blurred(img, 6.0)), "sharpness", "blurred"));
}

TEST_F(Perturbed, DarkenFailsExposure) {
    ASSERT_TRUE(passes(base, "exposure"));
    EXPECT_TRUE(fails(analyse_face(testing::scaled_grey(img, 0.35)), "exposure", "underexposed"));
}

TEST_F(Perturbed, OverexposeFailsExposureAndHighlights) {
    ASSERT_TRUE(passes(base, "exposure"));
    ASSERT_TRUE(passes(base, "highlight_clipping"));
    const FaceAnalysis a = analyse_face(testing::scaled_grey(img, 2.0, 60));
    EXPECT_TRUE(fails(a, "exposure", "overexposed"));
    EXPECT_TRUE(fails(a, "highlight_clipping", "overexposed"));
}

TEST_F(Perturbed, ShiftFailsCentring) {
    ASSERT_TRUE(passes(base, "horizontal_offset"));
    const FaceAnalysis a = analyse_face(testing::shifted(img, img.width * 3 / 10, 0, 128));
    ASSERT_EQ(a.faces, 1);
    EXPECT_TRUE(fails(a, "horizontal_offset", "centre-face"));
}

TEST_F(Perturbed, RotateFailsRoll) {
    ASSERT_TRUE(passes(base, "roll"));
    cv::Mat out;
    const cv::Point2f centre((base.eyes->left_x + base.eyes->right_x) / 2.0f,
                             (base.eyes->left_y + base.eyes->right_y) / 2.0f);
    cv::warpAffine(mat(), out, cv::getRotationMatrix2D(centre, 14, 1.0), mat().size(),
                   cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    const FaceAnalysis a = analyse_face(testing::from_mat(out));
    ASSERT_EQ(a.faces, 1);
    ASSERT_TRUE(a.check("roll"));
    EXPECT_NEAR(std::abs(a.check("roll")->value), 14, 4);
    EXPECT_TRUE(fails(a, "roll", "straighten-head"));
}

TEST_F(Perturbed, SecondFacePastedInFailsFaceCount) {
    ASSERT_TRUE(passes(base, "face_count"));
    cv::Mat m = mat();
    const cv::Rect face(static_cast<int>(base.box_x - 0.3 * base.box_width),
                        static_cast<int>(base.box_y - 0.5 * base.box_height),
                        static_cast<int>(1.6 * base.box_width),
                        static_cast<int>(2 * base.box_height));
    m(face).copyTo(m(cv::Rect(40, face.y, face.width, face.height)));
    const FaceAnalysis a = analyse_face(testing::from_mat(m));
    EXPECT_EQ(a.faces, 2);
    EXPECT_TRUE(fails(a, "face_count", "several-faces"));
    EXPECT_LT(a.quality.score, 50);
}

TEST_F(Perturbed, HalfShadowFailsIlluminationBalance) {
    ASSERT_TRUE(passes(base, "illumination_balance"));
    cv::Mat m = mat();
    const int mid = (base.eyes->left_x + base.eyes->right_x) / 2;
    m(cv::Rect(mid, 0, m.cols - mid, m.rows)) *= 0.45;
    EXPECT_TRUE(fails(analyse_face(testing::from_mat(m)), "illumination_balance", "uneven-light"));
}

TEST_F(Perturbed, BlueLightFailsColourCast) {
    ASSERT_TRUE(passes(base, "colour_cast"));
    cv::Mat m = mat();
    cv::multiply(m, cv::Scalar(0.6, 0.95, 1.5), m);
    EXPECT_TRUE(fails(analyse_face(testing::from_mat(m)), "colour_cast", "colour-cast"));
}

}  // namespace
}  // namespace rekam::bio::face
