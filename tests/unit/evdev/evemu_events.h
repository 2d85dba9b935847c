// A pen trace as the evemu events umockdev replays on an evdev node (tests only).
#pragma once

#include <string>

#include "biometrics/signature/pen.h"

namespace rekam::drivers::evdev::testing {

// Proximity in, each sample as the changes since the one before and a SYN_REPORT, proximity out;
// times from 1 s, the microseconds unpadded (umockdev reads a leading zero as octal).
std::string evemu_events(const bio::signature::PenTrace& trace);

}  // namespace rekam::drivers::evdev::testing
