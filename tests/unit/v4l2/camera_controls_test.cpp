// Fitting a configured value to what a camera control takes.
#include "drivers/v4l2/camera_controls.h"

#include <gtest/gtest.h>

namespace rekam::drivers::v4l2 {
namespace {

ControlInfo control(std::int32_t min, std::int32_t max, std::int32_t step) {
    ControlInfo info;
    info.minimum = min;
    info.maximum = max;
    info.step = step;
    return info;
}

TEST(FitToControl, ClampsToTheRange) {
    EXPECT_EQ(fit_to_control(5000, control(3, 2047, 1)), 2047);
    EXPECT_EQ(fit_to_control(-7, control(3, 2047, 1)), 3);
    EXPECT_EQ(fit_to_control(166, control(3, 2047, 1)), 166);
}

TEST(FitToControl, RoundsToTheNearestStepCountedFromTheMinimum) {
    EXPECT_EQ(fit_to_control(123, control(0, 250, 5)), 125);
    EXPECT_EQ(fit_to_control(122, control(0, 250, 5)), 120);
    EXPECT_EQ(fit_to_control(12, control(1, 100, 10)), 11);  // steps are 1, 11, 21, ...
}

TEST(FitToControl, NeverStepsPastTheMaximum) {
    // 0-255 in steps of 10: 250 is the last step; 255 itself is off the grid.
    EXPECT_EQ(fit_to_control(255, control(0, 255, 10)), 250);
    EXPECT_EQ(fit_to_control(1000, control(0, 255, 10)), 250);
}

TEST(FitToControl, DegenerateControlsGiveTheirMinimum) {
    EXPECT_EQ(fit_to_control(42, control(7, 7, 1)), 7);
    EXPECT_EQ(fit_to_control(42, control(0, 100, 0)), 42);  // a step of 0 counts as 1
}

}  // namespace
}  // namespace rekam::drivers::v4l2
