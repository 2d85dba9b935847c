// The finger sequence check: stops a clerk from recording the same finger twice, or under the
// wrong position, before the enrollment goes on.
#pragma once

#include <optional>
#include <vector>

#include "biometrics/fingerprint/cylinder.h"

namespace rekam::bio::fingerprint {

// A false alarm stops a genuine enrollment, so the threshold comes from a budget: at most 0.5 %
// of ten-finger enrollments stopped. A ten-finger enrollment runs 45 comparisons (each new print
// against those before it), so each may false-match with probability 0.005 / 45 = 1.1e-4, and the
// calibrated score (calibration.h) at that FMR is -log10(0.005 / 45) = 3.954, rounded up.
inline constexpr double kSequenceFalseAlarmBudget = 0.005;
inline constexpr int kSequenceComparisons = 45;
inline constexpr double kSequenceThreshold = 3.96;

// One capture of the sequence: its ISO/IEC 19794 finger position (1-5 right thumb..little,
// 6-10 left) and its print prepared for matching.
struct FingerCapture {
    int position = 0;
    FingerTemplate print;
};

struct SequenceFinding {
    int earlier = 0;  // the position already captured that holds the same finger
    double score = 0;
    // The same finger of the other hand (positions 5 apart): the citizen most likely gave the
    // same hand twice, i.e. the hands were swapped for one of the two slaps.
    bool swapped_hand = false;
};

// The new print against each print captured before it (never the earlier ones against each
// other: they were checked when they came). The best match at or above the threshold, if any.
std::optional<SequenceFinding> check_sequence(const std::vector<FingerCapture>& earlier,
                                              const FingerCapture& added,
                                              double threshold = kSequenceThreshold);

}  // namespace rekam::bio::fingerprint
