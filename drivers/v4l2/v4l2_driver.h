// The V4L2 backend: finds the iris and photo cameras, probes them and watches them come and go.
//
// Roles are never guessed from enumeration order: a node is the iris or photo camera because
// the configuration says so ([V4L2] IrisDevice=/FaceDevice=) or because udev tagged it with
// ID_REKAM_ROLE=iris|face (hwdb by VID:PID). Hotplug: a stream that sees ENODEV removes the
// device; a rescan timer finds replugged and newly tagged cameras.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "common/event_loop.h"
#include "drivers/device.h"
#include "drivers/v4l2/v4l2_device.h"

namespace rekam::drivers::v4l2 {

struct V4l2Config {
    std::map<DeviceKind, std::string> nodes;        // role -> /dev/videoN from the configuration
    std::map<DeviceKind, CameraSettings> controls;  // role -> controls set at each stream start
    std::uint32_t rescan_ms = 1000;
};

// Probes one node for `role`; throws V4l2Error when it cannot be opened.
CameraProbe probe_camera(const std::string& node, DeviceKind role);

class V4l2Driver final : public Driver {
  public:
    V4l2Driver(EventLoop& loop, V4l2Config config);
    ~V4l2Driver() override;

    std::string name() const override { return "v4l2"; }
    void start(DeviceMonitor& monitor) override;

  private:
    void scan();
    void consider(const std::string& node, DeviceKind role);
    void remove(V4l2Device& device);

    EventLoop& loop_;
    V4l2Config config_;
    DeviceMonitor* monitor_ = nullptr;
    std::map<std::string, std::shared_ptr<V4l2Device>> plugged_;  // by node
    std::map<std::string, std::string> reported_;                 // node -> last probe error
    EventSource rescan_;
};

}  // namespace rekam::drivers::v4l2
