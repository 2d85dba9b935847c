#include "biometrics/signature/ink.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace rekam::bio::signature {
namespace {
constexpr double kMmPerInch = 25.4;
// cv::line works on fixed-point coordinates with this many fractional bits: sub-pixel strokes.
constexpr int kShift = 4;
}  // namespace

Image render_ink(const PenTrace& tr, const InkStyle& style) {
    const auto& dev = tr.device;
    if (dev.x_units_per_mm <= 0 || dev.y_units_per_mm <= 0 || style.px_per_mm <= 0)
        throw std::invalid_argument("render_ink: the device resolution (units/mm) is unknown");
    std::int32_t x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    bool any = false;
    for (const auto& s : tr.samples) {
        if (!s.down) continue;
        if (!any) x0 = x1 = s.x, y0 = y1 = s.y, any = true;
        x0 = std::min(x0, s.x), x1 = std::max(x1, s.x);
        y0 = std::min(y0, s.y), y1 = std::max(y1, s.y);
    }
    if (style.whole_box) {
        x0 = tr.box.left, x1 = tr.box.right, y0 = tr.box.top, y1 = tr.box.bottom;
    } else if (!any) {
        return {};
    }
    const double sx = style.px_per_mm / dev.x_units_per_mm;
    const double sy = style.px_per_mm / dev.y_units_per_mm;
    const double max_w = 1.5 * style.nib_mm * style.px_per_mm;
    const int pad = style.margin_px + static_cast<int>(std::ceil(max_w / 2));
    const int w = static_cast<int>(std::ceil((x1 - x0) * sx)) + 2 * pad + 1;
    const int h = static_cast<int>(std::ceil((y1 - y0) * sy)) + 2 * pad + 1;
    cv::Mat ink(h, w, CV_8UC1, cv::Scalar(255));
    auto at = [&](const PenSample& s) {
        return cv::Point(static_cast<int>(std::lround(((s.x - x0) * sx + pad) * (1 << kShift))),
                         static_cast<int>(std::lround(((s.y - y0) * sy + pad) * (1 << kShift))));
    };
    auto width = [&](const PenSample& s) {
        const double p =
            dev.has_pressure()
                ? std::clamp((s.pressure - dev.pressure.min) / dev.pressure.span(), 0.0, 1.0)
                : 0.5;
        return std::max(1,
                        static_cast<int>(std::lround(style.nib_mm * (0.5 + p) * style.px_per_mm)));
    };
    const int line_type = style.bilevel ? cv::LINE_8 : cv::LINE_AA;
    const PenSample* prev = nullptr;
    for (const auto& s : tr.samples) {
        if (!s.down) {
            prev = nullptr;
            continue;
        }
        // A lone touch leaves a dot.
        const PenSample& from = prev ? *prev : s;
        cv::line(ink, at(from), at(s), cv::Scalar(0), width(s), line_type, kShift);
        prev = &s;
    }
    Image out = Image::grey(w, h, style.px_per_mm * kMmPerInch);
    std::copy(ink.datastart, ink.dataend, out.pixels.begin());
    return out;
}

}  // namespace rekam::bio::signature
