// The evdev backend: finds the signature pad among the pen tablets udev knows and watches it
// come and go.
//
// A tablet is the signature pad because the configuration names its node ([Signature] Device=)
// or udev gave it ID_REKAM_ROLE=signature (hwdb by VID:PID), never because it is the first
// found: a station's desktop may have a drawing tablet too. A rescan timer finds replugged pads
// and removes those udev no longer lists; a read that fails removes one at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "common/event_loop.h"
#include "drivers/device.h"
#include "drivers/evdev/evdev_device.h"
#include "drivers/pen_capture.h"

namespace rekam::drivers::evdev {

struct EvdevConfig {
    std::string node;  // [Signature] Device=, empty: udev's role only
    PenCaptureOptions capture;
    std::uint32_t rescan_ms = 1000;
};

// Opens `node` as a pen tablet and describes it as a signature pad; throws std::runtime_error
// naming the node and why it cannot be one.
struct PadProbe {
    DeviceInfo info;
    bio::signature::PenDevice geometry;
};
PadProbe probe_pad(const std::string& node);

class EvdevDriver final : public Driver {
  public:
    EvdevDriver(EventLoop& loop, EvdevConfig config);
    ~EvdevDriver() override;

    std::string name() const override { return "evdev"; }
    void start(DeviceMonitor& monitor) override;

  private:
    void scan();
    void consider(const std::string& node);
    void remove(EvdevDevice& device);

    EventLoop& loop_;
    EvdevConfig config_;
    DeviceMonitor* monitor_ = nullptr;
    std::map<std::string, std::shared_ptr<EvdevDevice>> plugged_;  // by node
    std::map<std::string, std::string> reported_;                  // node -> last probe error
    EventSource rescan_;
};

}  // namespace rekam::drivers::evdev
