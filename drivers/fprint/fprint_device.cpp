#include "drivers/fprint/fprint_device.h"

#include "drivers/fprint/fprint_acquisition.h"
#include "drivers/fprint/fprint_reader.h"
#include "drivers/fprint/glib_thread.h"

namespace rekam::drivers::fprint {

FprintDevice::FprintDevice(EventLoop& loop, std::shared_ptr<GlibThread> glib,
                           std::shared_ptr<FprintReader> reader, DeviceInfo info, Traits traits)
    : loop_(loop),
      glib_(std::move(glib)),
      reader_(std::move(reader)),
      info_(std::move(info)),
      traits_(std::move(traits)) {}

FprintDevice::~FprintDevice() {
    // The FpDevice is a GObject of the GLib thread: let go of it there.
    glib_->invoke([reader = std::move(reader_)]() mutable { reader.reset(); });
}

DeviceStatus FprintDevice::status() const {
    if (!traits_.not_capable_reason.empty() || disconnected_) return DeviceStatus::NotReady;
    if (stuck_) return DeviceStatus::Error;
    return active_ || capturing_ ? DeviceStatus::Busy : DeviceStatus::Ready;
}

std::unique_ptr<Acquisition> FprintDevice::acquire(const AcquireRequest& /*request*/,
                                                   AcquisitionSink& sink) {
    auto acquisition = std::make_unique<FprintAcquisition>(*this, sink);
    active_ = acquisition.get();
    notify_status_changed();
    return acquisition;
}

void FprintDevice::acquisition_ended(FprintAcquisition* acquisition) {
    if (active_ != acquisition) return;
    active_ = nullptr;
    notify_status_changed();
}

void FprintDevice::start_capture(FprintAcquisition& acquisition) {
    std::optional<DeviceError> refuse;
    if (!traits_.not_capable_reason.empty())
        refuse = DeviceError{DeviceErrorCode::NotReady, traits_.not_capable_reason};
    else if (disconnected_)
        refuse = DeviceError{DeviceErrorCode::Disconnected, info_.name + " is unplugged"};
    else if (stuck_)
        refuse = DeviceError{DeviceErrorCode::NotReady, last_error_};
    else if (capturing_)
        refuse = DeviceError{DeviceErrorCode::NotReady,
                             info_.name + " is still finishing the previous capture"};
    if (refuse) {
        // Never call the sink from inside request_frame(): it may destroy the acquisition.
        loop_.post([weak = weak_from_this(), &acquisition, error = *refuse] {
            auto self = weak.lock();
            if (!self || self->active_ != &acquisition || acquisition.over_) return;
            acquisition.over_ = true;
            acquisition.sink_.on_error(error);
        });
        return;
    }
    capturing_ = true;
    auto token = std::make_shared<CancelToken>();
    acquisition.token_ = token;
    notify_status_changed();
    loop_.post([weak = weak_from_this(), &acquisition] {
        auto self = weak.lock();
        if (self && self->active_ == &acquisition)
            acquisition.deliver([](AcquisitionSink& s) { s.on_progress("place-finger"); });
    });
    EventLoop& loop = loop_;
    glib_->invoke([reader = reader_, token, weak = weak_from_this(), &loop] {
        reader->capture(token, [weak, &loop](CaptureResult result) {
            auto shared = std::make_shared<CaptureResult>(std::move(result));
            loop.post([weak, shared] {
                if (auto self = weak.lock()) self->capture_done(std::move(*shared));
            });
        });
    });
}

void FprintDevice::capture_done(CaptureResult result) {
    capturing_ = false;
    if (result.stuck) {
        stuck_ = true;
        last_error_ = result.error ? result.error->message : info_.name + " is stuck";
    } else if (result.error) {
        last_error_ = result.error->message;
    }
    notify_status_changed();
    FprintAcquisition* acquisition = active_;
    if (!acquisition || acquisition->over_) return;  // abandoned capture: nobody to tell
    acquisition->token_.reset();
    if (result.image) {
        Frame frame;
        frame.image = std::move(*result.image);
        frame.sequence = frames_++;
        frame.timestamp_usec = EventLoop::now_usec();
        acquisition->deliver([&frame](AcquisitionSink& s) { s.on_frame(std::move(frame)); });
        return;
    }
    acquisition->over_ = true;
    acquisition->sink_.on_error(*result.error);  // may destroy the acquisition
}

void FprintDevice::disconnect() {
    disconnected_ = true;
    FprintAcquisition* acquisition = active_;
    if (!acquisition || acquisition->over_) return;
    acquisition->over_ = true;
    acquisition->sink_.on_error(DeviceError{DeviceErrorCode::Disconnected,
                                            info_.name + " was unplugged during the capture"});
}

SelfTestResult FprintDevice::self_test() {
    // No I/O here (this runs on the loop thread): what libfprint and the last capture said.
    SelfTestResult result;
    result.details["status"] = to_string(status());
    result.details["libfprint-driver"] = traits_.libfprint_driver;
    result.details["image-capture"] =
        traits_.not_capable_reason.empty() ? "yes" : "no: " + traits_.not_capable_reason;
    if (!last_error_.empty()) result.details["last-error"] = last_error_;
    result.details["captures"] = std::to_string(frames_);
    result.passed = traits_.not_capable_reason.empty() && !stuck_ && !disconnected_;
    return result;
}

}  // namespace rekam::drivers::fprint
