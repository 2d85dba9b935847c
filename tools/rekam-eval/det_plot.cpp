#include "tools/rekam-eval/det_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace rekam::eval {
namespace {

constexpr int kPanel = 520, kMargin = 70;
const cv::Scalar kInk(40, 40, 40), kGrid(215, 215, 215);
const cv::Scalar kColours[] = {{200, 80, 20}, {30, 30, 200}, {40, 150, 40}, {150, 40, 150}};

// A panel's plotting area and its axes' mapping from values to pixels.
struct Axes {
    cv::Rect area;
    double x0, x1, y0, y1;  // in axis units (log10 for the DET)
    cv::Point at(double x, double y) const {
        const double u = std::clamp((x - x0) / (x1 - x0), 0.0, 1.0);
        const double v = std::clamp((y - y0) / (y1 - y0), 0.0, 1.0);
        return {area.x + static_cast<int>(u * area.width),
                area.y + area.height - static_cast<int>(v * area.height)};
    }
};

void text(cv::Mat& img, const std::string& s, cv::Point p, double scale = 0.45,
          const cv::Scalar& colour = kInk) {
    cv::putText(img, s, p, cv::FONT_HERSHEY_SIMPLEX, scale, colour, 1, cv::LINE_AA);
}

std::string percent_label(double log10_rate) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g%%", 100.0 * std::pow(10.0, log10_rate));
    return buf;
}

void det_panel(cv::Mat& img, const Axes& ax, const std::vector<DetCurve>& curves) {
    for (double d = ax.x0; d <= ax.x1 + 1e-9; d += 1) {
        cv::line(img, ax.at(d, ax.y0), ax.at(d, ax.y1), kGrid);
        text(img, percent_label(d), ax.at(d, ax.y0) + cv::Point(-18, 18), 0.4);
    }
    for (double d = ax.y0; d <= ax.y1 + 1e-9; d += 1) {
        cv::line(img, ax.at(ax.x0, d), ax.at(ax.x1, d), kGrid);
        text(img, percent_label(d), ax.at(ax.x0, d) + cv::Point(-60, 5), 0.4);
    }
    cv::rectangle(img, ax.area, kInk);
    text(img, "FMR", {ax.area.x + ax.area.width / 2 - 15, ax.area.y + ax.area.height + 40});
    text(img, "FNMR", {ax.area.x - 60, ax.area.y - 12});
    const double floor = std::pow(10.0, ax.x0);
    for (std::size_t c = 0; c < curves.size(); ++c) {
        const cv::Scalar& colour = kColours[c % std::size(kColours)];
        std::vector<cv::Point> line;
        for (const Rates& r : curves[c].rates->det())
            line.push_back(ax.at(std::log10(std::max(r.fmr, floor)),
                                 std::log10(std::max(r.fnmr, std::pow(10.0, ax.y0)))));
        cv::polylines(img, line, false, colour, 2, cv::LINE_AA);
        text(img, curves[c].label, {ax.area.x + ax.area.width - 190, ax.area.y + 20 + 20 * int(c)},
             0.5, colour);
    }
}

void edc_panel(cv::Mat& img, const Axes& ax, const std::vector<EdcPoint>& edc) {
    for (int k = 0; k <= 4; ++k) {
        const double x = ax.x0 + (ax.x1 - ax.x0) * k / 4, y = ax.y0 + (ax.y1 - ax.y0) * k / 4;
        cv::line(img, ax.at(x, ax.y0), ax.at(x, ax.y1), kGrid);
        cv::line(img, ax.at(ax.x0, y), ax.at(ax.x1, y), kGrid);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.0f%%", 100 * x);
        text(img, buf, ax.at(x, ax.y0) + cv::Point(-12, 18), 0.4);
        std::snprintf(buf, sizeof buf, "%.1f%%", 100 * y);
        text(img, buf, ax.at(ax.x0, y) + cv::Point(-55, 5), 0.4);
    }
    cv::rectangle(img, ax.area, kInk);
    text(img, "prints discarded, lowest quality first",
         {ax.area.x + 60, ax.area.y + ax.area.height + 40});
    text(img, "FNMR at the threshold", {ax.area.x - 60, ax.area.y - 12});
    std::vector<cv::Point> line;
    for (const EdcPoint& p : edc) line.push_back(ax.at(p.discarded, p.fnmr));
    cv::polylines(img, line, false, kColours[0], 2, cv::LINE_AA);
}

}  // namespace

void draw_det(const std::string& file, const std::string& title,
              const std::vector<DetCurve>& curves, const std::vector<EdcPoint>& edc) {
    cv::Mat img(kPanel + 2 * kMargin, 2 * (kPanel + 2 * kMargin), CV_8UC3,
                cv::Scalar(255, 255, 255));
    text(img, title, {kMargin, 28}, 0.6);
    det_panel(img, {{kMargin, kMargin, kPanel, kPanel}, -5, 0, -3, 0}, curves);
    double top = 0.05;
    for (const EdcPoint& p : edc) top = std::max(top, p.fnmr);
    top = std::ceil(top * 20) / 20;  // to the next 5 %
    edc_panel(img, {{3 * kMargin + kPanel, kMargin, kPanel, kPanel}, 0, 0.2, 0, top}, edc);
    if (!cv::imwrite(file, img, {cv::IMWRITE_PNG_COMPRESSION, 9}))
        throw std::runtime_error("cannot write " + file);
}

}  // namespace rekam::eval
