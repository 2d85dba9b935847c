#include "biometrics/face/background.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace rekam::bio::face {

Backdrop measure_backdrop(const cv::Mat& rgb, const cv::Rect2d& face) {
    const cv::Rect frame(0, 0, rgb.cols, rgb.rows);
    const int top = static_cast<int>(face.y - 0.8 * face.height);
    const int chin = static_cast<int>(face.br().y);
    const int left = static_cast<int>(face.x - 0.8 * face.width);
    const int right = static_cast<int>(face.br().x + 0.8 * face.width);
    std::vector<cv::Rect> parts = {cv::Rect(0, 0, rgb.cols, top) & frame,
                                   cv::Rect(0, 0, left, chin) & frame,
                                   cv::Rect(right, 0, rgb.cols - right, chin) & frame};
    cv::Mat samples;  // one row of RGB pixels
    for (const cv::Rect& p : parts)
        if (p.area() > 0) {
            cv::Mat flat = rgb(p).clone().reshape(3, 1);
            if (samples.empty())
                samples = flat;
            else
                cv::hconcat(samples, flat, samples);
        }
    Backdrop b;
    b.pixels = samples.empty() ? 0 : samples.cols;
    if (b.pixels < 16) return b;
    cv::Scalar mean, sd;
    cv::meanStdDev(samples, mean, sd);
    // At the spread the backdrop would show at value 128 (its brightest channel's mean): the
    // same backdrop photographed darker has a smaller spread in grey levels but is no more
    // uniform. The value, not the mean of the channels, so that the e-KTP's saturated red and
    // blue backdrops count as bright.
    const double value = std::max({mean[0], mean[1], mean[2]});
    b.spread = (sd[0] + sd[1] + sd[2]) / 3 * 128 / std::max(value, 32.0);
    // Hue and saturation of the mean colour (HSV, on 0-1 channels).
    const double r = mean[0] / 255, g = mean[1] / 255, bl = mean[2] / 255;
    const double mx = std::max({r, g, bl}), mn = std::min({r, g, bl}), c = mx - mn;
    b.saturation = mx > 0 ? c / mx : 0;
    if (c > 0) {
        double h = mx == r   ? std::fmod((g - bl) / c, 6.0)
                   : mx == g ? (bl - r) / c + 2
                             : (r - g) / c + 4;
        b.hue = h * 60 < 0 ? h * 60 + 360 : h * 60;
    }
    if (b.saturation >= 0.35 && mx >= 0.2) {
        if (b.hue <= 20 || b.hue >= 335)
            b.colour = BackdropColour::red;
        else if (b.hue >= 190 && b.hue <= 250)
            b.colour = BackdropColour::blue;
    }
    return b;
}

}  // namespace rekam::bio::face
