// The Wacom DTU-1141 of ../shared/data/signature/umockdev_wacom_dtu1141 in a umockdev testbed,
// and pen traces as the evemu events umockdev replays on its node (tests only).
#pragma once

#include <umockdev.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "biometrics/signature/pen.h"

namespace rekam::drivers::evdev::testing {

inline constexpr const char* kDtu1141Node = "/dev/input/event5";
std::filesystem::path dtu1141_dir();

// Whether umockdev's preload is in this process (umockdev_main.cpp re-runs the tests under
// umockdev-wrapper), so that sd-device, libevdev and libwacom see a testbed's devices.
bool umockdev_preloaded();

// Adds the pad (its udev tree, and its EVIOCG* answers from `ioctl`: the recording's, or a changed
// copy) to `testbed`. Empty on success, else why not.
std::string add_dtu1141(UMockdevTestbed* testbed, const std::filesystem::path& ioctl);

// The recording's EVIOCG* answers written to `out` with the answer to `request` (e.g.
// "EVIOCGBIT(3)") replaced by `answer`; false when the recording has no such request.
bool change_dtu1141_ioctl(const std::filesystem::path& out, std::string_view request,
                          std::string_view answer);

// Proximity in, each sample as the changes since the one before and a SYN_REPORT, proximity out;
// times from 1 s, the microseconds unpadded (umockdev reads a leading zero as octal).
std::string evemu_events(const bio::signature::PenTrace& trace);

}  // namespace rekam::drivers::evdev::testing
