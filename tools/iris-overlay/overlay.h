// The segmentation drawn over the frame: what a technician looks at when a camera misbehaves.
#pragma once

#include <opencv2/core.hpp>

#include "biometrics/iris/eye_pair.h"

namespace rekam::tools {

// A BGR picture of `image` with, for each eye found: the pupil (green) and limbus (red) circles,
// the eyelids (yellow, where they cross the iris), unusable iris pixels tinted blue, and the score
// with the first feedback codes. Halves without an eye say "eye-not-found".
cv::Mat draw_overlay(const bio::Image& image, const bio::iris::EyePair& eyes);

}  // namespace rekam::tools
