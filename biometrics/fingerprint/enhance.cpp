#include "biometrics/fingerprint/enhance.h"

#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace rekam::bio::fingerprint {
namespace {

constexpr int kAngles = 16;  // Gabor bank: 11.25 degree steps
constexpr int kPad = 8;      // half the kernel

// One zero-mean Gabor kernel per orientation bin, tuned to the print's ridge period.
std::array<cv::Mat, kAngles> gabor_bank(double frequency) {
    std::array<cv::Mat, kAngles> bank;
    const double period = 1.0 / frequency;
    const double sigma = 0.45 * period;  // about one period of support across the ridges
    for (int i = 0; i < kAngles; ++i) {
        const double ridge = CV_PI * i / kAngles;
        // OpenCV's theta is the direction of the modulation: across the ridges. gamma < 1
        // stretches the envelope along them, which bridges breaks and smooths noise.
        cv::Mat k = cv::getGaborKernel(cv::Size(2 * kPad + 1, 2 * kPad + 1), sigma,
                                       ridge + CV_PI / 2, period, 0.6, 0, CV_32F);
        k -= cv::mean(k)[0];  // no response to flat grey: only ridge structure counts
        bank[i] = k;
    }
    return bank;
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
    const auto bank = gabor_bank(a.median_frequency);
    // Ridges are dark: invert so that a ridge gives a positive response.
    cv::Mat inv, padded, resp;
    a.grey.convertTo(inv, CV_32F, -1.0, 255.0);
    cv::copyMakeBorder(inv, padded, kPad, kPad, kPad, kPad, cv::BORDER_REFLECT);
    // Each foreground block is filtered only with the kernel of its own orientation: filter2D
    // on a ROI reads the real neighbouring pixels, so blocks join without seams, and the cost
    // is one kernel per pixel instead of the whole bank.
    for (int by = 0; by < a.mask.rows; ++by) {
        for (int bx = 0; bx < a.mask.cols; ++bx) {
            if (!a.mask.at<std::uint8_t>(by, bx)) continue;
            const int bin_i =
                static_cast<int>(std::lround(a.orientation.at<float>(by, bx) / CV_PI * kAngles)) %
                kAngles;
            const cv::Rect r(bx * kBlock, by * kBlock, kBlock, kBlock);
            cv::filter2D(padded(r + cv::Point(kPad, kPad)), resp, CV_32F, bank[bin_i]);
            cv::Mat out = bin(r);
            for (int y = 0; y < kBlock; ++y)
                for (int x = 0; x < kBlock; ++x)
                    out.at<std::uint8_t>(y, x) = resp.at<float>(y, x) > 0 ? 1 : 0;
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
    std::vector<cv::Point> alive, remove;
    for (int y = 1; y + 1 < img.rows; ++y)
        for (int x = 1; x + 1 < img.cols; ++x)
            if (img.at<std::uint8_t>(y, x)) alive.emplace_back(x, y);
    const auto code = [&](int x, int y) {
        const auto v = [&](int dx, int dy) { return img.at<std::uint8_t>(y + dy, x + dx) ? 1 : 0; };
        return v(0, -1) | v(1, -1) << 1 | v(1, 0) << 2 | v(1, 1) << 3 | v(0, 1) << 4 |
               v(-1, 1) << 5 | v(-1, 0) << 6 | v(-1, -1) << 7;
    };
    for (bool changed = true; changed;) {
        changed = false;
        for (int pass = 0; pass < 2; ++pass) {
            remove.clear();
            for (const auto& p : alive)
                if (img.at<std::uint8_t>(p) && tables[pass][code(p.x, p.y)]) remove.push_back(p);
            for (const auto& p : remove) img.at<std::uint8_t>(p) = 0;
            changed |= !remove.empty();
        }
        std::erase_if(alive, [&](const cv::Point& p) { return !img.at<std::uint8_t>(p); });
    }
}

}  // namespace rekam::bio::fingerprint
