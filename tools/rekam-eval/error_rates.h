// Verification error rates from genuine and impostor comparison scores (ISO/IEC 19795-1 terms):
// a comparison matches when its score is at or above the threshold.
#pragma once

#include <vector>

namespace rekam::eval {

struct Rates {
    double fmr = 0, fnmr = 0;
};

class ErrorRates {
  public:
    ErrorRates() = default;
    ErrorRates(std::vector<double> genuine, std::vector<double> impostor);

    std::size_t genuine_count() const { return genuine_.size(); }
    std::size_t impostor_count() const { return impostor_.size(); }

    Rates at(double threshold) const;
    // The lowest threshold whose FMR is at most `fmr` (just above the impostor it must reject).
    double threshold_for_fmr(double fmr) const;
    double fnmr_at_fmr(double fmr) const { return at(threshold_for_fmr(fmr)).fnmr; }
    // Equal error rate: the mean of FMR and FNMR where they are closest.
    double eer() const;
    // (FMR, FNMR) at every distinct score, FMR falling: the DET curve.
    std::vector<Rates> det() const;

  private:
    std::vector<double> genuine_, impostor_;  // both sorted ascending
};

}  // namespace rekam::eval
