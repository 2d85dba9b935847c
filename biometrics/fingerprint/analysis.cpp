#include "biometrics/fingerprint/analysis.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "biometrics/cv_image.h"

namespace rekam::bio::fingerprint {
namespace {

constexpr int kMaxSide = 2000;       // a 4-finger slap at 500 ppi fits; bigger frames are shrunk
constexpr float kForegroundStd = 8;  // grey std-dev that separates ridges from a blank platen
constexpr float kForegroundOcl = 0.3f;
constexpr float kForegroundContrast = 0.3f;  // of the 90th percentile block std-dev
constexpr int kSigLen = 32;    // oriented window: 32 px across the ridges (3-4 periods)
constexpr int kSigWidth = 16;  //                  16 px along them

// Resolutions outside this range are not fingerprint scans (e.g. a JPEG's 96 "dpi" default).
bool plausible_ppi(double ppi) { return ppi >= 250.0 && ppi <= 2000.0; }

// Mean of each block: INTER_AREA with an integer factor is exactly the tile mean.
cv::Mat tile_mean(const cv::Mat& m, int cols, int rows) {
    cv::Mat out;
    cv::resize(m, out, cv::Size(cols, rows), 0, 0, cv::INTER_AREA);
    return out;
}

cv::Mat to_work_grey(const Image& image, double& scale) {
    const cv::Mat wrapped = wrap(image);
    const double ppi = plausible_ppi(image.ppi) ? image.ppi : kWorkPpi;
    scale = std::min(kWorkPpi / ppi,
                     static_cast<double>(kMaxSide) / std::max(image.width, image.height));
    cv::Mat resized = wrapped;
    if (std::abs(scale - 1.0) > 0.01) {
        const cv::Size size(std::max(1, static_cast<int>(std::lround(image.width * scale))),
                            std::max(1, static_cast<int>(std::lround(image.height * scale))));
        // Shrinking uses pixel areas (no aliasing of the ridges); enlarging interpolates.
        cv::resize(wrapped, resized, size, 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    if (resized.channels() == 1) return resized;
    cv::Mat grey;
    cv::cvtColor(resized, grey, cv::COLOR_RGB2GRAY);
    return grey;
}

struct Signature {
    float frequency = 0, lcs = 0, fda = 0, rvu = 0;
};

// The ridge signature of one block (Hong, Wan & Jain 1998; NFIQ 2's LCS/FDA/RVU use the same
// rotated window): grey sampled in a window aligned with the ridges, averaged along them. No
// OpenCV routine samples one small rotated window per block without warping the whole image,
// so this is a direct nearest-neighbour loop (512 samples per block).
Signature signature(const cv::Mat& grey, int cx, int cy, float ridge_angle) {
    const float ux = std::cos(ridge_angle), uy = std::sin(ridge_angle);  // along the ridges
    const float nx = -uy, ny = ux;                                       // across them
    std::array<std::array<float, kSigWidth>, kSigLen> px{};
    std::array<float, kSigLen> sig{};
    for (int k = 0; k < kSigLen; ++k) {
        const float a = k - kSigLen / 2 + 0.5f;
        float sum = 0;
        for (int j = 0; j < kSigWidth; ++j) {
            const float b = j - kSigWidth / 2 + 0.5f;
            // Truncating v + 0.5 (in double, exact for a float v) is lround(v) wherever the
            // clamp lets it matter, without a libm call per sample.
            const int x =
                std::clamp(static_cast<int>(cx + a * nx + b * ux + 0.5), 0, grey.cols - 1);
            const int y =
                std::clamp(static_cast<int>(cy + a * ny + b * uy + 0.5), 0, grey.rows - 1);
            px[k][j] = grey.at<std::uint8_t>(y, x);
            sum += px[k][j];
        }
        sig[k] = sum / kSigWidth;
    }
    Signature out;
    // Frequency: distance between the first and last valley centre (maxima of the grey signature
    // after a 3-tap smoothing), over the number of periods between them.
    std::array<float, kSigLen> sm{};
    for (int k = 0; k < kSigLen; ++k)
        sm[k] = (sig[std::max(0, k - 1)] + sig[k] + sig[std::min(kSigLen - 1, k + 1)]) / 3.0f;
    float mean = 0;
    for (float v : sm) mean += v;
    mean /= kSigLen;
    std::vector<int> peaks;
    for (int k = 1; k + 1 < kSigLen; ++k)
        if (sm[k] > sm[k - 1] && sm[k] >= sm[k + 1] && sm[k] > mean) peaks.push_back(k);
    if (peaks.size() >= 2) {
        const float period = static_cast<float>(peaks.back() - peaks.front()) / (peaks.size() - 1);
        if (period >= 3.0f && period <= 25.0f) out.frequency = 1.0f / period;
    }
    // FDA: amplitude of the dominant frequency (and half of its neighbours) over all, as NFIQ 2.
    // The phase f k / 32 repeats every 32 steps: one table of twiddles serves every block (the
    // sin and cos per sample were an eighth of the whole analysis).
    static const auto twiddle = [] {
        std::array<std::array<double, 2>, kSigLen> t{};
        for (int m = 0; m < kSigLen; ++m)
            t[m] = {std::cos(2.0 * CV_PI * m / kSigLen), std::sin(2.0 * CV_PI * m / kSigLen)};
        return t;
    }();
    std::array<float, kSigLen / 2> amp{};
    for (int f = 1; f < kSigLen / 2; ++f) {
        double re = 0, im = 0;
        for (int k = 0; k < kSigLen; ++k) {
            const auto& [c, sn] = twiddle[(f * k) % kSigLen];
            re += (sig[k] - mean) * c;
            im -= (sig[k] - mean) * sn;
        }
        amp[f] = static_cast<float>(std::hypot(re, im));
    }
    int dom = 1;
    float total = 0;
    for (int f = 1; f < kSigLen / 2; ++f) {
        total += amp[f];
        if (amp[f] > amp[dom]) dom = f;
    }
    if (total > 0) {
        const float side =
            0.5f * ((dom > 1 ? amp[dom - 1] : 0) + (dom + 1 < kSigLen / 2 ? amp[dom + 1] : 0));
        out.fda = (amp[dom] + side) / total;
    }
    // LCS: columns darker than the signature mean are ridge; how many of their pixels are
    // brighter than it (and valley pixels darker) measures the overlap of the two grey levels.
    int ridge_n = 0, ridge_bad = 0, valley_n = 0, valley_bad = 0;
    for (int k = 0; k < kSigLen; ++k) {
        const bool ridge = sig[k] < mean;
        for (int j = 0; j < kSigWidth; ++j) {
            const bool dark = px[k][j] < mean;
            (ridge ? ridge_n : valley_n) += 1;
            if (ridge != dark) (ridge ? ridge_bad : valley_bad) += 1;
        }
    }
    if (ridge_n > 0 && valley_n > 0)
        out.lcs = 1.0f - 0.5f * (static_cast<float>(ridge_bad) / ridge_n +
                                 static_cast<float>(valley_bad) / valley_n);
    // RVU: ridge/valley run widths of the binarised signature, inner runs only.
    std::vector<int> runs;
    std::vector<bool> run_is_ridge;
    for (int k = 0; k < kSigLen; ++k) {
        const bool r = sig[k] < mean;
        if (runs.empty() || run_is_ridge.back() != r) {
            runs.push_back(0);
            run_is_ridge.push_back(r);
        }
        ++runs.back();
    }
    float ratio_sum = 0;
    int ratio_n = 0;
    for (std::size_t i = 1; i + 2 < runs.size(); ++i) {
        const float ridge = run_is_ridge[i] ? runs[i] : runs[i + 1];
        const float valley = run_is_ridge[i] ? runs[i + 1] : runs[i];
        ratio_sum += ridge / valley;
        ++ratio_n;
    }
    if (ratio_n > 0) out.rvu = ratio_sum / ratio_n;
    return out;
}

}  // namespace

Analysis analyse(const Image& image) {
    Analysis a;
    if (image.empty() && image.pixels.empty()) return a;
    require_consistent(image, "fingerprint analysis");
    a.source_width = image.width;
    a.source_height = image.height;
    a.source_ppi = plausible_ppi(image.ppi) ? image.ppi : kWorkPpi;
    const cv::Mat work = to_work_grey(image, a.scale);
    const int cols = work.cols / kBlock, rows = work.rows / kBlock;
    if (cols < 3 || rows < 3) return a;
    a.grey = work(cv::Rect(0, 0, cols * kBlock, rows * kBlock)).clone();

    cv::Mat f, gx, gy;
    a.grey.convertTo(f, CV_32F);
    cv::Sobel(f, gx, CV_32F, 1, 0, 3);
    cv::Sobel(f, gy, CV_32F, 0, 1, 3);
    a.mean = tile_mean(f, cols, rows);
    cv::Mat sq = tile_mean(f.mul(f), cols, rows);
    cv::Mat gxx = tile_mean(gx.mul(gx), cols, rows);
    cv::Mat gyy = tile_mean(gy.mul(gy), cols, rows);
    cv::Mat gxy = tile_mean(gx.mul(gy), cols, rows);

    // The orientation field is the doubled-angle tensor smoothed over neighbouring blocks, so a
    // scar or a smudge in one block borrows the flow of its neighbours.
    cv::Mat sxx, syy, sxy;
    cv::GaussianBlur(gxx, sxx, cv::Size(5, 5), 1.0);
    cv::GaussianBlur(gyy, syy, cv::Size(5, 5), 1.0);
    cv::GaussianBlur(gxy, sxy, cv::Size(5, 5), 1.0);

    a.std.create(rows, cols, CV_32F);
    a.ocl.create(rows, cols, CV_32F);
    a.orientation.create(rows, cols, CV_32F);
    for (int y = 0; y < rows; ++y) {
        for (int x = 0; x < cols; ++x) {
            const float m = a.mean.at<float>(y, x);
            a.std.at<float>(y, x) = std::sqrt(std::max(0.0f, sq.at<float>(y, x) - m * m));
            // Eigenvalues of [[p, r], [r, q]]; ridges give one dominant direction (l2 << l1).
            const double p = gxx.at<float>(y, x), q = gyy.at<float>(y, x), r = gxy.at<float>(y, x);
            const double root = std::sqrt((p - q) * (p - q) + 4.0 * r * r);
            const double l1 = 0.5 * (p + q + root), l2 = 0.5 * (p + q - root);
            a.ocl.at<float>(y, x) =
                l1 > 1e-6 ? static_cast<float>(1.0 - std::max(0.0, l2) / l1) : 0.0f;
            // Gradient direction is across the ridges; the ridges run at +90 degrees.
            double th = 0.5 * std::atan2(2.0 * sxy.at<float>(y, x),
                                         sxx.at<float>(y, x) - syy.at<float>(y, x)) +
                        CV_PI / 2;
            if (th >= CV_PI) th -= CV_PI;
            a.orientation.at<float>(y, x) = static_cast<float>(th);
        }
    }

    // Foreground: textured and oriented blocks (noise has texture but OCL about 0.2); closing
    // fills single blocks inside the print (a core, a scar), opening drops specks of dirt. The
    // contrast bar follows the print's own contrast: a dark print's halo of dust on a bright
    // platen has texture and some orientation in a 16 px block, but a fraction of the ridges'.
    std::vector<float> stds(a.std.begin<float>(), a.std.end<float>());
    const auto p90 = stds.begin() + stds.size() * 9 / 10;
    std::nth_element(stds.begin(), p90, stds.end());
    const float contrast = std::max(kForegroundStd, kForegroundContrast * *p90);
    a.mask = (a.std >= contrast) & (a.ocl >= kForegroundOcl);
    const cv::Mat k3 = cv::Mat::ones(3, 3, CV_8U);
    cv::morphologyEx(a.mask, a.mask, cv::MORPH_CLOSE, k3);
    cv::morphologyEx(a.mask, a.mask, cv::MORPH_OPEN, k3);

    a.frequency = cv::Mat::zeros(rows, cols, CV_32F);
    a.lcs = cv::Mat::zeros(rows, cols, CV_32F);
    a.fda = cv::Mat::zeros(rows, cols, CV_32F);
    a.rvu = cv::Mat::zeros(rows, cols, CV_32F);
    std::vector<float> freqs;
    for (int y = 0; y < rows; ++y) {
        for (int x = 0; x < cols; ++x) {
            if (!a.mask.at<std::uint8_t>(y, x)) continue;
            const Signature s = signature(a.grey, x * kBlock + kBlock / 2, y * kBlock + kBlock / 2,
                                          a.orientation.at<float>(y, x));
            a.frequency.at<float>(y, x) = s.frequency;
            a.lcs.at<float>(y, x) = s.lcs;
            a.fda.at<float>(y, x) = s.fda;
            a.rvu.at<float>(y, x) = s.rvu;
            if (s.frequency > 0) freqs.push_back(s.frequency);
        }
    }
    // A block without two valleys across it is an edge, not ridges: the border of a sensor's
    // window or of the finger's pad is textured and oriented but not periodic (FVC2004 DB2:
    // FNMR at FMR 0.1 % 88 -> 69 %).
    a.mask &= a.frequency > 0;
    cv::morphologyEx(a.mask, a.mask, cv::MORPH_CLOSE, k3);
    cv::morphologyEx(a.mask, a.mask, cv::MORPH_OPEN, k3);
    a.foreground_blocks = cv::countNonZero(a.mask);
    if (!freqs.empty()) {
        std::nth_element(freqs.begin(), freqs.begin() + freqs.size() / 2, freqs.end());
        // Adult ridge periods at 500 ppi are 7-13 px; outside that the estimate is noise.
        a.median_frequency = std::clamp<double>(freqs[freqs.size() / 2], 1.0 / 14, 1.0 / 6);
    }
    return a;
}

}  // namespace rekam::bio::fingerprint
