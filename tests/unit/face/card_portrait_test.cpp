// The e-KTP chip's portrait: the token image as JPEG 2000 in the bytes the chip leaves it, never
// over them, and still a face whose eyes are where the token put them.
#include "biometrics/face/card_portrait.h"

#include <gtest/gtest.h>

#include "biometrics/face/quality.h"
#include "biometrics/face/token.h"
#include "biometrics/records/codec.h"
#include "test_images.h"

namespace rekam::bio::face {
namespace {

// What the default card leaves the portrait: 8192 bytes less 1536 reserved and two templates
// of 60 minutiae (180 bytes each).
constexpr std::size_t kPortraitBudget = 8192 - 1536 - 2 * 180;

TEST(CardPortrait, RealPhotosStayAFaceWithTheEyesInPlace) {
    const auto files = testing::files_in("face/caltech_faces_1999", {".jpg"});
    if (files.empty()) GTEST_SKIP() << "no photos under " << testing::shared_data() / "face";
    int tokens = 0, kept = 0;
    for (std::size_t i = 0; i < files.size() && tokens < 20; i += 5) {
        const Image photo = testing::load_rgb(files[i]);
        const FaceAnalysis a = analyse_face(photo);
        if (!a.eyes || a.faces != 1) continue;
        const TokenImage token = make_token_image(photo, *a.eyes, 480);
        const auto portrait = make_card_portrait(token.image, kPortraitBudget);
        ASSERT_TRUE(portrait) << files[i];
        ASSERT_LE(portrait->jp2.size(), kPortraitBudget) << files[i];
        ++tokens;
        const Image back = decode_jp2(portrait->jp2);
        EXPECT_EQ(back.width, portrait->width);
        // The eyes of a token image sit at x = W/2 -+ W/8, y = 0.6 W whatever its size.
        const FaceAnalysis again = analyse_face(back);
        const double w = back.width;
        if (again.faces == 1 && again.eyes && std::abs(again.eyes->left_y - 0.6 * w) < 0.05 * w &&
            std::abs(again.eyes->right_x - 0.375 * w) < 0.05 * w &&
            std::abs(again.eyes->left_x - 0.625 * w) < 0.05 * w)
            ++kept;
        else
            ADD_FAILURE() << files[i] << ": " << again.faces << " faces, " << portrait->width
                          << " px, " << portrait->psnr << " dB";
    }
    EXPECT_GE(tokens, 15);
    EXPECT_EQ(kept, tokens);
}

TEST(CardPortrait, TheLargestSizeThatHoldsUpAndNothingWhenNothingFits) {
    const Image photo =
        testing::load_rgb(testing::shared_data() / "face/face_recognition/obama-1080p.jpg");
    if (photo.empty()) GTEST_SKIP() << "no face photos under " << testing::shared_data() / "face";
    const FaceAnalysis a = analyse_face(photo);
    ASSERT_TRUE(a.eyes);
    const TokenImage token = make_token_image(photo, *a.eyes, 480);
    const auto roomy = make_card_portrait(token.image, 60000);
    ASSERT_TRUE(roomy);
    EXPECT_EQ(roomy->width, 480) << "with room, the whole token image";
    const auto tight = make_card_portrait(token.image, kPortraitBudget);
    ASSERT_TRUE(tight);
    EXPECT_LE(tight->width, roomy->width);
    EXPECT_LE(tight->jp2.size(), kPortraitBudget);
    EXPECT_FALSE(make_card_portrait(token.image, 60)) << "60 bytes hold no picture";
}

}  // namespace
}  // namespace rekam::bio::face
