// The package's card/: what the e-KTP chip will hold (both index fingers' minutiae in the
// ISO/IEC 19794-2 compact card format, the portrait as JPEG 2000, the signature image), made at
// Finalize and checked against the chip's budget.
#pragma once

#include <stdexcept>
#include <vector>

#include "biometrics/package/manifest.h"
#include "biometrics/package/package.h"
#include "daemon/config.h"

namespace rekam {

struct Sample;

// The chip cannot hold what the enrollment gives: Finalize refuses with CardOverBudget.
struct CardOverBudget : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct CardContent {
    pkg::CardInfo info;                  // sealed: bytes, hashes and total filled
    std::vector<pkg::SampleFile> files;  // one per part with a file, in the parts' order
};

// From the samples of one enrollment (any order). An excepted index finger is stood in for by
// the thumb, then the middle finger, of the same hand, as the part's note says; a hand with none
// of them has an empty template slot. Throws CardOverBudget naming what does not fit.
CardContent make_card(const std::vector<const Sample*>& samples, const CardConfig& config);

}  // namespace rekam
