// One running acquisition of a simulated device: a worker thread that waits like the sensor
// would, synthesises an impression and posts it to the loop, one frame per request.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "common/event_loop.h"
#include "drivers/device.h"
#include "drivers/sim/sim_device.h"

namespace rekam::drivers::sim {

class SimAcquisition final : public Acquisition {
  public:
    struct Plan {
        std::uint32_t interval_ms = 0;
        std::uint32_t delay_ms = 0;
        std::string condition;
        std::optional<DeviceError> fail_with;              // fail at the first frame
        std::optional<std::uint32_t> unplug_after_frames;  // ask the driver to unplug
    };

    SimAcquisition(EventLoop& loop, SimDevice& device, AcquireRequest request,
                   AcquisitionSink& sink, Plan plan);
    ~SimAcquisition() override;

    void request_frame() override;
    // Loop thread: end now with `error` (unplug). May destroy `this` through the sink.
    void terminate(const DeviceError& error);

  private:
    void run();
    // One frame of a scanner or camera, posted to the loop.
    void render(std::uint32_t sequence);
    // One frame of the pad: the synthesised attempt replayed through PenCapture, so the
    // feedback and the ink preview are those a real pad would give. False when stopped.
    bool sign(std::uint32_t sequence);
    void stop_worker();
    bool wait_or_stop(std::uint32_t ms);  // false when stopped
    void post(std::function<void(AcquisitionSink&)> fn);

    EventLoop& loop_;
    SimDevice& device_;
    AcquireRequest request_;
    AcquisitionSink* sink_;
    Plan plan_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // loop thread only

    std::mutex mutex_;
    std::condition_variable wake_;
    unsigned pending_ = 0;
    bool stop_ = false;
    std::thread worker_;
};

}  // namespace rekam::drivers::sim
