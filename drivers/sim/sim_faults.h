// Fault injection for the simulated kit, in the spirit of MOSIP MockMDS's admin hooks: what a
// technician or a test sets to make the daemon's error paths run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "drivers/device.h"

namespace rekam::drivers::sim {

struct SimFault {
    std::optional<DeviceStatus> status;          // reported status (not-ready, error, busy)
    std::optional<std::string> condition;        // capture condition: good, dry, wet, blurred, ...
    std::optional<std::uint32_t> delay_ms;       // extra delay before every frame
    std::optional<std::uint32_t> fail_captures;  // the next N acquisitions fail ...
    std::optional<DeviceErrorCode> error;        // ... with this error (default: io)
    std::optional<std::uint32_t> unplug_after_frames;  // unplug while capturing, after N frames
    // The finger the citizen really places at the next capture, whatever was asked for: the
    // clerk's slip that the finger sequence check must catch.
    std::optional<int> present_finger;  // ISO finger position 1-10
    bool unplug = false;
    bool replug = false;
};

// Settings of one simulated device that persist across unplug and replug.
struct SimDeviceState {
    DeviceStatus status = DeviceStatus::Ready;
    std::string condition = "good";
    std::uint32_t delay_ms = 0;
    std::uint32_t fail_captures = 0;
    DeviceErrorCode error = DeviceErrorCode::Io;
    std::optional<std::uint32_t> unplug_after_frames;
    std::optional<int> present_finger;
};

void apply(const SimFault& fault, SimDeviceState& state);

std::optional<DeviceStatus> parse_status(const std::string& text);
std::optional<DeviceErrorCode> parse_error_code(const std::string& text);

}  // namespace rekam::drivers::sim
