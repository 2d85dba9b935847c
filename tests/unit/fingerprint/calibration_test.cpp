// The score calibration: fitted knots follow the impostor distribution, the shipped table is
// monotone and spans the thresholds.
#include "biometrics/fingerprint/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "biometrics/fingerprint/matcher.h"
#include "biometrics/fingerprint/sequence.h"

namespace rekam::bio::fingerprint {
namespace {

TEST(FingerprintCalibration, FittedScoreIsMinusLog10OfTheImpostorShareAbove) {
    // Impostors uniform on [0, 1): the share at or above s is 1 - s, so the score is -log10(1 - s).
    std::mt19937 random(7);
    std::uniform_real_distribution<double> uniform(0, 1);
    std::vector<double> impostor(200000);
    for (double& v : impostor) v = uniform(random);
    const auto knots = fit_calibration(impostor);
    for (const double fmr : {0.1, 0.01, 1e-3, 1e-4}) {
        const double score = calibrated_score(1 - fmr, knots);
        EXPECT_NEAR(score, -std::log10(fmr), 0.1) << "FMR " << fmr;
    }
    EXPECT_DOUBLE_EQ(calibrated_score(0, knots), 0);
    EXPECT_DOUBLE_EQ(calibrated_score(2, knots), kMaxScore);
}

TEST(FingerprintCalibration, ShippedTableIsMonotoneAndReachesTheThresholds) {
    double last = -1;
    for (double s = 0; s <= 1.0; s += 0.001) {
        const double score = calibrated_score(s);
        EXPECT_GE(score, last) << "at similarity " << s;
        last = score;
    }
    EXPECT_EQ(calibrated_score(0), 0);
    EXPECT_EQ(calibrated_score(1), kMaxScore);
    EXPECT_LT(kMatchThreshold, kSequenceThreshold);
    EXPECT_LT(kSequenceThreshold, kMaxScore);
}

TEST(FingerprintCalibration, NoImpostorsGiveOnlyTheOrigin) {
    EXPECT_EQ(fit_calibration({}).size(), 1u);
}

}  // namespace
}  // namespace rekam::bio::fingerprint
