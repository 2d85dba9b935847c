// What a test capture found, drawn over its image: the minutiae of a print (endings red,
// bifurcations blue, each with its direction), the pupil and limbus circles of an eye, the eye
// centres of a face, and the score. For a technician judging a reader or a camera by eye.
#pragma once

#include <cstdint>
#include <vector>

#include "dbus/message.h"

namespace rekam::ctl {

// `png` is the image Device.TestCapture sent, `result` its dictionary; returns a PNG.
std::vector<std::uint8_t> draw_capture_overlay(const std::vector<std::uint8_t>& png,
                                               const bus::Arguments& result);

}  // namespace rekam::ctl
