// The master print of one finger: its ridge pattern grown once, sampled by every impression.
#pragma once

#include <cstdint>

#include "drivers/sim/synth/finger_layout.h"
#include "drivers/sim/synth/gabor_bank.h"
#include "drivers/sim/synth/raster.h"

namespace rekam::sim {

struct FingerMaster {
    FingerLayout layout;
    // Ridge signal in [-1, 1] (positive = ridge) on a canvas holding the contact ellipse.
    Field ridges;
    float centre_x = 0.0f;  // finger centre on the canvas
    float centre_y = 0.0f;
};

// Ridge direction (radians, mod pi) at (x, y) relative to the finger centre, from the
// zero-pole (Sherlock-Monro) model of the layout's cores and deltas, or the arch model.
float model_orientation(const FingerLayout& layout, float x, float y);

// SFinGe-style growth: orientation field (model + smooth perturbation), smoothly varying
// ridge period, then iterated orientation-adaptive Gabor filtering of seeded noise, so
// ridge endings and bifurcations arise where the field forces ridges to start or split.
FingerMaster grow_master(const FingerLayout& layout, std::uint64_t seed, const GaborBank& bank);

}  // namespace rekam::sim
