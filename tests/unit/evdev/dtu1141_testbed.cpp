#include "dtu1141_testbed.h"

#include <linux/input.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace rekam::drivers::evdev::testing {

using bio::signature::PenSample;

std::filesystem::path dtu1141_dir() {
    return std::filesystem::path(REKAM_SHARED_DATA_DIR) / "signature/umockdev_wacom_dtu1141";
}

bool umockdev_preloaded() {
    const char* preload = std::getenv("LD_PRELOAD");
    return preload && std::strstr(preload, "umockdev");
}

std::string add_dtu1141(UMockdevTestbed* testbed, const std::filesystem::path& ioctl) {
    GError* error = nullptr;
    if (!umockdev_testbed_add_from_file(testbed, (dtu1141_dir() / "dtu1141.umockdev").c_str(),
                                        &error) ||
        !umockdev_testbed_load_ioctl(testbed, kDtu1141Node, ioctl.c_str(), &error)) {
        std::string why = error ? error->message : "umockdev failed";
        if (error) g_error_free(error);
        return why;
    }
    return {};
}

bool change_dtu1141_ioctl(const std::filesystem::path& out, std::string_view request,
                          std::string_view answer) {
    std::ifstream in(dtu1141_dir() / "dtu1141.ioctl");
    std::ofstream changed(out);
    const std::string prefix = std::string(request) + " ";
    bool found = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(prefix, 0) == 0) {
            line = prefix + std::string(answer);
            found = true;
        }
        changed << line << '\n';
    }
    return found;
}

// umockdev reads the microseconds field with base detection, so a leading zero would make it
// octal: the field is written without padding ("1.12000" is 1 s and 12000 us to umockdev).
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
