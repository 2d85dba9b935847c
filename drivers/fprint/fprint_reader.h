// One libfprint reader as the GLib thread sees it: open, capture one image, close, every step
// bounded by a timeout. Everything here runs on the GLib thread except the constructor, the
// destructor (wherever the last reference drops: it only unrefs) and cancel()'s token.
#pragma once

#include <fprint.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "biometrics/image.h"
#include "drivers/device.h"

namespace rekam::drivers::fprint {

struct ReaderTimeouts {
    std::uint32_t open_ms = 5000;      // open and close: a healthy reader takes milliseconds
    std::uint32_t capture_ms = 60000;  // one capture, waiting for the finger included
    std::uint32_t grace_ms = 2000;     // after a cancel: longer and the reader counts as stuck
};

struct CaptureResult {
    std::optional<bio::Image> image;
    std::optional<DeviceError> error;
    bool stuck = false;  // the reader ignored a cancel; it was reset
};

// A cancel request that the loop thread can fire (GCancellable is thread-safe).
class CancelToken {
  public:
    CancelToken();
    ~CancelToken();
    CancelToken(const CancelToken&) = delete;
    CancelToken& operator=(const CancelToken&) = delete;
    void cancel();
    GCancellable* get() const { return cancellable_; }

  private:
    GCancellable* cancellable_;
};

class FprintReader : public std::enable_shared_from_this<FprintReader> {
  public:
    FprintReader(FpDevice* device, std::string name, ReaderTimeouts timeouts);
    ~FprintReader();
    FprintReader(const FprintReader&) = delete;
    FprintReader& operator=(const FprintReader&) = delete;

    FpDevice* device() const { return device_; }

    // GLib thread: open, capture, close; `done` runs exactly once, on the GLib thread. A cancel
    // through `token` ends the capture with a Timeout-free "cancelled" error nobody reads, but
    // still bounded: if the reader ignores it for grace_ms, `done` reports it stuck.
    void capture(std::shared_ptr<CancelToken> token, std::function<void(CaptureResult)> done);
    // GLib thread: libfprint said the reader is gone (unplug). A capture in flight is
    // cancelled, so it ends (as Disconnected) even if the driver would wait on.
    void mark_removed();
    bool removed() const { return removed_; }

  private:
    struct Op;
    static void on_open(GObject* source, GAsyncResult* result, gpointer data);
    static void on_capture(GObject* source, GAsyncResult* result, gpointer data);
    static void on_close(GObject* source, GAsyncResult* result, gpointer data);
    void start_close(const std::shared_ptr<Op>& op);
    void arm(const std::shared_ptr<Op>& op, std::uint32_t ms, const char* what);
    void on_timeout(const std::shared_ptr<Op>& op);
    void on_stuck(const std::shared_ptr<Op>& op);
    void finish(const std::shared_ptr<Op>& op);
    DeviceError error_from(const GError* error, const char* step) const;
    std::string reset_usb();

    FpDevice* device_;
    std::string name_;
    ReaderTimeouts timeouts_;
    bool removed_ = false;
    std::weak_ptr<CancelToken> current_;  // of the capture in flight
};

bio::Image to_image(FpImage* image);

}  // namespace rekam::drivers::fprint
