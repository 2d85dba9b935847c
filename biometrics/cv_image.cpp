#include "biometrics/cv_image.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace rekam::bio {

void require_consistent(const Image& image, std::string_view who) {
    if (image.consistent()) return;
    throw std::invalid_argument(
        std::string(who) + ": image buffer does not match width x height x channels (" +
        std::to_string(image.width) + "x" + std::to_string(image.height) + "x" +
        std::to_string(image.channels) + " vs " + std::to_string(image.pixels.size()) + " bytes)");
}

cv::Mat wrap(const Image& image) {
    return cv::Mat(image.height, image.width, CV_8UC(image.channels),
                   const_cast<std::uint8_t*>(image.pixels.data()));
}

double percentile(const cv::Mat& grey, double p) {
    std::vector<std::uint8_t> v(grey.begin<std::uint8_t>(), grey.end<std::uint8_t>());
    if (v.empty()) return 0;
    const auto at = v.begin() + static_cast<std::ptrdiff_t>(std::clamp(p, 0.0, 1.0) *
                                                            static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), at, v.end());
    return *at;
}

cv::Mat shrink_to(const Image& image, int max_side, double& scale) {
    const cv::Mat wrapped = wrap(image);
    scale = std::min(1.0, static_cast<double>(max_side) / std::max(image.width, image.height));
    if (scale >= 1.0) return wrapped;
    cv::Mat resized;
    cv::resize(wrapped, resized,
               cv::Size(std::max(1, static_cast<int>(image.width * scale)),
                        std::max(1, static_cast<int>(image.height * scale))),
               0, 0, cv::INTER_AREA);
    return resized;
}

double psnr(const Image& a, const Image& b) {
    if (a.width != b.width || a.height != b.height || a.channels != b.channels)
        throw std::invalid_argument("psnr: " + std::to_string(a.width) + "x" +
                                    std::to_string(a.height) + "x" + std::to_string(a.channels) +
                                    " against " + std::to_string(b.width) + "x" +
                                    std::to_string(b.height) + "x" + std::to_string(b.channels));
    return cv::PSNR(wrap(a), wrap(b));
}

}  // namespace rekam::bio
