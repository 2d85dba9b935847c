// Independent ground truth for the pupil and limbus circles of rekam's development iris images.
//
// Brute-force integro-differential search (Daugman's operator without any coarse-to-fine
// shortcut): every centre on a 0.5 px grid and every radius on a 0.25 px grid inside a window is
// scored by the mean dark-to-bright radial step along the circle; a second, equally exhaustive
// pass around the first drops the angles whose outside is eyelash-dark. Written from scratch; it
// shares no code with biometrics/iris (not read, not linked), so the truth cannot inherit that
// segmentation's bias. Prints the rows of tests/unit/iris/iris_truth.h to stdout, a log line per
// image to stderr, and writes an overlay PNG per image (pupil green, limbus red, 2x or 3x).
//
// Build and run (OpenCV only, no rekam headers):
//   g++ -O2 -std=c++20 tests/eval/iris_truth.cpp $(pkg-config --cflags --libs opencv4)
//       -Wno-deprecated-enum-enum-conversion -o /tmp/iris_truth
//   mkdir -p /tmp/iris-truth && /tmp/iris_truth /work/shared/data/iris /tmp/iris-truth > rows.txt
// Optional further arguments restrict the run to files containing any of them.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kCentreStep = 0.5;   // px, centre grid
constexpr double kRadiusStep = 0.25;  // px, radius grid
constexpr int kSub = 4;               // radial samples per px (1 / kRadiusStep)

struct Circle {
    double x = 0, y = 0, r = 0;
};

const std::vector<std::string> kFiles = [] {
    std::vector<std::string> f;
    for (int i = 0; i < 4; ++i) f.push_back("casia_irisv2/0000_00" + std::to_string(i) + ".bmp");
    for (int eye = 14; eye <= 18; ++eye) {
        for (const char side : {'L', 'R'}) {
            const int first = side == 'L' ? 1 : 6;
            for (int n = first; n < first + 5; ++n) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "iitd_v1_subset/%03d_%c/%02d_%c.bmp", eye, side, n,
                              side);
                f.emplace_back(buf);
            }
        }
    }
    f.push_back("openiris/anonymized.png");
    return f;
}();

// Scale-dependent parameters; every image is either 640x480 or 320x240.
struct Params {
    double scale;       // image width / 640
    double blur_sigma;  // light Gaussian blur before sampling
    int pupil_band;     // px each side of the edge averaged into the step
    int limbus_band;    // same for the softer limbus
    int spec_open;      // opening size for the white top-hat (specular spots are smaller)
    int spec_dilate;    // px a specular spot is grown by (blooming)
    double pupil_r_min, pupil_r_max;
};

Params params_for(const cv::Mat& img) {
    const double s = img.cols / 640.0;
    Params p;
    p.scale = s;
    p.blur_sigma = s < 0.75 ? 0.7 : 1.0;
    p.pupil_band = s < 0.75 ? 2 : 3;
    // The limbus is a ramp up to ~15 px wide at 640x480; a band this wide puts the maximum at the
    // middle of the ramp instead of wherever noise peaks on it.
    p.limbus_band = s < 0.75 ? 4 : 8;
    p.spec_open = s < 0.75 ? 25 : 41;
    p.spec_dilate = s < 0.75 ? 2 : 3;
    p.pupil_r_min = 16 * s;
    p.pupil_r_max = 130 * s;
    return p;
}

// Image with bilinear sampling and an exclusion mask (specular or outside the frame).
class Sampler {
  public:
    Sampler(const cv::Mat& blurred, const cv::Mat& excluded) : img_(blurred), ex_(excluded) {}

    // Returns false when (x, y) is outside the frame or on an excluded pixel.
    bool at(double x, double y, float& v) const {
        if (x < 0 || y < 0 || x > img_.cols - 1.001 || y > img_.rows - 1.001) return false;
        const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
        const float fx = static_cast<float>(x - x0), fy = static_cast<float>(y - y0);
        const float* r0 = img_.ptr<float>(y0);
        const float* r1 = img_.ptr<float>(y0 + 1);
        v = (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x0 + 1]) +
            fy * ((1 - fx) * r1[x0] + fx * r1[x0 + 1]);
        const int xn = static_cast<int>(x + 0.5), yn = static_cast<int>(y + 0.5);
        return ex_.at<uchar>(yn, xn) == 0;
    }

  private:
    const cv::Mat& img_;
    const cv::Mat& ex_;
};

struct SearchSpec {
    Circle centre_window;  // centre (x, y) and half-width r of the square centre window
    double max_offset;     // centre must lie within this distance of centre_window's centre
    Circle anchor;         // with offset_per_r > 0: centre within offset_per_r * r of it
    double offset_per_r = 0;
    double r_min, r_max;
    std::vector<double> angles;  // radians, image coordinates (y down)
    int band;                    // px averaged each side of the edge
    double min_fraction;         // of angles that must remain usable
};

struct SearchResult {
    Circle c;
    double score = -1e9;
    double used_fraction = 0;
};

// Exhaustive integro-differential search: for each centre, sample every ray once on the 0.25 px
// radial lattice, then score every radius as mean over usable angles of
// (mean of the `band` px just outside) - (mean of the `band` px just inside).
SearchResult search(const Sampler& s, const SearchSpec& spec) {
    const int n_ang = static_cast<int>(spec.angles.size());
    const double r_lo = spec.r_min - spec.band - 1, r_hi = spec.r_max + spec.band + 1;
    const int n_rad = static_cast<int>((r_hi - r_lo) * kSub) + 1;
    std::vector<float> val(static_cast<size_t>(n_ang) * n_rad);
    std::vector<int> bad_prefix(static_cast<size_t>(n_ang) * (n_rad + 1));
    std::vector<double> cs(n_ang), sn(n_ang);
    for (int a = 0; a < n_ang; ++a) {
        cs[a] = std::cos(spec.angles[a]);
        sn[a] = std::sin(spec.angles[a]);
    }
    const int half = static_cast<int>(std::lround(spec.centre_window.r / kCentreStep));
    const int band_s = spec.band * kSub;
    const int i_first = static_cast<int>(std::lround((spec.r_min - r_lo) * kSub));
    const int i_last = static_cast<int>(std::lround((spec.r_max - r_lo) * kSub));
    SearchResult best;
    for (int gy = -half; gy <= half; ++gy) {
        for (int gx = -half; gx <= half; ++gx) {
            const double dx = gx * kCentreStep, dy = gy * kCentreStep;
            if (std::hypot(dx, dy) > spec.max_offset + 1e-9) continue;
            const double cx = spec.centre_window.x + dx, cy = spec.centre_window.y + dy;
            for (int a = 0; a < n_ang; ++a) {
                float* v = &val[static_cast<size_t>(a) * n_rad];
                int* bp = &bad_prefix[static_cast<size_t>(a) * (n_rad + 1)];
                bp[0] = 0;
                for (int j = 0; j < n_rad; ++j) {
                    const double r = r_lo + static_cast<double>(j) / kSub;
                    const bool ok = s.at(cx + r * cs[a], cy + r * sn[a], v[j]);
                    bp[j + 1] = bp[j] + (ok ? 0 : 1);
                }
            }
            const double anchor_d = std::hypot(cx - spec.anchor.x, cy - spec.anchor.y);
            for (int i = i_first; i <= i_last; ++i) {
                if (spec.offset_per_r > 0 &&
                    anchor_d > spec.offset_per_r * (r_lo + static_cast<double>(i) / kSub))
                    continue;
                double sum = 0;
                int used = 0;
                for (int a = 0; a < n_ang; ++a) {
                    const int* bp = &bad_prefix[static_cast<size_t>(a) * (n_rad + 1)];
                    if (bp[i + band_s + 1] - bp[i - band_s] != 0) continue;
                    const float* v = &val[static_cast<size_t>(a) * n_rad];
                    float in = 0, out = 0;
                    for (int d = 1; d <= spec.band; ++d) {
                        in += v[i - d * kSub];
                        out += v[i + d * kSub];
                    }
                    in /= spec.band;
                    out /= spec.band;
                    sum += out - in;
                    ++used;
                }
                const double frac = static_cast<double>(used) / n_ang;
                if (frac < spec.min_fraction) continue;
                const double score = sum / used;
                if (score > best.score) {
                    best.score = score;
                    best.c = {cx, cy, r_lo + static_cast<double>(i) / kSub};
                    best.used_fraction = frac;
                }
            }
        }
    }
    return best;
}

std::vector<double> arc_degrees(std::initializer_list<std::pair<double, double>> arcs,
                                double step) {
    std::vector<double> out;
    for (const auto& [from, to] : arcs)
        for (double d = from; d <= to + 1e-9; d += step) out.push_back(d * kPi / 180.0);
    return out;
}

// Specular highlights: near-white pixels that stand well above a morphological opening (so the
// large bright sclera or skin are not caught), grown to cover their blooming rim.
cv::Mat specular_mask(const cv::Mat& grey, const Params& p) {
    cv::Mat opened, tophat;
    const auto disk = cv::getStructuringElement(cv::MORPH_ELLIPSE, {p.spec_open, p.spec_open});
    cv::morphologyEx(grey, opened, cv::MORPH_OPEN, disk);
    cv::subtract(grey, opened, tophat);
    cv::Mat mask = (tophat > 50) & (grey > 170);
    const int d = 2 * p.spec_dilate + 1;
    cv::dilate(mask, mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, {d, d}));
    return mask;
}

// Starting point: the darkest uniform blob that is darker than its surround, over the plausible
// pupil radii r: mean plus standard deviation of the box inside the pupil (half-width 0.6 r)
// minus half the mean of the ring of boxes out to 1.5 r, specular pixels ignored. Eyelash
// clusters are dark but far from uniform; the whole iris is uniform-ish but not as dark; dark
// borders and shadows lack a bright surround.
Circle dark_start(const cv::Mat& grey, const cv::Mat& spec, const Params& p) {
    cv::Mat valid = (spec == 0) / 255;
    cv::Mat vals;
    grey.copyTo(vals);
    vals.setTo(0, spec);
    cv::Mat iv, iq, in;
    cv::integral(vals, iv, iq, CV_64F, CV_64F);
    cv::integral(valid, in, CV_64F);
    auto box = [&](const cv::Mat& ii, int x, int y, int h) {
        return ii.at<double>(y + h + 1, x + h + 1) - ii.at<double>(y - h, x + h + 1) -
               ii.at<double>(y + h + 1, x - h) + ii.at<double>(y - h, x - h);
    };
    double best = 1e9;
    Circle out;
    for (double r = p.pupil_r_min; r <= p.pupil_r_max; r *= 1.1) {
        const int a = static_cast<int>(0.6 * r), b = static_cast<int>(1.5 * r);
        for (int y = b + 1; y < grey.rows - b - 1; y += 2) {
            for (int x = b + 1; x < grey.cols - b - 1; x += 2) {
                const double n_in = box(in, x, y, a);
                if (n_in < 0.5 * (2 * a + 1) * (2 * a + 1)) continue;
                const double s_in = box(iv, x, y, a), q_in = box(iq, x, y, a);
                const double s_all = box(iv, x, y, b), n_all = box(in, x, y, b);
                if (n_all - n_in < 1) continue;
                const double mean_in = s_in / n_in;
                const double sd_in = std::sqrt(std::max(0.0, q_in / n_in - mean_in * mean_in));
                const double score = mean_in + sd_in - 0.5 * (s_all - s_in) / (n_all - n_in);
                if (score < best) {
                    best = score;
                    out = {static_cast<double>(x), static_cast<double>(y), r};
                }
            }
        }
    }
    return out;
}

// Median of the blurred image over an annulus, excluded pixels skipped.
float ring_median(const cv::Mat& img, const cv::Mat& ex, const Circle& c, double r0, double r1) {
    std::vector<float> v;
    for (int y = std::max(0, static_cast<int>(c.y - r1));
         y <= std::min(img.rows - 1, static_cast<int>(c.y + r1)); ++y) {
        for (int x = std::max(0, static_cast<int>(c.x - r1));
             x <= std::min(img.cols - 1, static_cast<int>(c.x + r1)); ++x) {
            const double d = std::hypot(x - c.x, y - c.y);
            if (d < r0 || d > r1 || ex.at<uchar>(y, x)) continue;
            v.push_back(img.at<float>(y, x));
        }
    }
    if (v.empty()) return 0;
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
}

// Angles (about circle c) whose outside, just beyond the edge, is eyelash- or lid-dark.
// Decided once per angle from a first-pass circle, not per candidate, so that dropping samples
// cannot favour a circle that hides inside the dark region on part of its arc.
std::vector<double> clear_angles(const Sampler& s, const Circle& c,
                                 const std::vector<double>& angles, int band, float dark) {
    std::vector<double> keep;
    for (double a : angles) {
        float sum = 0;
        int n = 0;
        for (double r = c.r + 2; r <= c.r + 2 + 2 * band; r += 0.5) {
            float v;
            if (s.at(c.x + r * std::cos(a), c.y + r * std::sin(a), v)) {
                sum += v;
                ++n;
            }
        }
        if (n > 0 && sum / n >= dark) keep.push_back(a);
    }
    return keep;
}

std::string fmt1(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", v);
    return b;
}

void draw_overlay(const cv::Mat& grey, const Circle& pupil, const Circle& iris,
                  const std::string& path) {
    const int k = grey.cols >= 640 ? 2 : 3;
    cv::Mat big;
    cv::resize(grey, big, {}, k, k, cv::INTER_NEAREST);
    cv::cvtColor(big, big, cv::COLOR_GRAY2BGR);
    constexpr int kShift = 4;
    auto pt = [&](double x, double y) {
        // Pixel centres of the enlarged image: input (x, y) -> k*x + (k-1)/2.
        return cv::Point(static_cast<int>(std::lround((k * x + (k - 1) / 2.0) * (1 << kShift))),
                         static_cast<int>(std::lround((k * y + (k - 1) / 2.0) * (1 << kShift))));
    };
    auto rad = [&](double r) { return static_cast<int>(std::lround(k * r * (1 << kShift))); };
    cv::circle(big, pt(pupil.x, pupil.y), rad(pupil.r), {0, 255, 0}, 1, cv::LINE_AA, kShift);
    cv::circle(big, pt(iris.x, iris.y), rad(iris.r), {0, 0, 255}, 1, cv::LINE_AA, kShift);
    cv::drawMarker(big, pt(pupil.x, pupil.y) / (1 << kShift), {0, 255, 0}, cv::MARKER_CROSS, 6);
    cv::drawMarker(big, pt(iris.x, iris.y) / (1 << kShift), {0, 0, 255}, cv::MARKER_CROSS, 6);
    cv::imwrite(path, big);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s <iris data dir> <overlay dir> [file filter...]\n", argv[0]);
        return 2;
    }
    const std::string root = argv[1], outdir = argv[2];
    const auto t0 = std::chrono::steady_clock::now();
    const auto pupil_angles = arc_degrees({{0, 359}}, 1.0);
    // Lateral limbus arcs in image coordinates (y down, positive angles below the horizontal):
    // 30 deg up and 45 deg down on each side; the upper lid covers more than the lower.
    const auto limbus_angles = arc_degrees({{-30, 45}, {135, 210}}, 1.0);
    std::printf("    // file, pupil x, y, r, iris x, y, r, how\n");
    for (const auto& file : kFiles) {
        bool wanted = argc == 3;
        for (int i = 3; i < argc; ++i) wanted = wanted || file.find(argv[i]) != std::string::npos;
        if (!wanted) continue;
        const auto t_img = std::chrono::steady_clock::now();
        cv::Mat grey = cv::imread(root + "/" + file, cv::IMREAD_GRAYSCALE);
        if (grey.empty()) {
            std::fprintf(stderr, "cannot read %s\n", file.c_str());
            return 1;
        }
        const Params p = params_for(grey);
        cv::Mat blurred;
        grey.convertTo(blurred, CV_32F);
        cv::GaussianBlur(blurred, blurred, {0, 0}, p.blur_sigma);
        const cv::Mat spec = specular_mask(grey, p);
        const Sampler sampler(blurred, spec);
        const Circle start = dark_start(grey, spec, p);

        // Pupil, pass 1: all angles, only specular samples dropped.
        SearchSpec ps;
        const double win = 4 + 0.25 * start.r;
        ps.centre_window = {start.x, start.y, win};
        ps.max_offset = win * std::sqrt(2.0);
        ps.r_min = std::max(p.pupil_r_min, 0.7 * start.r);
        ps.r_max = std::min(p.pupil_r_max, 1.4 * start.r);
        ps.angles = pupil_angles;
        ps.band = p.pupil_band;
        ps.min_fraction = 0.6;
        SearchResult pupil1 = search(sampler, ps);
        // Follow the optimum if it sits on the edge of the window (a poor start).
        for (int k = 0; k < 4; ++k) {
            const bool edge = std::abs(pupil1.c.x - ps.centre_window.x) > win - 1 ||
                              std::abs(pupil1.c.y - ps.centre_window.y) > win - 1 ||
                              pupil1.c.r < ps.r_min + 1 || pupil1.c.r > ps.r_max - 1;
            if (!edge || pupil1.score < -1e8) break;
            ps.centre_window = {pupil1.c.x, pupil1.c.y, win};
            ps.r_min = std::max(p.pupil_r_min, 0.7 * pupil1.c.r);
            ps.r_max = std::min(p.pupil_r_max, 1.4 * pupil1.c.r);
            pupil1 = search(sampler, ps);
        }
        const float pupil_level = ring_median(blurred, spec, pupil1.c, 0, 0.7 * pupil1.c.r);
        const float iris_level =
            ring_median(blurred, spec, pupil1.c, pupil1.c.r + 4, 1.5 * pupil1.c.r + 4);
        const float dark = pupil_level + 0.5f * (iris_level - pupil_level);
        // Pass 2: eyelash-covered angles dropped, full resolution around pass 1.
        ps.centre_window = {pupil1.c.x, pupil1.c.y, 4};
        ps.max_offset = 4 * std::sqrt(2.0);
        ps.r_min = pupil1.c.r - 5;
        ps.r_max = pupil1.c.r + 5;
        ps.angles = clear_angles(sampler, pupil1.c, pupil_angles, ps.band, dark);
        ps.min_fraction = 0.6 * pupil_angles.size() / ps.angles.size();
        const SearchResult pupil = search(sampler, ps);

        // Limbus: the pupil disk is excluded too, so no arc can lock onto the pupil edge.
        cv::Mat ex_l = spec.clone();
        cv::circle(ex_l,
                   cv::Point(static_cast<int>(std::lround(pupil.c.x)),
                             static_cast<int>(std::lround(pupil.c.y))),
                   static_cast<int>(std::ceil(pupil.c.r + 3)), 255, cv::FILLED);
        const Sampler sampler_l(blurred, ex_l);
        SearchSpec ls;
        const double off = 0.12 * 5.0 * pupil.c.r;
        ls.centre_window = {pupil.c.x, pupil.c.y, off};
        ls.max_offset = off;
        ls.r_min = 1.5 * pupil.c.r;
        ls.r_max = 5.0 * pupil.c.r;
        ls.angles = limbus_angles;
        ls.band = p.limbus_band;
        ls.min_fraction = 0.5;
        // Limbus and pupil are nearly concentric: their centres differ by ~5 % of the iris radius
        // in typical eyes; 12 % allows for off-axis gaze.
        ls.anchor = pupil.c;
        ls.offset_per_r = 0.12;
        const SearchResult iris1 = search(sampler_l, ls);
        ls.centre_window = {iris1.c.x, iris1.c.y, 4};
        ls.max_offset = 4 * std::sqrt(2.0);
        ls.r_min = std::max(ls.r_min, iris1.c.r - 6);
        ls.r_max = iris1.c.r + 6;
        ls.angles = clear_angles(sampler_l, iris1.c, limbus_angles, ls.band, dark);
        ls.min_fraction = 0.5 * limbus_angles.size() / ls.angles.size();
        const SearchResult iris = search(sampler_l, ls);

        if (pupil.score < -1e8 || iris.score < -1e8) {
            std::fprintf(stderr, "%s: no circle passed the usable-arc minimum\n", file.c_str());
            return 1;
        }
        const Circle pc = pupil.c, ic = iris.c;
        std::string name = file;
        std::replace(name.begin(), name.end(), '/', '_');
        name = name.substr(0, name.rfind('.'));
        draw_overlay(grey, pc, ic, outdir + "/" + name + ".png");
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t_img).count();
        std::fprintf(stderr,
                     "%-36s start (%.0f,%.0f,%.0f) pupil %.2f %.2f %.2f s=%.1f u=%.2f | "
                     "iris %.2f %.2f %.2f s=%.1f u=%.2f  %.1fs\n",
                     file.c_str(), start.x, start.y, start.r, pupil.c.x, pupil.c.y, pupil.c.r,
                     pupil.score, pupil.used_fraction, iris.c.x, iris.c.y, iris.c.r, iris.score,
                     iris.used_fraction, secs);
        std::printf("    {\"%s\", %s, %s, %s, %s, %s, %s, \"%s\"},\n", file.c_str(),
                    fmt1(pc.x).c_str(), fmt1(pc.y).c_str(), fmt1(pc.r).c_str(), fmt1(ic.x).c_str(),
                    fmt1(ic.y).c_str(), fmt1(ic.r).c_str(), "search");
    }
    std::fprintf(stderr, "total %.1f s\n",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return 0;
}
