// Synthetic fingerprints, SFinGe-style: one master print per (subject, finger), many
// impressions of it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "biometrics/image.h"
#include "drivers/sim/synth/common.h"
#include "drivers/sim/synth/finger_layout.h"
#include "drivers/sim/synth/finger_master.h"
#include "drivers/sim/synth/finger_render.h"
#include "drivers/sim/synth/gabor_bank.h"

namespace rekam::sim {

// Fingers are ISO/IEC 19794-2 positions 1..10: 1 right thumb .. 5 right little,
// 6 left thumb .. 10 left little. Images are 500 ppi grey, dark ridges on a light platen.
//
// Conditions: Dry = faint, broken ridges; Wet = ridges merge, dark smears; Smudged = dark
// smears and blur; Partial = small contact area; OffCentre = print pushed to an edge;
// Blurred; Dark/Light = exposure; Blank = empty platen with noise.
//
// Not thread-safe: impression() fills a per-finger cache. Use one object per thread.
class FingerprintSynth {
  public:
    explicit FingerprintSynth(std::string_view subject, ScannerFrame frame = {});

    // One impression of finger `iso_position` (1..10; others are treated as 2).
    bio::Image impression(int iso_position, const Impression& imp = {});

    // Facts about the finger, for tests and for the simulated device's metadata.
    PatternClass pattern(int iso_position) const;
    const FingerLayout& layout(int iso_position) const;
    // The intended mean ridge period in px at the frame's resolution.
    double ridge_period(int iso_position) const { return layout(iso_position).period; }
    // The master print (grown on first use).
    const FingerMaster& master(int iso_position);

    const std::string& subject() const { return subject_; }
    const ScannerFrame& frame() const { return frame_; }

  private:
    static int slot(int iso_position);
    std::uint64_t seed(int iso_position) const { return seeds_[slot(iso_position)]; }

    std::string subject_;
    ScannerFrame frame_;
    std::array<std::uint64_t, 10> seeds_{};
    std::array<FingerLayout, 10> layouts_{};
    std::array<std::unique_ptr<FingerMaster>, 10> masters_{};
    std::unique_ptr<GaborBank> bank_;  // built on first growth; ~30 KB of kernels
};

}  // namespace rekam::sim
