#include "biometrics/fingerprint/quality.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <string>

#include "biometrics/cv_image.h"
#include "biometrics/fingerprint/block_stats.h"

namespace rekam::bio::fingerprint {
namespace {

constexpr double kRefPpi = 500.0;
constexpr int kBlock = 16;           // px at 500 ppi: about two ridge periods
constexpr int kMaxSide = 2000;       // a 4-finger slap at 500 ppi fits; bigger frames are shrunk
constexpr float kForegroundStd = 8;  // grey std-dev that separates ridges from a blank platen
constexpr float kClearStd = 20;      // a block whose ridges differ this much from valleys is clear
constexpr float kClearOcl = 0.5f;

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }
double ramp(double v, double lo, double hi) { return clamp01((v - lo) / (hi - lo)); }

// Resolutions outside this range are not fingerprint scans (e.g. a JPEG's 96 "dpi" default).
bool plausible_ppi(double ppi) { return ppi >= 250.0 && ppi <= 2000.0; }

// The frame as 8-bit grey at about 500 ppi, never larger than kMaxSide.
cv::Mat normalised_grey(const Image& image, double& scale) {
    const cv::Mat wrapped(image.height, image.width, CV_8UC(image.channels),
                          const_cast<std::uint8_t*>(image.pixels.data()));
    scale = plausible_ppi(image.ppi) ? kRefPpi / image.ppi : 1.0;
    scale = std::min(scale, static_cast<double>(kMaxSide) / std::max(image.width, image.height));
    cv::Mat resized = wrapped;
    if (std::abs(scale - 1.0) > 0.03) {
        const cv::Size size(std::max(1, static_cast<int>(std::lround(image.width * scale))),
                            std::max(1, static_cast<int>(std::lround(image.height * scale))));
        // Shrinking uses pixel areas (no aliasing of the ridges); enlarging interpolates.
        cv::resize(wrapped, resized, size, 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    if (resized.channels() == 1) return resized;
    cv::Mat grey;
    cv::cvtColor(resized, grey, cv::COLOR_RGB2GRAY);
    return grey;
}

Quality no_object(Quality q) {
    q.score = 0;
    q.feedback = {"no-object"};
    return q;
}

}  // namespace

Quality assess_quality(const Image& image) {
    Quality q;
    q.algorithm = kQualityAlgorithm;
    if (image.empty() && image.pixels.empty()) return no_object(q);
    require_consistent(image, "fingerprint quality");

    double scale = 1.0;
    const cv::Mat grey = normalised_grey(image, scale);
    const BlockStats blocks = block_stats(grey, kBlock);
    q.measures = {{"ppi", plausible_ppi(image.ppi) ? image.ppi : 0.0}, {"scale", scale}};
    if (blocks.std.empty()) return no_object(q);

    // Foreground: textured blocks; closing fills single low-contrast blocks inside the print.
    cv::Mat mask = blocks.std >= kForegroundStd;
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::Mat::ones(3, 3, CV_8U));

    double n = 0, sum_x = 0, sum_y = 0, sum_grey = 0, sum_ocl = 0, sum_std = 0, clear = 0;
    for (int y = 0; y < mask.rows; ++y) {
        for (int x = 0; x < mask.cols; ++x) {
            if (!mask.at<std::uint8_t>(y, x)) continue;
            const float ocl = blocks.ocl.at<float>(y, x), sd = blocks.std.at<float>(y, x);
            n += 1;
            sum_x += x + 0.5;
            sum_y += y + 0.5;
            sum_grey += blocks.mean.at<float>(y, x);
            sum_ocl += ocl;
            sum_std += sd;
            if (ocl >= kClearOcl && sd >= kClearStd) clear += 1;
        }
    }
    const double total = static_cast<double>(mask.rows) * mask.cols;
    const double area = n / total;
    q.measures.emplace_back("foreground_fraction", area);
    if (n < 4 || area < 0.03) return no_object(q);

    const double dx = (sum_x / n) / mask.cols - 0.5, dy = (sum_y / n) / mask.rows - 0.5;
    const double offset = 2.0 * std::hypot(dx, dy);  // 0 centred, 1 at an edge's middle
    const double mean_grey = sum_grey / n, ocl = sum_ocl / n, contrast = sum_std / n;
    const double clarity = clear / n;
    q.measures.insert(q.measures.end(), {{"centroid_offset", offset},
                                         {"mean_grey", mean_grey},
                                         {"ocl", ocl},
                                         {"contrast", contrast},
                                         {"clarity", clarity}});

    // Terms in 0-1; the ranges come from real 500-ppi prints (FVC2002, NIST) in tests/unit/quality.
    const double ocl_t = ramp(ocl, 0.3, 0.8);
    const double contrast_t = ramp(contrast, 5.0, 40.0);
    const double area_t = ramp(area, 0.0, 0.35);
    const double centre_t = 1.0 - ramp(offset, 0.25, 0.9);
    const double exposure_t =
        std::min(ramp(mean_grey, 15.0, 60.0), 1.0 - ramp(mean_grey, 215.0, 250.0));
    // Contrast only counts where it comes from ridges (noise has contrast but no orientation).
    const double base = 0.35 * ocl_t + 0.25 * clarity + 0.25 * contrast_t * ocl_t + 0.15 * area_t;
    const double score = 100.0 * base * (0.5 + 0.5 * area_t) * centre_t * exposure_t;
    q.score = static_cast<int>(std::lround(std::clamp(score, 0.0, 100.0)));

    // Feedback, most important first: exposure, then ridge clarity, then placement.
    if (mean_grey < 60) q.feedback.emplace_back("too-dark");
    if (mean_grey > 215) q.feedback.emplace_back("too-light");
    if (clarity < 0.5) q.feedback.emplace_back(mean_grey < 110 ? "smudged" : "too-dry");
    if (area < 0.15) q.feedback.emplace_back("too-small");
    if (offset > 0.45) q.feedback.emplace_back("not-centred");
    if (q.feedback.empty()) q.feedback.emplace_back("good");
    return q;
}

}  // namespace rekam::bio::fingerprint
