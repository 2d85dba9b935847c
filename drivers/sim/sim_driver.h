// The simulated enrollment kit: a fingerprint scanner, an iris camera and a photo camera that
// the daemon drives exactly like real ones, with fault injection for its error paths.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "drivers/device.h"
#include "drivers/sim/sim_device.h"
#include "drivers/sim/sim_faults.h"

namespace rekam::drivers::sim {

struct SimConfig {
    // Time the simulated sensor takes per frame: a finger placement or a camera frame.
    // 0 makes captures as fast as synthesis allows (tests, benchmarks).
    std::uint32_t frame_interval_ms = 250;
    std::vector<DeviceKind> kinds = {DeviceKind::Fingerprint, DeviceKind::Iris, DeviceKind::Face,
                                     DeviceKind::Signature};
    std::map<DeviceKind, SimDeviceState> initial;  // faults set from the configuration
};

class SimDriver final : public Driver {
  public:
    SimDriver(EventLoop& loop, SimConfig config);
    ~SimDriver() override;

    std::string name() const override { return "sim"; }
    void start(DeviceMonitor& monitor) override;

    // Apply a fault to the simulated device of `kind`. Throws std::invalid_argument with a
    // message for the caller when the fault makes no sense (replug of a plugged device ...).
    void inject(DeviceKind kind, const SimFault& fault);
    // The device currently plugged in for `kind`, or null.
    std::shared_ptr<SimDevice> device(DeviceKind kind) const;

  private:
    void plug(DeviceKind kind);
    void unplug(DeviceKind kind);

    EventLoop& loop_;
    SimConfig config_;
    DeviceMonitor* monitor_ = nullptr;
    std::map<DeviceKind, std::unique_ptr<SimSlot>> slots_;
    std::map<DeviceKind, std::shared_ptr<SimDevice>> plugged_;
};

}  // namespace rekam::drivers::sim
