// Face photo quality, first honest measure: "rekam-face-basic/1".
//
// A cheap face-region heuristic (the largest skin-coloured blob in YCrCb) stands in for a detector,
// so that a bare backdrop scores low. Over that region, or the central region when none is found:
//   luma_mean, under_fraction, over_fraction   exposure and clipping (luma <= 16 / >= 245)
//   sharpness    variance of the Laplacian over the luma variance, face resampled to 128 px wide
//   contrast     luma standard deviation of the face
//   background_std  luma std-dev of the top and side border strips (a plain backdrop is low)
// and combines them into 0-100. A later issue brings a real detector and ICAO-grade checks.
#pragma once

#include "biometrics/image.h"
#include "biometrics/quality.h"

namespace rekam::bio::face {

inline constexpr const char* kQualityAlgorithm = "rekam-face-basic/1";

// Any image: no face gives a score of at most 10 with "face-not-found" (grey frames have no skin
// colour to find); frames larger than 480 px are downscaled first. Throws std::invalid_argument
// when the buffer does not match its size.
Quality assess_quality(const Image& image);

}  // namespace rekam::bio::face
