#include "biometrics/iris/locate.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace rekam::bio::iris {
namespace {

constexpr double kPi = std::numbers::pi;

double median_of(const cv::Mat& m) {
    std::vector<std::uint8_t> v(m.begin<std::uint8_t>(), m.end<std::uint8_t>());
    if (v.empty()) return 0;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

}  // namespace

namespace {

struct Blob {
    double x = 0, y = 0, r = 0, area = 0;  // half-resolution pixels
    double grey = 0;                       // mean grey inside
    double roundness = 0;                  // inscribed over area-equivalent radius
};

// Round dark blobs of `mask`: not cut by the frame edge, and round by the ratio of the inscribed
// radius to the area-equivalent radius (1 for a disc, 0.7 for a 2:1 ellipse). The inscribed circle
// ignores eyelashes hanging on the pupil; filling the contour ignores specular reflections.
std::vector<Blob> round_blobs(const cv::Mat& grey, const cv::Mat& mask, double max_r) {
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    std::vector<Blob> out;
    for (std::size_t i = 0; i < contours.size(); ++i) {
        const double area = cv::contourArea(contours[i]);
        const double r_eq = std::sqrt(area / kPi);
        if (r_eq < 3 || r_eq > max_r) continue;
        const cv::Rect box = cv::boundingRect(contours[i]);
        if (box.x < 1 || box.y < 1 || box.br().x > mask.cols - 1 || box.br().y > mask.rows - 1)
            continue;  // cut by the frame edge: shadows, hair, corners
        cv::Mat filled = cv::Mat::zeros(box.height + 2, box.width + 2, CV_8U);
        cv::drawContours(filled, contours, static_cast<int>(i), 255, cv::FILLED, cv::LINE_8,
                         cv::noArray(), 0, cv::Point(1 - box.x, 1 - box.y));
        cv::Mat dist;
        cv::distanceTransform(filled, dist, cv::DIST_L2, cv::DIST_MASK_PRECISE);
        double r_in = 0;
        cv::Point at;
        cv::minMaxLoc(dist, nullptr, &r_in, nullptr, &at);
        if (r_in / r_eq < 0.75) continue;  // not round: eyelashes, brows, eye corners
        const double mean = cv::mean(grey(box), filled(cv::Rect(1, 1, box.width, box.height)))[0];
        out.push_back(Blob{at.x + box.x - 1.0, at.y + box.y - 1.0, r_in, area, mean, r_in / r_eq});
    }
    return out;
}

}  // namespace

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
    const double med = median_of(small);
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
        for (const Blob& b : round_blobs(small, mask, max_r)) {
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
        if (tr.steps >= 2) kept.push_back(&tr);
    std::sort(kept.begin(), kept.end(),
              [](const Track* a, const Track* b) { return a->last.area > b->last.area; });
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

// The radius in [r_lo, r_hi] with the largest dark-to-bright step (over +-2 px) of the profile.
Limbus strongest_step(const std::vector<double>& profile, int r_lo, int r_hi) {
    Limbus best;
    for (int r = std::max(2, r_lo); r <= r_hi && r + 2 < static_cast<int>(profile.size()); ++r) {
        const double in = profile[static_cast<std::size_t>(r - 2)];
        const double out = profile[static_cast<std::size_t>(r + 2)];
        if (in >= 0 && out >= 0 && out - in > best.step)
            best = Limbus{static_cast<double>(r), out - in};
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
    cv::Mat smooth;
    cv::GaussianBlur(grey, smooth, cv::Size(3, 3), 0);
    // On each ray of the lower two thirds (the upper lid and lashes often lie on the pupil's top),
    // the strongest dark-to-bright step near the coarse radius is an edge point; a least-squares
    // circle through them (Kasa fit) gives the centre and radius at full resolution.
    const int r_lo = static_cast<int>(coarse.r * 0.7), r_hi = static_cast<int>(coarse.r * 1.4) + 2;
    std::vector<cv::Point2d> edge;
    for (double a : angles_between(-30, 210, 48)) {
        const auto profile = radial_profile(smooth, coarse.x, coarse.y, r_lo - 2, r_hi + 2, {a});
        const Limbus step = strongest_step(profile, r_lo, r_hi);
        if (step.radius > 0)
            edge.emplace_back(coarse.x + step.radius * std::cos(a * kPi / 180),
                              coarse.y + step.radius * std::sin(a * kPi / 180));
    }
    if (edge_out) *edge_out = edge;
    if (edge.size() < 12) return coarse;
    cv::Mat A(static_cast<int>(edge.size()), 3, CV_64F),
        b(static_cast<int>(edge.size()), 1, CV_64F);
    for (int i = 0; i < A.rows; ++i) {
        const auto& p = edge[static_cast<std::size_t>(i)];
        A.at<double>(i, 0) = p.x, A.at<double>(i, 1) = p.y, A.at<double>(i, 2) = 1;
        b.at<double>(i) = -(p.x * p.x + p.y * p.y);
    }
    cv::Mat sol;
    if (!cv::solve(A, b, sol, cv::DECOMP_SVD)) return coarse;
    const double cx = -sol.at<double>(0) / 2, cy = -sol.at<double>(1) / 2;
    const double r2 = cx * cx + cy * cy - sol.at<double>(2);
    if (r2 <= 0) return coarse;
    const Circle fit{cx, cy, std::sqrt(r2)};
    // Keep the coarse circle when the fit wandered off (too few true edge points).
    if (std::hypot(fit.x - coarse.x, fit.y - coarse.y) > 0.5 * coarse.r ||
        std::abs(fit.r - coarse.r) > 0.5 * coarse.r)
        return coarse;
    return fit;
}

Limbus find_limbus(const cv::Mat& grey, const Circle& pupil) {
    cv::Mat smooth;
    cv::GaussianBlur(grey, smooth, cv::Size(5, 5), 0);
    const int r_min = static_cast<int>(pupil.r * 1.4) + 2;
    const int r_max = static_cast<int>(pupil.r * 5.0) + 2;
    // Lateral arcs, +-35 degrees around horizontal on both sides: eyelids rarely reach them.
    std::vector<double> angles = angles_between(-35, 35, 17);
    for (double a : angles_between(145, 215, 17)) angles.push_back(a);
    const auto profile = radial_profile(smooth, pupil.x, pupil.y, r_min - 2, r_max + 2, angles);
    return strongest_step(profile, r_min, r_max);
}

std::optional<Circle> inner_pupil(const cv::Mat& grey, const Circle& disc) {
    cv::Mat smooth;
    cv::GaussianBlur(grey, smooth, cv::Size(5, 5), 0);
    const auto angles = angles_between(-30, 210, 33);  // the lower two thirds: no upper lid
    const int r_hi = static_cast<int>(disc.r * 0.8);
    const auto profile = radial_profile(smooth, disc.x, disc.y, 1, r_hi + 2, angles);
    const Limbus inner = strongest_step(profile, std::max(4, static_cast<int>(disc.r * 0.2)), r_hi);
    if (inner.radius <= 0 || inner.step < 10) return std::nullopt;
    return refine_pupil(grey, Circle{disc.x, disc.y, inner.radius});
}

Circle fit_limbus(const cv::Mat& grey, const Circle& pupil, double radius, double* step) {
    cv::Mat smooth;
    cv::GaussianBlur(grey, smooth, cv::Size(5, 5), 0);
    std::vector<double> angles = angles_between(-40, 40, 21);
    for (double a : angles_between(140, 220, 21)) angles.push_back(a);
    const int span = std::max(2, static_cast<int>(0.12 * radius));
    const int r_lo = static_cast<int>(radius) - span, r_hi = static_cast<int>(radius) + span;
    // Centres on a grid of at most 11 x 11 around the pupil centre: the best summed step wins.
    const double step_px = std::max(1.0, span / 5.0);
    Circle best{pupil.x, pupil.y, radius};
    double best_step = -1;
    for (int iy = -5; iy <= 5; ++iy) {
        for (int ix = -5; ix <= 5; ++ix) {
            const double cx = pupil.x + ix * step_px, cy = pupil.y + iy * step_px;
            const auto profile = radial_profile(smooth, cx, cy, r_lo - 2, r_hi + 2, angles);
            const Limbus l = strongest_step(profile, r_lo, r_hi);
            // A slight preference for concentric circles keeps flat optima from drifting.
            const double score = l.step - 0.02 * (ix * ix + iy * iy);
            if (l.radius > 0 && score > best_step) {
                best_step = score;
                best = Circle{cx, cy, l.radius};
            }
        }
    }
    if (step) *step = std::max(0.0, best_step);
    return best;
}

}  // namespace rekam::bio::iris
