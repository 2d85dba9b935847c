#include "biometrics/fingerprint/block_stats.h"

#include <cmath>
#include <opencv2/imgproc.hpp>

namespace rekam::bio::fingerprint {
namespace {

// Mean of each block x block tile: INTER_AREA with an integer factor is exactly the tile mean,
// and much faster than summing tiles by hand.
cv::Mat tile_mean(const cv::Mat& m, int cols, int rows) {
    cv::Mat out;
    cv::resize(m, out, cv::Size(cols, rows), 0, 0, cv::INTER_AREA);
    return out;
}

}  // namespace

BlockStats block_stats(const cv::Mat& grey, int block) {
    BlockStats s;
    const int cols = grey.cols / block, rows = grey.rows / block;
    if (cols <= 0 || rows <= 0) return s;
    cv::Mat f;
    grey(cv::Rect(0, 0, cols * block, rows * block)).convertTo(f, CV_32F);

    cv::Mat gx, gy;
    cv::Sobel(f, gx, CV_32F, 1, 0, 3);
    cv::Sobel(f, gy, CV_32F, 0, 1, 3);

    s.mean = tile_mean(f, cols, rows);
    cv::Mat sq_mean = tile_mean(f.mul(f), cols, rows);
    cv::Mat gxx = tile_mean(gx.mul(gx), cols, rows);
    cv::Mat gyy = tile_mean(gy.mul(gy), cols, rows);
    cv::Mat gxy = tile_mean(gx.mul(gy), cols, rows);

    s.std.create(rows, cols, CV_32F);
    s.ocl.create(rows, cols, CV_32F);
    for (int y = 0; y < rows; ++y) {
        for (int x = 0; x < cols; ++x) {
            const float m = s.mean.at<float>(y, x);
            s.std.at<float>(y, x) = std::sqrt(std::max(0.0f, sq_mean.at<float>(y, x) - m * m));
            // Eigenvalues of [[a, c], [c, b]]; ridges give one dominant direction (l2 << l1).
            const double a = gxx.at<float>(y, x), b = gyy.at<float>(y, x), c = gxy.at<float>(y, x);
            const double root = std::sqrt((a - b) * (a - b) + 4.0 * c * c);
            const double l1 = 0.5 * (a + b + root), l2 = 0.5 * (a + b - root);
            s.ocl.at<float>(y, x) =
                l1 > 1e-6 ? static_cast<float>(1.0 - std::max(0.0, l2) / l1) : 0.0f;
        }
    }
    return s;
}

}  // namespace rekam::bio::fingerprint
