#include "biometrics/face/expression.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "biometrics/cv_image.h"

namespace rekam::bio::face {
namespace {

constexpr double kUnit = 60;  // px per inter-eye distance the regions are resampled to

// The region of `grey` centred at `c`, w x h inter-eye distances, resampled at kUnit px per d;
// empty when it is not wholly inside.
cv::Mat region(const cv::Mat& grey, cv::Point2d c, double d, double w, double h) {
    const cv::Rect r(static_cast<int>(std::lround(c.x - w * d / 2)),
                     static_cast<int>(std::lround(c.y - h * d / 2)),
                     static_cast<int>(std::lround(w * d)), static_cast<int>(std::lround(h * d)));
    if (d <= 0 || r.width < 4 || r.height < 4 || (r & cv::Rect(0, 0, grey.cols, grey.rows)) != r)
        return {};
    cv::Mat out;
    cv::resize(grey(r), out,
               cv::Size(static_cast<int>(std::lround(w * kUnit)),
                        static_cast<int>(std::lround(h * kUnit))),
               0, 0, r.width > w * kUnit ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::GaussianBlur(out, out, cv::Size(3, 3), 0);
    return out;
}

// Length of the run of `dark` rows through row `from` (searching +-`near` rows for a dark one).
int run_through(const std::vector<bool>& dark, int from, int near) {
    const int n = static_cast<int>(dark.size());
    int start = -1;
    for (int k = 0; k <= near && start < 0; ++k)
        for (int y : {from - k, from + k})
            if (y >= 0 && y < n && dark[static_cast<std::size_t>(y)]) {
                start = y;
                break;
            }
    if (start < 0) return 0;
    int a = start, b = start;
    while (a > 0 && dark[static_cast<std::size_t>(a - 1)]) --a;
    while (b < n - 1 && dark[static_cast<std::size_t>(b + 1)]) ++b;
    return b - a + 1;
}

}  // namespace

double eye_opening(const cv::Mat& grey, const cv::Point2d& eye, double inter_eye) {
    // 0.5 d wide (the eye is about 0.45 d), 0.4 d high: the lids but not the brow.
    const cv::Mat eye_region = region(grey, eye, inter_eye, 0.5, 0.4);
    if (eye_region.empty()) return 0;
    // Iris, pupil and lashes are the darkest tenth; lid skin and sclera the brighter half.
    const double lo = percentile(eye_region, 0.05), hi = percentile(eye_region, 0.6);
    const double threshold = lo + 0.5 * (hi - lo);
    const int cx = eye_region.cols / 2, cy = eye_region.rows / 2;
    const int half = static_cast<int>(0.06 * kUnit);
    std::vector<int> heights;
    for (int x = cx - half; x <= cx + half; ++x) {
        std::vector<bool> dark(static_cast<std::size_t>(eye_region.rows));
        for (int y = 0; y < eye_region.rows; ++y)
            dark[static_cast<std::size_t>(y)] = eye_region.at<std::uint8_t>(y, x) < threshold;
        heights.push_back(run_through(dark, cy, static_cast<int>(0.06 * kUnit)));
    }
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    // An iris is a blob with sclera or lid either side; a brow or a lash line (where the eye
    // centre lands when the eye is shut) is a band across the whole region. Measured on the
    // darkest row near the centre.
    int row = cy;
    double darkest = 256;
    for (int y = std::max(0, cy - half); y <= std::min(eye_region.rows - 1, cy + half); ++y)
        if (const double v = cv::mean(eye_region.row(y).colRange(cx - half, cx + half + 1))[0];
            v < darkest)
            darkest = v, row = y;
    std::vector<bool> across(static_cast<std::size_t>(eye_region.cols));
    for (int x = 0; x < eye_region.cols; ++x)
        across[static_cast<std::size_t>(x)] = eye_region.at<std::uint8_t>(row, x) < threshold;
    if (run_through(across, cx, half) >= eye_region.cols - 2) return 0;
    return heights[heights.size() / 2] / kUnit;
}

double mouth_opening(const cv::Mat& rgb, const cv::Point2d& right_eye,
                     const cv::Point2d& left_eye) {
    const cv::Point2d along = left_eye - right_eye;
    const double d = cv::norm(along);
    if (d <= 0 || rgb.type() != CV_8UC3) return 0;
    // The mouth sits about 1.05 d below the eye midpoint, square to the eye line; 0.6 d high
    // covers both lips and some skin whatever the face's proportions.
    const cv::Point2d down(-along.y / d, along.x / d);
    const cv::Mat mouth =
        region(rgb, (right_eye + left_eye) * 0.5 + down * (1.05 * d), d, 0.5, 0.6);
    if (mouth.empty()) return 0;
    cv::Mat grey, hsv;
    cv::cvtColor(mouth, grey, cv::COLOR_RGB2GRAY);
    cv::cvtColor(mouth, hsv, cv::COLOR_RGB2HSV);
    // The lip line: the darkest row of the central 0.3 d.
    const cv::Mat centre =
        grey.colRange(static_cast<int>(0.1 * kUnit), static_cast<int>(0.4 * kUnit));
    int line = 0;
    double darkest = 256;
    for (int y = 0; y < centre.rows; ++y)
        if (const double m = cv::mean(centre.row(y))[0]; m < darkest) darkest = m, line = y;
    std::vector<cv::Mat> planes;
    cv::split(hsv, planes);
    const double skin_luma = percentile(grey, 0.5), skin_sat = percentile(planes[1], 0.5);
    // Between the lips, 0.12 d either side of the line and 0.4 d wide: a dark cavity (under half
    // the skin's luma) or teeth (as bright as skin, under half its saturation).
    const int reach = static_cast<int>(0.12 * kUnit);
    const cv::Rect inner = cv::Rect(static_cast<int>(0.05 * kUnit), line - reach,
                                    static_cast<int>(0.4 * kUnit), 2 * reach + 1) &
                           cv::Rect(0, 0, grey.cols, grey.rows);
    // Rows where a third or more of the band is open: one or two for the line where closed lips
    // meet, however dark it is drawn.
    int open_rows = 0;
    for (int y = inner.y; y < inner.br().y; ++y) {
        int open = 0;
        for (int x = inner.x; x < inner.br().x; ++x) {
            const double v = grey.at<std::uint8_t>(y, x);
            const double sat = planes[1].at<std::uint8_t>(y, x);
            open += v < 0.5 * skin_luma || (v > 0.85 * skin_luma && sat < 0.5 * skin_sat);
        }
        open_rows += 3 * open >= inner.width;
    }
    return open_rows / kUnit;
}

}  // namespace rekam::bio::face
