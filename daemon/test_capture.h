// A technician's test of one device (Device.TestCapture): one capture scored exactly as an
// enrollment's, answered to the caller alone and then forgotten. No session, no book line,
// nothing on disk: the tester's own finger or eye is not a citizen's record.
#pragma once

#include <systemd/sd-bus.h>

#include <chrono>
#include <memory>

#include "daemon/capture_job.h"
#include "dbus/message.h"

namespace rekam {

class DeviceRegistry;
struct DeviceRegistryEntry;

class TestCapture {
  public:
    // Reads `call`'s options, takes the device and starts; the reply to `call` follows when the
    // capture ends. Throws bus::Error (the device stays free) when it cannot start.
    static std::unique_ptr<TestCapture> start(DeviceRegistry& registry, DeviceRegistryEntry& entry,
                                              sd_bus_message* call);
    // Use start(); public for make_unique.
    TestCapture(DeviceRegistry& registry, DeviceRegistryEntry& entry, sd_bus_message* call);
    // Answers the call with DeviceDisconnected if it is still waiting, frees the device.
    ~TestCapture();
    TestCapture(const TestCapture&) = delete;
    TestCapture& operator=(const TestCapture&) = delete;

    // The device is going away: fail the call now, while its entry still exists.
    void device_gone();

  private:
    void on_finished(CaptureOutcome outcome);
    void reply_error(const char* name, const std::string& message);
    void release();
    static int on_caller_gone(sd_bus_track*, void* userdata);

    DeviceRegistry& registry_;
    DeviceRegistryEntry& entry_;
    bus::MessagePtr call_;  // null once answered
    sd_bus_track* track_ = nullptr;
    std::unique_ptr<CaptureJob> job_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace rekam
