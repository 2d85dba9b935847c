// Minutiae matcher for the finger sequence check: is this the same finger as an earlier capture?
//
// Local structures (each minutia with its nearest neighbours, invariant to rotation and shift)
// propose alignments; each of the best is verified globally by pairing all minutiae under it.
// Positions are taken to 500 ppi from each Minutiae's own ppi, so prints of different readers
// compare.
#pragma once

#include <vector>

#include "biometrics/fingerprint/minutiae.h"

namespace rekam::bio::fingerprint {

// 0 (nothing in common) to 100: 100 w^2 / (na nb), where w counts the minutiae paired under the
// best alignment (each 0.5-1 by how well their neighbourhoods agree) and na, nb the minutiae of
// each print in the area both show (at least 18 each). Symmetric up to the choice of alignments.
double match_score(const Minutiae& a, const Minutiae& b);

// Scores at or above this are the same finger. Calibrated on FVC2002 DB2_B fingers 101-105 (all
// 280 genuine and 1,280 impostor ordered pairs, docs/fingerprint.md): FMR 0 of 1,280 (highest
// impostor 5.14), FNMR 5.0 %. Tuned on those same prints: expect somewhat worse elsewhere.
inline constexpr double kMatchThreshold = 5.15;

// One capture of the sequence: its ISO/IEC 19794 finger position (1-5 right thumb..little,
// 6-10 left) and its minutiae.
struct FingerCapture {
    int position = 0;
    Minutiae minutiae;
};

struct SequenceFinding {
    int first = 0, second = 0;  // positions that hold the same finger
    double score = 0;
    // The same finger of the other hand (positions 5 apart): the citizen most likely gave the
    // same hand twice, i.e. the hands were swapped for one of the two slaps.
    bool swapped_hand = false;
};

// Every pair of positions whose prints match (score >= threshold), best first.
std::vector<SequenceFinding> check_sequence(const std::vector<FingerCapture>& captures,
                                            double threshold = kMatchThreshold);

}  // namespace rekam::bio::fingerprint
