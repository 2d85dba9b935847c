// Face and eye detection with OpenCV's objdetect cascades (Debian package opencv-data).
//
// Decision (measured on ../shared/data/face, see docs/face.md): the LBP frontal-face cascade
// "lbpcascade_frontalface_improved" on a frame reduced to at most 640 px finds the faces the Haar
// cascade finds at a fraction of its cost, and no extra library (dlib) is needed. Eye centres come
// from the Haar eye cascade run inside the upper half of each face, normalised to a fixed width.
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>
#include <string>
#include <vector>

namespace rekam::bio::face {

// Where opencv-data installs its cascades; REKAM_OPENCV_DATA_DIR overrides it (tests, packaging).
std::string cascade_directory();

struct DetectedFace {
    cv::Rect2d box;           // in the pixels of the frame given to detect()
    cv::Point2d right_eye;    // the subject's right eye: on the image left
    cv::Point2d left_eye;     // the subject's left eye: on the image right
    bool eyes_found = false;  // false: both centres estimated from the box geometry
    double inter_eye() const { return cv::norm(left_eye - right_eye); }
};

// Sets face.right_eye / left_eye inside face.box (pixels of `grey`); eyes_found tells whether the
// gradients found a plausible pair or the centres are the box-geometry estimate.
void locate_eyes(const cv::Mat& grey, DetectedFace& face);

// Not thread-safe (cascades keep scratch state): one detector per capture or per thread.
class FaceDetector {
  public:
    // Throws std::runtime_error naming the file when a cascade cannot be loaded.
    explicit FaceDetector(const std::string& directory = cascade_directory());

    // Every face in `grey` (CV_8U), largest first. The frame is reduced so that its longer side is
    // at most `detect_side` px first; boxes and eyes come back in the pixels of `grey`.
    std::vector<DetectedFace> detect(const cv::Mat& grey, int detect_side = 640);

    // Only around `previous` (a box in `grey` pixels) and only at sizes near its own: the cheap
    // path for the next frame of a stream. Empty when the face has left that neighbourhood.
    std::vector<DetectedFace> detect_near(const cv::Mat& grey, const cv::Rect2d& previous);

  private:
    std::vector<DetectedFace> detect_in(const cv::Mat& grey, const cv::Rect& roi, double scale,
                                        int min_side, int max_side);

    cv::CascadeClassifier face_;
};

}  // namespace rekam::bio::face
