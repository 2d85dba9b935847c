#include "biometrics/face/quality.h"

#include <memory>

#include "biometrics/face/analysis.h"
#include "biometrics/face/detector.h"

namespace rekam::bio::face {
namespace {

// One detector per thread: the scanners keep scratch state, and building them costs milliseconds.
FaceDetector& thread_detector() {
    thread_local std::unique_ptr<FaceDetector> detector;
    if (!detector) detector = std::make_unique<FaceDetector>();
    return *detector;
}

}  // namespace

FaceAnalysis analyse_face(const Image& image, const FaceContext& context) {
    if (image.pixels.empty() && image.width == 0 && image.height == 0) return nothing_found();
    const Frame frame = prepare(image);
    if (frame.grey.empty()) return nothing_found();
    return evaluate(frame, thread_detector().detect(frame.grey, false), context);
}

Quality assess_quality(const Image& image) { return analyse_face(image).quality; }

Quality assess_quality(const Image& image, const FaceContext& context) {
    return analyse_face(image, context).quality;
}

}  // namespace rekam::bio::face
