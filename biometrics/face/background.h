// The backdrop behind the applicant: how uniform it is and which colour it is (e-KTP: red for an
// odd birth year, blue for an even one).
#pragma once

#include <opencv2/core.hpp>

namespace rekam::bio::face {

enum class BackdropColour { other, red, blue };

struct Backdrop {
    int pixels = 0;         // how many backdrop pixels were sampled
    double spread = 0;      // mean standard deviation of R, G and B, scaled to value 128
    double hue = 0;         // hue of their mean colour, degrees 0-360
    double saturation = 0;  // 0-1
    BackdropColour colour = BackdropColour::other;
};

// `rgb` CV_8UC3; `face` the face box in its pixels. Samples the band above the head and the
// strips beside it down to the chin, clear of hair, ears and shoulders.
Backdrop measure_backdrop(const cv::Mat& rgb, const cv::Rect2d& face);

}  // namespace rekam::bio::face
