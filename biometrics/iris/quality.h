// NIR iris image quality, first honest measure: "rekam-iris-basic/1".
//
// It locates the pupil (the darkest compact round blob) and the limbus (strongest outward
// dark-to-bright step on the lateral arcs), then measures in the iris ring:
//   iris_diameter      px in the input frame (ISO/IEC 29794-6 recommends >= 210 for enrolment)
//   sharpness          variance of the Laplacian over usable ring pixels
//   usable_fraction    ring pixels neither eyelid/reflection-bright nor eyelash-dark, nor off-frame
//   entropy            grey-scale utilisation of the ring, bits
//   iris_pupil_contrast, iris_sclera_contrast   grey-level steps at the two boundaries
//   margin             free space around the iris circle, in iris radii (negative: cut off)
// and combines them into 0-100. A later issue replaces this with ISO/IEC 29794-6 measures.
#pragma once

#include "biometrics/image.h"
#include "biometrics/quality.h"

namespace rekam::bio::iris {

inline constexpr const char* kQualityAlgorithm = "rekam-iris-basic/1";

// Any image: no eye gives 0 with "eye-not-found"; RGB is converted to grey; frames larger than
// 640 px are downscaled first. Throws std::invalid_argument when the buffer does not match its
// size.
Quality assess_quality(const Image& image);

}  // namespace rekam::bio::iris
