// Garbage in: every quality function gives a clear answer fast, never a crash.
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>

#include "biometrics/face/quality.h"
#include "biometrics/fingerprint/quality.h"
#include "biometrics/iris/quality.h"
#include "test_images.h"

namespace rekam::bio {
namespace {

using Fn = Quality (*)(const Image&);
struct Modality {
    const char* name;
    Fn fn;
    const char* nothing;  // feedback code for "nothing there"
};
const Modality kModalities[] = {{"fingerprint", fingerprint::assess_quality, "no-object"},
                                {"iris", iris::assess_quality, "eye-not-found"},
                                {"face", face::assess_quality, "face-not-found"}};

void expect_nothing(const Modality& m, const Image& image, int max_score = 10) {
    const Quality q = m.fn(image);
    EXPECT_LE(q.score, max_score) << m.name;
    ASSERT_FALSE(q.feedback.empty()) << m.name;
    EXPECT_EQ(q.feedback.front(), m.nothing) << m.name;
    EXPECT_FALSE(q.algorithm.empty());
}

TEST(QualityGarbage, EmptyTinyAndBlankGiveNothingFound) {
    for (const auto& m : kModalities) {
        expect_nothing(m, Image{});
        expect_nothing(m, Image::grey(1, 1, 500, 128));
        expect_nothing(m, Image::grey(10, 10, 500, 0));
        expect_nothing(m, Image::rgb(10, 10, 255));
        expect_nothing(m, Image::grey(640, 480, 500, 200));
        expect_nothing(m, Image::rgb(1280, 960, 90));
    }
}

TEST(QualityGarbage, InconsistentBufferThrowsInvalidArgument) {
    for (const auto& m : kModalities) {
        Image short_buffer = Image::grey(100, 100);
        short_buffer.pixels.resize(50);
        EXPECT_THROW(m.fn(short_buffer), std::invalid_argument) << m.name;
        Image bad_channels = Image::grey(10, 10);
        bad_channels.channels = 2;
        EXPECT_THROW(m.fn(bad_channels), std::invalid_argument) << m.name;
        EXPECT_THROW(m.fn(Image{-5, 10, 1, 0, {1, 2, 3}}), std::invalid_argument) << m.name;
    }
}

TEST(QualityGarbage, HugeFramesAreFast) {
    const Image huge = Image::grey(10000, 10000, 500, 128);
    for (const auto& m : kModalities) {
        const auto start = std::chrono::steady_clock::now();
        expect_nothing(m, huge);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        EXPECT_LT(ms, 3000) << m.name;
    }
}

TEST(QualityGarbage, NoiseScoresLow) {
    const Image grey_noise = testing::noise(500, 500, 1, 7);
    const Quality f = fingerprint::assess_quality(grey_noise);
    EXPECT_LT(f.score, 40) << "noise has no ridge orientation";
    EXPECT_LT(iris::assess_quality(grey_noise).score, 30);
    EXPECT_LT(face::assess_quality(testing::noise(640, 480, 3, 7)).score, 30);
}

TEST(QualityGarbage, RgbPhotoToFingerprintIsAssessedAsGrey) {
    const Image photo = testing::noise(400, 400, 3, 3);
    const Quality q = fingerprint::assess_quality(photo);
    EXPECT_GE(q.score, 0);
    EXPECT_LE(q.score, 100);
    EXPECT_FALSE(q.feedback.empty());
}

}  // namespace
}  // namespace rekam::bio
