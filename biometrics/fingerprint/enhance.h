// Enhancement of the ridges: oriented Gabor filtering, binarisation with pore and speck removal,
// and thinning to one-pixel skeletons.
#pragma once

#include <opencv2/core.hpp>

#include "biometrics/fingerprint/analysis.h"

namespace rekam::bio::fingerprint {

// CV_8U at the working resolution: 1 on ridges inside the foreground, 0 elsewhere.
cv::Mat binarise(const Analysis& a);

// Zhang-Suen thinning of a 0/1 CV_8U image, in place.
void thin(cv::Mat& binary);

}  // namespace rekam::bio::fingerprint
