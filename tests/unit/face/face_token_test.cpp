// The ISO/IEC 19794-5 token image geometry and its face record round trip.
#include <gtest/gtest.h>

#include "biometrics/face/quality.h"
#include "biometrics/face/token.h"
#include "biometrics/records/face_image_record.h"
#include "drivers/sim/synth/face_synth.h"
#include "test_images.h"

namespace rekam::bio::face {
namespace {

sim::FaceSample sample() {
    sim::FaceScene scene;
    scene.width = 1920;
    scene.height = 1080;
    return sim::FaceSynth("subject-7").sample(scene);
}

TEST(FaceToken, EyesLandOnThePrescribedLineAndDistance) {
    const sim::FaceSample s = sample();
    const FaceAnalysis a = analyse_face(s.image);
    ASSERT_TRUE(a.eyes);
    const TokenImage t = make_token_image(s.image, *a.eyes, 480);
    EXPECT_EQ(t.image.width, 480);
    EXPECT_EQ(t.image.height, 640);
    EXPECT_EQ(t.image.channels, 3);
    EXPECT_EQ(t.eyes.left_x - t.eyes.right_x, 120);  // W / 4
    EXPECT_EQ(t.eyes.left_y, 288);                   // 0.6 W
    EXPECT_EQ(t.eyes.right_y, 288);
    // Found again in the token where the geometry put them.
    const FaceAnalysis again = analyse_face(t.image);
    ASSERT_EQ(again.faces, 1);
    ASSERT_TRUE(again.eyes_found);
    EXPECT_NEAR(again.eyes->right_x, t.eyes.right_x, 6);
    EXPECT_NEAR(again.eyes->left_x, t.eyes.left_x, 6);
    EXPECT_NEAR(again.eyes->left_y, 288, 6);
}

TEST(FaceToken, TiltedPhotoComesOutLevel) {
    const Image photo =
        testing::load_rgb(testing::shared_data() / "face/face_recognition/obama-1080p.jpg");
    if (photo.empty()) GTEST_SKIP() << "no face photos under " << testing::shared_data() / "face";
    EyeCentres tilted{1052, 231, 948, 213};  // 10 degrees of roll
    const TokenImage t = make_token_image(photo, tilted, 240);
    EXPECT_EQ(t.image.width, 240);
    EXPECT_EQ(t.image.height, 320);
    EXPECT_EQ(t.eyes.left_y, t.eyes.right_y);
}

TEST(FaceToken, RecordRoundTripsAsTokenFrontal) {
    const sim::FaceSample s = sample();
    const FaceAnalysis a = analyse_face(s.image);
    ASSERT_TRUE(a.eyes);
    CaptureInfo info;
    info.quality = QualityBlock{static_cast<std::uint8_t>(a.quality.score), 0, 0};
    const FaceImageRecord rec = make_token_face_record(s.image, *a.eyes, info);
    const FaceImageRecord back = decode_face_image_record(encode(rec));
    EXPECT_EQ(back, rec);
    ASSERT_EQ(back.representations.size(), 1u);
    const FaceRepresentation& r = back.representations[0];
    EXPECT_EQ(r.face_image_type, face_image_type::token_frontal);
    EXPECT_EQ(r.width, 480);
    EXPECT_EQ(r.height, 640);
    ASSERT_EQ(r.landmarks.size(), 2u);
    EXPECT_EQ(r.landmarks[0].code, landmark::left_eye_centre);
    EXPECT_EQ(r.landmarks[0].x, 300);
    EXPECT_EQ(r.landmarks[0].y, 288);
}

TEST(FaceToken, RejectsNonsense) {
    const Image img = Image::rgb(100, 100, 50);
    EXPECT_THROW(make_token_image(img, EyeCentres{50, 50, 50, 50}), std::invalid_argument);
    EXPECT_THROW(make_token_image(img, EyeCentres{60, 50, 40, 50}, 100), std::invalid_argument);
    // Eyes off the photo still give a token (border repeated), never a crash.
    EXPECT_EQ(make_token_image(img, EyeCentres{5000, -40, 4000, -40}).image.width, 480);
}

}  // namespace
}  // namespace rekam::bio::face
