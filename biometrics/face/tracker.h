// Face tracking across the frames of one capture: a 30 fps stream is not re-detected from scratch.
// After a full detection the next frames are searched only around the last face and at sizes near
// its own; a full detection runs again when the face is lost and every `full_every` frames, so a
// second person stepping in is still seen within a fraction of a second.
#pragma once

#include <memory>
#include <vector>

#include "biometrics/face/quality.h"

namespace rekam::bio::face {

class FaceDetector;

class FaceTracker {
  public:
    explicit FaceTracker(FaceContext context = {}, int full_every = 15);
    ~FaceTracker();
    FaceTracker(FaceTracker&&) noexcept;
    FaceTracker& operator=(FaceTracker&&) noexcept;

    // The analysis of the next frame of the stream (same checks as analyse_face()).
    FaceAnalysis next(const Image& frame);
    // Forget the face: the next frame gets a full detection.
    void reset();

    // Frames so far that needed a full detection (for benchmarks and tests).
    int full_detections() const { return full_detections_; }

  private:
    FaceContext context_;
    int full_every_;
    std::unique_ptr<FaceDetector> detector_;
    struct Box {
        double x, y, w, h;  // reduced pixels
    };
    bool have_ = false;
    Box last_{};               // the applicant's face in the last frame
    std::vector<Box> others_;  // other faces at the last full detection
    double scale_ = 0;         // of the frame they were found in
    int since_full_ = 0;
    int full_detections_ = 0;
};

}  // namespace rekam::bio::face
