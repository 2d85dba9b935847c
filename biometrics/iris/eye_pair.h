// Dual-iris cameras see both eyes in one wide frame: each half is analysed on its own.
#pragma once

#include <optional>

#include "biometrics/iris/quality.h"

namespace rekam::bio::iris {

struct EyePair {
    // The camera faces the subject: the subject's right eye is in the left half of the image.
    std::optional<Analysis> right, left;
    // Offsets of each half in the input frame (add to the halves' geometry for frame pixels).
    int right_offset_x = 0, left_offset_x = 0;
};

// A frame at least 1.6 times as wide as high is split into halves, each analysed (an eye with
// score 0 and "eye-not-found" is left empty); a narrower frame is one eye, reported as `right`
// only when `single_is_left` is false.
EyePair analyse_pair(const Image& image, bool single_is_left = false);

}  // namespace rekam::bio::iris
