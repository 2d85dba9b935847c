// The simulated kit against the real finger sequence check: a citizen's ten different fingers
// never raise a false FingerSequence alarm, and a finger given twice is caught. (The whole-
// enrollment benchmark once stopped on its 5th simulated citizen's left thumb.)
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "biometrics/fingerprint/matcher.h"
#include "biometrics/fingerprint/quality.h"
#include "biometrics/fingerprint/sequence.h"
#include "drivers/sim/synth/finger_synth.h"

namespace rekam::sim {
namespace {

using bio::fingerprint::FingerCapture;

bio::fingerprint::FingerTemplate print(FingerprintSynth& synth, int finger, std::uint32_t index) {
    return bio::fingerprint::make_template(
        bio::fingerprint::assess(synth.impression(finger, {index})).minutiae);
}

TEST(SimulatedFingerSequence, TenFingersOfACitizenAreNeverTakenForOne) {
    // The citizens of the enrollment benchmark (tests/integration valid NIKs), first attempts.
    double highest = 0;
    for (int citizen = 1; citizen <= 8; ++citizen) {
        const std::string nik = "327301450790" + std::to_string(10000 + citizen).substr(1);
        FingerprintSynth synth(nik);
        std::vector<FingerCapture> earlier;
        for (int finger = 1; finger <= 10; ++finger) {
            const FingerCapture added{finger, print(synth, finger, 0)};
            const auto finding = bio::fingerprint::check_sequence(earlier, added);
            EXPECT_FALSE(finding.has_value()) << nik << " finger " << finger << " taken for "
                                              << finding->earlier << " at " << finding->score;
            for (const auto& e : earlier)
                highest = std::max(highest, bio::fingerprint::match_score(added.print, e.print));
            earlier.push_back(added);
        }
    }
    std::printf("highest score between different simulated fingers: %.2f\n", highest);
}

TEST(SimulatedFingerSequence, TheSameFingerTwiceIsCaught) {
    FingerprintSynth synth("3273014507900005");
    int caught = 0;
    for (int finger = 1; finger <= 10; ++finger) {
        const auto finding = bio::fingerprint::check_sequence(
            {{finger, print(synth, finger, 0)}}, {finger % 10 + 1, print(synth, finger, 1)});
        caught += finding.has_value();
    }
    EXPECT_GE(caught, 9);
}

}  // namespace
}  // namespace rekam::sim
