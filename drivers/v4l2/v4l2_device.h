// A UVC camera (iris or photo) as a Device: what probing found, and acquisitions that stream.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "drivers/device.h"
#include "drivers/v4l2/camera_controls.h"
#include "drivers/v4l2/frame_convert.h"

namespace rekam::drivers::v4l2 {

// What discovery and one look at the node found.
struct CameraProbe {
    std::string node;  // /dev/videoN
    DeviceKind role = DeviceKind::Iris;
    DeviceInfo info;
    std::vector<Mode> modes;
    std::optional<Mode> mode;  // empty: the camera offers no format the role can use
};

// Counters of the last stream, for diagnose.
struct StreamStats {
    std::uint64_t frames = 0;
    std::uint64_t dropped = 0;  // gaps in the driver's sequence numbers
    std::uint64_t restarts = 0;
    std::uint64_t first_usec = 0, last_usec = 0;  // buffer timestamps
    std::optional<Mode> negotiated;
    double fps() const {
        return frames > 1 && last_usec > first_usec
                   ? double(frames - 1) * 1e6 / double(last_usec - first_usec)
                   : 0.0;
    }
};

class V4l2Device final : public Device, public std::enable_shared_from_this<V4l2Device> {
  public:
    // `on_gone` runs (posted to the loop) when a stream finds the device unplugged; `settings`
    // are the controls set at every stream start.
    V4l2Device(EventLoop& loop, CameraProbe probe, std::function<void(V4l2Device&)> on_gone,
               CameraSettings settings = {});
    ~V4l2Device() override;

    const DeviceInfo& info() const override { return probe_.info; }
    DeviceStatus status() const override;
    std::unique_ptr<Acquisition> acquire(const AcquireRequest& request,
                                         AcquisitionSink& sink) override;
    SelfTestResult self_test() override;

    const CameraProbe& probe() const { return probe_; }
    StreamStats& stats() { return stats_; }
    bool gone() const { return gone_; }
    // Sets the configured controls on a just opened stream; never throws. What could not be
    // done as asked is logged once per plug-in, not at every capture.
    void apply_controls(V4l2Stream& stream);
    // Called by an acquisition that saw ENODEV.
    void disconnected();

  private:
    EventLoop& loop_;
    CameraProbe probe_;
    std::function<void(V4l2Device&)> on_gone_;
    StreamStats stats_;
    CameraSettings settings_;
    std::set<std::string> logged_;  // control messages already in the log
    bool gone_ = false;
};

}  // namespace rekam::drivers::v4l2
