// The pieces behind analyse_face(), shared with FaceTracker: prepare a frame once, detect on its
// reduced grey copy (fully or near the previous face), then evaluate every check.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "biometrics/face/detector.h"
#include "biometrics/face/quality.h"

namespace rekam::bio::face {

struct Frame {
    const Image* full = nullptr;
    cv::Mat rgb;       // reduced by detection_scale(), RGB: detection and most checks run on it
    cv::Mat grey;      // reduced
    double scale = 1;  // reduced / full
};

// An image too small to hold a face gives a Frame with an empty grey.
Frame prepare(const Image& image);

// `faces` in reduced pixels, largest first, as FaceDetector returns them for frame.grey.
FaceAnalysis evaluate(const Frame& frame, const std::vector<DetectedFace>& faces,
                      const FaceContext& context);

// The analysis of a frame with no face at all.
FaceAnalysis nothing_found();

}  // namespace rekam::bio::face
