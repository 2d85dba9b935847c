// Minutiae matcher: is this the same finger as another print?
//
// Minutia Cylinder-Code local structures (cylinder.h) compared all against all, the best
// one-to-one pairs consolidated by LSS-R relaxation (Cappelli, Ferrara, Maltoni 2010): pairs whose
// relative distances and angles agree with the other pairs' reinforce each other, chance pairs
// fade. The similarity is then calibrated (calibration.h) so that a score means an error rate.
#pragma once

#include "biometrics/fingerprint/cylinder.h"
#include "biometrics/fingerprint/minutiae.h"

namespace rekam::bio::fingerprint {

// The raw LSS-R similarity, 0 (nothing in common) to 1. Symmetric.
double match_similarity(const FingerTemplate& a, const FingerTemplate& b);

// The calibrated score: -log10 of the false match rate at this similarity, estimated on the
// pooled impostor comparisons of the development sets (calibration.h). 3 means that one
// comparison of two different fingers in a thousand scores this high or higher; 0 to 8.
double match_score(const FingerTemplate& a, const FingerTemplate& b);
double match_score(const Minutiae& a, const Minutiae& b);  // builds both templates

// Scores at or above this are the same finger: FMR 0.1 % on the pooled development sets.
inline constexpr double kMatchThreshold = 3.0;

}  // namespace rekam::bio::fingerprint
