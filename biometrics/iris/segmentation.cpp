#include "biometrics/iris/segmentation.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

#include "biometrics/cv_image.h"
#include "biometrics/iris/ray_edges.h"

namespace rekam::bio::iris {
namespace {

constexpr int kMaxSide = 640;  // iris cameras deliver 640x480; larger frames are shrunk

// The eyelid parabola with the strongest mean vertical step along it, over the iris columns:
// brighter above for the upper lid (sign -1 on d/dy), brighter below for the lower lid (+1).
// Apexes run from the limbus to the pupil; curvatures cover open to almond-shaped eyes.
Eyelid find_lid(const cv::Mat& gy, const Circle& pupil, const Circle& iris, bool upper,
                double texture) {
    const double r = iris.r;
    const double from = upper ? iris.y - r : pupil.y + pupil.r + 2;
    const double to = upper ? pupil.y - pupil.r - 2 : iris.y + r;
    Eyelid best{iris.x, upper ? iris.y - r : iris.y + r, 0, false};
    double best_score = 0;
    const double sign = upper ? -1.0 : 1.0;
    for (double apex = from; apex <= to; apex += 1.0) {
        for (int k = 0; k <= 6; ++k) {
            const double curv = -sign * k * 0.1 / r;
            double sum = 0;
            int n = 0;
            for (double x = iris.x - 0.85 * r; x <= iris.x + 0.85 * r; x += 2.0) {
                const double y = apex + curv * (x - iris.x) * (x - iris.x);
                const double dx = x - iris.x, dy = y - iris.y;
                if (dx * dx + dy * dy > r * r) continue;  // outside the iris: not our business
                const int ix = static_cast<int>(x), iy = static_cast<int>(std::lround(y));
                if (ix < 0 || iy < 0 || ix >= gy.cols || iy >= gy.rows) continue;
                sum += sign * gy.at<float>(iy, ix);
                ++n;
            }
            if (n < 0.4 * r) continue;  // too short an arc to say anything
            const double score = sum / n;
            if (score > best_score) best_score = score, best = Eyelid{iris.x, apex, curv, true};
        }
    }
    // A lid must stand out of the iris texture clearly; otherwise it stays outside the iris.
    if (best_score < 2.5 * texture)
        return Eyelid{iris.x, upper ? iris.y - r : iris.y + r, 0, false};
    return best;
}

// How far `p` lies from the ellipse `e`, in pixels (near the ellipse: the radial excess over it in
// its own normalised coordinates, times its mean semi-axis).
double off_ellipse(const cv::Point2d& p, const cv::RotatedRect& e) {
    const double tilt = e.angle * std::numbers::pi / 180, a = e.size.width / 2,
                 b = e.size.height / 2;
    const double dx = p.x - e.center.x, dy = p.y - e.center.y;
    const double u = dx * std::cos(tilt) + dy * std::sin(tilt),
                 v = -dx * std::sin(tilt) + dy * std::cos(tilt);
    return std::abs(std::hypot(u / a, v / b) - 1) * std::sqrt(a * b);
}

// The ellipse through the pupil's edge points, or the circle's when they are too few or the fit
// strays (a fit through a few clustered points can be anything). The points kept at first are
// those within a fifth of the radius of the circle: an eye 35 degrees off-axis is that far off a
// circle at the ends of its short axis, and a point kept by a tighter band would make the ellipse
// rounder than it is. Then once more with the points on the first ellipse only (lashes, glints).
cv::RotatedRect pupil_ellipse(const std::vector<cv::Point2d>& edge, const Circle& c) {
    const cv::RotatedRect circle(
        cv::Point2f(static_cast<float>(c.x), static_cast<float>(c.y)),
        cv::Size2f(static_cast<float>(2 * c.r), static_cast<float>(2 * c.r)), 0);
    std::vector<cv::Point2f> near;
    for (const auto& p : edge)
        if (off_circle(p, c) < 0.2 * c.r) near.emplace_back(p);
    if (near.size() < 16) return circle;
    cv::RotatedRect e = cv::fitEllipse(near);
    std::vector<cv::Point2f> on;
    for (const auto& p : near)
        if (off_ellipse(p, e) < std::max(1.0, 0.04 * c.r)) on.push_back(p);
    if (on.size() < 16) return circle;
    e = cv::fitEllipse(on);
    const double big = std::max(e.size.width, e.size.height) / 2,
                 small = std::min(e.size.width, e.size.height) / 2;
    // Written so that a degenerate fit (NaN) fails too.
    if (!(std::hypot(e.center.x - c.x, e.center.y - c.y) <= 0.2 * c.r && big <= 1.3 * c.r &&
          small >= 0.6 * c.r))
        return circle;
    return e;
}

// Edge points are placed to a fraction of a pixel, but a pupil is seldom a perfect circle: a
// 1.5 px difference of the semi-axes is the pupil's own shape, not gaze.
double ellipse_gaze(const cv::RotatedRect& e) {
    const double a = std::max(e.size.width, e.size.height),
                 b = std::min(e.size.width, e.size.height);
    if (a <= 3) return 0;
    return std::acos(std::clamp(b / (a - 3.0), 0.0, 1.0)) * 180.0 / std::numbers::pi;
}

double circularity(const std::vector<cv::Point2d>& edge, const Circle& c) {
    if (edge.size() < 8 || c.r <= 0) return 0;
    double ss = 0;
    for (const auto& p : edge) {
        const double d = off_circle(p, c);
        ss += d * d;
    }
    const double rms = std::sqrt(ss / static_cast<double>(edge.size()));
    return std::clamp(100.0 * (1.0 - rms / (0.25 * c.r)), 0.0, 100.0);
}

}  // namespace

cv::Mat working_grey(const Image& image, double& scale) {
    require_consistent(image, "iris segmentation");
    const cv::Mat resized = shrink_to(image, kMaxSide, scale);
    if (resized.channels() == 1) return resized;
    cv::Mat grey;
    cv::cvtColor(resized, grey, cv::COLOR_RGB2GRAY);
    return grey;
}

namespace {

struct Boundaries {
    Circle pupil, iris;
    std::vector<cv::Point2d> edge;
    double step = 0;  // limbus step
    double merit = 0;
};

// The part of `grey` a circle of radius `r` about (x, y) covers, and where (x, y) lies in it:
// medians over discs and rings then read only that part of the frame.
struct Around {
    cv::Mat grey;
    cv::Point centre;
};
Around around(const cv::Mat& grey, double x, double y, double r) {
    const cv::Point centre(static_cast<int>(x), static_cast<int>(y));
    const cv::Rect box = square_around(centre, static_cast<int>(r) + 2, grey.size());
    return {grey(box), centre - box.tl()};
}

// A pupil is uniformly dark out to its edge; a dark iris merged with its pupil is not.
bool looks_merged(const cv::Mat& grey, const Circle& c) {
    const Around a = around(grey, c.x, c.y, c.r);
    cv::Mat core = cv::Mat::zeros(a.grey.size(), CV_8U), ring = core.clone();
    cv::circle(core, a.centre, std::max(1, static_cast<int>(c.r * 0.4)), 255, cv::FILLED);
    cv::circle(ring, a.centre, std::max(2, static_cast<int>(c.r * 0.9)), 255, cv::FILLED);
    cv::circle(ring, a.centre, std::max(1, static_cast<int>(c.r * 0.65)), 0, cv::FILLED);
    return masked_median(a.grey, ring, 0) - masked_median(a.grey, core, 0) > 20;
}

std::optional<Boundaries> boundaries(const cv::Mat& grey, const Circle& coarse) {
    Boundaries b;
    b.pupil = refine_pupil(grey, coarse, &b.edge);
    if (looks_merged(grey, b.pupil)) {
        const auto inner = inner_pupil(grey, b.pupil);
        if (!inner) return std::nullopt;
        b.edge.clear();
        b.pupil = refine_pupil(grey, *inner, &b.edge);
    }
    const Limbus limbus = find_limbus(grey, b.pupil);
    if (limbus.circle.r <= 0 || limbus.step < 4) return std::nullopt;  // no iris around the blob
    b.iris = limbus.circle;
    b.step = limbus.step;
    if (b.iris.r <= b.pupil.r * 1.3) return std::nullopt;
    // The real eye has the strongest limbus and a pupil much darker than the iris around it.
    if (b.iris.r < 12) return std::nullopt;  // no code can come from a smaller iris
    const Around a = around(grey, b.iris.x, b.iris.y, b.iris.r);
    const cv::Point pupil_at =
        a.centre + cv::Point(static_cast<int>(b.pupil.x) - static_cast<int>(b.iris.x),
                             static_cast<int>(b.pupil.y) - static_cast<int>(b.iris.y));
    cv::Mat disc = cv::Mat::zeros(a.grey.size(), CV_8U), ring = disc.clone();
    cv::circle(disc, pupil_at, std::max(1, static_cast<int>(b.pupil.r * 0.7)), 255, cv::FILLED);
    cv::circle(ring, a.centre, static_cast<int>(b.iris.r * 0.9), 255, cv::FILLED);
    cv::circle(ring, pupil_at, static_cast<int>(b.pupil.r * 1.2) + 1, 0, cv::FILLED);
    // Summed along the limbus: a small dark crypt or lash clump has steep but short edges.
    b.merit =
        (b.step + (masked_median(a.grey, ring, 0) - masked_median(a.grey, disc, 0))) * b.iris.r;
    return b;
}

// The frame as this camera sees it, with no unwarping.
Segmentation segment_as_seen(const cv::Mat& grey) {
    Segmentation s;
    std::optional<Boundaries> best;
    for (const Circle& coarse : find_pupil_candidates(grey, 4)) {
        auto b = boundaries(grey, coarse);
        if (b && (!best || b->merit > best->merit)) best = std::move(b);
    }
    if (!best) return s;
    const Circle pupil = best->pupil, iris = place_limbus(grey, best->pupil, best->iris);
    const std::vector<cv::Point2d>& edge = best->edge;
    const double step = best->step;
    s.pupil = pupil;
    s.iris = iris;
    s.limbus_step = step;
    // Lashes and reflections put stray points on a few rays: they say nothing about the shape.
    std::vector<cv::Point2d> inliers;
    for (const auto& e : edge)
        if (off_circle(e, pupil) < std::max(2.0, 0.1 * pupil.r)) inliers.push_back(e);
    s.pupil_circularity = 100.0 * circularity(inliers, pupil) / 100.0 *
                          std::min(1.0, static_cast<double>(inliers.size()) /
                                            (0.6 * std::max<std::size_t>(1, edge.size())));
    s.pupil_ellipse = pupil_ellipse(edge, pupil);
    s.gaze_deg = ellipse_gaze(s.pupil_ellipse);

    // Annulus between the pupil (with its soft edge) and the limbus.
    const cv::Point ic(static_cast<int>(std::lround(iris.x)),
                       static_cast<int>(std::lround(iris.y)));
    const cv::Point pc(static_cast<int>(std::lround(pupil.x)),
                       static_cast<int>(std::lround(pupil.y)));
    cv::Mat annulus = cv::Mat::zeros(grey.size(), CV_8U);
    cv::circle(annulus, ic, static_cast<int>(iris.r * 0.97), 255, cv::FILLED);
    cv::circle(annulus, pc, static_cast<int>(pupil.r * 1.08 + 1), 0, cv::FILLED);
    const double full_area =
        std::numbers::pi * (std::pow(iris.r * 0.97, 2) - std::pow(pupil.r * 1.08 + 1, 2));

    // Eyelids: vertical steps of a horizontally smoothed frame (iris fibres run radially, so near
    // the top and bottom of the iris they are vertical and vanish in the horizontal smoothing).
    cv::Mat smooth, gy;
    cv::GaussianBlur(grey, smooth, cv::Size(15, 5), 0);
    cv::Sobel(smooth, gy, CV_32F, 0, 1, 3);
    const double texture = cv::mean(cv::abs(gy), annulus)[0];
    s.upper_lid = find_lid(gy, pupil, iris, true, texture);
    s.lower_lid = find_lid(gy, pupil, iris, false, texture);

    cv::Mat mask = annulus.clone();
    for (int x = 0; x < grey.cols; ++x) {
        const int up = std::clamp(static_cast<int>(std::ceil(s.upper_lid.y_at(x))), 0, grey.rows);
        const int low =
            std::clamp(static_cast<int>(std::floor(s.lower_lid.y_at(x))) + 1, 0, grey.rows);
        if (s.upper_lid.covers)
            for (int y = 0; y < up; ++y) mask.at<std::uint8_t>(y, x) = 0;
        if (s.lower_lid.covers)
            for (int y = low; y < grey.rows; ++y) mask.at<std::uint8_t>(y, x) = 0;
    }
    // Eyelashes: clearly darker than the iris, nearer the pupil's grey. Reflections: near white.
    cv::Mat pupil_disc = cv::Mat::zeros(grey.size(), CV_8U);
    cv::circle(pupil_disc, pc, static_cast<int>(pupil.r * 0.8), 255, cv::FILLED);
    const double pupil_grey = masked_median(grey, pupil_disc, 0);
    const double iris_grey = masked_median(grey, mask, 0);
    const double dark = pupil_grey + 0.45 * (iris_grey - pupil_grey);
    cv::Mat lashes = (grey < dark) & mask;
    cv::Mat bright = grey >= std::max(230.0, iris_grey + 80);
    // Skin or anything else far brighter than the iris texture (a lid the parabola missed).
    cv::Mat dev;
    cv::absdiff(grey, cv::Scalar(iris_grey), dev);
    const double spread = masked_median(dev, mask, 0);
    cv::Mat pale = (grey > iris_grey + std::max(35.0, 3.5 * 1.4826 * spread)) & mask;
    cv::morphologyEx(pale, pale, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
    bright |= pale;
    cv::dilate(bright, bright, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
    cv::dilate(lashes, lashes, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    cv::Mat eye_region = annulus | pupil_disc;
    s.reflection_fraction = cv::countNonZero(bright & eye_region) /
                            std::max(1.0, static_cast<double>(cv::countNonZero(eye_region)));
    s.lash_fraction = cv::countNonZero(lashes & annulus) / std::max(1.0, full_area);
    mask.setTo(0, lashes);
    mask.setTo(0, bright);
    s.usable_fraction = cv::countNonZero(mask) / std::max(1.0, full_area);
    s.mask = mask;
    s.found = true;
    return s;
}

// Below this the pupil's ellipse is its own shape as much as gaze: the development eyes, all
// looking at the camera, measure up to 19.9 degrees (a pupil is seldom a perfect circle), and
// unwarping them all by their pupils (from 10 degrees) took IIT Delhi's d' from 12.4 to 10.9.
constexpr double kUnwarpFromDeg = 20;

// The affine map that stretches `e` into a circle (along its minor axis, about its centre),
// shifted so the whole frame of `size` lands at non-negative pixels; `canvas` receives the size
// that holds it.
cv::Matx23d frontal_map(const cv::RotatedRect& e, cv::Size size, cv::Size& canvas) {
    const double major = std::max(e.size.width, e.size.height),
                 minor = std::min(e.size.width, e.size.height);
    // cv::RotatedRect's angle turns its width axis; the minor axis is the other one when the
    // width is the longer.
    const double phi =
        (e.angle + (e.size.width > e.size.height ? 90.0 : 0.0)) * std::numbers::pi / 180;
    const double k = major / std::max(1e-9, minor) - 1, ux = std::cos(phi), uy = std::sin(phi);
    const cv::Matx22d m(1 + k * ux * ux, k * ux * uy, k * ux * uy, 1 + k * uy * uy);
    const cv::Vec2d c(e.center.x, e.center.y), t = c - m * c;
    const cv::Matx23d about_centre(m(0, 0), m(0, 1), t[0], m(1, 0), m(1, 1), t[1]);
    const std::vector<cv::Point2f> corners{
        {0, 0},
        {static_cast<float>(size.width), 0},
        {0, static_cast<float>(size.height)},
        {static_cast<float>(size.width), static_cast<float>(size.height)}};
    std::vector<cv::Point2f> moved;
    cv::transform(corners, moved, about_centre);
    const cv::Rect box = cv::boundingRect(moved);  // whole pixels round the corners
    canvas = box.size();
    return cv::Matx23d(m(0, 0), m(0, 1), t[0] - box.x, m(1, 0), m(1, 1), t[1] - box.y);
}

}  // namespace

Segmentation segment_grey(const cv::Mat& grey) {
    Segmentation s = segment_as_seen(grey);
    if (!s.found || !(s.gaze_deg >= kUnwarpFromDeg)) return s;
    cv::Size canvas;
    const cv::Matx23d to_frontal = frontal_map(s.pupil_ellipse, grey.size(), canvas);
    cv::Mat frontal_grey;
    cv::warpAffine(grey, frontal_grey, to_frontal, canvas, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    const Segmentation f = segment_as_seen(frontal_grey);
    // The same pupil, round now; anything else is another dark blob and the first view stands.
    const cv::Point2d pupil_there = map_point(to_frontal, s.pupil_ellipse.center);
    if (!f.found ||
        std::hypot(f.pupil.x - pupil_there.x, f.pupil.y - pupil_there.y) > 0.2 * f.pupil.r)
        return s;
    cv::Matx23d back;
    cv::invertAffineTransform(to_frontal, back);
    const cv::Point2d centre = map_point(back, {f.iris.x, f.iris.y});
    const double area_ratio = std::abs(back(0, 0) * back(1, 1) - back(0, 1) * back(1, 0));
    s.iris = Circle{centre.x, centre.y, f.iris.r * std::sqrt(area_ratio)};
    cv::warpAffine(f.mask, s.mask, back, grey.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT, 0);
    // Fractions of areas: an affine map keeps their ratios.
    s.usable_fraction = f.usable_fraction;
    s.reflection_fraction = f.reflection_fraction;
    s.lash_fraction = f.lash_fraction;
    s.limbus_step = f.limbus_step;
    s.frontal = Segmentation::Frontal{to_frontal, f.pupil, f.iris};
    return s;
}

cv::Matx23d from_frontal(const Segmentation& s) {
    cv::Matx23d back(1, 0, 0, 0, 1, 0);
    if (s.frontal) cv::invertAffineTransform(s.frontal->to_frontal, back);
    return back;
}

cv::Point2d map_point(const cv::Matx23d& a, cv::Point2d p) {
    const cv::Vec2d q = a * cv::Vec3d(p.x, p.y, 1);
    return {q[0], q[1]};
}

std::vector<cv::Point2d> outline(const Segmentation& s, bool limbus, int n) {
    std::vector<cv::Point2d> pts;
    const cv::Matx23d back = from_frontal(s);
    const Circle c = s.frontal ? (limbus ? s.frontal->iris : s.frontal->pupil) : s.iris;
    const cv::RotatedRect& e = s.pupil_ellipse;
    const double tilt = e.angle * std::numbers::pi / 180;
    for (int k = 0; k < n; ++k) {
        const double t = 2 * std::numbers::pi * k / n;
        if (!limbus && !s.frontal) {
            const double u = e.size.width / 2 * std::cos(t), v = e.size.height / 2 * std::sin(t);
            pts.emplace_back(e.center.x + u * std::cos(tilt) - v * std::sin(tilt),
                             e.center.y + u * std::sin(tilt) + v * std::cos(tilt));
        } else {
            pts.push_back(map_point(back, {c.x + c.r * std::cos(t), c.y + c.r * std::sin(t)}));
        }
    }
    return pts;
}

void to_input_pixels(Segmentation& s, double scale) {
    s.scale = scale;
    if (scale == 1.0) return;
    const auto up = [scale](Circle c) { return Circle{c.x / scale, c.y / scale, c.r / scale}; };
    s.pupil = up(s.pupil);
    const auto f = static_cast<float>(scale);
    s.pupil_ellipse =
        cv::RotatedRect(s.pupil_ellipse.center / f,
                        cv::Size2f(s.pupil_ellipse.size.width / f, s.pupil_ellipse.size.height / f),
                        s.pupil_ellipse.angle);
    s.iris = up(s.iris);
    for (Eyelid* l : {&s.upper_lid, &s.lower_lid}) {
        l->apex_x /= scale;
        l->apex_y /= scale;
        l->curvature *= scale;
    }
    if (s.frontal) {  // the same linear part; the shift in the new unit
        s.frontal->to_frontal(0, 2) /= scale;
        s.frontal->to_frontal(1, 2) /= scale;
        s.frontal->pupil = up(s.frontal->pupil);
        s.frontal->iris = up(s.frontal->iris);
    }
}

Segmentation segment(const Image& image) {
    if (image.pixels.empty()) return {};  // a size without pixels throws below
    double scale = 1.0;
    const cv::Mat grey = working_grey(image, scale);
    Segmentation s = segment_grey(grey);
    if (s.found) to_input_pixels(s, scale);
    return s;
}

double masked_median(const cv::Mat& grey, const cv::Mat& mask, double empty) {
    int hist[256] = {};
    int n = 0;
    for (int y = 0; y < grey.rows; ++y) {
        const auto* g = grey.ptr<std::uint8_t>(y);
        const auto* m = mask.ptr<std::uint8_t>(y);
        for (int x = 0; x < grey.cols; ++x)
            if (m[x]) ++hist[g[x]], ++n;
    }
    int acc = 0;
    for (int v = 0; v < 256; ++v)
        if ((acc += hist[v]) * 2 >= n && n > 0) return v;
    return empty;
}

}  // namespace rekam::bio::iris
