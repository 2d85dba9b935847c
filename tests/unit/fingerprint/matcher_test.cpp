// The matcher on real prints (FVC2002 DB2_B fingers 101-105, 569 ppi, and FVC2002 DB1_B 101-110,
// 500 ppi) and the finger sequence check. The bands come from the pooled development sets
// (docs/fingerprint.md): the score is -log10 of the pooled FMR, so an impostor pair reaches the
// threshold 3 once in a thousand and the sequence threshold 3.96 about once in 9,000.
#include "biometrics/fingerprint/matcher.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "biometrics/fingerprint/sequence.h"
#include "prints.h"

namespace rekam::bio::fingerprint {
namespace {

FingerTemplate print(int finger, int impression) {
    return make_template(extract_minutiae(testing::fvc_db2b(finger, impression)));
}

// A template moved as a whole: the same print seen shifted and turned on the platen.
Minutiae moved(const Minutiae& m, double dx, double dy, double radians) {
    Minutiae out = m;
    const double c = std::cos(radians), s = std::sin(radians);
    for (auto& p : out.points) {
        // Image y runs down, ISO angles counter-clockwise as viewed: turn in that frame.
        const double x = c * p.x + s * p.y + dx, y = -s * p.x + c * p.y + dy;
        p.x = x, p.y = y;
        p.angle = std::fmod(p.angle + radians + 2 * M_PI, 2 * M_PI);
    }
    return out;
}

TEST(FingerprintMatcher, SelfMatchIsCertainAndEmptyIsZero) {
    REQUIRE_FINGERPRINT_DATA();
    const Minutiae m = extract_minutiae(testing::fvc_db2b(103, 1));
    EXPECT_GE(match_score(m, m), kSequenceThreshold + 2);
    EXPECT_EQ(match_score(m, Minutiae{}), 0.0);
    EXPECT_EQ(match_score(Minutiae{}, Minutiae{}), 0.0);
    EXPECT_DOUBLE_EQ(match_score(m, m), match_score(make_template(m), make_template(m)));
}

TEST(FingerprintMatcher, ScoreIsTheSameWhereverThePrintLies) {
    REQUIRE_FINGERPRINT_DATA();
    const Minutiae a = extract_minutiae(testing::fvc_db2b(101, 1));
    const Minutiae b = extract_minutiae(testing::fvc_db2b(101, 3));
    const double base = match_score(a, b);
    ASSERT_GE(base, kMatchThreshold);
    for (const double degrees : {-40.0, -15.0, 20.0, 45.0}) {
        const double turned = match_score(a, moved(b, 60, -35, degrees * M_PI / 180));
        // Cylinders are rotation invariant up to the rounding of their cells' centres.
        EXPECT_NEAR(turned, base, 1.0) << degrees << " degrees";
        EXPECT_GE(turned, kMatchThreshold) << degrees << " degrees";
    }
    // The same minutiae declared at twice the pixels and resolution compare the same.
    Minutiae twice = b;
    twice.ppi *= 2;
    for (auto& p : twice.points) p.x *= 2, p.y *= 2;
    EXPECT_NEAR(match_score(a, twice), base, 1e-6);
}

// Every ordered pair of the 40 prints: rates within the pooled development sets' bands.
TEST(FingerprintMatcher, Fvc2002Db2bRates) {
    REQUIRE_FINGERPRINT_DATA();
    std::vector<std::pair<int, FingerTemplate>> prints;
    for (int f = 101; f <= 105; ++f)
        for (int i = 1; i <= 8; ++i) prints.emplace_back(f, print(f, i));
    int genuine = 0, false_non_match = 0, impostor = 0, false_match = 0;
    double highest_impostor = 0;
    for (std::size_t i = 0; i < prints.size(); ++i)
        for (std::size_t j = 0; j < prints.size(); ++j) {
            if (i == j) continue;
            const bool same = prints[i].first == prints[j].first;
            const double s = match_score(prints[i].second, prints[j].second);
            (same ? genuine : impostor) += 1;
            if (same && s < kMatchThreshold) ++false_non_match;
            if (!same && s >= kMatchThreshold) ++false_match;
            if (!same) highest_impostor = std::max(highest_impostor, s);
        }
    EXPECT_EQ(genuine, 280);
    EXPECT_EQ(impostor, 1280);
    std::printf("FMR %d/%d, FNMR %d/%d, highest impostor %.2f\n", false_match, impostor,
                false_non_match, genuine, highest_impostor);
    EXPECT_LE(false_match, 3);  // the pooled FMR 0.1 % allows 1.3 of 1,280: a little room
    // Measured 30 of 280 (10.7 %, highest impostor 1.93); over the development sets FNMR at the
    // threshold runs from 6 to 60 % (docs/fingerprint.md): this set is among the easy ones.
    EXPECT_LE(false_non_match, 0.13 * genuine);
    EXPECT_LT(highest_impostor, kSequenceThreshold + 0.5);
}

TEST(FingerprintSequence, ThresholdIsTheFalseAlarmBudget) {
    // 45 comparisons per ten-finger enrollment, each at the FMR the threshold stands for.
    const double per_comparison = std::pow(10.0, -kSequenceThreshold);
    EXPECT_LE(1 - std::pow(1 - per_comparison, kSequenceComparisons), kSequenceFalseAlarmBudget);
    EXPECT_NEAR(kSequenceThreshold, -std::log10(kSequenceFalseAlarmBudget / kSequenceComparisons),
                0.01);
}

TEST(FingerprintSequence, CatchesTheSameFingerTwiceAndNamesASwappedHand) {
    REQUIRE_FINGERPRINT_DATA();
    // Right thumb .. right little are fingers 101-105; the left hand repeats 101 at its index
    // (7), which is position 2's finger: the same finger of the other hand.
    const std::vector<FingerCapture> right = {{1, print(105, 1)},
                                              {2, print(101, 1)},
                                              {3, print(102, 1)},
                                              {4, print(103, 1)},
                                              {5, print(104, 1)}};
    const auto swapped = check_sequence(right, {7, print(101, 2)});
    ASSERT_TRUE(swapped.has_value());
    EXPECT_EQ(swapped->earlier, 2);
    EXPECT_TRUE(swapped->swapped_hand);
    EXPECT_GE(swapped->score, kSequenceThreshold);
    // The middle finger placed again where the ring finger belongs: a slip, not a swap.
    const auto slip = check_sequence(right, {4, print(102, 3)});
    ASSERT_TRUE(slip.has_value());
    EXPECT_EQ(slip->earlier, 3);
    EXPECT_FALSE(slip->swapped_hand);
    // A retake of the same position is no conflict; a new finger is none either.
    EXPECT_FALSE(check_sequence(right, {2, print(101, 4)}).has_value());
    EXPECT_FALSE(check_sequence({right.begin(), right.begin() + 4}, {5, print(104, 2)}));
}

}  // namespace
}  // namespace rekam::bio::fingerprint
