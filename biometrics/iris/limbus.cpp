#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "biometrics/iris/locate.h"
#include "biometrics/iris/ray_edges.h"

namespace rekam::bio::iris {
namespace {

constexpr int kRaysPerSide = 15;
// Degrees, 0 = right, 90 = down: the lateral arcs, leaning down because the upper lid reaches
// lower on them than the lower lid reaches up.
constexpr double kArcFrom = -30, kArcTo = 40;
// A limbus is off the pupil's centre by at most a sixth of its radius (real decentration is
// under a tenth; the quality check refuses 20 %).
constexpr double kRadiusPerOffset = 6;

struct Rays {
    std::array<double, 2 * kRaysPerSide> cos{}, sin{};
};

Rays lateral_rays() {
    Rays rays;
    for (int i = 0; i < kRaysPerSide; ++i) {
        const double a =
            (kArcFrom + (kArcTo - kArcFrom) * i / (kRaysPerSide - 1)) * std::numbers::pi / 180;
        rays.cos[static_cast<std::size_t>(i)] = std::cos(a);  // right side
        rays.sin[static_cast<std::size_t>(i)] = std::sin(a);
        rays.cos[static_cast<std::size_t>(kRaysPerSide + i)] = -std::cos(a);  // mirrored: left
        rays.sin[static_cast<std::size_t>(kRaysPerSide + i)] = std::sin(a);
    }
    return rays;
}

// The band over which the step is measured: 10 % of the radius. It averages out the iris texture
// next to the limbus (crypts and the collarette make steps of their own) and spans a soft NIR
// limbus. The boundary points that place the circle at the end are steps over 2 % of it.
constexpr double kBand = 0.1, kPlacingHalfWidth = 0.02;
int band_for(int r) { return std::max(2, static_cast<int>(std::lround(kBand * r))); }

struct Best {
    double score = -std::numeric_limits<double>::infinity();
    double r = 0;
};

// The best radius for one centre: per ray, prefix sums of the grey along it give each radius's
// step (mean of the band outside minus the band inside); per side, the median over the rays that
// stay in the frame; the circle's score is the weaker side's. A side whose inner band is nearer
// the sclera's grey than the iris's (`iris_grey`, next to the pupil) is not at the limbus: that is
// the sclera-to-skin edge beyond it, strong where the iris edge is soft.
Best best_radius(const cv::Mat& smooth, double cx, double cy, int r_min, int r_max,
                 const Rays& rays, double iris_grey) {
    const int len = r_max + band_for(r_max) + 1;
    std::vector<double> prefix(static_cast<std::size_t>(len + 1));
    // Per side and radius: every ray's step (for the median), and the sums of the bands' means.
    const std::size_t cells = 2 * static_cast<std::size_t>(r_max + 1);
    std::vector<double> steps(cells * kRaysPerSide);
    std::vector<double> side_in(cells, 0.0), side_out(cells, 0.0);
    std::vector<int> side_n(cells, 0);
    for (std::size_t k = 0; k < rays.cos.size(); ++k) {
        const std::size_t side = k < kRaysPerSide ? 0 : 1;
        int valid = 0;  // samples inside the frame, from the centre outwards
        prefix[0] = 0;
        for (int i = 0; i < len; ++i) {
            const double fx = cx + i * rays.cos[k] + 0.5, fy = cy + i * rays.sin[k] + 0.5;
            if (fx < 0 || fy < 0 || fx >= smooth.cols || fy >= smooth.rows) break;
            const int x = static_cast<int>(fx), y = static_cast<int>(fy);  // rounded: both >= 0
            prefix[static_cast<std::size_t>(i + 1)] =
                prefix[static_cast<std::size_t>(i)] + smooth.at<std::uint8_t>(y, x);
            valid = i + 1;
        }
        for (int r = r_min; r <= r_max; ++r) {
            const int w = band_for(r);
            // At the frame's edge the outer band may be cut to half: an iris framed tightly
            // still shows its edge.
            const int w_out = std::min(w, valid - 1 - r);
            if (2 * w_out < w || r - w < 0) break;
            const auto sum = [&](int from, int to) {  // samples from..to-1
                return prefix[static_cast<std::size_t>(to)] -
                       prefix[static_cast<std::size_t>(from)];
            };
            const std::size_t at =
                side * static_cast<std::size_t>(r_max + 1) + static_cast<std::size_t>(r);
            const double in = sum(r - w, r) / w, out = sum(r + 1, r + 1 + w_out) / w_out;
            steps[at * kRaysPerSide + static_cast<std::size_t>(side_n[at])] = out - in;
            side_in[at] += in;
            side_out[at] += out;
            ++side_n[at];
        }
    }
    Best best;
    for (int r = r_min; r <= r_max; ++r) {
        double weaker = std::numeric_limits<double>::infinity();
        for (std::size_t side = 0; side < 2; ++side) {
            const std::size_t i =
                side * static_cast<std::size_t>(r_max + 1) + static_cast<std::size_t>(r);
            // An iris whose lateral edge leaves the frame cannot be coded; a circle that does is
            // the skin around the eye.
            if (3 * side_n[i] < 2 * kRaysPerSide) {
                weaker = -std::numeric_limits<double>::infinity();
                break;
            }
            const double in = side_in[i] / side_n[i], out = side_out[i] / side_n[i];
            if (in - iris_grey > 0.5 * (out - iris_grey)) {
                weaker = -std::numeric_limits<double>::infinity();
                break;
            }
            // The median ray: an eyelid or lashes crossing a few rays make huge steps of their
            // own, which a mean would follow.
            const auto first = steps.begin() + static_cast<std::ptrdiff_t>(i * kRaysPerSide);
            const auto mid = first + side_n[i] / 2;
            std::nth_element(first, mid, first + side_n[i]);
            weaker = std::min(weaker, *mid);
        }
        if (weaker > best.score) best = Best{weaker, static_cast<double>(r)};
    }
    return best;
}

// The iris's grey next to the pupil (1.3 to 1.6 pupil radii on the lateral rays), where neither
// the limbus nor eyelids reach.
double iris_grey_near(const cv::Mat& smooth, const Circle& pupil, const Rays& rays) {
    double sum = 0;
    int n = 0;
    for (std::size_t k = 0; k < rays.cos.size(); ++k)
        for (double r = pupil.r * 1.3; r <= pupil.r * 1.6; r += 1) {
            const int x = static_cast<int>(std::lround(pupil.x + r * rays.cos[k]));
            const int y = static_cast<int>(std::lround(pupil.y + r * rays.sin[k]));
            if (x < 0 || y < 0 || x >= smooth.cols || y >= smooth.rows) continue;
            sum += smooth.at<std::uint8_t>(y, x);
            ++n;
        }
    return n > 0 ? sum / n : 0;
}

}  // namespace

Limbus find_limbus(const cv::Mat& grey, const Circle& pupil) {
    cv::Mat smooth;
    cv::GaussianBlur(grey, smooth, cv::Size(5, 5), 0);
    const int r_min = static_cast<int>(pupil.r * 1.3) + 2;
    const int r_max = static_cast<int>(pupil.r * 5.0) + 2;
    const Rays rays = lateral_rays();
    const double iris_grey = iris_grey_near(smooth, pupil, rays);
    struct Found {
        Best best;
        double x = 0, y = 0;
    };
    // Every centre of a grid around (cx, cy), each with its best radius in [r_lo, r_hi], best
    // first.
    const auto grid = [&](double cx, double cy, double step, int span, int r_lo, int r_hi) {
        std::vector<Found> out;
        for (int iy = -span; iy <= span; ++iy)
            for (int ix = -span; ix <= span; ++ix) {
                const double x = cx + ix * step, y = cy + iy * step;
                // The limbus encloses the pupil with iris all round: a circle through the
                // pupil's own edge would find its step there.
                const double offset = std::hypot(x - pupil.x, y - pupil.y);
                const int r_from =
                    std::max({r_lo, static_cast<int>(offset + pupil.r * 1.2) + 2,
                              static_cast<int>(std::ceil(kRadiusPerOffset * offset))});
                if (r_from > r_hi) continue;
                Best b = best_radius(smooth, x, y, r_from, r_hi, rays, iris_grey);
                // A slight preference for concentric circles keeps flat optima from drifting.
                b.score -= 0.02 * offset;
                if (b.r > 0) out.push_back(Found{b, x, y});
            }
        std::sort(out.begin(), out.end(),
                  [](const Found& a, const Found& b) { return a.best.score > b.best.score; });
        return out;
    };
    // The limbus centre lies within about a tenth of the iris radius of the pupil's: a coarse grid
    // over that window with every radius. The score's peaks are narrower than the grid, so the
    // three best coarse circles are each followed down finer grids; the best at the end wins.
    const double window = 0.5 * pupil.r + 2;
    const double coarse_step = std::max(1.0, window / 4);
    const auto coarse = grid(pupil.x, pupil.y, coarse_step,
                             static_cast<int>(std::ceil(window / coarse_step)), r_min, r_max);
    if (coarse.empty()) return {};
    Found f;
    for (std::size_t k = 0; k < std::min<std::size_t>(3, coarse.size()); ++k) {
        Found g = coarse[k];
        for (double step = coarse_step / 2; step >= 1; step /= 2) {
            const int w = band_for(static_cast<int>(g.best.r));
            const auto finer = grid(g.x, g.y, step, 1, static_cast<int>(g.best.r) - w,
                                    static_cast<int>(g.best.r) + w);
            if (!finer.empty() && finer.front().best.score > g.best.score) g = finer.front();
        }
        if (g.best.score > f.best.score) f = g;
    }
    const int wide = band_for(static_cast<int>(f.best.r));
    const double score = f.best.score;
    // Placed by the boundary points themselves: on rays round all but the top (the upper lid),
    // the sharpest step within the wide band of the circle found, and the circle most of them
    // agree on. The lateral arcs alone place the centre poorly up and down; where the lower lid
    // covers the bottom its edge falls off that circle and is left out.
    std::vector<cv::Point2d> edge, inliers;
    constexpr int kPlacingRays = 55;  // every 5 degrees from -45 to 225 (0 = right, 90 = down)
    for (int i = 0; i < kPlacingRays; ++i) {
        const double th = (-45.0 + 5.0 * i) * std::numbers::pi / 180;
        const double dx = std::cos(th), dy = std::sin(th);
        const auto r = edge_on_ray(smooth, {f.x, f.y}, dx, dy, f.best.r - wide, f.best.r + wide,
                                   std::max(1.5, kPlacingHalfWidth * f.best.r), 2);
        if (r) edge.emplace_back(f.x + *r * dx, f.y + *r * dy);
    }
    const auto placed = edge.size() >= kPlacingRays / 2
                            ? consensus_circle(edge, std::max(1.0, 0.015 * f.best.r), inliers)
                            : std::nullopt;
    if (placed && 5 * inliers.size() >= 2 * kPlacingRays &&
        std::hypot(placed->x - f.x, placed->y - f.y) <= wide &&
        std::abs(placed->r - f.best.r) <= wide &&
        kRadiusPerOffset * std::hypot(placed->x - pupil.x, placed->y - pupil.y) <= placed->r)
        return Limbus{*placed, std::max(0.0, score)};
    return Limbus{Circle{f.x, f.y, f.best.r}, std::max(0.0, score)};
}

}  // namespace rekam::bio::iris
