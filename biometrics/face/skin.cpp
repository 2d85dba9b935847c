#include "biometrics/face/skin.h"

#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <utility>

namespace rekam::bio::face {

cv::Mat skin_mask(const cv::Mat& rgb) {
    // Chroma box for skin of all tones (Chai & Ngan 1999), ignoring luma so that dark and light
    // skin both pass; nearly black or white pixels carry no reliable chroma and are left out.
    cv::Mat ycrcb, mask;
    cv::cvtColor(rgb, ycrcb, cv::COLOR_RGB2YCrCb);
    cv::inRange(ycrcb, cv::Scalar(40, 133, 77), cv::Scalar(240, 173, 127), mask);
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
    return mask;
}

namespace {

// CIE a*, b* (D65) of one sRGB colour, components 0-1. By hand because OpenCV's RGB2Lab builds
// its conversion tables on first use, 120 ms on the loop thread for the one pixel needed here.
std::pair<double, double> lab_ab(double r, double g, double b) {
    const auto linear = [](double c) {
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    r = linear(r), g = linear(g), b = linear(b);
    const double x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / 0.950456;
    const double y = 0.212671 * r + 0.715160 * g + 0.072169 * b;
    const double z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / 1.088754;
    const auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116; };
    return {500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

}  // namespace

double skin_hue(const cv::Mat& rgb) {
    if (rgb.empty()) return 0;
    const cv::Scalar m = cv::mean(rgb);
    const auto [a, b] = lab_ab(m[0] / 255, m[1] / 255, m[2] / 255);
    double h = std::atan2(b, a) * 180 / std::numbers::pi;
    return h < -90 ? h + 360 : h;  // keep the skin band (0-90) away from the wrap-around
}

}  // namespace rekam::bio::face
