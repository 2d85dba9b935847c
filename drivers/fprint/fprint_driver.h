// The libfprint backend: every reader libfprint knows becomes a Device. Readers that give
// images (FP_DEVICE_FEATURE_CAPTURE) can enroll; match-on-chip readers are listed with status
// not-ready and a self-test that says why. Hotplug follows FpContext's device-added and
// device-removed. libfprint runs on its own GLib thread (glib_thread.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "common/event_loop.h"
#include "drivers/device.h"

namespace rekam::drivers::fprint {

struct FprintConfig {
    std::uint32_t open_timeout_ms = 5000;        // open or close longer than this: stuck reader
    std::uint32_t capture_timeout_ms = 60000;    // one capture, finger placement included
    std::uint32_t cancel_grace_ms = 2000;        // a cancel not honoured by then: stuck, reset
    std::uint32_t enumerate_timeout_ms = 10000;  // start() waits this long for the first scan
};

class GlibThread;
class FprintDevice;

class FprintDriver final : public Driver {
  public:
    FprintDriver(EventLoop& loop, FprintConfig config);
    ~FprintDriver() override;

    std::string name() const override { return "fprint"; }
    // Enumerates the readers (bounded by enumerate_timeout_ms) and reports them before it
    // returns, so the daemon's first caller sees them; later hotplug arrives through the loop.
    void start(DeviceMonitor& monitor) override;

    // Implementation details, public only for the GLib signal handlers in the .cpp.
    struct Glib;  // what lives on the GLib thread: the FpContext and its signal handlers
    struct Found;

  private:
    void add(const Found& found);
    void remove(std::uintptr_t key);

    EventLoop& loop_;
    FprintConfig config_;
    DeviceMonitor* monitor_ = nullptr;
    std::shared_ptr<GlibThread> thread_;
    std::shared_ptr<Glib> glib_;
    std::map<std::uintptr_t, std::shared_ptr<FprintDevice>> devices_;  // by FpDevice address
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace rekam::drivers::fprint
