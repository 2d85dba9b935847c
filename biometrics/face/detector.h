// Face detection with dlib's HOG frontal-face detector (libdlib-dev; its weights are compiled into
// dlib, no model file), eye centres by image gradients inside the face box.
//
// Decision (measured with bench/face/detector_compare.cpp, docs/face.md): at the same image size
// dlib's HOG detector finds every frontal face OpenCV's LBP cascade finds, at a fraction of LBP's
// cost and without the Haar cascade's false positives. Only its front-looking filter
// (the first of five) runs: it finds the same faces as all five at about half the cost.
#pragma once

#include <memory>
#include <opencv2/core.hpp>
#include <vector>

namespace rekam::bio::face {

struct DetectedFace {
    cv::Rect2d box;           // in the pixels of the frame given to detect()
    cv::Point2d right_eye;    // the subject's right eye: on the image left
    cv::Point2d left_eye;     // the subject's left eye: on the image right
    bool eyes_found = false;  // false: both centres estimated from the box geometry
    double inter_eye() const { return cv::norm(left_eye - right_eye); }
};

// The scale (<= 1) a frame of width x height is reduced by before detection: its longer side to
// 480 px, but never so far that a face big enough to enrol (90 px between the eyes) falls under
// the smallest face the detector sees (about 22 px between the eyes).
double detection_scale(int width, int height);

// Sets face.right_eye / left_eye inside face.box (pixels of `grey`); eyes_found tells whether the
// gradients found a plausible pair or the centres are the box-geometry estimate.
void locate_eyes(const cv::Mat& grey, DetectedFace& face);

// Not thread-safe (the scanners keep scratch state): one detector per capture or per thread.
class FaceDetector {
  public:
    FaceDetector();
    ~FaceDetector();
    FaceDetector(FaceDetector&&) noexcept;
    FaceDetector& operator=(FaceDetector&&) noexcept;

    // Every face in `grey` (CV_8U) at its own size, largest first; with eye centres when
    // `eyes` (analyse_face() finds them again at full resolution and passes false).
    std::vector<DetectedFace> detect(const cv::Mat& grey, bool eyes = true);

    // Only around `previous` (a box in `grey` pixels) and only at sizes near its own: the cheap
    // path for the next frame of a stream. Empty when the face has left that neighbourhood.
    std::vector<DetectedFace> detect_near(const cv::Mat& grey, const cv::Rect2d& previous,
                                          bool eyes = true);

    // Decodes the detector's compiled-in weights (a few hundred ms, once per process) ahead of
    // the first detector, so that no capture's first frame waits for it. Thread-safe.
    static void prepare();

  private:
    struct Hog;
    std::unique_ptr<Hog> hog_;
};

}  // namespace rekam::bio::face
