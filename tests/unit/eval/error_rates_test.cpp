// rekam-eval's statistics on scores whose rates can be counted by hand.
#include "tools/rekam-eval/error_rates.h"

#include <gtest/gtest.h>

#include <cmath>

namespace rekam::eval {
namespace {

TEST(ErrorRates, CountsAtAThreshold) {
    const ErrorRates r({1, 2, 3, 4, 5}, {0, 0, 1, 2, 6});
    EXPECT_DOUBLE_EQ(r.at(3).fnmr, 0.4);  // 1 and 2 miss; a score equal to the threshold matches
    EXPECT_DOUBLE_EQ(r.at(3).fmr, 0.2);   // only 6
    EXPECT_DOUBLE_EQ(r.at(100).fnmr, 1.0);
    EXPECT_DOUBLE_EQ(r.at(-1).fmr, 1.0);
}

TEST(ErrorRates, ThresholdForAnFmrRejectsJustEnoughImpostors) {
    std::vector<double> impostor(1000);
    for (int i = 0; i < 1000; ++i) impostor[i] = i;  // 0 .. 999
    const ErrorRates r({500, 998.5, 999, 1200}, impostor);
    // FMR <= 0.1 %: one impostor (999) may pass, 998 must not.
    EXPECT_GT(r.threshold_for_fmr(1e-3), 998);
    EXPECT_LE(r.threshold_for_fmr(1e-3), 999);
    EXPECT_DOUBLE_EQ(r.at(r.threshold_for_fmr(1e-3)).fmr, 1e-3);
    EXPECT_DOUBLE_EQ(r.fnmr_at_fmr(1e-3), 0.25);  // only 500 misses
}

TEST(ErrorRates, FmrZeroLiesAboveTheHighestImpostor) {
    const ErrorRates r({5, 7, 9}, {1, 6});
    EXPECT_GT(r.threshold_for_fmr(0), 6);
    EXPECT_DOUBLE_EQ(r.fnmr_at_fmr(0), 1.0 / 3);
}

TEST(ErrorRates, EqualErrorRateOfSeparatedAndOverlappingScores) {
    EXPECT_DOUBLE_EQ(ErrorRates({5, 6, 7}, {1, 2, 3}).eer(), 0.0);
    // Genuine 1..10, impostor 0..9 (10 each): at threshold t, FNMR (t-1)/10 and FMR (10-t)/10.
    std::vector<double> g, i;
    for (int k = 0; k < 10; ++k) g.push_back(k + 1), i.push_back(k);
    const double eer = ErrorRates(g, i).eer();
    EXPECT_NEAR(eer, 0.45, 0.051);
}

TEST(ErrorRates, DetRunsFromEveryoneAcceptedToNoneAccepted) {
    const auto det = ErrorRates({2, 3}, {1, 2}).det();
    ASSERT_FALSE(det.empty());
    EXPECT_DOUBLE_EQ(det.front().fmr, 1.0);
    EXPECT_DOUBLE_EQ(det.front().fnmr, 0.0);
    EXPECT_DOUBLE_EQ(det.back().fmr, 0.0);
    EXPECT_DOUBLE_EQ(det.back().fnmr, 1.0);
    for (std::size_t k = 1; k < det.size(); ++k) {
        EXPECT_LE(det[k].fmr, det[k - 1].fmr);
        EXPECT_GE(det[k].fnmr, det[k - 1].fnmr);
    }
}

}  // namespace
}  // namespace rekam::eval
