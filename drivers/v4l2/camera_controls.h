// Exposure, gain, focus and NIR illumination: what the configuration asks of a camera, applied
// at every stream start, and the diagnose lines that compare it with what the camera holds.
//
// Standard V4L2 controls only. Exposure is V4L2_CID_EXPOSURE_ABSOLUTE (UVC: units of 100 us)
// with V4L2_CID_EXPOSURE_AUTO for its mode; focus V4L2_CID_FOCUS_ABSOLUTE with
// V4L2_CID_FOCUS_AUTO; gain V4L2_CID_GAIN with V4L2_CID_AUTOGAIN. Illumination is
// V4L2_CID_ILLUMINATORS_1, the one standard "light on/off" control: uvcvideo maps no UVC control
// to it by itself, so an iris camera whose NIR LEDs sit behind a vendor extension unit needs that
// unit mapped onto it (UVCIOC_CTRL_MAP, e.g. with uvcdynctrl) before rekamd can switch them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "drivers/v4l2/v4l2_stream.h"

namespace rekam::drivers::v4l2 {

// One wished setting: a value in the camera's own units, or the camera's auto mode.
struct ControlWish {
    bool automatic = false;
    std::int32_t value = 0;
    bool operator==(const ControlWish&) const = default;
};

// What the configuration asks of one camera; empty leaves the camera's own setting alone.
struct CameraSettings {
    std::optional<ControlWish> exposure;
    std::optional<ControlWish> gain;
    std::optional<ControlWish> focus;
    std::optional<bool> illumination;
    bool empty() const { return !exposure && !gain && !focus && !illumination; }
};

// `value` clamped to the control's range and put on its step grid (counted from the minimum).
std::int32_t fit_to_control(std::int32_t value, const ControlInfo& info);

// Sets what `settings` asks for. Never throws: a control the camera lacks, a value it cannot
// take and a refused S_CTRL each give one message (for the log) and the rest still goes on.
std::vector<std::string> apply_controls(V4l2Stream& stream, const CameraSettings& settings);

// Diagnose lines, by setting name ("exposure", "gain", "focus", "illumination"): what the
// camera holds now and what rekam asks for, e.g. "2047 (3-2047), auto off; rekam sets 5000,
// clamped to 2047". A setting the camera lacks and nobody asked for reads "not offered".
std::map<std::string, std::string> describe_controls(const V4l2Stream& stream,
                                                     const CameraSettings& settings);

}  // namespace rekam::drivers::v4l2
