#include "biometrics/iris/quality.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "biometrics/cv_image.h"
#include "biometrics/iris/locate.h"

namespace rekam::bio::iris {
namespace {

constexpr int kMaxSide = 640;                 // iris cameras deliver 640x480; larger is shrunk
constexpr double kMinDiameter = 210.0;        // px, ISO/IEC 29794-6 enrolment recommendation
constexpr double kMaxDiameterFraction = 0.7;  // of the shorter frame side, leaving a margin

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }
double ramp(double v, double lo, double hi) { return clamp01((v - lo) / (hi - lo)); }

cv::Mat working_grey(const Image& image, double& scale) {
    const cv::Mat resized = shrink_to(image, kMaxSide, scale);
    if (resized.channels() == 1) return resized;
    cv::Mat grey;
    cv::cvtColor(resized, grey, cv::COLOR_RGB2GRAY);
    return grey;
}

// Statistics of the iris ring between the pupil and the limbus.
struct Ring {
    double median = 0, usable = 0, sharpness = 0, entropy = 0;
};

Ring measure_ring(const cv::Mat& grey, const Circle& pupil, double limbus) {
    const double r_in = pupil.r * 1.15 + 1, r_out = limbus * 0.92;
    Ring ring;
    if (r_out <= r_in + 2) return ring;
    const cv::Rect box =
        cv::Rect(static_cast<int>(pupil.x - r_out), static_cast<int>(pupil.y - r_out),
                 static_cast<int>(2 * r_out) + 2, static_cast<int>(2 * r_out) + 2) &
        cv::Rect(0, 0, grey.cols, grey.rows);
    if (box.area() == 0) return ring;
    const double full_area = CV_PI * (r_out * r_out - r_in * r_in);  // includes any off-frame part

    // Reference grey from the lateral sectors, where eyelids and lashes rarely reach.
    std::vector<std::uint8_t> lateral, all;
    std::vector<cv::Point> where;
    for (int y = box.y; y < box.br().y; ++y) {
        for (int x = box.x; x < box.br().x; ++x) {
            const double dx = x - pupil.x, dy = y - pupil.y, d = std::hypot(dx, dy);
            if (d < r_in || d > r_out) continue;
            const std::uint8_t v = grey.at<std::uint8_t>(y, x);
            all.push_back(v);
            where.emplace_back(x, y);
            if (std::abs(dy) < 0.6 * std::abs(dx)) lateral.push_back(v);
        }
    }
    if (lateral.size() < 20) return ring;
    auto mid = lateral.begin() + static_cast<std::ptrdiff_t>(lateral.size() / 2);
    std::nth_element(lateral.begin(), mid, lateral.end());
    const double med = *mid;
    std::vector<double> dev;
    dev.reserve(lateral.size());
    for (auto v : lateral) dev.push_back(std::abs(v - med));
    auto dmid = dev.begin() + static_cast<std::ptrdiff_t>(dev.size() / 2);
    std::nth_element(dev.begin(), dmid, dev.end());
    const double tol = std::max(3.0 * 1.4826 * *dmid, 20.0);

    cv::Mat lap;
    cv::Laplacian(grey(box), lap, CV_32F, 3);
    double hist[256] = {};
    double n = 0, sum = 0, sum2 = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const std::uint8_t v = all[i];
        if (std::abs(v - med) > tol || v >= 235) continue;  // eyelid, lashes, reflections
        const float l = lap.at<float>(where[i].y - box.y, where[i].x - box.x);
        hist[v] += 1;
        n += 1;
        sum += l;
        sum2 += static_cast<double>(l) * l;
    }
    ring.median = med;
    ring.usable = n / full_area;
    if (n > 0) {
        ring.sharpness = sum2 / n - (sum / n) * (sum / n);
        for (double h : hist)
            if (h > 0) ring.entropy -= (h / n) * std::log2(h / n);
    }
    return ring;
}

double mean_in_circle(const cv::Mat& grey, const Circle& c, double shrink) {
    cv::Mat mask = cv::Mat::zeros(grey.size(), CV_8U);
    cv::circle(mask, cv::Point(static_cast<int>(c.x), static_cast<int>(c.y)),
               std::max(1, static_cast<int>(c.r * shrink)), 255, cv::FILLED);
    return cv::mean(grey, mask)[0];
}

Quality not_found(Quality q) {
    q.score = 0;
    q.feedback = {"eye-not-found"};
    return q;
}

}  // namespace

Quality assess_quality(const Image& image) {
    Quality q;
    q.algorithm = kQualityAlgorithm;
    if (image.empty() && image.pixels.empty()) return not_found(q);
    require_consistent(image, "iris quality");

    double scale = 1.0;
    const cv::Mat grey = working_grey(image, scale);
    auto pupil = find_pupil(grey);
    if (!pupil) return not_found(q);
    pupil = refine_pupil(grey, *pupil);
    const Limbus limbus = find_limbus(grey, *pupil);
    if (limbus.radius <= 0 || limbus.step < 4) return not_found(q);  // no iris around the blob

    const Ring ring = measure_ring(grey, *pupil, limbus.radius);
    const double pupil_grey = mean_in_circle(grey, *pupil, 0.7);  // inner part: no edge blur
    const double contrast = ring.median - pupil_grey;
    const double margin =
        std::min({pupil->x - limbus.radius, pupil->y - limbus.radius,
                  grey.cols - pupil->x - limbus.radius, grey.rows - pupil->y - limbus.radius}) /
        limbus.radius;
    const double off_x = 2.0 * pupil->x / grey.cols - 1.0, off_y = 2.0 * pupil->y / grey.rows - 1.0;
    const double offset = std::max(std::abs(off_x), std::abs(off_y));
    const double diameter = 2.0 * limbus.radius / scale;  // in input pixels
    const double max_diameter = kMaxDiameterFraction * std::min(image.width, image.height);

    q.measures = {{"pupil_x", pupil->x / scale},
                  {"pupil_y", pupil->y / scale},
                  {"pupil_radius", pupil->r / scale},
                  {"iris_diameter", diameter},
                  {"sharpness", ring.sharpness},
                  {"usable_fraction", ring.usable},
                  {"entropy", ring.entropy},
                  {"iris_grey", ring.median},
                  {"iris_pupil_contrast", contrast},
                  {"iris_sclera_contrast", limbus.step},
                  {"margin", margin},
                  {"centre_offset", offset}};

    // Terms in 0-1; ranges chosen on CASIA-IrisV2 and open-iris frames (tests/unit/quality).
    const double sharp_t = ramp(ring.sharpness, 10.0, 120.0);
    const double usable_t = ramp(ring.usable, 0.4, 0.9);
    const double contrast_t = ramp(contrast, 10.0, 60.0);
    const double entropy_t = ramp(ring.entropy, 3.5, 6.0);
    const double size_t_ = std::min(ramp(diameter, 120.0, kMinDiameter),
                                    1.0 - ramp(diameter, max_diameter, 1.3 * max_diameter));
    const double margin_t = ramp(margin, -0.3, 0.15);
    const double exposure_t =
        std::min(ramp(ring.median, 20.0, 60.0), 1.0 - ramp(ring.median, 200.0, 240.0));
    const double base = 0.3 * usable_t + 0.2 * contrast_t + 0.2 * entropy_t + 0.3 * size_t_;
    // Focus, framing and exposure multiply: no texture survives a blur or a dark frame.
    const double score = 100.0 * base * (0.3 + 0.7 * sharp_t) * margin_t * exposure_t;
    q.score = static_cast<int>(std::lround(std::clamp(score, 0.0, 100.0)));

    // Feedback, most important first: framing, then exposure, then the eye, then focus.
    if (diameter < kMinDiameter) q.feedback.emplace_back("move-closer");
    if (diameter > max_diameter) q.feedback.emplace_back("move-back");
    if (margin < 0.0 || offset > 0.5) q.feedback.emplace_back("look-at-camera");
    if (ring.median < 50) q.feedback.emplace_back("too-dark");
    if (ring.median > 200) q.feedback.emplace_back("too-light");
    if (ring.usable < 0.5) q.feedback.emplace_back("open-eyes-wider");
    if (sharp_t < 0.3) q.feedback.emplace_back("blurred");
    if (q.feedback.empty()) q.feedback.emplace_back("good");
    return q;
}

}  // namespace rekam::bio::iris
