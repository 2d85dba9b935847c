#include "evemu_events.h"

#include <linux/input.h>

#include <iomanip>
#include <sstream>

namespace rekam::drivers::evdev::testing {

using bio::signature::PenSample;

// The evemu events of a pen trace: proximity in, each sample as the changes since the one before
// and a SYN_REPORT, proximity out. Times start at 1 s. umockdev reads the microseconds field with
// base detection, so a leading zero would make it octal: the field is written without padding
// ("1.12000" is 1 s and 12000 us to umockdev).
std::string evemu_events(const bio::signature::PenTrace& trace) {
    std::ostringstream out;
    const auto line = [&](std::int64_t t_us, unsigned type, unsigned code, int value) {
        const std::int64_t t = 1'000'000 + t_us;
        out << "E: " << t / 1'000'000 << '.' << t % 1'000'000 << ' ' << std::hex
            << std::setfill('0') << std::setw(4) << type << ' ' << std::setw(4) << code << std::dec
            << std::setfill(' ') << ' ' << value << '\n';
    };
    const PenSample* last = nullptr;
    for (const PenSample& s : trace.samples) {
        if (!last) line(s.t_us, EV_KEY, BTN_TOOL_PEN, 1);
        if (!last || s.x != last->x) line(s.t_us, EV_ABS, ABS_X, s.x);
        if (!last || s.y != last->y) line(s.t_us, EV_ABS, ABS_Y, s.y);
        if (!last || s.pressure != last->pressure) line(s.t_us, EV_ABS, ABS_PRESSURE, s.pressure);
        if (!last || s.down != last->down) line(s.t_us, EV_KEY, BTN_TOUCH, s.down ? 1 : 0);
        line(s.t_us, EV_SYN, SYN_REPORT, 0);
        last = &s;
    }
    if (last) {
        line(last->t_us + 10'000, EV_KEY, BTN_TOOL_PEN, 0);
        line(last->t_us + 10'000, EV_SYN, SYN_REPORT, 0);
    }
    return out.str();
}

}  // namespace rekam::drivers::evdev::testing
