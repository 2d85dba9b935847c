// Coarse eye localisation for quality checks: pupil circle and iris (limbus) radius.
#pragma once

#include <opencv2/core.hpp>
#include <optional>
#include <vector>

namespace rekam::bio::iris {

struct Circle {
    double x = 0, y = 0, r = 0;
};

// The darkest compact round blob of an 8-bit grey frame, or nothing.
std::optional<Circle> find_pupil(const cv::Mat& grey);

// The pupil radius moved to the strongest dark-to-bright step near the coarse one. `edge`, when
// given, receives the boundary points found (for circularity and gaze).
Circle refine_pupil(const cv::Mat& grey, const Circle& coarse,
                    std::vector<cv::Point2d>* edge = nullptr);

struct Limbus {
    double radius = 0;  // px, same frame as the pupil
    double step = 0;    // mean grey step across the boundary (iris to sclera)
};

// Radius with the strongest dark-to-bright step on the lateral arcs (eyelids rarely cover them),
// searched between 1.4 and 5 pupil radii (the physiological range of pupil dilation).
Limbus find_limbus(const cv::Mat& grey, const Circle& pupil);

// The limbus as a circle of its own (Daugman's integro-differential operator on the lateral arcs):
// centre within 12 % of `radius` of the pupil centre, radius within 12 % of `radius`.
Circle fit_limbus(const cv::Mat& grey, const Circle& pupil, double radius, double* step = nullptr);

}  // namespace rekam::bio::iris
