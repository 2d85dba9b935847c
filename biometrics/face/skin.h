// Skin colour: the mask behind the yaw estimate and the hands of an exception photo, and the hue
// of the face behind the colour-cast check.
#pragma once

#include <opencv2/core.hpp>

namespace rekam::bio::face {

// CV_8U, 255 on skin-coloured pixels of `rgb` (CV_8UC3, RGB order), all skin tones.
cv::Mat skin_mask(const cv::Mat& rgb);

// Hue angle (degrees) of the mean colour of `rgb` in CIE L*a*b*: atan2(b*, a*). Skin of every tone
// lies in a narrow band of it; a colour cast of the light or the white balance moves it out.
double skin_hue(const cv::Mat& rgb);
inline constexpr double kSkinHueMin = 20;
inline constexpr double kSkinHueMax = 80;

}  // namespace rekam::bio::face
