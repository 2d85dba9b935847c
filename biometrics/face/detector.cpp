#include "biometrics/face/detector.h"

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "biometrics/face/eye_centre.h"

namespace rekam::bio::face {
namespace {

constexpr int kDetectSide = 480;         // longer side of the frame the detector sees, at most
constexpr double kMinEnrolEye = 90;      // px between the eyes: ISO/IEC 19794-5 full frontal
constexpr double kSmallestSeenEye = 24;  // dlib HOG: found from 22 px between the eyes (measured)
constexpr int kTrackFaceWidth = 110;     // face width in the neighbourhood when tracking
constexpr long kTrackLevels = 4;         // pyramid levels there: face widths 0.7-1.4 x the last
// Where the eyes sit in a dlib frontal-face box (iBUG landmarks of dlib_faces against their
// boxes): the estimate when the gradients find no plausible pair (closed eyes, glare, tiny faces).
constexpr double kEyeX = 0.30, kEyeY = 0.29;

cv::Point2d estimated(const cv::Rect2d& b, double fx) {
    return {b.x + fx * b.width, b.y + kEyeY * b.height};
}

}  // namespace

using Detector = dlib::frontal_face_detector;

struct FaceDetector::Hog {
    Detector full, near;
    static Detector front_only(const Detector& all, long max_levels) {
        dlib::scan_fhog_pyramid<dlib::pyramid_down<6>> scanner;
        scanner.copy_configuration(all.get_scanner());
        if (max_levels > 0) scanner.set_max_pyramid_levels(max_levels);
        return Detector(scanner, all.get_overlap_tester(), all.get_w(0));
    }
    Hog() : full(front_only(all(), 0)), near(front_only(all(), kTrackLevels)) {}
    // Decoding dlib's compiled-in weights takes a few hundred ms: once per process, not once per
    // capture (a capture's first frame would wait for it). Thread-safe static initialisation;
    // the detectors built from it are copies.
    static const Detector& all() {
        static const Detector decoded = dlib::get_frontal_face_detector();
        return decoded;
    }
};

double detection_scale(int width, int height) {
    const double side = std::max(width, height);
    if (side <= 0) return 1;
    return std::min(1.0, std::max(kDetectSide / side, kSmallestSeenEye / kMinEnrolEye));
}

void FaceDetector::prepare() { Hog::all(); }

FaceDetector::FaceDetector() : hog_(std::make_unique<Hog>()) {}
FaceDetector::~FaceDetector() = default;
FaceDetector::FaceDetector(FaceDetector&&) noexcept = default;
FaceDetector& FaceDetector::operator=(FaceDetector&&) noexcept = default;

namespace {

std::vector<DetectedFace> run(Detector& detector, const cv::Mat& grey, const cv::Mat& seen,
                              cv::Point2d offset, double scale, bool eyes) {
    std::vector<DetectedFace> faces;
    for (const dlib::rectangle& r : detector(dlib::cv_image<unsigned char>(seen))) {
        DetectedFace f;
        f.box = cv::Rect2d(offset.x + r.left() / scale, offset.y + r.top() / scale,
                           r.width() / scale, r.height() / scale);
        if (eyes) {
            locate_eyes(grey, f);
        } else {
            f.right_eye = estimated(f.box, kEyeX);
            f.left_eye = estimated(f.box, 1.0 - kEyeX);
        }
        faces.push_back(f);
    }
    std::sort(faces.begin(), faces.end(), [](const DetectedFace& a, const DetectedFace& b) {
        return a.box.area() > b.box.area();
    });
    return faces;
}

}  // namespace

std::vector<DetectedFace> FaceDetector::detect(const cv::Mat& grey, bool eyes) {
    if (grey.empty() || grey.type() != CV_8UC1) return {};
    return run(hog_->full, grey, grey.isContinuous() ? grey : grey.clone(), {0, 0}, 1.0, eyes);
}

std::vector<DetectedFace> FaceDetector::detect_near(const cv::Mat& grey, const cv::Rect2d& previous,
                                                    bool eyes) {
    if (grey.empty() || grey.type() != CV_8UC1 || previous.width < 1) return {};
    const double m = 0.5 * previous.width;
    const cv::Rect roi =
        cv::Rect(cv::Point(static_cast<int>(previous.x - m), static_cast<int>(previous.y - m)),
                 cv::Point(static_cast<int>(previous.br().x + m),
                           static_cast<int>(previous.br().y + m))) &
        cv::Rect(0, 0, grey.cols, grey.rows);
    const double scale = std::min(1.0, kTrackFaceWidth / previous.width);
    const cv::Size size(static_cast<int>(roi.width * scale), static_cast<int>(roi.height * scale));
    if (size.width < 40 || size.height < 40) return {};
    cv::Mat seen;
    cv::resize(grey(roi), seen, size, 0, 0, cv::INTER_AREA);
    return run(hog_->near, grey, seen, roi.tl(), scale, eyes);
}

// Each eye by gradients inside its own window of the face box; the windows are where the eyes sit
// in a dlib frontal-face box (iBUG landmarks of dlib_faces: x 0.19-0.38 and 0.59-0.77, y
// 0.16-0.45 of the box) with room for +-15 deg roll.
void locate_eyes(const cv::Mat& grey, DetectedFace& face) {
    face.right_eye = estimated(face.box, kEyeX);
    face.left_eye = estimated(face.box, 1.0 - kEyeX);
    face.eyes_found = false;
    const cv::Rect frame(0, 0, grey.cols, grey.rows);
    const auto window = [&](double x0, double x1) {
        return cv::Rect(cv::Point(static_cast<int>(face.box.x + x0 * face.box.width),
                                  static_cast<int>(face.box.y + 0.16 * face.box.height)),
                        cv::Point(static_cast<int>(face.box.x + x1 * face.box.width),
                                  static_cast<int>(face.box.y + 0.44 * face.box.height))) &
               frame;
    };
    const cv::Rect wr = window(0.15, 0.47), wl = window(0.53, 0.85);
    if (wr.width < 6 || wr.height < 4 || wl.width < 6 || wl.height < 4) return;
    cv::Point2d r = eye_centre(grey(wr)) + cv::Point2d(wr.tl());
    cv::Point2d l = eye_centre(grey(wl)) + cv::Point2d(wl.tl());
    // Again in a window centred on each first estimate, 0.5 x 0.3 of their distance: where the
    // box sits on the face no longer decides what the window holds (brow, hair, eye corner).
    const double first = cv::norm(l - r);
    const auto again = [&](const cv::Point2d& p) {
        const cv::Rect w = cv::Rect(cv::Point(static_cast<int>(p.x - 0.25 * first),
                                              static_cast<int>(p.y - 0.15 * first)),
                                    cv::Point(static_cast<int>(p.x + 0.25 * first),
                                              static_cast<int>(p.y + 0.15 * first))) &
                           frame;
        return w.width < 6 || w.height < 4 ? p : eye_centre(grey(w)) + cv::Point2d(w.tl());
    };
    r = again(r);
    l = again(l);
    // Plausible eyes: 0.25-0.6 of the box apart and not at a steep angle to each other.
    const double d = cv::norm(l - r);
    if (d < 0.25 * face.box.width || d > 0.6 * face.box.width) return;
    if (std::abs(l.y - r.y) > 0.5 * (l.x - r.x)) return;
    face.right_eye = r;
    face.left_eye = l;
    face.eyes_found = true;
}

}  // namespace rekam::bio::face
