// Renders the simulated kit's frames: the bridge between a capture request and the synthesis
// code in synth/. Thread-safe; synthesis caches (master prints) are kept per subject.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "biometrics/image.h"
#include "biometrics/signature/pen.h"
#include "drivers/device.h"

namespace rekam::drivers::sim {

class SimFrames {
  public:
    explicit SimFrames(DeviceKind kind);
    ~SimFrames();
    bio::Image render(const AcquireRequest& request, std::uint32_t impression,
                      const std::string& condition);
    // The signature pad's kind: one attempt's pen trace, in pad() units.
    bio::signature::PenTrace sign(const AcquireRequest& request, std::uint32_t impression,
                                  const std::string& condition);
    // The simulated pad: a Wacom DTU-1141's surface (223 x 126 mm at 100 units/mm, 1024
    // pressure levels) and its centred signing box.
    static const bio::signature::PenDevice& pad();

  private:
    struct Cache;
    DeviceKind kind_;
    std::mutex mutex_;
    std::unique_ptr<Cache> cache_;
};

}  // namespace rekam::drivers::sim

namespace rekam::drivers::sim {
// The capture conditions the synthesis knows, for fault injection and the configuration.
bool is_known_condition(const std::string& name);
std::string known_conditions();
}  // namespace rekam::drivers::sim
