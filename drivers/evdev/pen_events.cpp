#include "drivers/evdev/pen_events.h"

#include <utility>

namespace rekam::drivers::evdev {

std::optional<bio::signature::PenSample> PenEventDecoder::feed(const input_event& ev) {
    if (ev.type == EV_SYN && ev.code == SYN_DROPPED) {
        syncing_ = true;
        ++drops_;
        return std::nullopt;
    }
    if (ev.type == EV_SYN && ev.code == SYN_REPORT) {
        if (std::exchange(syncing_, false) || !proximity_) return std::nullopt;
        bio::signature::PenSample s = state_;
        s.t_us = static_cast<std::int64_t>(ev.input_event_sec) * 1000000 + ev.input_event_usec;
        return s;
    }
    if (ev.type == EV_ABS) {
        if (ev.code == ABS_X) state_.x = ev.value;
        if (ev.code == ABS_Y) state_.y = ev.value;
        if (ev.code == ABS_PRESSURE) state_.pressure = ev.value;
    } else if (ev.type == EV_KEY) {
        if (ev.code == BTN_TOOL_PEN) proximity_ = ev.value != 0;
        if (ev.code == BTN_TOUCH) state_.down = ev.value != 0;
    }
    return std::nullopt;
}

}  // namespace rekam::drivers::evdev
