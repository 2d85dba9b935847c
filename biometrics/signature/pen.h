// Pen samples of a signature pad in the device's own units, and what the device says about them.
//
// A pad reports x, y and pressure in its ranges (evdev's absinfo: minimum, maximum, resolution in
// units/mm) and whether the tip touches (BTN_TOUCH); hovering samples (pen in proximity, tip up)
// carry the pen lifts between strokes. Times are microseconds from any origin (the kernel's event
// time), so samples of one signature only need to be compared with each other.
#pragma once

#include <cstdint>
#include <vector>

namespace rekam::bio::signature {

struct PenSample {
    std::int32_t x = 0;  // device units
    std::int32_t y = 0;
    std::int64_t t_us = 0;
    std::int32_t pressure = 0;  // device units; 0 when the device has none
    bool down = false;          // tip touches the surface
    bool operator==(const PenSample&) const = default;
};

struct AxisRange {
    std::int32_t min = 0;
    std::int32_t max = 0;
    double span() const { return static_cast<double>(max) - min; }
    bool operator==(const AxisRange&) const = default;
};

// A pad's geometry. Resolution is in units per mm, as evdev reports it (0 = unknown; the Wacom
// DTU-1141 says 100 for x and y).
struct PenDevice {
    AxisRange x{0, 0};
    AxisRange y{0, 0};
    AxisRange pressure{0, 0};  // {0, 0}: the device reports no pressure
    double x_units_per_mm = 0;
    double y_units_per_mm = 0;
    bool has_pressure() const { return pressure.max > pressure.min; }
    // The surface in millimetres (needs the resolution).
    double width_mm() const { return x.span() / x_units_per_mm; }
    double height_mm() const { return y.span() / y_units_per_mm; }
    bool operator==(const PenDevice&) const = default;
};

// The box drawn on the pad that the citizen signs into, in device units (inclusive).
struct SigningBox {
    std::int32_t left = 0, top = 0, right = 0, bottom = 0;
    bool contains(std::int32_t x, std::int32_t y) const {
        return x >= left && x <= right && y >= top && y <= bottom;
    }
    double width() const { return static_cast<double>(right) - left; }
    double height() const { return static_cast<double>(bottom) - top; }
    bool operator==(const SigningBox&) const = default;
};

// One signature as captured: the device, the box and the samples in arrival order.
struct PenTrace {
    PenDevice device;
    SigningBox box;
    std::vector<PenSample> samples;
};

}  // namespace rekam::bio::signature
