#include "drivers/v4l2/v4l2_device.h"

#include <cstdio>

#include "common/log.h"
#include "common/strings.h"
#include "drivers/v4l2/v4l2_acquisition.h"

namespace rekam::drivers::v4l2 {

V4l2Device::V4l2Device(EventLoop& loop, CameraProbe probe, std::function<void(V4l2Device&)> on_gone,
                       CameraSettings settings)
    : loop_(loop),
      probe_(std::move(probe)),
      on_gone_(std::move(on_gone)),
      settings_(std::move(settings)) {}

V4l2Device::~V4l2Device() = default;

DeviceStatus V4l2Device::status() const {
    if (gone_) return DeviceStatus::NotReady;
    return probe_.mode ? DeviceStatus::Ready : DeviceStatus::Error;
}

std::unique_ptr<Acquisition> V4l2Device::acquire(const AcquireRequest& request,
                                                 AcquisitionSink& sink) {
    return std::make_unique<V4l2Acquisition>(loop_, *this, sink, request.tap);
}

void V4l2Device::disconnected() {
    if (gone_) return;
    gone_ = true;
    notify_status_changed();
    // Removal destroys this object: let the caller's stack unwind first.
    std::weak_ptr<V4l2Device> self = weak_from_this();
    loop_.post([self] {
        if (auto d = self.lock(); d && d->on_gone_) d->on_gone_(*d);
    });
}

void V4l2Device::apply_controls(V4l2Stream& stream) {
    if (settings_.empty()) return;
    for (const auto& message : v4l2::apply_controls(stream, settings_))
        if (logged_.insert(message).second) log::warning("v4l2: ", probe_.node, ": ", message);
}

SelfTestResult V4l2Device::self_test() {
    SelfTestResult r;
    auto& d = r.details;
    d["node"] = probe_.node;
    d["modes"] = probe_.modes.empty() ? "none" : join(probe_.modes, ", ", describe);
    if (probe_.mode) {
        d["format"] = "uses " + describe(*probe_.mode);
    } else {
        d["format"] = "FAIL: no usable format for the " + to_string(probe_.role) + " role (needs " +
                      join(usable_formats(probe_.role), "/", fourcc_name) + ")";
    }
    if (stats_.negotiated) d["negotiated"] = describe(*stats_.negotiated);
    if (stats_.frames) {
        char fps[32];
        std::snprintf(fps, sizeof fps, "%.1f", stats_.fps());
        d["measured-fps"] = fps;
        d["frames"] = std::to_string(stats_.frames) + " (" + std::to_string(stats_.dropped) +
                      " dropped, " + std::to_string(stats_.restarts) + " stream restarts)";
    } else {
        d["measured-fps"] = "not measured yet (no capture since plug-in)";
    }
    const auto& speed = probe_.info.usb_speed;
    if (speed.empty())
        d["usb-speed"] = "unknown (no USB parent found)";
    else if (speed == "full" || speed == "low")
        d["usb-speed"] = "FAIL: " + speed + "-speed port; the camera needs a high-speed port";
    else
        d["usb-speed"] = speed;
    // The camera's controls as they are now (a second open is fine while a capture streams).
    // A missing control does not fail the test: the camera still captures without it.
    if (!gone_) {
        try {
            V4l2Stream stream(probe_.node);
            for (auto& [name, line] : describe_controls(stream, settings_)) d[name] = line;
        } catch (const V4l2Error& e) {
            d["controls"] = std::string("cannot be read: ") + e.what();
        }
    }
    r.passed = probe_.mode.has_value() && !gone_ && speed != "full" && speed != "low";
    return r;
}

}  // namespace rekam::drivers::v4l2
