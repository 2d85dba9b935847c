// A signature pad the kernel drives (drivers/evdev), behind the Device interface: the pad is
// opened and grabbed only while a signature is captured, so the desktop has its pen otherwise;
// its pen samples run through PenCapture for the feedback, the ink preview and the end of the
// signature (a lift of [Signature] EndAfterLiftMs= or the clerk's confirm).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "biometrics/signature/pen.h"
#include "common/event_loop.h"
#include "drivers/device.h"
#include "drivers/pen_capture.h"

namespace rekam::drivers::evdev {

class PadAcquisition;

class EvdevDevice final : public Device, public std::enable_shared_from_this<EvdevDevice> {
  public:
    // What a probe of the node found: identity and geometry. `gone` asks the driver to remove
    // the device (the node failed with ENODEV).
    EvdevDevice(EventLoop& loop, std::string node, DeviceInfo info,
                bio::signature::PenDevice geometry, PenCaptureOptions options,
                std::function<void(EvdevDevice&)> gone);
    ~EvdevDevice() override;

    const DeviceInfo& info() const override { return info_; }
    DeviceStatus status() const override;
    std::unique_ptr<Acquisition> acquire(const AcquireRequest& request,
                                         AcquisitionSink& sink) override;
    SelfTestResult self_test() override;

    const std::string& node() const { return node_; }
    // The pad was unplugged: a running capture fails with Disconnected.
    void disconnect();

  private:
    friend class PadAcquisition;
    void acquisition_ended(PadAcquisition* acquisition);
    // The node failed (ENODEV, hang-up): ask the driver, on the loop's next turn, to remove us.
    void lost();

    EventLoop& loop_;
    std::string node_;
    DeviceInfo info_;
    bio::signature::PenDevice geometry_;
    PenCaptureOptions options_;
    std::function<void(EvdevDevice&)> gone_;
    PadAcquisition* active_ = nullptr;
};

}  // namespace rekam::drivers::evdev
