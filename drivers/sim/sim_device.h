// A simulated fingerprint scanner, iris camera or photo camera: the same Device interface as
// real hardware, frames synthesised on a worker thread so the event loop never waits for them.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "common/event_loop.h"
#include "drivers/device.h"
#include "drivers/sim/sim_faults.h"
#include "drivers/sim/sim_frames.h"

namespace rekam::drivers::sim {

class SimAcquisition;

// What survives an unplug: the fault settings and the synthesis caches of one device slot.
struct SimSlot {
    DeviceKind kind;
    SimDeviceState state;
    std::shared_ptr<SimFrames> frames;
    // Every frame the device ever made gets the next impression: a finger placed again, even
    // in a later capture, is never the same picture twice.
    std::atomic<std::uint32_t> impressions{0};
};

class SimDevice final : public Device {
  public:
    SimDevice(EventLoop& loop, DeviceInfo info, SimSlot& slot, std::uint32_t frame_interval_ms,
              std::function<void()> unplug_request);
    ~SimDevice() override;

    const DeviceInfo& info() const override { return info_; }
    DeviceStatus status() const override;
    std::unique_ptr<Acquisition> acquire(const AcquireRequest& request,
                                         AcquisitionSink& sink) override;
    SelfTestResult self_test() override;

    // The device is being unplugged: a running acquisition fails with Disconnected.
    void disconnect();
    void refresh_status() { notify_status_changed(); }

  private:
    friend class SimAcquisition;
    void acquisition_ended(SimAcquisition* acquisition);

    EventLoop& loop_;
    DeviceInfo info_;
    SimSlot& slot_;
    std::uint32_t frame_interval_ms_;
    std::function<void()> unplug_request_;
    SimAcquisition* active_ = nullptr;
};

}  // namespace rekam::drivers::sim
