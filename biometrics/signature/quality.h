// Signature quality "rekam-signature/1": live feedback while the citizen signs and a 0-100 score
// of the finished signature, from measurable properties of the pen trace:
//   duration_ms        first to last tip-down sample
//   points, strokes    tip-down samples, and runs of them between lifts
//   complexity         ink length / diagonal of the ink's bounding box (a straight line is 1)
//   box_fill           larger of ink width / box width and ink height / box height
//   outside_fraction   tip-down samples outside the signing box
//   pressure_range     spread (5th to 95th percentile) of tip-down pressure / device range
//   sampling_hz        1 / median interval between samples
//   longest_lift_ms    longest time the tip was up between two strokes
//   longest_dropout_ms longest interval between two tip-down samples of one stroke
// Feedback codes (feedback.h): sign-now, outside-box, too-short, too-small, no-pressure,
// pen-lifted-too-long, low-quality, good.
#pragma once

#include <cstddef>
#include <string_view>

#include "biometrics/quality.h"
#include "biometrics/signature/pen.h"

namespace rekam::bio::signature {

inline constexpr const char* kQualityAlgorithm = "rekam-signature/1";
// Feedback says "good" from this score on. The 40 SVC2004 signatures all score 100
// (docs/signature.md); every synthetic failure in the tests scores below 30.
inline constexpr int kGoodScore = 60;
// A lift longer than this inside a signature means the citizen stopped: 8x the longest lift
// between two strokes of the 40 SVC2004 signatures (373 ms).
inline constexpr std::int64_t kMaxPenLiftUs = 3'000'000;

Quality assess_quality(const PenTrace& trace);

// Live feedback while signing: add() each sample as it arrives (constant time, no allocation
// beyond the sample store); feedback() names what the citizen should do now.
class LiveSignature {
  public:
    LiveSignature(const PenDevice& device, const SigningBox& box);

    void add(const PenSample& s);
    // The pen left without a tip-up sample (out of the pad's range): its tip is up.
    void lift() { tip_down_ = false; }
    // Forget the ink (the clerk's Clear).
    void clear();
    // "sign-now" before any ink, then outside-box, no-pressure or pen-lifted-too-long when they
    // apply at `now_us` (the time of the latest event or of a timer), else empty: too-short and
    // too-small can only be judged on the finished signature (assess()).
    std::string_view feedback(std::int64_t now_us) const;
    Quality assess() const { return assess_quality(trace_); }
    const PenTrace& trace() const { return trace_; }
    bool has_ink() const { return down_ > 0; }
    bool tip_down() const { return tip_down_; }
    // The latest tip-down sample's time; meaningful once has_ink().
    std::int64_t last_down_us() const { return last_down_us_; }

  private:
    PenTrace trace_;
    std::size_t down_ = 0;
    std::size_t outside_ = 0;
    std::int32_t p_min_ = 0, p_max_ = 0;
    bool tip_down_ = false;
    std::int64_t last_down_us_ = 0;
};

}  // namespace rekam::bio::signature
