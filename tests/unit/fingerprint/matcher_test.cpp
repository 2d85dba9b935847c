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

}  // namespace
}  // namespace rekam::bio::fingerprint
