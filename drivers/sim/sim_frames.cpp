#include "drivers/sim/sim_frames.h"

#include "drivers/pen_capture.h"
#include "drivers/sim/synth/synth.h"

namespace rekam::drivers::sim {

// One subject at a time: a station records one citizen after the other, so the cache holds
// the current subject's master prints and eye models and is rebuilt for the next NIK.
struct SimFrames::Cache {
    std::string subject;
    std::unique_ptr<rekam::sim::FingerprintSynth> fingers;
    std::unique_ptr<rekam::sim::IrisSynth> irises;
    std::unique_ptr<rekam::sim::FaceSynth> faces;
    std::unique_ptr<rekam::sim::SignatureSynth> hand;
};

SimFrames::SimFrames(DeviceKind kind) : kind_(kind), cache_(std::make_unique<Cache>()) {}
SimFrames::~SimFrames() = default;

bool is_known_condition(const std::string& name) {
    return rekam::sim::parse_condition(name).has_value();
}

std::string known_conditions() {
    return "good, dry, wet, smudged, partial, off-centre, blurred, dark, light, blank";
}

bio::Image SimFrames::render(const AcquireRequest& request, std::uint32_t impression,
                             const std::string& condition) {
    using namespace rekam::sim;
    const Impression imp{impression, parse_condition(condition).value_or(Condition::Good)};
    std::lock_guard lock(mutex_);
    if (cache_->subject != request.subject) {
        *cache_ = Cache{};
        cache_->subject = request.subject;
    }
    switch (kind_) {
        case DeviceKind::Fingerprint: {
            if (!cache_->fingers)
                cache_->fingers = std::make_unique<FingerprintSynth>(request.subject);
            return cache_->fingers->impression(request.iso_position, imp);
        }
        case DeviceKind::Iris: {
            if (!cache_->irises) cache_->irises = std::make_unique<IrisSynth>(request.subject);
            return cache_->irises->impression(request.iso_position == 2 ? Eye::Left : Eye::Right,
                                              imp);
        }
        case DeviceKind::Face: {
            if (!cache_->faces) cache_->faces = std::make_unique<FaceSynth>(request.subject);
            FaceScene scene;
            scene.backdrop = request.backdrop == "blue" ? kBackdropBlue : kBackdropRed;
            scene.exception_photo = request.position == "exception-photo";
            return cache_->faces->impression(scene, imp);
        }
        case DeviceKind::Signature:
            break;  // sign()
    }
    return {};
}

const bio::signature::PenDevice& SimFrames::pad() {
    static const bio::signature::PenDevice device{{200, 22520}, {200, 12800}, {0, 1023}, 100, 100};
    return device;
}

bio::signature::PenTrace SimFrames::sign(const AcquireRequest& request, std::uint32_t impression,
                                         const std::string& condition) {
    using namespace rekam::sim;
    const Condition c = parse_condition(condition).value_or(Condition::Good);
    std::lock_guard lock(mutex_);
    if (cache_->subject != request.subject) {
        *cache_ = Cache{};
        cache_->subject = request.subject;
    }
    if (!cache_->hand)
        cache_->hand = std::make_unique<SignatureSynth>(request.subject, pad(), centred_box(pad()));
    return cache_->hand->sign(impression, signature_fault(c));
}

}  // namespace rekam::drivers::sim
