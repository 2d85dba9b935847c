#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "biometrics/cv_image.h"
#include "biometrics/iris/locate.h"

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

// Running sums of the grey along the ray from (cx, cy) in direction (c, s), one sample per pixel
// (rounded) at distances `from` to `to` - 1: `prefix[i]` sums those before distance `from` + i.
// Returns the distance of the first sample outside the frame (`to` when none is).
int ray_prefix(const cv::Mat& smooth, double cx, double cy, double c, double s, int from, int to,
               std::vector<double>& prefix) {
    prefix.assign(static_cast<std::size_t>(to - from + 1), 0.0);
    for (int i = from; i < to; ++i) {
        const double fx = cx + i * c + 0.5, fy = cy + i * s + 0.5;
        if (fx < 0 || fy < 0 || fx >= smooth.cols || fy >= smooth.rows) return i;
        const int x = static_cast<int>(fx), y = static_cast<int>(fy);  // rounded: both >= 0
        const auto k = static_cast<std::size_t>(i - from);
        prefix[k + 1] = prefix[k] + smooth.at<std::uint8_t>(y, x);
    }
    return to;
}

// The band over which the step is measured: 10 % of the radius. It averages out the iris texture
// next to the limbus (crypts and the collarette make steps of their own) and spans a soft NIR
// limbus.
constexpr double kBand = 0.1;
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
    std::vector<double> prefix;
    // Per side and radius: every ray's step (for the median), and the sums of the bands' means.
    const std::size_t cells = 2 * static_cast<std::size_t>(r_max + 1);
    std::vector<double> steps(cells * kRaysPerSide);
    std::vector<double> side_in(cells, 0.0), side_out(cells, 0.0);
    std::vector<int> side_n(cells, 0);
    for (std::size_t k = 0; k < rays.cos.size(); ++k) {
        const std::size_t side = k < kRaysPerSide ? 0 : 1;
        const int valid = ray_prefix(smooth, cx, cy, rays.cos[k], rays.sin[k], 0, len, prefix);
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

// Placing the circle found. The wide band that finds the limbus among the iris texture also blurs
// where it is, and the lateral arcs leave the centre free to slide up or down with the radius:
// circles off by 10-15 px scored nearly as well. So the operator is run once more over the
// centres and radii within that band of it, with a band of 4 % of the radius (the width of the
// limbus's own ramp), on denser rays reaching 45 degrees down, where the lower lid rarely is,
// scored by the mean step over the rays; rays with eyelashes just beyond the circle, which would
// make steps of their own, are left out once for all candidates.
constexpr double kPlacingBand = 0.04, kPlacingArcTo = 45, kPlacingRayStep = 3;

Circle place_on_lateral_arcs(const cv::Mat& smooth, const Circle& found, const Circle& pupil,
                             double lash_grey) {
    const int wide = band_for(static_cast<int>(found.r));
    const int band = std::max(2, static_cast<int>(std::lround(kPlacingBand * found.r)));
    std::vector<cv::Point2d> dirs;
    std::array<int, 2> per_side{};
    std::vector<double> prefix;
    for (double a = kArcFrom; a <= kPlacingArcTo + 1e-9; a += kPlacingRayStep)
        for (std::size_t side = 0; side < 2; ++side) {
            const double t = a * std::numbers::pi / 180;
            const cv::Point2d d{side == 0 ? std::cos(t) : -std::cos(t), std::sin(t)};
            const int from = static_cast<int>(found.r) + wide + 1, to = from + band + 2;
            if (ray_prefix(smooth, found.x, found.y, d.x, d.y, from, to, prefix) < to ||
                prefix.back() / (to - from) < lash_grey)
                continue;
            dirs.push_back(d);
            ++per_side[side];
        }
    if (3 * std::min(per_side[0], per_side[1]) < kRaysPerSide) return found;

    const int r_lo = static_cast<int>(found.r) - wide, r_hi = static_cast<int>(found.r) + wide;
    const auto span = static_cast<std::size_t>(r_hi - r_lo + 1);
    std::vector<double> step_sum(span);
    std::vector<int> rays_in(span);
    // The mean step of the best radius about (x, y), and that radius.
    const auto best_at = [&](double x, double y) {
        std::fill(step_sum.begin(), step_sum.end(), 0.0);
        std::fill(rays_in.begin(), rays_in.end(), 0);
        const int from = std::max(0, r_lo - band), to = r_hi + band + 1;
        for (const cv::Point2d& d : dirs) {
            const int valid = ray_prefix(smooth, x, y, d.x, d.y, from, to, prefix);
            const auto sum = [&](int a, int b) {  // distances a..b-1
                return prefix[static_cast<std::size_t>(b - from)] -
                       prefix[static_cast<std::size_t>(a - from)];
            };
            for (int r = std::max(r_lo, from + band); r <= r_hi && r + band < valid; ++r) {
                const auto i = static_cast<std::size_t>(r - r_lo);
                step_sum[i] += (sum(r + 1, r + 1 + band) - sum(r - band, r)) / band;
                ++rays_in[i];
            }
        }
        const double offset = std::hypot(x - pupil.x, y - pupil.y);
        Best best;
        for (int r = r_lo; r <= r_hi; ++r) {
            const auto i = static_cast<std::size_t>(r - r_lo);
            if (3 * rays_in[i] < 2 * static_cast<int>(dirs.size()) || kRadiusPerOffset * offset > r)
                continue;
            if (step_sum[i] / rays_in[i] > best.score)
                best = Best{step_sum[i] / rays_in[i], static_cast<double>(r)};
        }
        return best;
    };
    // Every other centre first, then the pixels round the best of them: the score changes
    // little over a pixel, the band being several pixels wide.
    Circle placed = found;
    double placed_score = -std::numeric_limits<double>::infinity();
    const auto try_centre = [&](double x, double y) {
        const Best b = best_at(x, y);
        if (b.score > placed_score) placed_score = b.score, placed = Circle{x, y, b.r};
    };
    for (int iy = -wide; iy <= wide; iy += 2)
        for (int ix = -wide; ix <= wide; ix += 2) try_centre(found.x + ix, found.y + iy);
    const Circle coarse = placed;
    for (int iy = -1; iy <= 1; ++iy)
        for (int ix = -1; ix <= 1; ++ix)
            if (ix != 0 || iy != 0) try_centre(coarse.x + ix, coarse.y + iy);
    return placed;
}

// The grey of the pupil: the median over its central half, which glints cannot pull up.
double pupil_grey(const cv::Mat& smooth, const Circle& pupil) {
    return percentile(
        smooth(square_around(cv::Point(static_cast<int>(std::lround(pupil.x)),
                                       static_cast<int>(std::lround(pupil.y))),
                             std::max(1, static_cast<int>(pupil.r / 2)), smooth.size())),
        0.5);
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
    return Limbus{Circle{f.x, f.y, f.best.r}, std::max(0.0, f.best.score)};
}

Circle place_limbus(const cv::Mat& grey, const Circle& pupil, const Circle& found) {
    cv::Mat smooth;
    cv::GaussianBlur(grey, smooth, cv::Size(5, 5), 0);
    // Eyelashes are darker than midway between the pupil and the iris.
    const double lash_grey =
        0.5 * (pupil_grey(smooth, pupil) + iris_grey_near(smooth, pupil, lateral_rays()));
    return place_on_lateral_arcs(smooth, found, pupil, lash_grey);
}

}  // namespace rekam::bio::iris
