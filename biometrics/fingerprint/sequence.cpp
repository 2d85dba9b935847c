#include "biometrics/fingerprint/sequence.h"

#include <cstdlib>

#include "biometrics/fingerprint/matcher.h"

namespace rekam::bio::fingerprint {

std::optional<SequenceFinding> check_sequence(const std::vector<FingerCapture>& earlier,
                                              const FingerCapture& added, double threshold) {
    std::optional<SequenceFinding> best;
    for (const FingerCapture& c : earlier) {
        if (c.position == added.position) continue;  // a retake replaces, it does not repeat
        const double s = match_score(added.print, c.print);
        if (s < threshold || (best && s <= best->score)) continue;
        best = SequenceFinding{c.position, s, std::abs(c.position - added.position) == 5};
    }
    return best;
}

}  // namespace rekam::bio::fingerprint
