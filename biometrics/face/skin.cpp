#include "biometrics/face/skin.h"

#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

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

double skin_hue(const cv::Mat& rgb) {
    if (rgb.empty()) return 0;
    const cv::Scalar m = cv::mean(rgb);
    cv::Mat px(1, 1, CV_32FC3, cv::Scalar(m[0] / 255, m[1] / 255, m[2] / 255)), lab;
    cv::cvtColor(px, lab, cv::COLOR_RGB2Lab);
    const cv::Vec3f v = lab.at<cv::Vec3f>(0, 0);
    double h = std::atan2(v[2], v[1]) * 180 / std::numbers::pi;
    return h < -90 ? h + 360 : h;  // keep the skin band (0-90) away from the wrap-around
}

}  // namespace rekam::bio::face
