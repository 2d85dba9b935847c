#include "tools/rekamctl/capture_overlay.h"

#include <cmath>
#include <numbers>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <type_traits>

#include "biometrics/records/finger_minutiae_record.h"

namespace rekam::ctl {
namespace {

cv::Point at(double x, double y) {
    return {static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y))};
}

// A coordinate of the result, whatever numeric type it came as; 0 when absent.
double number(const bus::Dict& dict, const std::string& key) {
    for (const auto& [k, v] : dict)
        if (k == key)
            return std::visit(
                [](const auto& x) -> double {
                    if constexpr (std::is_arithmetic_v<std::decay_t<decltype(x)>>)
                        return static_cast<double>(x);
                    else
                        return 0;
                },
                v.v);
    return 0;
}

void draw_minutiae(cv::Mat& out, const std::vector<std::uint8_t>& record, int thickness) {
    const auto decoded = bio::decode_finger_minutiae_record(record);
    const int radius = std::max(4, out.cols / 80);
    for (const auto& view : decoded.views)
        for (const auto& m : view.minutiae) {
            // ISO angles count counter-clockwise in 360/256 degree units; image y points down.
            const double a = m.angle * 2 * std::numbers::pi / 256;
            const cv::Scalar colour = m.type == 1   ? cv::Scalar(0, 0, 230)   // ending: red
                                      : m.type == 2 ? cv::Scalar(230, 80, 0)  // bifurcation: blue
                                                    : cv::Scalar(0, 170, 0);  // other: green
            cv::circle(out, at(m.x, m.y), radius, colour, thickness, cv::LINE_AA);
            cv::line(out, at(m.x + radius * std::cos(a), m.y - radius * std::sin(a)),
                     at(m.x + 3 * radius * std::cos(a), m.y - 3 * radius * std::sin(a)), colour,
                     thickness, cv::LINE_AA);
        }
}

void draw_circle(cv::Mat& out, const bus::Dict& circle, const cv::Scalar& colour, int thickness) {
    const double x = number(circle, "x"), y = number(circle, "y"), r = number(circle, "r");
    cv::circle(out, at(x, y), static_cast<int>(std::lround(r)), colour, thickness, cv::LINE_AA);
    cv::drawMarker(out, at(x, y), colour, cv::MARKER_CROSS, 8 * thickness, thickness);
}

}  // namespace

std::vector<std::uint8_t> draw_capture_overlay(const std::vector<std::uint8_t>& png,
                                               const bus::Arguments& result) {
    cv::Mat out = cv::imdecode(png, cv::IMREAD_COLOR);
    if (out.empty()) throw std::runtime_error("the test capture's image is not a readable PNG");
    const int thickness = std::max(1, out.cols / 400);
    if (result.has("minutiae-record"))
        draw_minutiae(out, result.get_bytes("minutiae-record"), thickness);
    if (result.has("pupil")) draw_circle(out, result.get_dict("pupil"), {0, 220, 0}, thickness);
    if (result.has("iris")) draw_circle(out, result.get_dict("iris"), {0, 0, 255}, thickness);
    if (result.has("eyes")) {
        const auto& eyes = result.get_dict("eyes");
        for (const char* side : {"left", "right"})
            cv::drawMarker(
                out,
                at(number(eyes, std::string(side) + "-x"), number(eyes, std::string(side) + "-y")),
                {0, 220, 0}, cv::MARKER_CROSS, 12 * thickness, thickness);
    }
    std::string text =
        result.get_string("position") + "  score " + std::to_string(result.get_u32("score"));
    const double scale = std::max(0.4, out.cols / 800.0);
    cv::putText(out, text, {8, static_cast<int>(24 * scale)}, cv::FONT_HERSHEY_SIMPLEX, scale,
                {255, 255, 255}, 3 * thickness, cv::LINE_AA);
    cv::putText(out, text, {8, static_cast<int>(24 * scale)}, cv::FONT_HERSHEY_SIMPLEX, scale,
                {0, 0, 0}, thickness, cv::LINE_AA);
    std::vector<std::uint8_t> encoded;
    if (!cv::imencode(".png", out, encoded)) throw std::runtime_error("cannot encode the overlay");
    return encoded;
}

}  // namespace rekam::ctl
