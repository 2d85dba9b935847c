#include "biometrics/face/detector.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "biometrics/face/eye_centre.h"

namespace rekam::bio::face {
namespace {

constexpr int kTrackFaceWidth = 80;  // face width in the reduced neighbourhood when tracking
// Where the eyes sit inside an LBP frontal-face box, measured on the face_recognition photos:
// the estimate when the gradients find no plausible pair (closed eyes, glare, tiny faces).
constexpr double kEyeX = 0.24, kEyeY = 0.24;

cv::Point2d estimated(const cv::Rect2d& b, double fx) {
    return {b.x + fx * b.width, b.y + kEyeY * b.height};
}

void load(cv::CascadeClassifier& c, const std::string& file) {
    // A missing file makes load() return false; a damaged one makes OpenCV's parser throw.
    // Either way the message names the file and the package that provides it.
    std::string why =
        std::ifstream(file).good() ? "not a cascade OpenCV can read" : "missing or unreadable";
    bool loaded = false;
    try {
        loaded = c.load(file);
    } catch (const cv::Exception& e) {
        why = "unreadable: " + e.err;
    }
    if (!loaded)
        throw std::runtime_error("face detector: cannot load cascade " + file + " (" + why +
                                 "; Debian package opencv-data)");
}

}  // namespace

std::string cascade_directory() {
    if (const char* env = std::getenv("REKAM_OPENCV_DATA_DIR"); env && *env) return env;
    return "/usr/share/opencv4";
}

FaceDetector::FaceDetector(const std::string& directory) {
    load(face_, directory + "/lbpcascades/lbpcascade_frontalface_improved.xml");
}

std::vector<DetectedFace> FaceDetector::detect(const cv::Mat& grey, int detect_side) {
    if (grey.empty()) return {};
    const double scale =
        std::min(1.0, static_cast<double>(detect_side) / std::max(grey.cols, grey.rows));
    return detect_in(grey, cv::Rect(0, 0, grey.cols, grey.rows), scale, 24, 0);
}

std::vector<DetectedFace> FaceDetector::detect_near(const cv::Mat& grey,
                                                    const cv::Rect2d& previous) {
    if (grey.empty() || previous.width < 1) return {};
    const double m = 0.5 * previous.width;
    const cv::Rect roi =
        cv::Rect(cv::Point(static_cast<int>(previous.x - m), static_cast<int>(previous.y - m)),
                 cv::Point(static_cast<int>(previous.br().x + m),
                           static_cast<int>(previous.br().y + m))) &
        cv::Rect(0, 0, grey.cols, grey.rows);
    if (roi.width < 24 || roi.height < 24) return {};
    const double scale = std::min(1.0, kTrackFaceWidth / previous.width);
    const double seen = previous.width * scale;
    return detect_in(grey, roi, scale, std::max(20, static_cast<int>(seen * 0.7)),
                     static_cast<int>(std::ceil(seen * 1.4)));
}

std::vector<DetectedFace> FaceDetector::detect_in(const cv::Mat& grey, const cv::Rect& roi,
                                                  double scale, int min_side, int max_side) {
    cv::Mat small;
    const cv::Size size(std::max(1, static_cast<int>(roi.width * scale)),
                        std::max(1, static_cast<int>(roi.height * scale)));
    if (size.width < min_side || size.height < min_side) return {};
    cv::resize(grey(roi), small, size, 0, 0, cv::INTER_AREA);
    cv::equalizeHist(small, small);
    std::vector<cv::Rect> rects;
    face_.detectMultiScale(small, rects, 1.1, 4, 0, cv::Size(min_side, min_side),
                           max_side > 0 ? cv::Size(max_side, max_side) : cv::Size());
    std::vector<DetectedFace> faces;
    const double sx = static_cast<double>(roi.width) / size.width;
    const double sy = static_cast<double>(roi.height) / size.height;
    for (const cv::Rect& r : rects) {
        DetectedFace f;
        f.box = cv::Rect2d(roi.x + r.x * sx, roi.y + r.y * sy, r.width * sx, r.height * sy);
        locate_eyes(grey, f);
        faces.push_back(f);
    }
    std::sort(faces.begin(), faces.end(), [](const DetectedFace& a, const DetectedFace& b) {
        return a.box.area() > b.box.area();
    });
    return faces;
}

// Each eye by gradients inside its own window of the face box; the windows are where the eyes sit
// in an LBP frontal-face box (measured on the face_recognition photos) with room for +-15 deg roll.
void locate_eyes(const cv::Mat& grey, DetectedFace& face) {
    face.right_eye = estimated(face.box, kEyeX);
    face.left_eye = estimated(face.box, 1.0 - kEyeX);
    face.eyes_found = false;
    const cv::Rect frame(0, 0, grey.cols, grey.rows);
    const auto window = [&](double x0, double x1) {
        return cv::Rect(cv::Point(static_cast<int>(face.box.x + x0 * face.box.width),
                                  static_cast<int>(face.box.y + 0.10 * face.box.height)),
                        cv::Point(static_cast<int>(face.box.x + x1 * face.box.width),
                                  static_cast<int>(face.box.y + 0.40 * face.box.height))) &
               frame;
    };
    const cv::Rect wr = window(0.06, 0.46), wl = window(0.54, 0.94);
    if (wr.width < 6 || wr.height < 4 || wl.width < 6 || wl.height < 4) return;
    const cv::Point2d r = eye_centre(grey(wr)) + cv::Point2d(wr.tl());
    const cv::Point2d l = eye_centre(grey(wl)) + cv::Point2d(wl.tl());
    // Plausible eyes: about half a box apart and not at a steep angle to each other.
    const double d = cv::norm(l - r);
    if (d < 0.35 * face.box.width || d > 0.75 * face.box.width) return;
    if (std::abs(l.y - r.y) > 0.5 * (l.x - r.x)) return;
    face.right_eye = r;
    face.left_eye = l;
    face.eyes_found = true;
}

}  // namespace rekam::bio::face
