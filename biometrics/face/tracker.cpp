#include "biometrics/face/tracker.h"

#include "biometrics/face/analysis.h"
#include "biometrics/face/detector.h"

namespace rekam::bio::face {

FaceTracker::FaceTracker(FaceContext context, int full_every)
    : context_(context),
      full_every_(full_every < 1 ? 1 : full_every),
      detector_(std::make_unique<FaceDetector>()) {}
FaceTracker::~FaceTracker() = default;
FaceTracker::FaceTracker(FaceTracker&&) noexcept = default;
FaceTracker& FaceTracker::operator=(FaceTracker&&) noexcept = default;

void FaceTracker::reset() {
    have_ = false;
    others_.clear();
    since_full_ = 0;
}

FaceAnalysis FaceTracker::next(const Image& image) {
    if (image.pixels.empty() && image.width == 0 && image.height == 0) {
        reset();
        return nothing_found();
    }
    const Frame frame = prepare(image);
    if (frame.grey.empty()) {
        reset();
        return nothing_found();
    }
    std::vector<DetectedFace> faces;
    const bool may_track = have_ && frame.scale == scale_ && since_full_ + 1 < full_every_;
    if (may_track) {
        faces = detector_->detect_near(frame.grey, {last_.x, last_.y, last_.w, last_.h}, false);
        if (!faces.empty()) {
            ++since_full_;
            faces.resize(1);  // the neighbourhood holds the applicant only
            // The others seen at the last full detection are still counted until the next one.
            for (const Box& o : others_) {
                DetectedFace f;
                f.box = {o.x, o.y, o.w, o.h};
                if ((f.box & faces.front().box).area() == 0) faces.push_back(f);
            }
        }
    }
    if (faces.empty()) {
        faces = detector_->detect(frame.grey, false);
        ++full_detections_;
        since_full_ = 0;
        others_.clear();
        for (std::size_t i = 1; i < faces.size(); ++i)
            others_.push_back(
                {faces[i].box.x, faces[i].box.y, faces[i].box.width, faces[i].box.height});
    }
    have_ = !faces.empty();
    scale_ = frame.scale;
    if (have_) {
        const cv::Rect2d& b = faces.front().box;
        last_ = {b.x, b.y, b.width, b.height};
    }
    return evaluate(frame, faces, context_);
}

}  // namespace rekam::bio::face
