// Skin-colour face-region heuristic: the cheap stand-in for a face detector.
#pragma once

#include <opencv2/core.hpp>

namespace rekam::bio::face {

struct SkinRegion {
    bool found = false;
    cv::Rect box;         // bounding box of the largest skin blob
    double fraction = 0;  // its area over the frame area
    cv::Mat mask;         // CV_8U, 255 on the pixels of that blob
};

// `rgb` is CV_8UC3 in RGB order.
SkinRegion find_skin_region(const cv::Mat& rgb);

}  // namespace rekam::bio::face
