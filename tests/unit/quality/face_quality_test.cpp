// Face quality on real photos (face_recognition, Caltech 1999) and on known degradations of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "biometrics/face/quality.h"
#include "test_images.h"

namespace rekam::bio {
namespace {

// Photos of one frontal face each, as an enrolment camera sees them (dlib_faces' crowd photos,
// with faces below any enrolment size, say nothing about what a degradation costs).
std::vector<std::pair<std::string, Image>> photos() {
    std::vector<std::pair<std::string, Image>> out;
    for (const char* folder : {"face/face_recognition", "face/caltech_faces_1999"})
        for (const auto& f : testing::files_in(folder, {".jpg"}))
            out.emplace_back(f.filename().string(), testing::load_rgb(f));
    return out;
}

double mean(const std::vector<int>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

TEST(FaceQuality, RealPhotosBeatBlankBlurredDarkAndOverexposed) {
    const auto all = photos();
    if (all.empty()) GTEST_SKIP() << "no face photos under " << testing::shared_data() / "face";
    std::vector<int> real, blank, blurred, dark, over;
    for (const auto& [name, img] : all) {
        ASSERT_FALSE(img.empty()) << name;
        const Quality q = face::assess_quality(img);
        EXPECT_EQ(q.algorithm, face::kQualityAlgorithm);
        const Quality b = face::assess_quality(Image::rgb(img.width, img.height, 90));
        EXPECT_LE(b.score, 10) << name;
        EXPECT_EQ(b.feedback.front(), "face-not-found") << name;
        real.push_back(q.score);
        blank.push_back(b.score);
        blurred.push_back(face::assess_quality(testing::blurred(img, 4.0)).score);
        dark.push_back(face::assess_quality(testing::scaled_grey(img, 0.3)).score);
        over.push_back(face::assess_quality(testing::scaled_grey(img, 2.0, 60)).score);
    }
    std::printf(
        "mean score: real %.1f, blank %.1f, blurred %.1f, darkened %.1f, overexposed %.1f\n",
        mean(real), mean(blank), mean(blurred), mean(dark), mean(over));
    // None of these photos is ICAO-compliant (busy backgrounds, tight crops), so every real one
    // already fails some check and scores under 50; each degradation must still cost on average.
    EXPECT_GT(mean(real), mean(blank) + 20);
    EXPECT_GT(mean(real), mean(blurred) + 5);
    EXPECT_GT(mean(real), mean(dark) + 5);
    EXPECT_GT(mean(real), mean(over) + 10);
}

// Blur can hide the small in-the-wild faces from the detector altogether ("face-not-found"):
// most photos must get "blurred".
TEST(FaceQuality, BlurIsNamedOnMostPhotos) {
    const auto all = photos();
    if (all.empty()) GTEST_SKIP() << "no face photos under " << testing::shared_data() / "face";
    int named = 0;
    for (const auto& [name, img] : all) {
        const Quality q = face::assess_quality(testing::blurred(img, 4.0));
        named += std::find(q.feedback.begin(), q.feedback.end(), "blurred") != q.feedback.end();
    }
    std::printf("blurred named on %d of %zu photos\n", named, all.size());
    EXPECT_GE(2 * named, static_cast<int>(all.size()));
}

TEST(FaceQuality, PortraitFeedbackNamesTheProblem) {
    const Image img = testing::load_rgb(testing::shared_data() / "face/face_recognition/obama.jpg");
    if (img.empty()) GTEST_SKIP() << "no obama.jpg under " << testing::shared_data() / "face";
    const Quality q = face::assess_quality(img);
    EXPECT_EQ(q.measure("face_count"), 1.0);
    EXPECT_EQ(q.measure("faces_detected"), 1.0);
    auto has = [](const Quality& r, const std::string& code) {
        return std::find(r.feedback.begin(), r.feedback.end(), code) != r.feedback.end();
    };
    EXPECT_TRUE(has(face::assess_quality(testing::scaled_grey(img, 0.3)), "underexposed"));
    EXPECT_TRUE(has(face::assess_quality(testing::scaled_grey(img, 2.0, 60)), "overexposed"));
}

}  // namespace
}  // namespace rekam::bio
