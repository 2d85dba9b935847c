// Coarse eye localisation for quality checks: pupil circle and iris (limbus) radius.
#pragma once

#include <opencv2/core.hpp>
#include <optional>
#include <vector>

namespace rekam::bio::iris {

struct Circle {
    double x = 0, y = 0, r = 0;
};

// The square of half-side `reach` about `centre`, clipped to a frame of `frame` size: where a
// circle of radius up to `reach` about it can be measured.
cv::Rect square_around(cv::Point centre, int reach, cv::Size frame);

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
    Circle circle;    // px, same frame as the pupil; r 0 when nothing was found
    double step = 0;  // mean grey step across the boundary (iris to sclera) on its weaker side
};

// The limbus as a circle of its own: Daugman's integro-differential operator over centres near
// the pupil's and radii of 1.3 to 5 pupil radii (the physiological range of dilation), on the
// lateral arcs that eyelids rarely reach. The step is measured over a band (a NIR limbus is soft)
// and a circle scores by its weaker side: the limbus shows on both sides of the iris, the skin
// and eye corners beyond it on one side only.
Limbus find_limbus(const cv::Mat& grey, const Circle& pupil);

// The limbus found, placed to a pixel: the same operator with a narrow band over the circles
// within the wide band of `found`. Slower, so run on the eye chosen only.
Circle place_limbus(const cv::Mat& grey, const Circle& pupil, const Circle& found);

}  // namespace rekam::bio::iris
