#include "biometrics/iris/ray_edges.h"

#include <algorithm>
#include <cmath>

namespace rekam::bio::iris {
namespace {

// The circle through three points, or nothing when they are (nearly) on a line.
std::optional<Circle> circle_through(const cv::Point2d& a, const cv::Point2d& b,
                                     const cv::Point2d& c) {
    const double d = 2 * (a.x * (b.y - c.y) + b.x * (c.y - a.y) + c.x * (a.y - b.y));
    if (std::abs(d) < 1e-6) return std::nullopt;
    const double a2 = a.dot(a), b2 = b.dot(b), c2 = c.dot(c);
    const double x = (a2 * (b.y - c.y) + b2 * (c.y - a.y) + c2 * (a.y - b.y)) / d;
    const double y = (a2 * (c.x - b.x) + b2 * (a.x - c.x) + c2 * (b.x - a.x)) / d;
    return Circle{x, y, std::hypot(a.x - x, a.y - y)};
}

}  // namespace

double off_circle(const cv::Point2d& p, const Circle& c) {
    return std::abs(std::hypot(p.x - c.x, p.y - c.y) - c.r);
}

std::optional<double> edge_on_ray(const cv::Mat& grey, cv::Point2d centre, double dx, double dy,
                                  double r_lo, double r_hi, double half, double min_step) {
    constexpr double kDr = 0.5;
    const int k = std::max(1, static_cast<int>(std::lround(half / kDr)));
    std::vector<double> profile;
    for (double r = r_lo - k * kDr; r <= r_hi + k * kDr; r += kDr) {
        const double x = centre.x + r * dx, y = centre.y + r * dy;
        if (x < 0 || y < 0 || x > grey.cols - 1.001 || y > grey.rows - 1.001) return std::nullopt;
        const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
        const double fx = x - x0, fy = y - y0;
        const auto at = [&](int yy, int xx) {
            return static_cast<double>(grey.at<std::uint8_t>(yy, xx));
        };
        profile.push_back((1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
                          fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1)));
    }
    const auto step = [&](int i) {
        return profile[static_cast<std::size_t>(i + k)] - profile[static_cast<std::size_t>(i - k)];
    };
    int best = -1;
    double best_step = min_step;
    for (int i = k; i + k < static_cast<int>(profile.size()); ++i)
        if (step(i) > best_step) best_step = step(i), best = i;
    if (best < 0) return std::nullopt;
    double r = r_lo + (best - k) * kDr;
    if (best > k && best + k + 1 < static_cast<int>(profile.size())) {
        // Parabola through the step's neighbours: the edge between samples.
        const double l = step(best - 1), m = step(best), n = step(best + 1);
        const double den = l - 2 * m + n;
        if (den < 0) r += kDr * std::clamp(0.5 * (l - n) / den, -0.5, 0.5);
    }
    return r;
}

std::optional<Circle> fit_circle(const std::vector<cv::Point2d>& pts) {
    if (pts.size() < 3) return std::nullopt;
    cv::Mat A(static_cast<int>(pts.size()), 3, CV_64F), b(static_cast<int>(pts.size()), 1, CV_64F);
    for (int i = 0; i < A.rows; ++i) {
        const auto& p = pts[static_cast<std::size_t>(i)];
        A.at<double>(i, 0) = p.x, A.at<double>(i, 1) = p.y, A.at<double>(i, 2) = 1;
        b.at<double>(i) = -(p.x * p.x + p.y * p.y);
    }
    cv::Mat sol;
    if (!cv::solve(A, b, sol, cv::DECOMP_SVD)) return std::nullopt;
    const double cx = -sol.at<double>(0) / 2, cy = -sol.at<double>(1) / 2;
    const double r2 = cx * cx + cy * cy - sol.at<double>(2);
    if (r2 <= 0) return std::nullopt;
    return Circle{cx, cy, std::sqrt(r2)};
}

// A consensus and not an average: a lid or lashes over a quarter of a boundary move their rays'
// edges together, and an average of all rays (or one that drops the worst few) is pulled
// towards them.
std::optional<Circle> consensus_circle(const std::vector<cv::Point2d>& pts, double tolerance,
                                       std::vector<cv::Point2d>& inliers) {
    const std::size_t n = pts.size();
    std::size_t best_count = 0;
    Circle best;
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = circle_through(pts[i], pts[(i + n / 3) % n], pts[(i + 2 * n / 3) % n]);
        if (!c) continue;
        std::size_t count = 0;
        for (const auto& p : pts) count += off_circle(p, *c) <= tolerance;
        if (count > best_count) best_count = count, best = *c;
    }
    inliers.clear();
    if (best_count < 3) return std::nullopt;
    for (const auto& p : pts)
        if (off_circle(p, best) <= tolerance) inliers.push_back(p);
    return fit_circle(inliers);
}

}  // namespace rekam::bio::iris
