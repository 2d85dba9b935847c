#include "biometrics/iris/iris_code.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

#include "biometrics/iris/quality.h"

namespace rekam::bio::iris {
namespace {

constexpr std::size_t kBits = static_cast<std::size_t>(kCodeRows) * kCodeCols * kFilters;

// Complex Gabor pair (even, odd) along the angular axis, zero mean so that the grey level of a
// sheet does not leak into the phase bits.
std::pair<cv::Mat, cv::Mat> gabor_pair(double wavelength) {
    const int half = static_cast<int>(wavelength * 0.75);
    const cv::Size size(2 * half + 1, 7);
    const double sigma = wavelength * 0.45;
    cv::Mat even =
        cv::getGaborKernel(size, sigma, 0, wavelength, 0.35 * wavelength / 3.0, 0, CV_32F);
    cv::Mat odd = cv::getGaborKernel(size, sigma, 0, wavelength, 0.35 * wavelength / 3.0,
                                     std::numbers::pi / 2, CV_32F);
    even -= cv::mean(even)[0];
    odd -= cv::mean(odd)[0];
    return {even, odd};
}

}  // namespace

double IrisCode::usable() const {
    if (mask.empty()) return 0;
    return static_cast<double>(std::count(mask.begin(), mask.end(), 1)) /
           static_cast<double>(mask.size());
}

Normalised normalise(const cv::Mat& grey, const Segmentation& seg) {
    Normalised n;
    if (!seg.found || grey.empty()) return n;
    // The sheet is laid out where the eye is frontal (unwarped off-axis eyes: pupil and limbus
    // circles there), and each of its points read back in this frame through `back`. Rays start
    // at the pupil ellipse's centre, on its boundary (a circle's for most eyes).
    const Circle i = seg.frontal ? seg.frontal->iris : seg.iris;
    const cv::RotatedRect e =
        seg.frontal ? cv::RotatedRect(cv::Point2f(static_cast<float>(seg.frontal->pupil.x),
                                                  static_cast<float>(seg.frontal->pupil.y)),
                                      cv::Size2f(static_cast<float>(2 * seg.frontal->pupil.r),
                                                 static_cast<float>(2 * seg.frontal->pupil.r)),
                                      0)
                    : seg.pupil_ellipse;
    const cv::Matx23d back = from_frontal(seg) * seg.scale;  // into the working frame's pixels
    const double px = e.center.x, py = e.center.y;
    const double semi_w = e.size.width / 2, semi_h = e.size.height / 2;
    const double tilt = e.angle * std::numbers::pi / 180;
    cv::Mat map_x(kRadial, kAngular, CV_32F), map_y(kRadial, kAngular, CV_32F);
    for (int a = 0; a < kAngular; ++a) {
        // Counter-clockwise as a person sees the image: y grows downwards, so the angle is negated.
        const double th = -2.0 * std::numbers::pi * a / kAngular;
        const double c = std::cos(th), sn = std::sin(th);
        const double local = th - tilt;
        const double pupil_r =
            semi_w * semi_h /
            std::max(1e-9, std::hypot(semi_h * std::cos(local), semi_w * std::sin(local)));
        // From the pupil boundary point to the limbus point on the same ray.
        const double dx = px - i.x, dy = py - i.y;
        const double b = dx * c + dy * sn;
        const double reach = -b + std::sqrt(std::max(0.0, b * b - (dx * dx + dy * dy - i.r * i.r)));
        for (int r = 0; r < kRadial; ++r) {
            const double t = (r + 0.5) / kRadial;
            const double rho = pupil_r + t * (reach - pupil_r);
            const cv::Point2d at = map_point(back, {px + rho * c, py + rho * sn});
            map_x.at<float>(r, a) = static_cast<float>(at.x);
            map_y.at<float>(r, a) = static_cast<float>(at.y);
        }
    }
    cv::remap(grey, n.texture, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
    cv::remap(seg.mask, n.mask, map_x, map_y, cv::INTER_NEAREST, cv::BORDER_CONSTANT, 0);
    return n;
}

IrisCode encode(const Normalised& sheet) {
    IrisCode code;
    if (sheet.texture.rows != kRadial || sheet.texture.cols != kAngular) return code;
    const int valid = cv::countNonZero(sheet.mask);
    if (valid < kRadial * kAngular / 10) return code;
    // Masked pixels take the mean of the usable ones so occlusion edges make no phase of their own.
    cv::Mat f;
    sheet.texture.convertTo(f, CV_32F);
    const double mean = cv::mean(f, sheet.mask)[0];
    f.setTo(mean, sheet.mask == 0);
    // The angle wraps around; the radius does not.
    constexpr int kPad = 32;
    cv::Mat wrapped, padded;
    cv::hconcat(std::vector<cv::Mat>{f.colRange(kAngular - kPad, kAngular), f, f.colRange(0, kPad)},
                wrapped);
    cv::copyMakeBorder(wrapped, padded, 4, 4, 0, 0, cv::BORDER_REFLECT);

    // A bit is kept only where the sheet is usable around it (the filter's core stays on iris).
    cv::Mat keep;
    cv::erode(sheet.mask, keep, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 3)));

    code.bits.assign(kBits, 0);
    code.mask.assign(kBits, 0);
    const double wavelengths[2] = {12.0, 24.0};
    for (int w = 0; w < 2; ++w) {
        const auto [even, odd] = gabor_pair(wavelengths[w]);
        cv::Mat re, im;
        cv::filter2D(padded, re, CV_32F, even);
        cv::filter2D(padded, im, CV_32F, odd);
        re = re(cv::Rect(kPad, 4, kAngular, kRadial));
        im = im(cv::Rect(kPad, 4, kAngular, kRadial));
        // Fragile bits: a response near zero flips with noise, so it is not used.
        const double floor_re = 0.15 * cv::mean(cv::abs(re), sheet.mask)[0];
        const double floor_im = 0.15 * cv::mean(cv::abs(im), sheet.mask)[0];
        for (int row = 0; row < kCodeRows; ++row) {
            const int r = (2 * row + 1) * kRadial / (2 * kCodeRows);
            for (int col = 0; col < kCodeCols; ++col) {
                const int a = col * kAngular / kCodeCols;
                const std::size_t at =
                    (static_cast<std::size_t>(row) * kCodeCols + col) * kFilters + 2 * w;
                const float vr = re.at<float>(r, a), vi = im.at<float>(r, a);
                const bool ok = keep.at<std::uint8_t>(r, a) != 0;
                code.bits[at] = vr > 0;
                code.bits[at + 1] = vi > 0;
                code.mask[at] = ok && std::abs(vr) > floor_re;
                code.mask[at + 1] = ok && std::abs(vi) > floor_im;
            }
        }
    }
    return code;
}

IrisCode encode(const Analysis& analysis) {
    if (!analysis.segmentation.found) return {};
    return encode(normalise(analysis.grey, analysis.segmentation));
}

IrisCode encode(const Image& image) {
    double scale = 1.0;
    const cv::Mat grey = working_grey(image, scale);
    Segmentation seg = segment_grey(grey);
    if (!seg.found) return {};
    return encode(normalise(grey, seg));  // seg is in working pixels here: scale 1
}

double distance(const IrisCode& a, const IrisCode& b) {
    if (a.bits.size() != kBits || b.bits.size() != kBits || a.mask.size() != kBits ||
        b.mask.size() != kBits)
        return 1.0;
    double best = 1.0;
    constexpr int kRowBits = kCodeCols * kFilters;
    for (int shift = -kMaxShift; shift <= kMaxShift; ++shift) {
        int differ = 0, overlap = 0;
        for (int row = 0; row < kCodeRows; ++row) {
            const std::size_t base = static_cast<std::size_t>(row) * kRowBits;
            for (int col = 0; col < kCodeCols; ++col) {
                const int bcol = (col + shift + kCodeCols) % kCodeCols;
                const std::size_t ia = base + static_cast<std::size_t>(col) * kFilters;
                const std::size_t ib = base + static_cast<std::size_t>(bcol) * kFilters;
                for (int k = 0; k < kFilters; ++k) {
                    const int both = a.mask[ia + k] & b.mask[ib + k];
                    overlap += both;
                    differ += both & (a.bits[ia + k] ^ b.bits[ib + k]);
                }
            }
        }
        if (overlap >= kMinOverlap) best = std::min(best, static_cast<double>(differ) / overlap);
    }
    return best;
}

}  // namespace rekam::bio::iris
