// The bridge from bio::Image to OpenCV, shared by the quality measures of every modality.
#pragma once

#include <opencv2/core.hpp>
#include <string_view>

#include "biometrics/image.h"

namespace rekam::bio {

// Throws std::invalid_argument naming `who` and the sizes when the buffer does not hold
// width x height x channels bytes: a broken driver must never make us read out of bounds.
void require_consistent(const Image& image, std::string_view who);

// A cv::Mat header over the image's pixels: no copy, valid as long as `image` is.
cv::Mat wrap(const Image& image);

// Peak signal-to-noise ratio in dB of `b` against `a` (OpenCV's; about 361 for identical
// images). Throws std::invalid_argument naming the sizes when the two differ.
double psnr(const Image& a, const Image& b);

// The grey level of an 8-bit single-channel region (a ROI view is fine) below which a share `p`
// (0-1) of its pixels lie: the nearest rank at or under p of the way from darkest to brightest.
// 0 for an empty region.
double percentile(const cv::Mat& grey, double p);

// The image shrunk (INTER_AREA) so that its longer side is at most `max_side`, never enlarged;
// `scale` is new/old. Huge frames are analysed at a bounded cost.
cv::Mat shrink_to(const Image& image, int max_side, double& scale);

}  // namespace rekam::bio
