// The quality gate: every frame is scored from its pixels by biometrics/ before anything is
// accepted. Which algorithm scores which modality is decided here and only here.
#pragma once

#include "biometrics/image.h"
#include "biometrics/quality.h"
#include "daemon/config.h"
#include "drivers/device.h"

namespace rekam {

bio::Quality assess(drivers::DeviceKind kind, const bio::Image& image);
int default_threshold(const QualityThresholds& thresholds, drivers::DeviceKind kind);

}  // namespace rekam
