#include "biometrics/fingerprint/enhance.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/core/hal/intrin.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace rekam::bio::fingerprint {
namespace {

constexpr int kAngles = 16;  // Gabor bank: 11.25 degree steps
constexpr int kPad = 8;      // half the kernel

constexpr double kMinPeriod = 6, kMaxPeriod = 14;  // px: adult ridges at 500 ppi, with margin
constexpr int kPeriodSteps = 4;                    // kernels per px of period
// Each block's own ridge period, smoothed over its neighbours like the orientation field, may
// differ this much from the print's median: wider, a misread signature tunes the filter to noise.
constexpr double kPeriodLimit = 1.15;

// The zero-mean Gabor kernel of one orientation bin and ridge period (in 1/kPeriodSteps px),
// built once per thread: a print needs a few dozen of them.
const cv::Mat& gabor_kernel(int angle_bin, int period_step) {
    constexpr int kMinStep = static_cast<int>(kMinPeriod * kPeriodSteps);
    constexpr int kSteps = static_cast<int>(kMaxPeriod * kPeriodSteps) - kMinStep + 1;
    thread_local std::vector<cv::Mat> cache(static_cast<std::size_t>(kSteps) * kAngles);
    cv::Mat& k = cache[static_cast<std::size_t>(period_step - kMinStep) * kAngles + angle_bin];
    if (k.empty()) {
        const double period = static_cast<double>(period_step) / kPeriodSteps;
        const double sigma = 0.45 * period;  // about one period of support across the ridges
        // OpenCV's theta is the direction of the modulation: across the ridges. gamma < 1
        // stretches the envelope along them, which bridges breaks and smooths noise.
        k = cv::getGaborKernel(cv::Size(2 * kPad + 1, 2 * kPad + 1), sigma,
                               CV_PI * angle_bin / kAngles + CV_PI / 2, period, 0.6, 0, CV_32F);
        k -= cv::mean(k)[0];  // no response to flat grey: only ridge structure counts
    }
    return k;
}

// Ridge period per block in kernel steps: the blocks' frequencies averaged over neighbours that
// have one (Gaussian, sigma one block), within kPeriodLimit of the median; the median where no
// neighbour has one.
cv::Mat period_steps(const Analysis& a) {
    cv::Mat valid, sum, norm;
    const cv::Mat has = (a.frequency > 0) & a.mask;
    has.convertTo(valid, CV_32F, 1.0 / 255);
    cv::GaussianBlur(a.frequency.mul(valid), sum, cv::Size(5, 5), 1.0);
    cv::GaussianBlur(valid, norm, cv::Size(5, 5), 1.0);
    const double median = 1.0 / a.median_frequency;
    const double lo = std::max(kMinPeriod, median / kPeriodLimit);
    const double hi = std::min(kMaxPeriod, median * kPeriodLimit);
    cv::Mat steps(a.mask.size(), CV_32S);
    for (int y = 0; y < steps.rows; ++y)
        for (int x = 0; x < steps.cols; ++x) {
            const float n = norm.at<float>(y, x), f = sum.at<float>(y, x);
            const double period = n > 0.05f && f > 0 ? std::clamp<double>(n / f, lo, hi) : median;
            steps.at<int>(y, x) = static_cast<int>(std::lround(period * kPeriodSteps));
        }
    return steps;
}

// Drops connected components of `value` smaller than `min_area` px by flipping them: ridge
// specks become valley, pores (valley holes inside a ridge) become ridge.
void drop_small(cv::Mat& bin, std::uint8_t value, int min_area) {
    cv::Mat sel = bin == value, labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(sel, labels, stats, centroids, 8, CV_32S);
    std::vector<std::uint8_t> small(n, 0);
    for (int i = 1; i < n; ++i) small[i] = stats.at<int>(i, cv::CC_STAT_AREA) < min_area;
    for (int y = 0; y < bin.rows; ++y) {
        const int* l = labels.ptr<int>(y);
        std::uint8_t* b = bin.ptr<std::uint8_t>(y);
        for (int x = 0; x < bin.cols; ++x)
            if (small[l[x]]) b[x] = value ? 0 : 1;
    }
}

}  // namespace

cv::Mat binarise(const Analysis& a) {
    cv::Mat bin = cv::Mat::zeros(a.grey.size(), CV_8U);
    if (!a.usable()) return bin;
    // Ridges are dark: invert so that a ridge gives a positive response.
    cv::Mat inv, padded;
    a.grey.convertTo(inv, CV_32F, -1.0, 255.0);
    cv::copyMakeBorder(inv, padded, kPad, kPad, kPad, kPad, cv::BORDER_REFLECT);
    // Each foreground block is filtered only with the kernel of its own orientation and period,
    // reading the real neighbouring pixels, so blocks join without seams and the cost is one
    // kernel per pixel instead of the whole bank. A direct loop over the 16 px rows: filter2D on
    // a 16 x 16 ROI spends more on setting up its filter engine than on the arithmetic (binarise
    // on FVC2000 DB1: 5.2 -> 2.3 ms).
    constexpr int kSide = 2 * kPad + 1;
    const cv::Mat steps = period_steps(a);
    for (int by = 0; by < a.mask.rows; ++by) {
        for (int bx = 0; bx < a.mask.cols; ++bx) {
            if (!a.mask.at<std::uint8_t>(by, bx)) continue;
            const int bin_i =
                static_cast<int>(std::lround(a.orientation.at<float>(by, bx) / CV_PI * kAngles)) %
                kAngles;
            const cv::Mat& k = gabor_kernel(bin_i, steps.at<int>(by, bx));
            for (int y = 0; y < kBlock; ++y) {
                // 16 accumulators in four 4-lane registers (OpenCV's portable SIMD: the compiler
                // does not vectorise this loop nest at -O2).
                cv::v_float32x4 a0 = cv::v_setzero_f32(), a1 = a0, a2 = a0, a3 = a0;
                // The kernel is point-symmetric, k(-x, -y) = k(x, y): each weight multiplies the
                // sum of its two mirrored pixels, half the products.
                const auto add = [&](float w, const float* s, const float* t) {
                    const cv::v_float32x4 v = cv::v_setall_f32(w);
                    a0 = cv::v_fma(v, cv::v_load(s) + cv::v_load(t), a0);
                    a1 = cv::v_fma(v, cv::v_load(s + 4) + cv::v_load(t + 4), a1);
                    a2 = cv::v_fma(v, cv::v_load(s + 8) + cv::v_load(t + 8), a2);
                    a3 = cv::v_fma(v, cv::v_load(s + 12) + cv::v_load(t + 12), a3);
                };
                const float* top = padded.ptr<float>(by * kBlock + y) + bx * kBlock;
                const std::size_t stride = padded.step1();
                for (int ky = 0; ky < kPad; ++ky) {
                    const float* kr = k.ptr<float>(ky);
                    const float* s = top + ky * stride;
                    const float* t = top + (2 * kPad - ky) * stride;
                    for (int kx = 0; kx < kSide; ++kx) add(kr[kx], s + kx, t + 2 * kPad - kx);
                }
                const float* kr = k.ptr<float>(kPad);
                const float* s = top + kPad * stride;
                for (int kx = 0; kx < kPad; ++kx) add(kr[kx], s + kx, s + 2 * kPad - kx);
                const cv::v_float32x4 w = cv::v_setall_f32(kr[kPad]);
                a0 = cv::v_fma(w, cv::v_load(s + kPad), a0);
                a1 = cv::v_fma(w, cv::v_load(s + kPad + 4), a1);
                a2 = cv::v_fma(w, cv::v_load(s + kPad + 8), a2);
                a3 = cv::v_fma(w, cv::v_load(s + kPad + 12), a3);
                alignas(16) float acc[kBlock];
                cv::v_store_aligned(acc, a0);
                cv::v_store_aligned(acc + 4, a1);
                cv::v_store_aligned(acc + 8, a2);
                cv::v_store_aligned(acc + 12, a3);
                std::uint8_t* out = bin.ptr<std::uint8_t>(by * kBlock + y) + bx * kBlock;
                for (int x = 0; x < kBlock; ++x) out[x] = acc[x] > 0 ? 1 : 0;
            }
        }
    }
    const double period = 1.0 / a.median_frequency;
    const int min_area = static_cast<int>(period * period * 0.5);
    drop_small(bin, 0, min_area / 2);  // pores
    drop_small(bin, 1, min_area);      // specks of ridge
    return bin;
}

void thin(cv::Mat& img) {
    // Zhang & Suen (1984). OpenCV's own (ximgproc, contrib) sweeps the whole image with matrix
    // operations per sub-iteration and is several times slower than this table-driven pass,
    // which visits only ridge pixels.
    // Neighbour bits: P2 (N) = 1, P3 (NE) = 2, P4 (E) = 4, P5 (SE) = 8, P6 (S) = 16, P7 (SW) = 32,
    // P8 (W) = 64, P9 (NW) = 128.
    static const auto tables = [] {
        std::array<std::array<std::uint8_t, 256>, 2> t{};
        for (int m = 0; m < 256; ++m) {
            int p[8];
            for (int i = 0; i < 8; ++i) p[i] = (m >> i) & 1;
            int b = 0, trans = 0;
            for (int i = 0; i < 8; ++i) {
                b += p[i];
                trans += (!p[i] && p[(i + 1) % 8]);
            }
            const bool common = b >= 2 && b <= 6 && trans == 1;
            // p[0]=P2, p[2]=P4, p[4]=P6, p[6]=P8
            t[0][m] = common && !(p[0] && p[2] && p[4]) && !(p[2] && p[4] && p[6]);
            t[1][m] = common && !(p[0] && p[2] && p[6]) && !(p[0] && p[4] && p[6]);
        }
        return t;
    }();
    // A zero frame keeps every neighbour read inside the image.
    img.row(0).setTo(0);
    img.row(img.rows - 1).setTo(0);
    img.col(0).setTo(0);
    img.col(img.cols - 1).setTo(0);
    // Pixels as offsets into the buffer: the eight neighbours are fixed offsets from them.
    const int step = static_cast<int>(img.step);
    std::uint8_t* d = img.data;
    std::vector<int> alive, remove;
    alive.reserve(img.total() / 2);
    for (int y = 1; y + 1 < img.rows; ++y)
        for (int x = 1; x + 1 < img.cols; ++x)
            if (d[y * step + x]) alive.push_back(y * step + x);
    const auto code = [&](int o) {
        const std::uint8_t* p = d + o;
        return (p[-step] != 0) | (p[1 - step] != 0) << 1 | (p[1] != 0) << 2 |
               (p[1 + step] != 0) << 3 | (p[step] != 0) << 4 | (p[step - 1] != 0) << 5 |
               (p[-1] != 0) << 6 | (p[-1 - step] != 0) << 7;
    };
    for (bool changed = true; changed;) {
        changed = false;
        for (int pass = 0; pass < 2; ++pass) {
            // Branch-free: which pixels go is close to random, and a branch per pixel mispredicts
            // (thinning 2.0 -> 1.4 ms on FVC2000 DB1).
            remove.resize(alive.size());
            std::size_t n = 0;
            for (const int o : alive) {
                remove[n] = o;
                n += (d[o] != 0) & tables[pass][code(o)];
            }
            for (std::size_t i = 0; i < n; ++i) d[remove[i]] = 0;
            changed |= n > 0;
        }
        std::size_t n = 0;
        for (const int o : alive) {
            alive[n] = o;
            n += d[o] != 0;
        }
        alive.resize(n);
    }
}

}  // namespace rekam::bio::fingerprint
