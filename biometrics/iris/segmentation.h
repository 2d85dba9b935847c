// Iris segmentation of one NIR eye frame: pupil and limbus circles, eyelids, and the mask of
// usable iris pixels (eyelids, eyelashes and specular reflections removed).
#pragma once

#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "biometrics/image.h"
#include "biometrics/iris/locate.h"

namespace rekam::bio::iris {

// An eyelid as a parabola y = apex_y + curvature * (x - apex_x)^2 (input pixels). Upper lids
// have curvature >= 0 (lowest point... highest in the image at the apex), lower lids <= 0.
// `covers` is false when the lid stays outside the iris (apex_y then lies on the limbus).
struct Eyelid {
    double apex_x = 0, apex_y = 0, curvature = 0;
    bool covers = false;
    double y_at(double x) const { return apex_y + curvature * (x - apex_x) * (x - apex_x); }
};

struct Segmentation {
    bool found = false;
    Circle pupil;  // input pixels
    // The pupil's boundary as an ellipse (input pixels; width along `angle`): off-axis gaze
    // foreshortens the pupil, and the rubber sheet starts on this boundary. The circle's own
    // when the edge points say no more than the circle.
    cv::RotatedRect pupil_ellipse;
    Circle iris;  // limbus, input pixels; its centre may differ from the pupil's
    Eyelid upper_lid, lower_lid;
    // Usable iris pixels (255) of the working frame: the input shrunk by `scale` (<= 640 px).
    cv::Mat mask;
    double scale = 1.0;
    double usable_fraction = 0;      // mask area over the full pupil-to-limbus annulus
    double reflection_fraction = 0;  // of the annulus and pupil: bright specular pixels
    double lash_fraction = 0;        // of the annulus: dark eyelash pixels
    double pupil_circularity = 0;    // 0-100: 100 when every pupil edge point lies on the circle
    double gaze_deg = 0;             // from the pupil edge's ellipse: arccos(minor/major)
    double limbus_step = 0;          // grey step across the limbus (iris to sclera)
    // Off-axis gaze foreshortens the whole iris, not only the pupil: when the pupil ellipse says
    // so, the frame was stretched until the pupil is round (`to_frontal`, an affine map from this
    // frame's pixels) and segmented again there. `pupil` and `iris` in it are circles; `iris`
    // above is then the circle of the same area about the limbus's centre, and the mask and the
    // fractions come from the frontal view.
    struct Frontal {
        cv::Matx23d to_frontal;
        Circle pupil, iris;
    };
    std::optional<Frontal> frontal;
};

// The map from the frontal view back to this segmentation's pixels (the identity when the eye was
// not unwarped), and a point through such a map.
cv::Matx23d from_frontal(const Segmentation& s);
cv::Point2d map_point(const cv::Matx23d& a, cv::Point2d p);

// The pupil's or the limbus's boundary as `n` points round it (the segmentation's pixels): the
// pupil ellipse, the limbus circle, or for an unwarped eye the frontal circles seen in this frame.
std::vector<cv::Point2d> outline(const Segmentation& s, bool limbus, int n = 90);

// Segments one eye in an 8-bit grey working frame (geometry in that frame's pixels, scale 1).
Segmentation segment_grey(const cv::Mat& grey);

// Moves a working-frame segmentation's geometry into input pixels (scale = working / input).
void to_input_pixels(Segmentation& s, double scale);

// Any image (RGB is converted to grey; frames over 640 px are shrunk first, geometry is given back
// in input pixels). Throws std::invalid_argument when the buffer does not match its size.
Segmentation segment(const Image& image);

// The working frame segment() analyses: grey, at most 640 px on the longer side.
cv::Mat working_grey(const Image& image, double& scale);

// The median grey of `grey` (CV_8U) where `mask` is set (a histogram: exact and O(n)); `empty`
// when the mask selects nothing.
double masked_median(const cv::Mat& grey, const cv::Mat& mask, double empty = -1);

}  // namespace rekam::bio::iris
