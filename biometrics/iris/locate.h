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
// The `max_count` biggest such blobs, biggest first: a dark crypt or lash clump can outgrow the
// pupil, so the caller decides by the iris around each.
std::vector<Circle> find_pupil_candidates(const cv::Mat& grey, std::size_t max_count);

// The pupil radius moved to the strongest dark-to-bright step near the coarse one. `edge`, when
// given, receives the boundary points found (for circularity and gaze).
Circle refine_pupil(const cv::Mat& grey, const Circle& coarse,
                    std::vector<cv::Point2d>* edge = nullptr);

// When the "pupil" found is really a dark iris with its pupil inside (a dark iris merges with the
// pupil at low thresholds), the pupil as the strongest dark-to-bright step inside it, if any.
std::optional<Circle> inner_pupil(const cv::Mat& grey, const Circle& disc);

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
