#include "biometrics/face/quality.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <string>

#include "biometrics/cv_image.h"
#include "biometrics/face/skin.h"

namespace rekam::bio::face {
namespace {

constexpr int kMaxSide = 480;    // enough for exposure, skin and the background; keeps it cheap
constexpr int kFaceWidth = 128;  // sharpness is measured on the face at this width

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }
double ramp(double v, double lo, double hi) { return clamp01((v - lo) / (hi - lo)); }

cv::Mat working_rgb(const Image& image) {
    double scale = 1.0;
    const cv::Mat resized = shrink_to(image, kMaxSide, scale);
    if (resized.channels() == 3) return resized;
    cv::Mat rgb;
    cv::cvtColor(resized, rgb, cv::COLOR_GRAY2RGB);  // grey has no skin colour: face-not-found
    return rgb;
}

// Laplacian variance over luma variance on the face resampled to a fixed width: independent of
// brightness and of the frame resolution, so only detail (focus, motion) moves it. Only skin pixels
// away from the blob's border count: the face outline and the hair line stay edges under blur.
double sharpness(const cv::Mat& luma, const cv::Mat& skin) {
    if (luma.cols < 3 || luma.rows < 3) return 0;
    const int h =
        std::max(3, static_cast<int>(std::lround(luma.rows * double(kFaceWidth) / luma.cols)));
    cv::Mat face, mask, lap;
    cv::resize(luma, face, cv::Size(kFaceWidth, h), 0, 0,
               luma.cols > kFaceWidth ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Laplacian(face, lap, CV_32F, 3);
    if (!skin.empty()) {
        cv::resize(skin, mask, face.size(), 0, 0, cv::INTER_NEAREST);
        cv::erode(mask, mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
        if (cv::countNonZero(mask) < 50) mask.release();
    }
    cv::Scalar m, sd, lm, lsd;
    cv::meanStdDev(face, m, sd, mask);
    cv::meanStdDev(lap, lm, lsd, mask);
    return lsd[0] * lsd[0] / (sd[0] * sd[0] + 25.0);  // +25: flat patches are not "sharp"
}

// Luma std-dev of the top strip and the side strips down to mid-height (shoulders below).
double background_std(const cv::Mat& luma) {
    const int bw = std::max(1, luma.cols / 10), bh = std::max(1, luma.rows / 10);
    const int side_h = std::max(1, luma.rows / 2);
    cv::Mat strips;
    cv::Mat top = luma(cv::Rect(0, 0, luma.cols, bh)).clone().reshape(1, 1);
    cv::Mat left = luma(cv::Rect(0, 0, bw, side_h)).clone().reshape(1, 1);
    cv::Mat right = luma(cv::Rect(luma.cols - bw, 0, bw, side_h)).clone().reshape(1, 1);
    cv::hconcat(std::vector<cv::Mat>{top, left, right}, strips);
    cv::Scalar m, sd;
    cv::meanStdDev(strips, m, sd);
    return sd[0];
}

}  // namespace

Quality assess_quality(const Image& image) {
    Quality q;
    q.algorithm = kQualityAlgorithm;
    if (image.empty() && image.pixels.empty()) {
        q.feedback = {"face-not-found"};
        return q;
    }
    require_consistent(image, "face quality");

    const cv::Mat rgb = working_rgb(image);
    cv::Mat luma;
    cv::cvtColor(rgb, luma, cv::COLOR_RGB2GRAY);
    const SkinRegion skin = find_skin_region(rgb);
    // Without a face, judge the central region where the face should be.
    const cv::Rect centre(rgb.cols / 5, rgb.rows / 6, std::max(1, rgb.cols * 3 / 5),
                          std::max(1, rgb.rows * 2 / 3));
    const cv::Mat face = luma(skin.found ? skin.box : centre);

    cv::Scalar mean, sd;
    cv::meanStdDev(face, mean, sd);
    const double under = cv::countNonZero(face <= 16) / static_cast<double>(face.total());
    const double over = cv::countNonZero(face >= 245) / static_cast<double>(face.total());
    const double sharp = sharpness(face, skin.found ? skin.mask(skin.box) : cv::Mat());
    const double bg = background_std(luma);
    q.measures = {{"face_found", skin.found ? 1.0 : 0.0},
                  {"skin_fraction", skin.fraction},
                  {"luma_mean", mean[0]},
                  {"under_fraction", under},
                  {"over_fraction", over},
                  {"sharpness", sharp},
                  {"contrast", sd[0]},
                  {"background_std", bg}};

    // Terms in 0-1; ranges chosen on the face_recognition and dlib photos (tests/unit/quality).
    const double exposure_t =
        std::min(ramp(mean[0], 40.0, 90.0), 1.0 - ramp(mean[0], 190.0, 235.0)) *
        (1.0 - ramp(under + over, 0.05, 0.3));
    const double sharp_t = ramp(sharp, 0.1, 1.0);
    const double contrast_t = ramp(sd[0], 8.0, 35.0);
    const double bg_t = 1.0 - ramp(bg, 15.0, 60.0);
    double score = 100.0 * (0.35 * sharp_t + 0.15 * contrast_t + 0.2 * bg_t + 0.3 * exposure_t) *
                   (0.3 + 0.7 * exposure_t);
    if (!skin.found) score = std::min(score * 0.1, 10.0);
    q.score = static_cast<int>(std::lround(std::clamp(score, 0.0, 100.0)));

    if (!skin.found) q.feedback.emplace_back("face-not-found");
    if (mean[0] < 70 || under > 0.2) q.feedback.emplace_back("underexposed");
    if (mean[0] > 200 || over > 0.2) q.feedback.emplace_back("overexposed");
    if (skin.found && sharp_t < 0.3) q.feedback.emplace_back("blurred");
    if (bg_t < 0.5) q.feedback.emplace_back("background-not-uniform");
    if (q.feedback.empty()) q.feedback.emplace_back("good");
    return q;
}

}  // namespace rekam::bio::face
