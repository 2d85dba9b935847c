// Garbage in gives a clear result, never a crash: blank, noise, 1x1, 12000x9000, a fingerprint.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "biometrics/face/detector.h"
#include "biometrics/face/quality.h"
#include "biometrics/face/tracker.h"
#include "drivers/sim/synth/finger_synth.h"
#include "test_images.h"

namespace rekam::bio::face {
namespace {

void expect_no_face(const Image& img, const char* what) {
    const FaceAnalysis a = analyse_face(img, {1990, false});
    EXPECT_EQ(a.faces, 0) << what;
    EXPECT_EQ(a.quality.score, 0) << what;
    ASSERT_FALSE(a.quality.feedback.empty()) << what;
    EXPECT_EQ(a.quality.feedback.front(), "face-not-found") << what;
    EXPECT_EQ(a.quality.algorithm, kQualityAlgorithm) << what;
    ASSERT_NE(a.check("face_count"), nullptr) << what;
    EXPECT_FALSE(a.check("face_count")->pass) << what;
}

TEST(FaceGarbage, NothingThereIsFaceNotFound) {
    expect_no_face(Image{}, "empty");
    expect_no_face(Image::rgb(1, 1, 128), "1x1");
    expect_no_face(Image::grey(1, 1, 0, 128), "1x1 grey");
    expect_no_face(Image::rgb(23, 40, 200), "narrower than a face");
    expect_no_face(Image::rgb(1920, 1080, 0), "black");
    expect_no_face(Image::rgb(1920, 1080, 255), "white");
    expect_no_face(testing::noise(640, 480, 3, 7), "colour noise");
    expect_no_face(testing::noise(1920, 1080, 1, 9), "grey noise");
}

TEST(FaceGarbage, HugeFrame) { expect_no_face(Image::grey(12000, 9000, 0, 90), "12000x9000"); }

TEST(FaceGarbage, FingerprintImage) {
    sim::FingerprintSynth synth("3171234567890001");
    expect_no_face(synth.impression(2), "fingerprint");
}

TEST(FaceGarbage, InconsistentBufferThrows) {
    Image bad = Image::rgb(100, 100);
    bad.pixels.resize(10);
    EXPECT_THROW(analyse_face(bad), std::invalid_argument);
    EXPECT_THROW(assess_quality(bad), std::invalid_argument);
    FaceTracker tracker;
    EXPECT_THROW(tracker.next(bad), std::invalid_argument);
}

}  // namespace
}  // namespace rekam::bio::face
