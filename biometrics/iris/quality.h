// NIR iris image quality after ISO/IEC 29794-6: "rekam-iris-29794-6/1".
//
// analyse() segments the eye (segmentation.h) and measures, in the order of 29794-6 clause 6:
//   usable_iris_area       % of the iris annulus not covered by eyelids, lashes, reflections
//   iris_sclera_contrast   % (Weber-type: (sclera - iris) / (sclera + iris - 2 pupil) x 100)
//   iris_pupil_contrast    % ((iris - pupil) / (iris + pupil) x 100)
//   pupil_boundary_circularity  0-100 (edge points' rms distance from the fitted circle)
//   grey_scale_utilisation bits of entropy of the iris pixels' histogram
//   iris_diameter          px in the input frame (>= 210 for enrolment)
//   pupil_iris_ratio       100 x pupil radius / iris radius (usable 20-70)
//   iris_pupil_concentricity  100 x (1 - centre distance / iris radius)
//   margin_adequacy        0-100 (free space around the iris: 0.6 radius left/right, 0.2 up/down)
//   sharpness              0-100 (Daugman's 8x8 band-pass kernel power, x^2 / (x^2 + c^2))
//   motion_blur            0-100 (anisotropy of the gradient energy: 0 = none)
//   gaze_angle             degrees (pupil boundary ellipse: arccos(minor / major))
// plus the geometry (pupil_x/y/radius, iris_x/y, in input pixels) and a combined 0-100 score.
// The exact formulas, ranges and their calibration are in docs/iris.md.
#pragma once

#include <opencv2/core.hpp>

#include "biometrics/image.h"
#include "biometrics/iris/segmentation.h"
#include "biometrics/quality.h"

namespace rekam::bio::iris {

inline constexpr const char* kQualityAlgorithm = "rekam-iris-29794-6/1";

struct Analysis {
    Segmentation segmentation;  // geometry in input pixels
    Quality quality;
    // The working frame the segmentation's mask belongs to (shrunk, grey); its own pixels, never
    // a view of the image analysed, which may be gone before the code is made from it.
    cv::Mat grey;
};

// Segmentation and quality in one pass, for every frame of a live camera. No eye (blank, face,
// noise, 1x1) gives score 0 with "eye-not-found"; huge frames are shrunk to 640 px first.
// Throws std::invalid_argument when the buffer does not match its size.
Analysis analyse(const Image& image);

// The quality part of analyse(): what the daemon used from the start.
Quality assess_quality(const Image& image);

}  // namespace rekam::bio::iris
