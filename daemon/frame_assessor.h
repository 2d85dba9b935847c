// The quality gate: every frame is scored from its pixels by biometrics/ before anything is
// accepted, and what the scoring found (minutiae, iris boundaries, eye centres) travels with
// the frame, so the records and the finger sequence check reuse it instead of redoing it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "biometrics/fingerprint/minutiae.h"
#include "biometrics/image.h"
#include "biometrics/iris/segmentation.h"
#include "biometrics/quality.h"
#include "biometrics/records/builders.h"
#include "biometrics/signature/pen.h"
#include "daemon/config.h"
#include "daemon/positions.h"
#include "drivers/device.h"

namespace rekam {

struct FrameAssessment {
    bio::Quality quality;
    std::optional<bio::fingerprint::Minutiae> minutiae;   // fingers
    std::optional<bio::iris::Segmentation> iris;          // irises, when found
    std::optional<bio::EyeCentres> eyes;                  // faces, when found
    std::shared_ptr<const bio::signature::PenTrace> pen;  // signatures: the trace scored
};

// What the assessment of a position needs to know about the citizen.
struct AssessContext {
    int birth_year = 0;  // the e-KTP backdrop rule
};

// One per capture: a face capture keeps its tracker across frames, so a 30 fps stream is not
// re-detected from scratch every frame.
class FrameAssessor {
  public:
    virtual ~FrameAssessor() = default;
    // Never throws: a frame the algorithm cannot read scores 0 with "device-error".
    virtual FrameAssessment assess(const drivers::Frame& frame) = 0;
};

// Throws bus::Error DeviceNotReady, saying why, when what the position's algorithm needs cannot
// be set up (today no algorithm reads a model file: dlib's face detector has its weights built in).
std::unique_ptr<FrameAssessor> make_assessor(const Position& position,
                                             const AssessContext& context);
// What make_assessor would refuse for the positions a device of `kind` captures: one text per
// model file that cannot be loaded, naming the file and its package; empty when all load.
// Built by make_assessor itself, so a self-test and a capture cannot disagree.
std::vector<std::string> model_problems(drivers::DeviceKind kind);
// Scores every frame 0 with "device-error": a live preview without its model still shows frames.
std::unique_ptr<FrameAssessor> make_unscored_assessor();

int default_threshold(const QualityThresholds& thresholds, drivers::DeviceKind kind);

}  // namespace rekam
