#include "daemon/frame_assessor.h"

#include <algorithm>
#include <exception>

#include "biometrics/face/quality.h"
#include "biometrics/face/tracker.h"
#include "biometrics/fingerprint/quality.h"
#include "biometrics/iris/quality.h"
#include "biometrics/signature/quality.h"
#include "dbus/errors.h"

namespace rekam {
namespace {

FrameAssessment unreadable() {
    FrameAssessment a;
    a.quality.algorithm = "none";
    a.quality.feedback = {"device-error"};
    return a;
}

class FingerAssessor final : public FrameAssessor {
  public:
    FrameAssessment assess(const drivers::Frame& frame) override {
        try {
            auto result = bio::fingerprint::assess(frame.image);
            return {std::move(result.quality), std::move(result.minutiae), {}, {}};
        } catch (const std::exception&) {
            return unreadable();
        }
    }
};

class IrisAssessor final : public FrameAssessor {
  public:
    FrameAssessment assess(const drivers::Frame& frame) override {
        try {
            auto analysis = bio::iris::analyse(frame.image);
            FrameAssessment a;
            a.quality = std::move(analysis.quality);
            if (analysis.segmentation.found) a.iris = std::move(analysis.segmentation);
            return a;
        } catch (const std::exception&) {
            return unreadable();
        }
    }
};

class FaceAssessor final : public FrameAssessor {
  public:
    explicit FaceAssessor(bio::face::FaceContext context) : tracker_(context) {}
    FrameAssessment assess(const drivers::Frame& frame) override {
        try {
            auto analysis = tracker_.next(frame.image);
            return {std::move(analysis.quality), {}, {}, analysis.eyes};
        } catch (const std::exception&) {
            return unreadable();
        }
    }

  private:
    bio::face::FaceTracker tracker_;
};

// A signature is scored from its pen trace; the ink image is only for the eye.
class SignatureAssessor final : public FrameAssessor {
  public:
    FrameAssessment assess(const drivers::Frame& frame) override {
        if (!frame.pen) return unreadable();
        try {
            FrameAssessment a;
            a.quality = bio::signature::assess_quality(*frame.pen);
            a.pen = frame.pen;
            return a;
        } catch (const std::exception&) {
            return unreadable();
        }
    }
};

class UnscoredAssessor final : public FrameAssessor {
  public:
    FrameAssessment assess(const drivers::Frame&) override { return unreadable(); }
};

}  // namespace

std::unique_ptr<FrameAssessor> make_unscored_assessor() {
    return std::make_unique<UnscoredAssessor>();
}

std::unique_ptr<FrameAssessor> make_assessor(const Position& position,
                                             const AssessContext& context) {
    switch (position.kind) {
        case drivers::DeviceKind::Fingerprint:
            return std::make_unique<FingerAssessor>();
        case drivers::DeviceKind::Iris:
            return std::make_unique<IrisAssessor>();
        case drivers::DeviceKind::Face:
            try {
                return std::make_unique<FaceAssessor>(
                    bio::face::FaceContext{context.birth_year, position.name == kExceptionPhoto});
            } catch (const std::exception& e) {
                // The detector could not be set up: this capture cannot be scored, the daemon
                // and every other device go on.
                throw bus::Error(bus::error::kDeviceNotReady, e.what());
            }
        case drivers::DeviceKind::Signature:
            return std::make_unique<SignatureAssessor>();
    }
    return std::make_unique<FingerAssessor>();
}

std::vector<std::string> model_problems(drivers::DeviceKind kind) {
    std::vector<std::string> problems;
    for (const Position& position : all_positions()) {
        if (position.kind != kind) continue;
        try {
            make_assessor(position, AssessContext{});
        } catch (const bus::Error& e) {
            // Positions of one kind share their models: each file is reported once.
            if (std::find(problems.begin(), problems.end(), e.what()) == problems.end())
                problems.emplace_back(e.what());
        }
    }
    return problems;
}

int default_threshold(const QualityThresholds& t, drivers::DeviceKind kind) {
    switch (kind) {
        case drivers::DeviceKind::Fingerprint:
            return t.fingerprint;
        case drivers::DeviceKind::Iris:
            return t.iris;
        case drivers::DeviceKind::Face:
            return t.face;
        case drivers::DeviceKind::Signature:
            return t.signature;
    }
    return 100;
}

}  // namespace rekam
