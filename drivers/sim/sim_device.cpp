#include "drivers/sim/sim_device.h"

#include <chrono>

#include "drivers/pen_capture.h"
#include "drivers/sim/sim_acquisition.h"

namespace rekam::drivers::sim {

SimDevice::SimDevice(EventLoop& loop, DeviceInfo info, SimSlot& slot,
                     std::uint32_t frame_interval_ms, std::function<void()> unplug_request)
    : loop_(loop),
      info_(std::move(info)),
      slot_(slot),
      frame_interval_ms_(frame_interval_ms),
      unplug_request_(std::move(unplug_request)) {}

SimDevice::~SimDevice() = default;

DeviceStatus SimDevice::status() const {
    if (slot_.state.status != DeviceStatus::Ready) return slot_.state.status;
    return active_ ? DeviceStatus::Busy : DeviceStatus::Ready;
}

std::unique_ptr<Acquisition> SimDevice::acquire(const AcquireRequest& request,
                                                AcquisitionSink& sink) {
    SimAcquisition::Plan plan;
    plan.interval_ms = frame_interval_ms_;
    plan.delay_ms = slot_.state.delay_ms;
    plan.condition = slot_.state.condition;
    plan.unplug_after_frames = slot_.state.unplug_after_frames;
    slot_.state.unplug_after_frames.reset();  // one-shot
    AcquireRequest effective = request;
    if (info_.kind == DeviceKind::Fingerprint && slot_.state.present_finger) {
        effective.iso_position = *slot_.state.present_finger;
        slot_.state.present_finger.reset();  // one-shot
    }
    if (slot_.state.fail_captures > 0) {
        --slot_.state.fail_captures;
        plan.fail_with =
            DeviceError{slot_.state.error, "simulated capture failure (fault injection)"};
    }
    auto acquisition =
        std::make_unique<SimAcquisition>(loop_, *this, effective, sink, std::move(plan));
    active_ = acquisition.get();
    notify_status_changed();
    return acquisition;
}

void SimDevice::acquisition_ended(SimAcquisition* acquisition) {
    if (active_ != acquisition) return;
    active_ = nullptr;
    notify_status_changed();
}

void SimDevice::disconnect() {
    if (active_)
        active_->terminate(DeviceError{DeviceErrorCode::Disconnected,
                                       info_.name + " was unplugged during the capture"});
}

SelfTestResult SimDevice::self_test() {
    SelfTestResult result;
    result.details["status"] = to_string(status());
    // A render proves the synthesis path works end to end; time it so a technician sees speed.
    const auto start = std::chrono::steady_clock::now();
    AcquireRequest probe;
    probe.subject = kTestSubject;
    probe.backdrop = "blue";
    switch (info_.kind) {
        case DeviceKind::Fingerprint:
            probe.position = "right-index", probe.iso_position = 2;
            break;
        case DeviceKind::Iris:
            probe.position = "right-iris", probe.iso_position = 1;
            break;
        case DeviceKind::Face:
            probe.position = "face";
            break;
        case DeviceKind::Signature:
            probe.position = "signature";
            break;
    }
    bio::Image image;
    if (info_.kind == DeviceKind::Signature) {
        PenCapture pen(SimFrames::pad(), centred_box(SimFrames::pad()), {});
        for (const auto& sample : slot_.frames->sign(probe, 0, "good").samples) pen.add(sample);
        image = pen.finish().image;
    } else {
        image = slot_.frames->render(probe, 0, "good");
    }
    const auto ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    const bool image_ok = image.consistent();
    result.details["frame"] =
        image_ok ? std::to_string(image.width) + "x" + std::to_string(image.height) : "no image";
    result.details["frame-ms"] = std::to_string(static_cast<int>(ms + 0.5));
    result.passed = image_ok && slot_.state.status == DeviceStatus::Ready;
    return result;
}

}  // namespace rekam::drivers::sim
