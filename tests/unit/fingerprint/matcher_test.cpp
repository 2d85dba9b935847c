// The matcher on FVC2002 DB2_B fingers 101-105 (569 ppi) and the finger sequence check.
#include "biometrics/fingerprint/matcher.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "prints.h"

namespace rekam::bio::fingerprint {
namespace {

TEST(FingerprintMatcher, SelfMatchIsFullAndEmptyIsZero) {
    REQUIRE_FINGERPRINT_DATA();
    const Minutiae m = extract_minutiae(testing::fvc_db2b(103, 1));
    EXPECT_GE(match_score(m, m), 90.0);
    EXPECT_EQ(match_score(m, Minutiae{}), 0.0);
    EXPECT_EQ(match_score(Minutiae{}, Minutiae{}), 0.0);
}

// Every ordered pair of the 40 prints: the rates the threshold was calibrated for (FMR 0 of 1,280,
// FNMR 14 of 280 = 5.0 %, docs/fingerprint.md), with the bound FMR <= 0.1 %.
TEST(FingerprintMatcher, Fvc2002Db2bRates) {
    REQUIRE_FINGERPRINT_DATA();
    std::vector<std::pair<int, Minutiae>> prints;
    for (int f = 101; f <= 105; ++f)
        for (int i = 1; i <= 8; ++i)
            prints.emplace_back(f, extract_minutiae(testing::fvc_db2b(f, i)));
    int genuine = 0, false_non_match = 0, impostor = 0, false_match = 0;
    for (std::size_t i = 0; i < prints.size(); ++i)
        for (std::size_t j = 0; j < prints.size(); ++j) {
            if (i == j) continue;
            const bool same = prints[i].first == prints[j].first;
            const bool match = match_score(prints[i].second, prints[j].second) >= kMatchThreshold;
            (same ? genuine : impostor) += 1;
            if (same && !match) ++false_non_match;
            if (!same && match) ++false_match;
        }
    EXPECT_EQ(genuine, 280);
    EXPECT_EQ(impostor, 1280);
    std::printf("FMR %d/%d, FNMR %d/%d\n", false_match, impostor, false_non_match, genuine);
    EXPECT_LE(false_match, 1);  // FMR <= 0.1 %
    EXPECT_LE(false_non_match, 0.05 * genuine);
}

TEST(FingerprintMatcher, SequenceCheckCatchesTheSameFingerTwice) {
    REQUIRE_FINGERPRINT_DATA();
    const auto m = [](int f, int i) { return extract_minutiae(testing::fvc_db2b(f, i)); };
    // Right index (2) and left index (7) are the same finger: the right hand was given twice.
    // Right middle (3) repeats finger 103 of left thumb (6): a slip, not a swap.
    const std::vector<FingerCapture> seq = {{2, m(101, 1)}, {3, m(103, 2)}, {4, m(104, 1)},
                                            {6, m(103, 1)}, {7, m(101, 2)}, {8, m(105, 1)}};
    const auto findings = check_sequence(seq);
    ASSERT_EQ(findings.size(), 2u);
    for (const auto& f : findings) {
        if (f.first == 2) {
            EXPECT_EQ(f.second, 7);
            EXPECT_TRUE(f.swapped_hand);
        } else {
            EXPECT_EQ(f.first, 3);
            EXPECT_EQ(f.second, 6);
            EXPECT_FALSE(f.swapped_hand);
        }
        EXPECT_GE(f.score, kMatchThreshold);
    }
    // Ten different fingers: nothing to report.
    EXPECT_TRUE(
        check_sequence(
            {{1, m(101, 3)}, {2, m(102, 3)}, {3, m(103, 3)}, {4, m(104, 3)}, {5, m(105, 3)}})
            .empty());
}

}  // namespace
}  // namespace rekam::bio::fingerprint
