// A libfprint reader behind the Device interface, on the daemon's loop thread. The reader
// itself (fprint_reader.h) lives on the GLib thread; this side only hands it work and
// turns its results into sink callbacks. Nothing here ever waits for the reader.
#pragma once

#include <memory>
#include <string>

#include "common/event_loop.h"
#include "drivers/device.h"

namespace rekam::drivers::fprint {

class GlibThread;
class FprintReader;
class FprintAcquisition;
struct CaptureResult;

class FprintDevice final : public Device, public std::enable_shared_from_this<FprintDevice> {
  public:
    struct Traits {
        std::string libfprint_driver;    // e.g. "aes3500", "virtual_image"
        std::string not_capable_reason;  // empty: the reader gives images
    };
    FprintDevice(EventLoop& loop, std::shared_ptr<GlibThread> glib,
                 std::shared_ptr<FprintReader> reader, DeviceInfo info, Traits traits);
    ~FprintDevice() override;

    const DeviceInfo& info() const override { return info_; }
    DeviceStatus status() const override;
    std::unique_ptr<Acquisition> acquire(const AcquireRequest& request,
                                         AcquisitionSink& sink) override;
    SelfTestResult self_test() override;

    // The reader was unplugged: a running acquisition fails with Disconnected now.
    void disconnect();

  private:
    friend class FprintAcquisition;
    // Loop thread: run one open-capture-close for `acquisition`.
    void start_capture(FprintAcquisition& acquisition);
    void capture_done(CaptureResult result);
    void acquisition_ended(FprintAcquisition* acquisition);

    EventLoop& loop_;
    std::shared_ptr<GlibThread> glib_;
    std::shared_ptr<FprintReader> reader_;
    DeviceInfo info_;
    Traits traits_;
    FprintAcquisition* active_ = nullptr;
    bool capturing_ = false;  // an open-capture-close is on the GLib thread
    bool stuck_ = false;      // the reader ignored a cancel and was reset
    bool disconnected_ = false;
    std::string last_error_;
    std::uint64_t frames_ = 0;
};

}  // namespace rekam::drivers::fprint
