#include "biometrics/fingerprint/calibration.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace rekam::bio::fingerprint {
namespace {

// Fitted by `rekam-eval fingerprint-calibrate` on the development sets (docs/fingerprint.md):
// 53120 impostor comparisons pooled over 10 sets.
const std::vector<CalibrationKnot> kShippedKnots = {
    {0.000000, 0.00}, {0.013335, 0.25}, {0.014232, 0.50}, {0.014970, 0.75}, {0.015645, 1.00},
    {0.016383, 1.25}, {0.017060, 1.50}, {0.017820, 1.75}, {0.018642, 2.00}, {0.019760, 2.25},
    {0.020847, 2.50}, {0.021500, 2.75}, {0.022193, 3.00}, {0.023063, 3.25}, {0.024109, 3.50},
    {0.024667, 3.75}, {0.024890, 4.00}, {0.038544, 8.00},
};

}  // namespace

double calibrated_score(double similarity, const std::vector<CalibrationKnot>& knots) {
    if (knots.empty() || similarity <= knots.front().similarity) return 0;
    for (std::size_t k = 1; k < knots.size(); ++k) {
        const CalibrationKnot &lo = knots[k - 1], &hi = knots[k];
        if (similarity > hi.similarity) continue;
        const double t = (similarity - lo.similarity) / (hi.similarity - lo.similarity);
        return std::clamp(lo.score + t * (hi.score - lo.score), 0.0, kMaxScore);
    }
    return kMaxScore;
}

double calibrated_score(double similarity) { return calibrated_score(similarity, kShippedKnots); }

std::vector<CalibrationKnot> fit_calibration(std::vector<double> impostor, int min_tail) {
    std::sort(impostor.begin(), impostor.end(), std::greater<>());
    const double n = static_cast<double>(impostor.size());
    std::vector<CalibrationKnot> knots = {{0.0, 0.0}};
    if (impostor.empty()) return knots;
    // The similarity at FMR 10^-level lies between the k-th and (k+1)-th highest impostor.
    double level = 0.25;
    for (; n * std::pow(10.0, -level) >= min_tail; level += 0.25) {
        const auto k = static_cast<std::size_t>(std::floor(n * std::pow(10.0, -level)));
        const double s = 0.5 * (impostor[k - 1] + impostor[k]);
        if (s > knots.back().similarity) knots.push_back({s, level});
    }
    // The tail: log10 FMR against similarity over the highest 1 % (least squares), for the depth
    // no data reaches.
    const std::size_t m =
        std::max<std::size_t>(static_cast<std::size_t>(min_tail), impostor.size() / 100);
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    const std::size_t used = std::min(m, impostor.size());
    for (std::size_t r = 0; r < used; ++r) {
        const double x = impostor[r], y = -std::log10((r + 1) / n);
        sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    const double denom = used * sxx - sx * sx;
    double slope = denom > 0 ? (used * sxy - sx * sy) / denom : 0;
    if (slope <= 0) slope = 100;  // degenerate tail: rise to the cap at once
    const CalibrationKnot last = knots.back();
    if (last.score < kMaxScore)
        knots.push_back({last.similarity + (kMaxScore - last.score) / slope, kMaxScore});
    return knots;
}

}  // namespace rekam::bio::fingerprint
