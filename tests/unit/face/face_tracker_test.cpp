// FaceTracker: a stream is tracked instead of re-detected, with the same answers; a face that
// leaves or a second face that arrives is noticed.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "biometrics/face/quality.h"
#include "biometrics/face/tracker.h"
#include "drivers/sim/synth/face_synth.h"
#include "test_images.h"

namespace rekam::bio::face {
namespace {

Image frame_at(const Image& base, int dx) { return testing::shifted(base, dx, dx / 2, 30); }

Image base_frame() {
    sim::FaceScene scene;
    scene.width = 1920;
    scene.height = 1080;
    return sim::FaceSynth("subject-7").impression(scene);
}

TEST(FaceTracker, TracksAMovingFaceWithTheSameAnswers) {
    const Image base = base_frame();
    FaceTracker tracker({1991, false}, 15);
    for (int i = 0; i < 10; ++i) {
        const Image f = frame_at(base, 3 * i);
        const FaceAnalysis t = tracker.next(f);
        const FaceAnalysis full = analyse_face(f, {1991, false});
        ASSERT_EQ(t.faces, 1) << i;
        EXPECT_NEAR(t.check("inter_eye_distance")->value, full.check("inter_eye_distance")->value,
                    4)
            << i;
        EXPECT_NEAR(t.eyes->right_x, full.eyes->right_x, 3) << i;
        EXPECT_EQ(t.quality.feedback, full.quality.feedback) << i;
    }
    EXPECT_EQ(tracker.full_detections(), 1);
}

TEST(FaceTracker, FullDetectionEveryNFramesAndWhenLost) {
    const Image base = base_frame();
    FaceTracker tracker({}, 5);
    for (int i = 0; i < 10; ++i) tracker.next(base);
    EXPECT_EQ(tracker.full_detections(), 2);
    EXPECT_EQ(tracker.next(Image::rgb(1920, 1080, 30)).faces, 0);
    EXPECT_EQ(tracker.next(base).faces, 1);
    EXPECT_EQ(tracker.full_detections(), 4);
    tracker.reset();
    tracker.next(base);
    EXPECT_EQ(tracker.full_detections(), 5);
}

TEST(FaceTracker, SecondPersonIsSeenWithinTheRedetectionPeriod) {
    const Image base = base_frame();
    cv::Mat two = testing::as_mat(base).clone();
    const int w = two.cols / 3;
    cv::Mat left = testing::as_mat(base)(cv::Rect(w, 0, w, two.rows)).clone();
    left.copyTo(two(cv::Rect(0, 0, w, two.rows)));  // the same person again at the left
    const Image both = testing::from_mat(two);
    ASSERT_EQ(analyse_face(both).faces, 2);
    FaceTracker tracker({}, 5);
    tracker.next(base);
    int seen_at = -1;
    for (int i = 0; i < 5 && seen_at < 0; ++i)
        if (tracker.next(both).faces == 2) seen_at = i;
    EXPECT_GE(seen_at, 0) << "second face not seen within 5 frames";
}

}  // namespace
}  // namespace rekam::bio::face
