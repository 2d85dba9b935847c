// Fingerprint image quality, first honest measure: "rekam-finger-basic/1".
//
// Block-wise (16x16 px at 500 ppi; the image is resampled to 500 ppi when `ppi` is known) it
// separates the print from the background by local variance, then measures over the print:
//   ocl          orientation certainty, 1 - l2/l1 of the gradient structure tensor (as NFIQ 2 OCL)
//   contrast     ridge-valley grey difference (block std-dev), normalised to 0-1
//   clarity      fraction of print blocks that are both oriented (ocl >= 0.5) and contrasted
//   foreground   fraction of the frame covered by print blocks; centroid offset from the centre
//   mean_grey    mean grey of the print blocks (dark = wet/pressed, light = dry/faint)
// and combines them into 0-100. A later issue replaces this with NFIQ 2.
#pragma once

#include "biometrics/image.h"
#include "biometrics/quality.h"

namespace rekam::bio::fingerprint {

inline constexpr const char* kQualityAlgorithm = "rekam-finger-basic/1";

// Any image: empty or blank frames score 0 with "no-object"; RGB is converted to grey; huge frames
// are downscaled first. Throws std::invalid_argument when the buffer does not match its size.
Quality assess_quality(const Image& image);

}  // namespace rekam::bio::fingerprint
