// Eye centre by means of gradients (Timm & Barth, VISAPP 2011): the pupil is the point that most
// image gradients point away from, weighted by darkness. Written here because OpenCV's Haar eye
// cascade only boxes an eye to +-10 % of the inter-eye distance, too coarse for roll and the
// token geometry, and Debian ships no landmark model (dlib's shape predictor is not packaged).
#pragma once

#include <opencv2/core.hpp>

namespace rekam::bio::face {

// `window` (CV_8U) holds one eye; the centre comes back in its pixels.
cv::Point2d eye_centre(const cv::Mat& window);

}  // namespace rekam::bio::face
