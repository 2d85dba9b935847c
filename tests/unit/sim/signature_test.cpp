// The simulated signature pad's handwriting: deterministic per citizen and attempt, varied
// between attempts, good by rekam's own quality measure, and each fault named by its feedback.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "biometrics/signature/quality.h"
#include "drivers/sim/synth/signature_synth.h"

namespace rekam::sim {
namespace {

namespace sig = bio::signature;

// The Wacom DTU-1141 (X 200-23472, Y 200-13203 at 100 units/mm, pressure 0-1023) and a
// 120 x 60 mm box in the middle of its screen.
sig::PenDevice dtu1141() { return {{200, 23472}, {200, 13203}, {0, 1023}, 100, 100}; }
sig::SigningBox box() { return {5836, 3701, 17836, 9701}; }

std::string measures_of(const bio::Quality& q) {
    std::string out;
    for (const auto& [k, v] : q.measures) out += k + "=" + std::to_string(v) + " ";
    return out;
}

bool has(const bio::Quality& q, const std::string& code) {
    for (const auto& f : q.feedback)
        if (f == code) return true;
    return false;
}

TEST(SignatureSynth, SameCitizenAndAttemptGiveTheSameSamples) {
    const SignatureSynth a("3201234567890001", dtu1141(), box());
    const SignatureSynth b("3201234567890001", dtu1141(), box());
    EXPECT_EQ(a.sign(2).samples, b.sign(2).samples);
}

TEST(SignatureSynth, AttemptsVaryAndCitizensDiffer) {
    const SignatureSynth a("3201234567890001", dtu1141(), box());
    const SignatureSynth c("3201234567890002", dtu1141(), box());
    const auto q0 = sig::assess_quality(a.sign(0));
    const auto q1 = sig::assess_quality(a.sign(1));
    const auto other = sig::assess_quality(c.sign(0));
    EXPECT_NE(a.sign(0).samples, a.sign(1).samples);
    // One hand: the same strokes, about the same size and duration.
    EXPECT_EQ(q0.measure("strokes"), q1.measure("strokes"));
    EXPECT_NEAR(q1.measure("width_mm") / q0.measure("width_mm"), 1.0, 0.2);
    EXPECT_NEAR(q1.measure("duration_ms") / q0.measure("duration_ms"), 1.0, 0.25);
    EXPECT_NE(a.sign(0).samples, c.sign(0).samples);
    EXPECT_FALSE(q0.measure("strokes") == other.measure("strokes") &&
                 q0.measure("points") == other.measure("points"));
}

TEST(SignatureSynth, SignaturesOfManyCitizensScoreWell) {
    for (int citizen = 0; citizen < 25; ++citizen) {
        const SignatureSynth synth("32010000000" + std::to_string(10000 + citizen), dtu1141(),
                                   box());
        for (std::uint32_t attempt = 0; attempt < 3; ++attempt) {
            const auto tr = synth.sign(attempt);
            const auto q = sig::assess_quality(tr);
            SCOPED_TRACE("citizen " + std::to_string(citizen) + " attempt " +
                         std::to_string(attempt));
            EXPECT_GE(q.score, sig::kGoodScore) << measures_of(q);
            EXPECT_EQ(q.feedback, std::vector<std::string>{"good"});
            EXPECT_GE(q.measure("strokes"), 2);
            EXPECT_NEAR(q.measure("sampling_hz"), 200, 1);
            EXPECT_EQ(q.measure("outside_fraction"), 0);
            for (std::size_t i = 1; i < tr.samples.size(); ++i)
                ASSERT_GT(tr.samples[i].t_us, tr.samples[i - 1].t_us) << i;
            // Live feedback has nothing to say while a good signature is written.
            sig::LiveSignature live(tr.device, tr.box);
            for (const auto& s : tr.samples) {
                live.add(s);
                if (s.down) {
                    ASSERT_EQ(live.feedback(s.t_us), "") << s.t_us;
                }
            }
        }
    }
}

TEST(SignatureSynth, FaultsGiveTheirFeedback) {
    const SignatureSynth synth("3201234567890001", dtu1141(), box());
    const auto short_q = sig::assess_quality(synth.sign(0, SignatureFault::TooShort));
    EXPECT_TRUE(has(short_q, "too-short"));
    EXPECT_LT(short_q.score, sig::kGoodScore);
    const auto flat = sig::assess_quality(synth.sign(0, SignatureFault::NoPressure));
    EXPECT_TRUE(has(flat, "no-pressure"));
    EXPECT_LT(flat.score, sig::kGoodScore);
    const auto out = sig::assess_quality(synth.sign(0, SignatureFault::OutsideBox));
    EXPECT_EQ(out.feedback.front(), "outside-box");
    EXPECT_LT(out.score, sig::kGoodScore);
    const auto blank = sig::assess_quality(synth.sign(0, SignatureFault::Blank));
    EXPECT_EQ(blank.feedback, std::vector<std::string>{"sign-now"});
}

TEST(SignatureSynth, FaultNamesAndConditions) {
    for (auto f : {SignatureFault::None, SignatureFault::TooShort, SignatureFault::NoPressure,
                   SignatureFault::OutsideBox, SignatureFault::Blank})
        EXPECT_EQ(parse_signature_fault(to_string(f)), f);
    EXPECT_FALSE(parse_signature_fault("smudged"));
    EXPECT_EQ(signature_fault(Condition::OffCentre), SignatureFault::OutsideBox);
    EXPECT_EQ(signature_fault(Condition::Wet), SignatureFault::None);
}

TEST(SignatureSynth, APadWithoutResolutionIsRefused) {
    sig::PenDevice d = dtu1141();
    d.x_units_per_mm = 0;
    EXPECT_THROW(SignatureSynth("x", d, box()), std::invalid_argument);
}

}  // namespace
}  // namespace rekam::sim
