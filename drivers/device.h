// The one interface every device backend implements: simulated kit, libfprint readers,
// V4L2 cameras, vendor SDKs. The daemon only ever sees this.
//
// Threading: every call into a Device and every callback out of it happens on the daemon's
// event loop thread. Backends that block (libfprint, vendor SDKs, synthesis) work on their own
// threads and EventLoop::post() their results back.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "biometrics/image.h"
#include "biometrics/signature/pen.h"

namespace rekam::drivers {

enum class DeviceKind { Fingerprint, Iris, Face, Signature };
std::string to_string(DeviceKind kind);
// The inverse of to_string(DeviceKind): "fingerprint", "iris", "face", "signature".
std::optional<DeviceKind> parse_device_kind(std::string_view name);

enum class DeviceStatus { Ready, Busy, NotReady, Error };
std::string to_string(DeviceStatus status);

// The udev property that gives a device its part in the kit (udev/70-rekam.hwdb by VID:PID, or a
// local rule): roles are never guessed from enumeration order.
inline constexpr const char* kRoleProperty = "ID_REKAM_ROLE";

// Identity as the front end and the package see it.
struct DeviceInfo {
    DeviceKind kind = DeviceKind::Fingerprint;
    std::string name;    // human readable, e.g. "Simulated fingerprint scanner"
    std::string driver;  // backend, e.g. "sim", "fprint", "v4l2"
    std::string vendor;
    std::string model;
    std::string serial;
    std::string usb_id;     // "vvvv:pppp", empty when not on USB
    std::string usb_speed;  // "high", "full", "super", ... empty when not on USB
};

// Why an acquisition failed. The daemon maps these to D-Bus errors.
enum class DeviceErrorCode { Disconnected, Io, Timeout, NotReady };

struct DeviceError {
    DeviceErrorCode code;
    std::string message;  // context a technician can act on, never biometric data
};

// One frame or impression, with what the device knows about it. A signature pad's frame is one
// finished signature: its pen trace, and its ink as the image (what previews and sheets show).
struct Frame {
    bio::Image image;
    std::shared_ptr<const bio::signature::PenTrace> pen;  // signature pads only
    std::uint64_t sequence = 0;
    std::uint64_t timestamp_usec = 0;  // CLOCK_MONOTONIC
};

// A frame as the device delivered it, before any conversion: what the live preview passes on.
// An MJPEG camera's frame stays compressed, so showing it costs a copy, not a decode; the bytes
// are shared by every viewer.
struct RawFrame {
    std::uint64_t sequence = 0;
    std::uint64_t timestamp_usec = 0;  // CLOCK_MONOTONIC, when the device captured it
    std::uint32_t fourcc = 0;          // V4L2 fourcc: GREY, YUYV, MJPG or RGB3
    std::uint32_t width = 0, height = 0;
    std::uint32_t stride = 0;  // bytes per line; 0 for compressed formats
    std::shared_ptr<const std::vector<std::uint8_t>> bytes;
};

// The raw frame of a converted image (backends that produce pixels, not camera buffers).
RawFrame raw_frame_of(const Frame& frame);

// Sees every frame a streaming device produces, asked for or not, on the loop thread.
class FrameTap {
  public:
    virtual ~FrameTap() = default;
    // False while nobody watches: the backend then skips copying the frame.
    virtual bool watching() const = 0;
    virtual void on_stream_frame(const RawFrame& frame) = 0;
};

// What the daemon wants captured: the position ("right-index", "left-iris", "face",
// "exception-photo") and, for devices that synthesise or steer, the subject (the NIK).
struct AcquireRequest {
    std::string position;
    std::string subject;
    std::string backdrop;  // face only: "red" or "blue" from the e-KTP birth-year rule
    // The position as ISO codes, so backends need not parse names: finger position 1-10
    // (ISO/IEC 19794-4), eye label 1 right / 2 left; 0 for the face.
    int iso_position = 0;
    // Also gets every frame the acquisition produces (the live preview); may be empty or gone.
    std::weak_ptr<FrameTap> tap;
};

// The subject of captures with no citizen (self-tests, a technician's test capture): the
// simulated kit renders the same test person for it every time.
inline constexpr const char* kTestSubject = "0000000000000000";

// Receives the results of one acquisition, on the loop thread.
class AcquisitionSink {
  public:
    virtual ~AcquisitionSink() = default;
    // A hint for the person in front of the device: "place-finger", "lift-finger", ...
    virtual void on_progress(const std::string& code) = 0;
    virtual void on_frame(Frame frame) = 0;
    // The acquisition is over; no further callbacks follow.
    virtual void on_error(const DeviceError& error) = 0;
};

// A running acquisition. Pull model: the daemon asks for one frame at a time and gets it
// through the sink, so a slow quality check never queues frames up. Destroying it stops the
// device (and, for threaded backends, waits for the worker to let go of the sink).
class Acquisition {
  public:
    virtual ~Acquisition() = default;
    virtual void request_frame() = 0;
    // Signature pads: the clerk's confirm ends the signature being written now (it becomes the
    // frame); clear drops its ink so the citizen starts over. False where that means nothing
    // (a camera, a scanner, or no ink yet to confirm).
    virtual bool confirm() { return false; }
    virtual bool clear() { return false; }
};

struct SelfTestResult {
    bool passed = false;
    std::map<std::string, std::string> details;  // check name -> result, human readable
};

class Device {
  public:
    virtual ~Device() = default;
    virtual const DeviceInfo& info() const = 0;
    virtual DeviceStatus status() const = 0;
    // Start acquiring for `request`. The sink must outlive the returned object.
    virtual std::unique_ptr<Acquisition> acquire(const AcquireRequest& request,
                                                 AcquisitionSink& sink) = 0;
    virtual SelfTestResult self_test() = 0;
    // Called when the device's status may have changed, so the daemon can update properties.
    void set_status_listener(std::function<void()> listener) {
        status_listener_ = std::move(listener);
    }

  protected:
    void notify_status_changed() {
        if (status_listener_) status_listener_();
    }

  private:
    std::function<void()> status_listener_;
};

// Where backends report hotplug. Device ids are the daemon's business; backends only say
// which Device object came or went.
class DeviceMonitor {
  public:
    virtual ~DeviceMonitor() = default;
    virtual void device_added(std::shared_ptr<Device> device) = 0;
    virtual void device_removed(const Device& device) = 0;
};

// A backend: finds its devices, watches hotplug, and reports them to the monitor.
class Driver {
  public:
    virtual ~Driver() = default;
    virtual std::string name() const = 0;
    virtual void start(DeviceMonitor& monitor) = 0;
};

}  // namespace rekam::drivers
