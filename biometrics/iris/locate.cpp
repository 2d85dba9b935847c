#include "biometrics/iris/locate.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "biometrics/cv_image.h"
#include "biometrics/iris/ray_edges.h"

namespace rekam::bio::iris {
namespace {

constexpr double kPi = std::numbers::pi;
// Specular reflections of the camera's illuminators: near white in every NIR frame seen.
constexpr int kGlare = 200;

struct Blob {
    double x = 0, y = 0, r = 0, area = 0;  // half-resolution pixels
    double grey = 0;                       // mean grey inside
    double roundness = 0;                  // inscribed over area-equivalent radius
};

// The biggest inscribed disc of every dark component of `mask`, with how round the component is
// (the disc's radius over the area-equivalent radius: 1 for a disc, 0.7 for a 2:1 ellipse). The
// inscribed disc ignores eyelashes and lids joined to the pupil, and the frame edge cutting a
// shadow; filling the contour ignores specular reflections inside the pupil.
std::vector<Blob> dark_discs(const cv::Mat& grey, const cv::Mat& mask, double max_r) {
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    std::vector<Blob> out;
    for (std::size_t i = 0; i < contours.size(); ++i) {
        const cv::Rect box = cv::boundingRect(contours[i]);
        if (box.width < 6 || box.height < 6) continue;  // no disc of radius 3 fits
        const double area = cv::contourArea(contours[i]);
        if (area < kPi * 9) continue;
        // Filled (reflections inside a pupil are no holes), with a 1 px empty border so that the
        // frame's edge bounds a disc like any other edge.
        cv::Mat filled = cv::Mat::zeros(box.height + 2, box.width + 2, CV_8U);
        cv::drawContours(filled, contours, static_cast<int>(i), 255, cv::FILLED, cv::LINE_8,
                         cv::noArray(), 0, cv::Point(1 - box.x, 1 - box.y));
        cv::Mat dist;
        cv::distanceTransform(filled, dist, cv::DIST_L2, cv::DIST_MASK_PRECISE);
        double r_in = 0;
        cv::Point at;
        cv::minMaxLoc(dist, nullptr, &r_in, nullptr, &at);
        if (r_in < 3 || r_in > max_r) continue;
        const cv::Point centre(at.x + box.x - 1, at.y + box.y - 1);
        // The disc's own darkness: what joins it (lashes, lids) must not lighten a pupil.
        const int r = static_cast<int>(r_in);
        const cv::Rect around = square_around(centre, r, grey.size());
        cv::Mat disc = cv::Mat::zeros(around.size(), CV_8U);
        cv::circle(disc, centre - around.tl(), r, 255, cv::FILLED);
        const double mean = cv::mean(grey(around), disc)[0];
        out.push_back(Blob{static_cast<double>(centre.x), static_cast<double>(centre.y), r_in, area,
                           mean, r_in / std::sqrt(area / kPi)});
    }
    return out;
}

}  // namespace

cv::Rect square_around(cv::Point centre, int reach, cv::Size frame) {
    return cv::Rect(centre.x - reach, centre.y - reach, 2 * reach + 1, 2 * reach + 1) &
           cv::Rect(cv::Point(0, 0), frame);
}

std::optional<Circle> find_pupil(const cv::Mat& grey) {
    const auto all = find_pupil_candidates(grey, 1);
    if (all.empty()) return std::nullopt;
    return all.front();
}

std::vector<Circle> find_pupil_candidates(const cv::Mat& grey, std::size_t max_count) {
    // Half resolution is plenty to find a blob; the radius is refined at full resolution after.
    if (grey.cols < 16 || grey.rows < 16) return {};
    cv::Mat small;
    cv::resize(grey, small, cv::Size(grey.cols / 2, grey.rows / 2), 0, 0, cv::INTER_AREA);
    // A grey opening erases specular reflections (small bright spots, often on the pupil's rim)
    // so that they do not bite notches into the pupil; dark shapes stay as they are.
    cv::morphologyEx(small, small, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(7, 7)));
    cv::GaussianBlur(small, small, cv::Size(5, 5), 0);

    double lo = 0, hi = 0;
    cv::minMaxLoc(small, &lo, &hi);
    const double med = percentile(small, 0.5);
    if (med - lo < 8) return {};  // flat frame: nothing dark stands out

    // Raise a dark threshold from the minimum to half-way to the median and follow each round blob
    // as it grows: pupil fragments join into the pupil, which keeps its shape and its darkness over
    // several steps (its edge is sharp). A blob that swallows a tracked one but is clearly lighter
    // than it was (the iris disc around the pupil) is a merger and ends that track. Of the blobs
    // seen at two steps or more, the biggest wins: lash clumps, nostrils and letters are smaller.
    constexpr int kSteps = 10;
    const double max_r = std::min(small.cols, small.rows) / 3.0;
    const double lighter = 0.2 * (med - lo);
    const cv::Mat open_kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3));
    struct Track {
        Blob first, last, roundest;
        int steps = 1;
        bool closed = false;
    };
    std::vector<Track> tracks;
    for (int k = 1; k <= kSteps; ++k) {
        const double t = lo + k * (med - lo) / (2.0 * kSteps);
        cv::Mat mask = small <= t;
        cv::morphologyEx(mask, mask, cv::MORPH_OPEN, open_kernel);  // cut eyelashes loose
        for (const Blob& b : dark_discs(small, mask, max_r)) {
            Track* grows = nullptr;
            bool merger = false;
            for (Track& tr : tracks) {
                if (tr.closed || std::hypot(b.x - tr.last.x, b.y - tr.last.y) > b.r) continue;
                if (b.grey > tr.first.grey + lighter) {
                    tr.closed = merger = true;
                } else if (!grows || tr.last.area > grows->last.area) {
                    if (grows) grows->closed = true;  // two fragments joined: keep the bigger
                    grows = &tr;
                }
            }
            if (merger) continue;
            if (grows) {
                grows->last = b, ++grows->steps;
                // The pupil alone is the roundest stage; later ones pick up dark iris or lashes.
                if (b.roundness >= 0.97 * grows->roundest.roundness) grows->roundest = b;
            } else {
                tracks.push_back(Track{b, b, b});
            }
        }
    }
    std::vector<const Track*> kept;
    for (const Track& tr : tracks)
        // A pupil is round at some stage, even when lashes join it later.
        if (tr.steps >= 2 && tr.roundest.roundness >= 0.75) kept.push_back(&tr);
    std::sort(kept.begin(), kept.end(),
              [](const Track* a, const Track* b) { return a->roundest.r > b->roundest.r; });
    std::vector<Circle> out;
    for (std::size_t i = 0; i < kept.size() && i < max_count; ++i) {
        const Blob& p = kept[i]->roundest;
        out.push_back(Circle{p.x * 2 + 1, p.y * 2 + 1, p.r * 2});
    }
    return out;
}

namespace {

// Mean grey along arcs of radius r (angles in degrees, 0 = right, 90 = down) for r in [r0, r1],
// or -1 where fewer than a third of the samples fall inside the frame.
std::vector<double> radial_profile(const cv::Mat& smooth, double cx, double cy, int r0, int r1,
                                   const std::vector<double>& angles) {
    std::vector<double> profile(static_cast<std::size_t>(r1 + 1), -1.0);
    std::vector<double> cs, sn;
    for (double a : angles)
        cs.push_back(std::cos(a * kPi / 180)), sn.push_back(std::sin(a * kPi / 180));
    for (int r = std::max(1, r0); r <= r1; ++r) {
        double sum = 0;
        std::size_t n = 0;
        for (std::size_t i = 0; i < cs.size(); ++i) {
            const int x = static_cast<int>(std::lround(cx + r * cs[i]));
            const int y = static_cast<int>(std::lround(cy + r * sn[i]));
            if (x < 0 || y < 0 || x >= smooth.cols || y >= smooth.rows) continue;
            sum += smooth.at<std::uint8_t>(y, x);
            ++n;
        }
        if (3 * n >= cs.size()) profile[static_cast<std::size_t>(r)] = sum / static_cast<double>(n);
    }
    return profile;
}

struct Step {
    double radius = 0, step = 0;
};

// The radius in [r_lo, r_hi] with the largest dark-to-bright step (over +-2 px) of the profile.
Step strongest_step(const std::vector<double>& profile, int r_lo, int r_hi) {
    Step best;
    for (int r = std::max(2, r_lo); r <= r_hi && r + 2 < static_cast<int>(profile.size()); ++r) {
        const double in = profile[static_cast<std::size_t>(r - 2)];
        const double out = profile[static_cast<std::size_t>(r + 2)];
        if (in >= 0 && out >= 0 && out - in > best.step)
            best = Step{static_cast<double>(r), out - in};
    }
    return best;
}

std::vector<double> angles_between(double from, double to, int n) {
    std::vector<double> a;
    for (int i = 0; i < n; ++i) a.push_back(from + (to - from) * i / std::max(1, n - 1));
    return a;
}

}  // namespace

Circle refine_pupil(const cv::Mat& grey, const Circle& coarse, std::vector<cv::Point2d>* edge_out) {
    // Around the pupil only: the search reaches 1.5 radii.
    const int reach = static_cast<int>(coarse.r * 1.6) + 4;
    const cv::Rect roi = square_around(
        cv::Point(static_cast<int>(coarse.x), static_cast<int>(coarse.y)), reach, grey.size());
    if (roi.width < 8 || roi.height < 8) return coarse;
    // Specular reflections sit on the pupil and on its rim, where they bite notches into the
    // boundary and pulled the old circle small and away from them. Near-white pixels (and a
    // 2 px seam around them) take the value of a grey opening, which erases bright spots smaller
    // than it; elsewhere the frame is left alone, since an opening would also darken the iris's
    // fine bright fibres next to the pupil and move the edge outwards.
    const int k = std::clamp(static_cast<int>(coarse.r * 0.4) | 1, 5, 15);
    cv::Mat clean = grey(roi).clone(), opened, glare;
    cv::morphologyEx(clean, opened, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(k, k)));
    cv::dilate(clean >= kGlare, glare,
               cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
    opened.copyTo(clean, glare);
    cv::GaussianBlur(clean, clean, cv::Size(3, 3), 0);
    const double ox = coarse.x - roi.x, oy = coarse.y - roi.y;

    // On rays all round, the edge is the strongest dark-to-bright step (over +-1.5 px) between
    // 0.6 and 1.5 coarse radii.
    constexpr int kRays = 72;
    const double r_lo = std::max(2.0, coarse.r * 0.6), r_hi = coarse.r * 1.5 + 2;
    std::vector<cv::Point2d> edge;
    for (int a = 0; a < kRays; ++a) {
        const double th = 2 * kPi * a / kRays, c = std::cos(th), sn = std::sin(th);
        const auto r = edge_on_ray(clean, {ox, oy}, c, sn, r_lo, r_hi, 1.5, 4);
        if (r) edge.emplace_back(coarse.x + *r * c, coarse.y + *r * sn);
    }
    std::vector<cv::Point2d> inliers;
    const auto fit = edge.size() >= 12
                         ? consensus_circle(edge, std::max(1.0, 0.03 * coarse.r), inliers)
                         : std::nullopt;
    if (edge_out) *edge_out = edge;
    // Keep the coarse circle when the fit wandered off (too few true edge points).
    if (!fit || inliers.size() < kRays / 3 ||
        std::hypot(fit->x - coarse.x, fit->y - coarse.y) > 0.5 * coarse.r ||
        std::abs(fit->r - coarse.r) > 0.5 * coarse.r)
        return coarse;
    return *fit;
}

std::optional<Circle> inner_pupil(const cv::Mat& grey, const Circle& disc) {
    cv::Mat smooth;
    cv::GaussianBlur(grey, smooth, cv::Size(5, 5), 0);
    const auto angles = angles_between(-30, 210, 33);  // the lower two thirds: no upper lid
    const int r_hi = static_cast<int>(disc.r * 0.8);
    const auto profile = radial_profile(smooth, disc.x, disc.y, 1, r_hi + 2, angles);
    const Step inner = strongest_step(profile, std::max(4, static_cast<int>(disc.r * 0.2)), r_hi);
    if (inner.radius <= 0 || inner.step < 10) return std::nullopt;
    return refine_pupil(grey, Circle{disc.x, disc.y, inner.radius});
}

}  // namespace rekam::bio::iris
