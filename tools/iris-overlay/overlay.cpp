#include "overlay.h"

#include <cmath>
#include <opencv2/imgproc.hpp>
#include <string>

#include "biometrics/cv_image.h"

namespace rekam::tools {
namespace {

using bio::iris::Analysis;

cv::Point at(double x, double y, int dx) {
    return {static_cast<int>(std::lround(x)) + dx, static_cast<int>(std::lround(y))};
}

void draw_eye(cv::Mat& out, const Analysis& a, int dx, int half_width, const char* label) {
    const auto& s = a.segmentation;
    const double thick = std::max(1.0, out.cols / 640.0);
    const int t = static_cast<int>(thick);
    // Unusable iris pixels (eyelids, lashes, reflections) tinted blue: the mask lives in the
    // working frame, so it is scaled back to the input size first.
    cv::Mat usable;
    cv::resize(s.mask, usable, cv::Size(half_width, out.rows), 0, 0, cv::INTER_NEAREST);
    // Outlines: ellipses where the gaze is off-axis.
    const auto outline = [&](bool limbus, int shift) {
        std::vector<cv::Point> pts;
        for (const cv::Point2d& p : bio::iris::outline(s, limbus))
            pts.push_back(at(p.x, p.y, shift));
        return pts;
    };
    cv::Mat annulus = cv::Mat::zeros(usable.size(), CV_8U);
    cv::fillPoly(annulus, std::vector{outline(true, 0)}, 255);
    cv::fillPoly(annulus, std::vector{outline(false, 0)}, 0);
    cv::Mat lost = annulus & ~usable;
    cv::Mat roi = out(cv::Rect(dx, 0, half_width, out.rows));
    cv::Mat tint(roi.size(), roi.type(), cv::Scalar(255, 80, 0));
    cv::Mat blended;
    cv::addWeighted(roi, 0.55, tint, 0.45, 0, blended);
    blended.copyTo(roi, lost);

    cv::polylines(out, outline(false, dx), true, cv::Scalar(0, 220, 0), t, cv::LINE_AA);
    cv::polylines(out, outline(true, dx), true, cv::Scalar(0, 0, 255), t, cv::LINE_AA);
    cv::drawMarker(out, at(s.pupil.x, s.pupil.y, dx), cv::Scalar(0, 220, 0), cv::MARKER_CROSS,
                   8 * t, t);
    for (const auto* lid : {&s.upper_lid, &s.lower_lid}) {
        if (!lid->covers) continue;
        std::vector<cv::Point> pts;
        for (double x = s.iris.x - s.iris.r; x <= s.iris.x + s.iris.r; x += 2)
            pts.push_back(at(x, lid->y_at(x), dx));
        cv::polylines(out, pts, false, cv::Scalar(0, 230, 255), t, cv::LINE_AA);
    }
    std::string text = std::string(label) + " " + std::to_string(a.quality.score);
    for (std::size_t i = 0; i < a.quality.feedback.size() && i < 2; ++i)
        text += " " + a.quality.feedback[i];
    cv::putText(out, text, cv::Point(dx + 8, out.rows - 10), cv::FONT_HERSHEY_SIMPLEX, 0.6 * thick,
                cv::Scalar(0, 255, 255), t, cv::LINE_AA);
}

}  // namespace

cv::Mat draw_overlay(const bio::Image& image, const bio::iris::EyePair& eyes) {
    const cv::Mat src = bio::wrap(image);
    cv::Mat out;
    cv::cvtColor(src, out, image.channels == 1 ? cv::COLOR_GRAY2BGR : cv::COLOR_RGB2BGR);
    const bool pair = eyes.left_offset_x > 0;
    const int right_w = pair ? eyes.left_offset_x : image.width;
    const auto none = [&](int dx, const char* label) {
        cv::putText(out, std::string(label) + " 0 eye-not-found", cv::Point(dx + 8, out.rows - 10),
                    cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(0, 0, 255), 1, cv::LINE_AA);
    };
    if (eyes.right)
        draw_eye(out, *eyes.right, 0, right_w, pair ? "right" : "eye");
    else if (!eyes.left || pair)
        none(0, pair ? "right" : "eye");
    if (eyes.left)
        draw_eye(out, *eyes.left, eyes.left_offset_x, image.width - eyes.left_offset_x,
                 pair ? "left" : "eye");
    else if (pair)
        none(eyes.left_offset_x, "left");
    return out;
}

}  // namespace rekam::tools
