#include "biometrics/face/eye_centre.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace rekam::bio::face {
namespace {

constexpr int kWidth = 40;  // the window is resampled to this width: O(n^2) objective stays cheap

}  // namespace

cv::Point2d eye_centre(const cv::Mat& window) {
    if (window.cols < 4 || window.rows < 4) return {window.cols / 2.0, window.rows / 2.0};
    const double s = static_cast<double>(kWidth) / window.cols;
    cv::Mat eye;
    cv::resize(window, eye, cv::Size(kWidth, std::max(4, static_cast<int>(window.rows * s))), 0, 0,
               s < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::GaussianBlur(eye, eye, cv::Size(3, 3), 0);
    cv::Mat gx, gy, mag;
    cv::Sobel(eye, gx, CV_32F, 1, 0);
    cv::Sobel(eye, gy, CV_32F, 0, 1);
    cv::magnitude(gx, gy, mag);
    cv::Scalar mm, sd;
    cv::meanStdDev(mag, mm, sd);
    const float threshold = static_cast<float>(mm[0] + 0.3 * sd[0]);

    struct Grad {
        float x, y, gx, gy;
    };
    std::vector<Grad> grads;
    for (int y = 1; y < eye.rows - 1; ++y)
        for (int x = 1; x < eye.cols - 1; ++x)
            if (const float m = mag.at<float>(y, x); m > threshold && m > 0)
                grads.push_back(
                    {float(x), float(y), gx.at<float>(y, x) / m, gy.at<float>(y, x) / m});

    // Dark centres weigh more: a pupil, not a bright reflection.
    cv::Mat weight;
    cv::GaussianBlur(eye, weight, cv::Size(5, 5), 0);
    double best = -1;
    cv::Point best_at(eye.cols / 2, eye.rows / 2);
    for (int cy = 2; cy < eye.rows - 2; ++cy)
        for (int cx = 2; cx < eye.cols - 2; ++cx) {
            double sum = 0;
            for (const Grad& g : grads) {
                const float dx = g.x - cx, dy = g.y - cy;
                const float n = std::sqrt(dx * dx + dy * dy);
                if (n == 0) continue;
                const float dot = (dx * g.gx + dy * g.gy) / n;
                if (dot > 0) sum += dot * dot;
            }
            sum *= 255 - weight.at<std::uint8_t>(cy, cx);
            if (sum > best) best = sum, best_at = {cx, cy};
        }
    return {best_at.x / s, best_at.y / s};
}

}  // namespace rekam::bio::face
