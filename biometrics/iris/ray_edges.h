// Boundary points on rays from a centre, and the circle most of them agree on: how the pupil and
// the limbus are placed to a fraction of a pixel once a search has found them roughly.
#pragma once

#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "biometrics/iris/locate.h"

namespace rekam::bio::iris {

// The radius (from `centre`, along the unit direction (dx, dy)) in [r_lo, r_hi] of the strongest
// dark-to-bright step of `grey` (CV_8U), the step taken between samples `half` px inside and
// outside, every half pixel, placed between samples by a parabola; nothing when no step reaches
// `min_step` grey levels or the ray leaves the frame first.
std::optional<double> edge_on_ray(const cv::Mat& grey, cv::Point2d centre, double dx, double dy,
                                  double r_lo, double r_hi, double half, double min_step);

// How far `p` lies from the circle `c`, in pixels.
double off_circle(const cv::Point2d& p, const Circle& c);

// Least-squares circle through points (Kasa's algebraic fit), or nothing when degenerate.
std::optional<Circle> fit_circle(const std::vector<cv::Point2d>& pts);

// The circle most points agree with (within `tolerance` px), refitted by least squares on them.
// `pts` must be in order round the boundary (triples a third of the way round each other are
// tried as seeds). `inliers` receives the points kept.
std::optional<Circle> consensus_circle(const std::vector<cv::Point2d>& pts, double tolerance,
                                       std::vector<cv::Point2d>& inliers);

}  // namespace rekam::bio::iris
