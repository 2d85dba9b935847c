// The image synthesis of the simulated enrollment kit: fingerprints, NIR irises and face
// frames as pure, deterministic functions of (subject, finger/eye/scene, impression).
#pragma once

#include "drivers/sim/synth/common.h"
#include "drivers/sim/synth/face_synth.h"
#include "drivers/sim/synth/finger_synth.h"
#include "drivers/sim/synth/iris_synth.h"
#include "drivers/sim/synth/signature_synth.h"
