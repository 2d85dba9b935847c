// The ink of a signature as a picture: black strokes on white, cropped to the ink, each segment
// as wide as the pen pressed (a nib of `nib_mm` at mid pressure, half of it at the lightest,
// 1.5x at the firmest). Pure: no device, no file.
#pragma once

#include "biometrics/image.h"
#include "biometrics/signature/pen.h"

namespace rekam::bio::signature {

struct InkStyle {
    double px_per_mm = 8.0;  // 8 px/mm = 203 ppi
    double nib_mm = 0.5;     // a ballpoint's line
    int margin_px = 2;
    bool bilevel = false;  // 0/255 only (no anti-aliasing)
    // The signing box as the picture's extent instead of the ink's: a live preview that stays
    // still while the citizen writes (ink beyond the box is cut off).
    bool whole_box = false;
};

// Grey image with `ppi` set; empty when the trace has no tip-down sample (unless whole_box:
// then the blank box). Needs the device's
// resolution (units/mm) to size the strokes; throws std::invalid_argument without it.
Image render_ink(const PenTrace& trace, const InkStyle& style = {});

}  // namespace rekam::bio::signature
