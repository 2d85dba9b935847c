#include "drivers/sim/synth/common.h"

#include <gtest/gtest.h>

namespace rekam::sim {
namespace {

TEST(SimCommon, SubjectSeedIsPinned) {
    // Pinned: a change here changes every simulated subject's biometrics.
    EXPECT_EQ(subject_seed("3171234567890001", "finger-7"), 9379300920698298073ULL);
    EXPECT_NE(subject_seed("3171234567890001", "finger-7"),
              subject_seed("3171234567890001", "finger-8"));
    EXPECT_NE(subject_seed("317123456789000", "1finger-7"),
              subject_seed("3171234567890001", "finger-7"));
}

TEST(SimCommon, ConditionNamesRoundTrip) {
    for (Condition c : {Condition::Good, Condition::Dry, Condition::Wet, Condition::Smudged,
                        Condition::Partial, Condition::OffCentre, Condition::Blurred,
                        Condition::Dark, Condition::Light, Condition::Blank})
        EXPECT_EQ(parse_condition(to_string(c)), c) << to_string(c);
    EXPECT_EQ(parse_condition("offcentre"), Condition::OffCentre);
    EXPECT_FALSE(parse_condition("soggy").has_value());
}

}  // namespace
}  // namespace rekam::sim
