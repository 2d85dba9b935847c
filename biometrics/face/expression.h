// Eyes open and mouth closed (ICAO 9303 / ISO/IEC 19794-5: eyes open, neutral expression, mouth
// closed), measured on the eye and mouth regions around the eye centres that also place the token
// image. Debian ships no facial landmark model (dlib's shape predictor file is not packaged), so
// these are intensity measures, normalised by the inter-eye distance d:
//
// - eye opening: an open eye shows the dark iris between the bright sclera and the lids, about
//   0.12-0.19 d high; a closed eye leaves only the lash line between lid skin, under 0.06 d. The
//   value is the height of the dark run through the eye centre, in the central columns.
// - mouth opening: closed lips meet in one thin dark line; an open mouth shows a dark cavity or
//   bright teeth between two lip lines. The value is the height of the band, around the darkest
//   row of the mouth region, that differs from the lips and skin around it.
//
// Where they fail: dark glasses and heavy glare hide the iris (eyes read as closed); a thick
// moustache or deep lip shadow widens the lip line; a head pitched far up or down moves the mouth
// out of the region searched (the pose checks fail first there).
#pragma once

#include <opencv2/core.hpp>

namespace rekam::bio::face {

// `grey` holds the face; the eye centre in its pixels. In inter-eye distances; 0 when the region
// lies outside `grey`.
double eye_opening(const cv::Mat& grey, const cv::Point2d& eye, double inter_eye);
// `rgb` (CV_8UC3) holds the face; the opening between the lips in inter-eye distances.
double mouth_opening(const cv::Mat& rgb, const cv::Point2d& right_eye, const cv::Point2d& left_eye);

}  // namespace rekam::bio::face
