// Signature quality: every SVC2004 signature scores well, each synthetic failure is named by its
// feedback code and scores low, and the live feedback follows the pen.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "biometrics/feedback.h"
#include "biometrics/signature/quality.h"
#include "svc2004.h"

namespace rekam::bio::signature {
namespace {

using testing::dtu1141;
using testing::dtu1141_box;

bool has(const Quality& q, const std::string& code) {
    for (const auto& f : q.feedback)
        if (f == code) return true;
    return false;
}

// A looping scrawl across `width` device units of the box centre at 100 Hz for `ms`, with a pen
// lift halfway: the shape of a signature without its data.
PenTrace scrawl(double ms, double width, std::int32_t pressure_swing = 300) {
    PenTrace tr{dtu1141(), dtu1141_box(), {}};
    const double cx = (tr.box.left + tr.box.right) / 2.0, cy = (tr.box.top + tr.box.bottom) / 2.0;
    const int n = static_cast<int>(ms / 10);
    for (int i = 0; i <= n; ++i) {
        const double u = n ? double(i) / n : 0;
        const double x = cx + width * (u - 0.5) + width * 0.06 * std::cos(u * 40);
        const double y = cy + width * 0.15 * std::sin(u * 40);
        const bool lift = i == n / 2;
        tr.samples.push_back(
            {static_cast<std::int32_t>(x), static_cast<std::int32_t>(y), std::int64_t{i} * 10'000,
             lift ? 0 : 500 + static_cast<std::int32_t>(pressure_swing * std::sin(u * 17)), !lift});
    }
    return tr;
}

TEST(SignatureQuality, EverySvc2004SignatureScoresWell) {
    const auto files = testing::svc2004_files();
    if (files.empty()) GTEST_SKIP() << "no SVC2004 signatures under " << testing::svc2004_dir();
    ASSERT_EQ(files.size(), 40u);
    int lowest = 100;
    for (const auto& f : files) {
        const Quality q = assess_quality(testing::load_svc2004(f));
        EXPECT_GE(q.score, kGoodScore) << f;
        ASSERT_FALSE(q.feedback.empty());
        EXPECT_EQ(q.feedback.front(), "good") << f;
        EXPECT_GE(q.measure("strokes"), 3) << f;
        EXPECT_NEAR(q.measure("sampling_hz"), 100, 1) << f;
        lowest = std::min(lowest, q.score);
    }
    RecordProperty("lowest_score", lowest);
}

TEST(SignatureQuality, ASynthesisedScrawlScoresWell) {
    const Quality q = assess_quality(scrawl(1500, 8000));
    EXPECT_GE(q.score, kGoodScore);
    EXPECT_EQ(q.feedback, std::vector<std::string>{"good"});
}

TEST(SignatureQuality, NoInkAsksToSign) {
    PenTrace tr{
        dtu1141(), dtu1141_box(), {{10000, 6000, 0, 0, false}, {10010, 6000, 10000, 0, false}}};
    const Quality q = assess_quality(tr);
    EXPECT_EQ(q.score, 0);
    EXPECT_EQ(q.feedback, std::vector<std::string>{"sign-now"});
}

TEST(SignatureQuality, ADotIsTooShortAndTooSmall) {
    PenTrace tr{dtu1141(), dtu1141_box(), {}};
    for (int i = 0; i < 5; ++i)
        tr.samples.push_back({11836 + i, 6701, i * 10'000, 400 + 50 * i, true});
    const Quality q = assess_quality(tr);
    EXPECT_EQ(q.score, 0);
    EXPECT_TRUE(has(q, "too-short"));
    EXPECT_TRUE(has(q, "too-small"));
}

TEST(SignatureQuality, AStraightLineScoresLow) {
    PenTrace tr{dtu1141(), dtu1141_box(), {}};
    for (int i = 0; i < 150; ++i)
        tr.samples.push_back({7000 + 60 * i, 6701, i * 10'000, 300 + 3 * i, true});
    const Quality q = assess_quality(tr);
    EXPECT_NEAR(q.measure("complexity"), 1.0, 1e-9);
    EXPECT_LT(q.score, 30);
    EXPECT_TRUE(has(q, "low-quality"));
}

TEST(SignatureQuality, ConstantPressureIsNoPressure) {
    const Quality q = assess_quality(scrawl(1500, 8000, 0));
    EXPECT_LT(q.score, 30);
    EXPECT_TRUE(has(q, "no-pressure"));
}

TEST(SignatureQuality, APadWithoutPressureIsNoPressure) {
    PenTrace tr = scrawl(1500, 8000);
    tr.device.pressure = {0, 0};
    const Quality q = assess_quality(tr);
    EXPECT_EQ(q.score, 0);
    EXPECT_TRUE(has(q, "no-pressure"));
}

TEST(SignatureQuality, InkMostlyOutsideTheBoxFails) {
    PenTrace tr = scrawl(1500, 8000);
    for (auto& s : tr.samples) s.y += 4000;  // box is 6000 high: most of the ink falls below it
    const Quality q = assess_quality(tr);
    EXPECT_GT(q.measure("outside_fraction"), 0.5);
    EXPECT_EQ(q.score, 0);
    EXPECT_EQ(q.feedback.front(), "outside-box");
}

TEST(SignatureQuality, ATinySignatureIsTooSmall) {
    const Quality q = assess_quality(scrawl(1500, 1500));
    EXPECT_LT(q.score, 30);
    EXPECT_TRUE(has(q, "too-small"));
}

TEST(SignatureQuality, AQuickTickIsTooShort) {
    const Quality q = assess_quality(scrawl(250, 8000));
    EXPECT_LT(q.score, 30);
    EXPECT_TRUE(has(q, "too-short"));
}

TEST(SignatureQuality, ALongLiftIsReported) {
    PenTrace tr = scrawl(1500, 8000);
    for (std::size_t i = tr.samples.size() / 2; i < tr.samples.size(); ++i)
        tr.samples[i].t_us += 4'000'000;
    const Quality q = assess_quality(tr);
    EXPECT_GT(q.measure("longest_lift_ms"), 4000);
    EXPECT_TRUE(has(q, "pen-lifted-too-long"));
    EXPECT_LT(q.score, kGoodScore);
}

TEST(SignatureQuality, LostSamplesLowerTheScore) {
    const int good = assess_quality(scrawl(1500, 8000)).score;
    PenTrace tr = scrawl(1500, 8000);
    for (std::size_t i = 20; i < 40; ++i) tr.samples[i].down = false;    // hole in a stroke...
    tr.samples.erase(tr.samples.begin() + 20, tr.samples.begin() + 40);  // ...no samples at all
    tr.samples[19].down = tr.samples[20].down = true;
    const Quality q = assess_quality(tr);
    EXPECT_GE(q.measure("longest_dropout_ms"), 200);
    EXPECT_LT(q.score, good);
}

TEST(SignatureQuality, SlowSamplingLowersTheScore) {
    PenTrace tr = scrawl(1500, 8000);
    PenTrace slow{tr.device, tr.box, {}};
    for (std::size_t i = 0; i < tr.samples.size(); i += 6) slow.samples.push_back(tr.samples[i]);
    const Quality q = assess_quality(slow);
    EXPECT_LT(q.measure("sampling_hz"), 25);
    EXPECT_LT(q.score, kGoodScore);
}

TEST(LiveSignature, FollowsThePen) {
    LiveSignature live(dtu1141(), dtu1141_box());
    EXPECT_EQ(live.feedback(0), "sign-now");
    const PenTrace tr = scrawl(1500, 8000);
    for (const auto& s : tr.samples) {
        live.add(s);
        EXPECT_EQ(live.feedback(s.t_us), "") << s.t_us;
    }
    const std::int64_t end = tr.samples.back().t_us;
    live.add({11836, 6701, end + 10'000, 0, false});
    EXPECT_EQ(live.feedback(end + 1'000'000), "");
    EXPECT_EQ(live.feedback(end + kMaxPenLiftUs + 20'000), "pen-lifted-too-long");
    EXPECT_GE(live.assess().score, kGoodScore);
    live.clear();
    EXPECT_EQ(live.feedback(end), "sign-now");
    EXPECT_TRUE(live.trace().samples.empty());
}

TEST(LiveSignature, OutsideTheBoxAndNoPressure) {
    LiveSignature out(dtu1141(), dtu1141_box());
    for (int i = 0; i < 10; ++i) out.add({100 + i, 100, i * 10'000, 500 + i, true});
    EXPECT_EQ(out.feedback(100'000), "outside-box");

    LiveSignature flat(dtu1141(), dtu1141_box());
    for (int i = 0; i < 19; ++i) flat.add({11000 + 30 * i, 6701, i * 10'000, 512, true});
    EXPECT_EQ(flat.feedback(190'000), "") << "too early to judge the pressure";
    flat.add({11600, 6701, 190'000, 512, true});
    EXPECT_EQ(flat.feedback(190'000), "no-pressure");
}

TEST(SignatureFeedback, EveryCodeHasBothLanguages) {
    for (const char* code : {"sign-now", "too-short", "outside-box", "too-small", "no-pressure",
                             "pen-lifted-too-long", "low-quality", "good"}) {
        const FeedbackText t = feedback_text(code, "signature");
        EXPECT_EQ(t.code, code);
        EXPECT_NE(t.id, "Periksa pengambilan") << code;
        EXPECT_NE(t.en, t.id) << code;
    }
    // The finger's too-small keeps its own words.
    EXPECT_NE(feedback_text("too-small").en, feedback_text("too-small", "signature").en);
    EXPECT_EQ(feedback_text("pen-lifted-too-long").code, "pen-lifted-too-long");
}

}  // namespace
}  // namespace rekam::bio::signature
