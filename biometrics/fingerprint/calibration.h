// Calibration of the matcher's similarity into a score that means an error rate.
//
// score = -log10(FMR), the false match rate at that similarity as estimated on the pooled impostor
// comparisons of the development sets: a threshold of 3 accepts one impostor comparison in a
// thousand, 4 one in ten thousand, whatever the sensor. The table is fitted by
// `rekam-eval fingerprint-calibrate` (docs/fingerprint.md), never set by hand.
#pragma once

#include <vector>

namespace rekam::bio::fingerprint {

struct CalibrationKnot {
    double similarity;  // the matcher's raw similarity, increasing from knot to knot
    double score;       // -log10 of the pooled FMR at that similarity
};

inline constexpr double kMaxScore = 8.0;  // beyond what any development data can support

// Piecewise linear through the shipped knots, extrapolated along the fitted tail; 0 to kMaxScore.
double calibrated_score(double similarity);

// Knots every quarter decade of FMR down to the depth the impostor count supports (at least
// `min_tail` impostors above the last), then one knot on the exponential tail fitted to the
// highest 1 % of impostors. `impostor` is the raw similarity of every impostor comparison.
std::vector<CalibrationKnot> fit_calibration(std::vector<double> impostor, int min_tail = 5);

double calibrated_score(double similarity, const std::vector<CalibrationKnot>& knots);

}  // namespace rekam::bio::fingerprint
