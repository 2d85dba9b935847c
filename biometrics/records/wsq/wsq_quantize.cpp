#include "biometrics/records/wsq/wsq_quantize.h"

#include <algorithm>
#include <cmath>

#include "biometrics/records/wsq/wsq_huffman.h"

namespace rekam::bio::wsq {

namespace {

// Subbands whose variance is below this are not coded.
constexpr double kVarianceThreshold = 1.01;
// Subbands 0-3, 4-50 and 51-59 are 1/1024, 1/256 and 1/16 of the image.
constexpr int kRegion2 = 4;
constexpr int kRegion3 = 51;
constexpr int kRegion4 = 52;  // the weights A_k differ from 1 from here on

double variance_of(const std::vector<float>& plane, int width, const Rect& r) {
    const long long n = r.area();
    if (n < 2) return 0;
    double sum = 0, squares = 0;
    for (int y = r.y; y < r.y + r.height; ++y) {
        const float* row = plane.data() + static_cast<std::size_t>(y) * width;
        for (int x = r.x; x < r.x + r.width; ++x) {
            sum += row[x];
            squares += static_cast<double>(row[x]) * row[x];
        }
    }
    return (squares - sum * sum / static_cast<double>(n)) / static_cast<double>(n - 1);
}

// The specification measures variance on the middle of a subband (skipping 1/8 of its width
// at the left and 9/32 of its height at the top, taking 3/4 x 7/16), away from the borders
// where a fingerprint usually has none.
Rect central(const Rect& r) {
    return Rect{r.x + r.width / 8, r.y + (9 * r.height) / 32, (3 * r.width) / 4,
                (7 * r.height) / 16};
}

double rounded(double v) { return to_scaled(v, 0xFFFF).value(); }

}  // namespace

QuantTable choose_bins(const std::vector<float>& plane, int width, const Layout& layout,
                       double bitrate) {
    std::array<double, kCodedSubbands> variance{};
    double low_sum = 0;
    for (int k = 0; k < kRegion2; ++k) {
        variance[k] = variance_of(plane, width, central(layout.subbands[k]));
        low_sum += variance[k];
    }
    // Version 3.1: when the four coarsest subbands are nearly flat in their middle (a small or
    // sparse print), variances are taken over whole subbands instead.
    const bool whole = low_sum < 20000.0;
    for (int k = whole ? 0 : kRegion2; k < kCodedSubbands; ++k)
        variance[k] =
            variance_of(plane, width, whole ? layout.subbands[k] : central(layout.subbands[k]));

    std::array<double, kCodedSubbands> weight{};
    weight.fill(1.0);
    const double region4_weights[] = {1.32, 1.08, 1.42, 1.08, 1.32, 1.42, 1.08, 1.08};
    for (int k = kRegion4; k < kCodedSubbands; ++k) weight[k] = region4_weights[k - kRegion4];

    // Relative bin widths Q'_k (q still to be divided out) and the share 1/m_k of each subband.
    std::array<double, kCodedSubbands> relative{}, share{}, sigma{};
    std::vector<int> coded;
    for (int k = 0; k < kCodedSubbands; ++k) {
        share[k] = k < kRegion2 ? 1.0 / 1024 : k < kRegion3 ? 1.0 / 256 : 1.0 / 16;
        if (variance[k] < kVarianceThreshold) continue;
        relative[k] = k < kRegion2 ? 1.0 : 10.0 / (weight[k] * std::log(variance[k]));
        sigma[k] = std::sqrt(variance[k]);
        coded.push_back(k);
    }

    QuantTable table;
    if (coded.empty()) return table;  // a flat image: nothing but the mean to code

    // Bit allocation: q makes the subbands in K share `bitrate`; subbands that would get no
    // bits (Q_k >= 5 sigma_k) leave K and q is recomputed over the rest.
    std::vector<int> k_set = coded;
    double q = 0;
    for (;;) {
        double s = 0, log_p = 0;
        for (int k : k_set) {
            s += share[k];
            log_p += share[k] * std::log(sigma[k] / relative[k]);
        }
        q = std::pow(2.0, bitrate / s - 1.0) / 2.5 / std::exp(log_p / s);
        std::vector<int> kept;
        for (int k : k_set)
            if (relative[k] / q < 5.0 * sigma[k]) kept.push_back(k);
        if (kept.size() == k_set.size() || kept.empty()) break;
        k_set = std::move(kept);
    }
    for (int k : coded) {
        const double bin = rounded(relative[k] / q);
        if (bin <= 0) continue;
        table.q[static_cast<std::size_t>(k)] = bin;
        table.z[static_cast<std::size_t>(k)] = rounded(1.2 * bin);
    }
    return table;
}

std::size_t coded_count(const QuantTable& table, const Layout& layout, int first, int last) {
    std::size_t n = 0;
    for (int k = first; k < last; ++k)
        if (table.q[static_cast<std::size_t>(k)] > 0)
            n += static_cast<std::size_t>(layout.subbands[static_cast<std::size_t>(k)].area());
    return n;
}

std::vector<std::int32_t> quantize(const std::vector<float>& plane, int width, const Layout& layout,
                                   const QuantTable& table, int first, int last) {
    std::vector<std::int32_t> out;
    out.reserve(coded_count(table, layout, first, last));
    for (int k = first; k < last; ++k) {
        const double q = table.q[static_cast<std::size_t>(k)];
        if (q <= 0) continue;
        const double half_zero = table.z[static_cast<std::size_t>(k)] / 2;
        const Rect& r = layout.subbands[static_cast<std::size_t>(k)];
        for (int y = r.y; y < r.y + r.height; ++y)
            for (int x = r.x; x < r.x + r.width; ++x) {
                const double a = plane[static_cast<std::size_t>(y) * width + x];
                double bin = 0;
                if (a > half_zero)
                    bin = std::floor((a - half_zero) / q) + 1;
                else if (a < -half_zero)
                    bin = std::ceil((a + half_zero) / q) - 1;
                bin = std::clamp<double>(bin, -kMaxCoefficient, kMaxCoefficient);
                out.push_back(static_cast<std::int32_t>(bin));
            }
    }
    return out;
}

void dequantize(std::span<const std::int32_t> coefficients, const QuantTable& table,
                const Layout& layout, std::vector<float>& plane, int width) {
    std::size_t i = 0;
    const double c = table.bin_center;
    for (int k = 0; k < kCodedSubbands; ++k) {
        const double q = table.q[static_cast<std::size_t>(k)];
        if (q <= 0) continue;
        const double half_zero = table.z[static_cast<std::size_t>(k)] / 2;
        const Rect& r = layout.subbands[static_cast<std::size_t>(k)];
        for (int y = r.y; y < r.y + r.height; ++y)
            for (int x = r.x; x < r.x + r.width; ++x) {
                const std::int32_t p = i < coefficients.size() ? coefficients[i] : 0;
                ++i;
                float& out = plane[static_cast<std::size_t>(y) * width + x];
                if (p > 0)
                    out = static_cast<float>(q * (p - c) + half_zero);
                else if (p < 0)
                    out = static_cast<float>(q * (p + c) - half_zero);
                else
                    out = 0;
            }
    }
}

}  // namespace rekam::bio::wsq
