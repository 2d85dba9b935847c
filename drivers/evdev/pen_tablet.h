// A pen tablet or pen display (a signature pad the kernel drives: wacom, hid-uclogic, generic HID
// digitizers) read through libevdev: its ranges and resolution, exclusive use while a signature
// is captured, and its events as pen samples.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "biometrics/signature/pen.h"
#include "common/unique_fd.h"
#include "drivers/evdev/pen_events.h"

struct libevdev;

namespace rekam::drivers::evdev {

class PenTablet {
  public:
    // Opens an event node (non-blocking, for the event loop). Throws std::runtime_error naming the
    // node and why: cannot open it, it is not a pen (no BTN_TOOL_PEN, ABS_X or ABS_Y), or it cannot
    // record a signature: no pressure, no resolution (a record needs millimetres), or an area
    // under 20 mm or over a metre on a side (absurd ranges say the device misdescribes itself).
    static PenTablet open(const std::string& node);

    PenTablet(PenTablet&&) noexcept;
    PenTablet& operator=(PenTablet&&) noexcept;
    ~PenTablet();

    const std::string& node() const { return node_; }
    std::string name() const;
    std::string usb_id() const;  // "vvvv:pppp" on USB, else empty
    // Pen displays report direct input (INPUT_PROP_DIRECT): the pen writes where it points.
    bool direct() const;
    // Ranges and resolution as the device reports them (units/mm; 0 when it says none).
    const bio::signature::PenDevice& device() const { return device_; }
    int fd() const { return fd_.get(); }

    // Exclusive use (EVIOCGRAB): while a signature is captured, the desktop must not see the pen.
    // Returns false, with errno, when the kernel refuses (another program holds the grab).
    bool grab(bool on);

    enum class Read { Drained, More, Gone };
    // The events waiting, as samples appended to `out`: all of them (`Drained`), or `More` after
    // kMaxEventsPerRead so that a flood cannot hold the event loop. After `More` the caller must
    // call again soon (a deferred event on the loop), not wait for the fd: libevdev may already
    // hold the rest in its own buffer. `Gone` when the device was unplugged (ENODEV) or failed,
    // and nothing more will come.
    static constexpr int kMaxEventsPerRead = 1024;  // a pen at 200 Hz sends about 1000 a second
    Read read(std::vector<bio::signature::PenSample>& out);
    int drops() const { return decoder_.drops(); }
    // Why read() said Gone (an errno: ENODEV when unplugged), 0 before.
    int error() const { return error_; }
    // Whether the pen was near the surface at the last event read.
    bool in_proximity() const { return decoder_.in_proximity(); }

  private:
    PenTablet(std::string node, UniqueFd fd, libevdev* dev);
    struct Free {
        void operator()(libevdev* d) const;
    };
    std::string node_;
    UniqueFd fd_;
    std::unique_ptr<libevdev, Free> dev_;
    bio::signature::PenDevice device_;
    PenEventDecoder decoder_;
    int error_ = 0;
};

}  // namespace rekam::drivers::evdev
