#include "biometrics/iris/quality.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace rekam::bio::iris {
namespace {

constexpr double kMinDiameter = 210.0;        // px, ISO/IEC 29794-6 enrolment recommendation
constexpr double kMaxDiameterFraction = 0.8;  // of the shorter frame side, leaving a margin

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

double entropy_bits(const cv::Mat& grey, const cv::Mat& mask) {
    double hist[256] = {};
    double n = 0;
    for (int y = 0; y < grey.rows; ++y) {
        const auto* g = grey.ptr<std::uint8_t>(y);
        const auto* m = mask.ptr<std::uint8_t>(y);
        for (int x = 0; x < grey.cols; ++x)
            if (m[x]) hist[g[x]] += 1, n += 1;
    }
    double e = 0;
    for (double h : hist)
        if (h > 0) e -= (h / n) * std::log2(h / n);
    return e;
}

// Lateral sclera just outside the limbus (eyelids rarely reach 3 and 9 o'clock).
cv::Mat sclera_mask(const cv::Size size, const Circle& iris) {
    cv::Mat m = cv::Mat::zeros(size, CV_8U);
    const cv::Point c(static_cast<int>(iris.x), static_cast<int>(iris.y));
    const int r_in = static_cast<int>(iris.r * 1.08) + 2,
              r_out = static_cast<int>(iris.r * 1.3) + 3;
    for (int sign : {-1, 1}) {
        const double a0 = sign > 0 ? -25 : 155, a1 = sign > 0 ? 25 : 205;
        cv::ellipse(m, c, cv::Size(r_out, r_out), 0, a0, a1, 255, cv::FILLED);
    }
    cv::circle(m, c, r_in, 0, cv::FILLED);
    return m;
}

// Daugman's focus measure: power in the band passed by an 8x8 kernel (-1 around a +3 centre of
// 4x4), sampled every 4 px over the iris box, mapped to 0-100 as x^2 / (x^2 + c^2).
double sharpness(const cv::Mat& grey, const cv::Rect& box, double& power) {
    cv::Mat k(8, 8, CV_32F, cv::Scalar(-1.0f));
    k(cv::Rect(2, 2, 4, 4)).setTo(3.0f);
    cv::Mat roi, out;
    grey(box).convertTo(roi, CV_32F);
    cv::filter2D(roi, out, CV_32F, k, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
    double sum = 0;
    int n = 0;
    for (int y = 0; y < out.rows; y += 4)
        for (int x = 0; x < out.cols; x += 4) sum += out.at<float>(y, x) * out.at<float>(y, x), ++n;
    power = n > 0 ? sum / n : 0;
    constexpr double c = 40000.0;  // calibrated on CASIA-IrisV2 and simulated frames (docs/iris.md)
    return 100.0 * power * power / (power * power + c * c);
}

// Motion smears along one direction: the gradient energy across it stays, along it goes. 0 for
// an isotropic texture, towards 100 for a strong directional smear.
double motion_blur(const cv::Mat& grey, const cv::Rect& box, const cv::Mat& mask) {
    cv::Mat gx, gy;
    cv::Sobel(grey(box), gx, CV_32F, 1, 0, 3);
    cv::Sobel(grey(box), gy, CV_32F, 0, 1, 3);
    const cv::Mat m = mask(box);
    const double ex = cv::mean(gx.mul(gx), m)[0], ey = cv::mean(gy.mul(gy), m)[0];
    const double hi = std::max(ex, ey), lo = std::min(ex, ey);
    return hi > 0 ? 100.0 * (1.0 - lo / hi) : 0.0;
}

Quality not_found(Quality q) {
    q.score = 0;
    q.feedback = {"eye-not-found"};
    return q;
}

}  // namespace

Analysis analyse(const Image& image) {
    Analysis a;
    Quality& q = a.quality;
    q.algorithm = kQualityAlgorithm;
    if (image.pixels.empty()) {  // nothing at all; a size without pixels throws below
        q = not_found(q);
        return a;
    }
    double scale = 1.0;
    a.grey = working_grey(image, scale);
    if (a.grey.data == image.pixels.data()) a.grey = a.grey.clone();
    const cv::Mat& grey = a.grey;
    Segmentation seg = segment_grey(grey);  // working pixels until the end
    if (!seg.found) {
        q = not_found(q);
        return a;
    }
    const Circle& p = seg.pupil;
    const Circle& i = seg.iris;

    cv::Mat pupil_disc = cv::Mat::zeros(grey.size(), CV_8U);
    cv::circle(pupil_disc, cv::Point(static_cast<int>(p.x), static_cast<int>(p.y)),
               std::max(1, static_cast<int>(p.r * 0.7)), 255, cv::FILLED);
    const double pupil_grey = masked_median(grey, pupil_disc);
    const double iris_grey = masked_median(grey, seg.mask);
    const double sclera_grey = masked_median(grey, sclera_mask(grey.size(), i));
    if (iris_grey < 0 || iris_grey <= pupil_grey) {
        q = not_found(q);
        return a;
    }
    const double sclera = sclera_grey < 0 ? iris_grey : sclera_grey;
    const double isc = 100.0 * std::max(0.0, sclera - iris_grey) /
                       std::max(1.0, sclera + iris_grey - 2 * pupil_grey);
    const double ipc = 100.0 * (iris_grey - pupil_grey) / std::max(1.0, iris_grey + pupil_grey);
    const double uia = 100.0 * seg.usable_fraction;
    const double entropy = entropy_bits(grey, seg.mask);
    const double diameter = 2.0 * i.r / scale;
    const double ratio = 100.0 * p.r / i.r;
    const double concentricity = 100.0 * (1.0 - std::hypot(p.x - i.x, p.y - i.y) / i.r);
    // 29794-6 asks for 0.6 radius of free space left and right and 0.2 above and below.
    const double left = (i.x - i.r) / (0.6 * i.r), right = (grey.cols - i.x - i.r) / (0.6 * i.r);
    const double top = (i.y - i.r) / (0.2 * i.r), bottom = (grey.rows - i.y - i.r) / (0.2 * i.r);
    const double margin = 100.0 * clamp01(std::min({left, right, top, bottom}));
    const cv::Rect box = cv::Rect(static_cast<int>(i.x - i.r), static_cast<int>(i.y - i.r),
                                  static_cast<int>(2 * i.r), static_cast<int>(2 * i.r)) &
                         cv::Rect(0, 0, grey.cols, grey.rows);
    double power = 0;
    const double sharp = box.area() > 64 ? sharpness(grey, box, power) : 0.0;
    const double motion = box.area() > 64 ? motion_blur(grey, box, seg.mask) : 0.0;
    const double max_diameter = kMaxDiameterFraction * std::min(image.width, image.height);

    q.measures = {{"usable_iris_area", uia},
                  {"iris_sclera_contrast", isc},
                  {"iris_pupil_contrast", ipc},
                  {"pupil_boundary_circularity", seg.pupil_circularity},
                  {"grey_scale_utilisation", entropy},
                  {"iris_diameter", diameter},
                  {"pupil_iris_ratio", ratio},
                  {"iris_pupil_concentricity", concentricity},
                  {"margin_adequacy", margin},
                  {"sharpness", sharp},
                  {"focus_power", power},
                  {"motion_blur", motion},
                  {"gaze_angle", seg.gaze_deg},
                  {"reflections", 100.0 * seg.reflection_fraction},
                  {"iris_grey", iris_grey},
                  {"pupil_x", p.x / scale},
                  {"pupil_y", p.y / scale},
                  {"pupil_radius", p.r / scale},
                  {"iris_x", i.x / scale},
                  {"iris_y", i.y / scale}};

    // Terms in 0-1, ranges in docs/iris.md. What the code needs (area, size, contrast, texture)
    // adds up; what destroys the texture outright (focus, motion, framing, gaze, exposure)
    // multiplies.
    const double uia_t = ramp(uia, 30.0, 70.0);
    const double size_t_ = std::min(ramp(diameter, 120.0, kMinDiameter),
                                    1.0 - ramp(diameter, max_diameter, 1.25 * max_diameter));
    const double contrast_t = 0.5 * ramp(ipc, 10.0, 40.0) + 0.5 * ramp(isc, 3.0, 15.0);
    const double entropy_t = ramp(entropy, 4.0, 6.0);
    const double ratio_t = std::min(ramp(ratio, 15.0, 20.0), 1.0 - ramp(ratio, 70.0, 80.0));
    const double conc_t = ramp(concentricity, 75.0, 90.0);
    const double base = 0.3 * uia_t + 0.25 * size_t_ + 0.15 * contrast_t + 0.1 * entropy_t +
                        0.1 * ratio_t + 0.1 * conc_t;
    const double sharp_t = ramp(sharp, 15.0, 60.0);
    const double motion_t = 1.0 - ramp(motion, 60.0, 85.0);
    const double margin_t = 0.2 + 0.8 * ramp(margin, 0.0, 60.0);
    const double gaze_t = 1.0 - ramp(seg.gaze_deg, 25.0, 45.0);
    const double exposure_t =
        std::min(ramp(iris_grey, 25.0, 60.0), 1.0 - ramp(iris_grey, 200.0, 235.0));
    // Below ~100 px across there is too little iris for any code (faces seen from afar).
    const double tiny_t = ramp(diameter, 80.0, 140.0);
    const double score =
        100.0 * base * tiny_t * (0.2 + 0.8 * sharp_t) * motion_t * margin_t * gaze_t * exposure_t;
    q.score = static_cast<int>(std::lround(std::clamp(score, 0.0, 100.0)));

    // Feedback a person can follow, most important first: framing, exposure, eyes, stillness.
    if (diameter < kMinDiameter) q.feedback.emplace_back("move-closer");
    if (diameter > max_diameter) q.feedback.emplace_back("move-back");
    if (margin < 30.0 || seg.gaze_deg > 30.0 || concentricity < 80.0)
        q.feedback.emplace_back("look-at-camera");
    if (iris_grey < 50) q.feedback.emplace_back("too-dark");
    if (iris_grey > 200) q.feedback.emplace_back("too-light");
    if (seg.reflection_fraction > 0.03) q.feedback.emplace_back("remove-glasses");
    if (uia < 50) q.feedback.emplace_back("open-eyes-wider");
    if (motion > 70) q.feedback.emplace_back("hold-still");
    if (sharp_t < 0.3) q.feedback.emplace_back("blurred");
    if (q.feedback.empty()) q.feedback.emplace_back("good");

    // Geometry back into input pixels; the mask stays with the working frame.
    to_input_pixels(seg, scale);
    a.segmentation = std::move(seg);
    return a;
}

Quality assess_quality(const Image& image) { return analyse(image).quality; }

}  // namespace rekam::bio::iris
