// Kernel input events of a pen (evdev) into pen samples: no device, no I/O, so it can be fed
// recorded or made-up events in tests.
//
// A pen reports changes only: ABS_X/ABS_Y/ABS_PRESSURE values, BTN_TOOL_PEN (in proximity),
// BTN_TOUCH (tip down), each frame closed by SYN_REPORT. One sample is the state at a SYN_REPORT
// while the pen is in proximity; the frame that takes it out of proximity gives none. SYN_DROPPED
// means the kernel's buffer overflowed: libevdev then reads the device's state again and hands it
// over as a batch of changes closed by a SYN_REPORT. Those changes are applied, but their report
// gives no sample (it is a state found, not a pen position at that time); the lost stretch shows
// in the samples as a gap in time, and `drops()` counts them.
#pragma once

#include <linux/input.h>

#include <cstdint>
#include <optional>

#include "biometrics/signature/pen.h"

namespace rekam::drivers::evdev {

class PenEventDecoder {
  public:
    // The sample a SYN_REPORT closes, if the pen is in proximity then.
    std::optional<bio::signature::PenSample> feed(const input_event& ev);
    // How many times events were lost (SYN_DROPPED) since the start.
    int drops() const { return drops_; }
    bool in_proximity() const { return proximity_; }

  private:
    bio::signature::PenSample state_;
    bool proximity_ = false;
    bool syncing_ = false;  // between SYN_DROPPED and the SYN_REPORT closing libevdev's sync
    int drops_ = 0;
};

}  // namespace rekam::drivers::evdev
