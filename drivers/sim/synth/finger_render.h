// One scanner impression of a master print: placement, distortion, pressure and scanner.
#pragma once

#include <cstdint>

#include "biometrics/image.h"
#include "drivers/sim/synth/common.h"
#include "drivers/sim/synth/finger_master.h"

namespace rekam::sim {

struct ScannerFrame {
    int width = 400;
    int height = 500;
    double ppi = 500.0;
};

// Renders impression `imp` of `master` as a grey image (dark ridges, light background).
// Everything variable is drawn from `seed` and imp.index; the condition changes the pixels
// the way the real problem does (see finger_synth.h).
bio::Image render_impression(const FingerMaster& master, std::uint64_t seed, const Impression& imp,
                             const ScannerFrame& frame);

}  // namespace rekam::sim
