#include "drivers/sim/sim_faults.h"

namespace rekam::drivers::sim {

void apply(const SimFault& fault, SimDeviceState& state) {
    if (fault.status) state.status = *fault.status;
    if (fault.condition) state.condition = *fault.condition;
    if (fault.delay_ms) state.delay_ms = *fault.delay_ms;
    if (fault.fail_captures) state.fail_captures = *fault.fail_captures;
    if (fault.error) state.error = *fault.error;
    if (fault.unplug_after_frames) state.unplug_after_frames = *fault.unplug_after_frames;
    if (fault.present_finger) state.present_finger = *fault.present_finger;
}

std::optional<DeviceStatus> parse_status(const std::string& text) {
    if (text == "ready") return DeviceStatus::Ready;
    if (text == "busy") return DeviceStatus::Busy;
    if (text == "not-ready") return DeviceStatus::NotReady;
    if (text == "error") return DeviceStatus::Error;
    return std::nullopt;
}

std::optional<DeviceErrorCode> parse_error_code(const std::string& text) {
    if (text == "io") return DeviceErrorCode::Io;
    if (text == "timeout") return DeviceErrorCode::Timeout;
    if (text == "disconnected") return DeviceErrorCode::Disconnected;
    if (text == "not-ready") return DeviceErrorCode::NotReady;
    return std::nullopt;
}

}  // namespace rekam::drivers::sim
