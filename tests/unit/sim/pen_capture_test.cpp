// PenCapture: what the simulated pad and the evdev driver tell the citizen while signing, and
// when a signature is over.
#include "drivers/pen_capture.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "drivers/sim/synth/signature_synth.h"

namespace rekam::drivers {
namespace {

namespace sig = bio::signature;

const sig::PenDevice kPad{{200, 22520}, {200, 12800}, {0, 1023}, 100, 100};

sig::PenSample at(std::int64_t t_ms, bool down, std::int32_t x = 11000, std::int32_t y = 6500,
                  std::int32_t pressure = 500) {
    return {x, y, t_ms * 1000, pressure, down};
}

TEST(PenCapture, TheDefaultBoxIs120By60MmInTheMiddleOfThePad) {
    const auto box = centred_box(kPad);
    EXPECT_EQ(box.width(), 12000);
    EXPECT_EQ(box.height(), 6000);
    EXPECT_NEAR((box.left + box.right) / 2.0, (kPad.x.min + kPad.x.max) / 2.0, 1);
    EXPECT_NEAR((box.top + box.bottom) / 2.0, (kPad.y.min + kPad.y.max) / 2.0, 1);
    // A pad smaller than the box: 90 % of its surface.
    const sig::PenDevice small{{0, 8000}, {0, 4000}, {0, 1023}, 100, 100};
    EXPECT_EQ(centred_box(small).width(), 7200);
    EXPECT_EQ(centred_box(small).height(), 3600);
}

TEST(PenCapture, ASynthesisedSignatureSaysSignNowThenNothingAndBecomesOneFrame) {
    const auto box = centred_box(kPad);
    const auto trace = rekam::sim::SignatureSynth("3273014507900001", kPad, box).sign(0);
    PenCapture pen(kPad, box, {0, 100'000});
    EXPECT_EQ(pen.feedback(), "sign-now");
    std::vector<std::string> said;
    int previews = 0;
    for (const auto& s : trace.samples) {
        const auto e = pen.add(s);
        if (e.feedback) said.push_back(*e.feedback);
        previews += e.preview;
        EXPECT_FALSE(e.finished) << "EndAfterLiftMs=0: only a confirm ends it";
    }
    EXPECT_TRUE(said.empty()) << said.front();
    // About ten previews a second of ink, and the preview is the whole box at 4 px/mm.
    EXPECT_GE(previews, 10);
    const Frame preview = pen.preview();
    EXPECT_GE(preview.image.width, 480);
    EXPECT_LT(preview.image.width, 500) << "120 mm at 4 px/mm and a margin";
    EXPECT_TRUE(pen.has_ink());
    const Frame frame = pen.finish();
    ASSERT_TRUE(frame.pen);
    EXPECT_EQ(frame.pen->samples, trace.samples);
    EXPECT_FALSE(frame.image.empty());
    EXPECT_FALSE(pen.has_ink()) << "finish starts afresh";
    EXPECT_EQ(pen.feedback(), "sign-now");
}

TEST(PenCapture, ALiftEndsTheSignatureAfterTheConfiguredPause) {
    PenCapture pen(kPad, centred_box(kPad), {2'000'000, 100'000});
    EXPECT_FALSE(pen.next_deadline()) << "no ink, nothing to end";
    for (int t = 0; t < 500; t += 10) EXPECT_FALSE(pen.add(at(t, true, 9000 + 10 * t)).finished);
    EXPECT_FALSE(pen.next_deadline()) << "the pen is down";
    EXPECT_FALSE(pen.add(at(500, false)).finished);
    ASSERT_TRUE(pen.next_deadline());
    EXPECT_EQ(*pen.next_deadline(), 490'000 + 2'000'000);
    EXPECT_FALSE(pen.tick(2'000'000).finished);
    EXPECT_TRUE(pen.tick(2'490'000).finished);
}

TEST(PenCapture, WithoutAPauseALongLiftIsSaidAndClearStartsOver) {
    PenCapture pen(kPad, centred_box(kPad), {0, 100'000});
    for (int t = 0; t < 500; t += 10) pen.add(at(t, true, 9000 + 10 * t, 6500, 200 + t));
    pen.add(at(500, false));
    ASSERT_TRUE(pen.next_deadline());
    const auto e = pen.tick(*pen.next_deadline());
    EXPECT_FALSE(e.finished);
    ASSERT_TRUE(e.feedback);
    EXPECT_EQ(*e.feedback, "pen-lifted-too-long");
    EXPECT_FALSE(pen.tick(*pen.next_deadline() + 1000).feedback) << "said once";
    const auto cleared = pen.clear();
    ASSERT_TRUE(cleared.feedback);
    EXPECT_EQ(*cleared.feedback, "sign-now");
    EXPECT_FALSE(pen.has_ink());
}

TEST(PenCapture, InkOutsideTheBoxAndNoPressureAreSaidAsTheyHappen) {
    PenCapture pen(kPad, centred_box(kPad), {0, 100'000});
    std::vector<std::string> said;
    for (int t = 0; t < 300; t += 10)
        if (auto e = pen.add(at(t, true, 1000 + 10 * t, 1000)); e.feedback)
            said.push_back(*e.feedback);
    ASSERT_FALSE(said.empty());
    EXPECT_EQ(said.front(), "outside-box");

    PenCapture flat(kPad, centred_box(kPad), {0, 100'000});
    said.clear();
    for (int t = 0; t < 300; t += 10)
        if (auto e = flat.add(at(t, true, 9000 + 10 * t, 6500, 0)); e.feedback)
            said.push_back(*e.feedback);
    ASSERT_FALSE(said.empty());
    EXPECT_EQ(said.back(), "no-pressure");
}

TEST(PenCapture, OnlyHoveringGivesTheBlankBoxAsTheFrame) {
    PenCapture pen(kPad, centred_box(kPad), {0, 100'000});
    for (int t = 0; t < 300; t += 10) pen.add(at(t, false));
    EXPECT_FALSE(pen.has_ink());
    const Frame frame = pen.finish();
    ASSERT_FALSE(frame.image.empty());
    EXPECT_EQ(frame.pen->samples.size(), 30u);
}

}  // namespace
}  // namespace rekam::drivers
