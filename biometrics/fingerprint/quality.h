// Fingerprint image quality "rekam-finger/2", in the spirit of NFIQ 2 (ISO/IEC 29794-4).
//
// From the shared analysis (analysis.h: 500 ppi, 16 px blocks, foreground by local variance) and
// the minutiae (minutiae.h) it measures over the print:
//   ocl          orientation certainty 1 - l2/l1 of the gradient structure tensor (NFIQ 2 OCL)
//   lcs          local clarity: overlap of ridge and valley grey levels in oriented windows (LCS)
//   fda          share of the ridge signature's spectrum in its dominant frequency (FDA)
//   rvu          spread (std-dev) of the ridge/valley width ratio over the print (RVUP)
//   of           orientation flow: mean change of ridge direction between neighbouring blocks,
//                0 smooth .. 1 chaotic (OF)
//   foreground_fraction, centroid_offset   how much of the frame the print covers, and where
//   minutiae_count, minutiae_quality       count and mean quality 0-100 of the minutiae
//   mean_grey, contrast                    grey level and ridge-valley std-dev over the print
// and combines them into 0-100 with feedback codes (feedback.h): no-object, too-dark, too-light,
// smudged (wet), too-dry, too-small, not-centred, good.
#pragma once

#include "biometrics/fingerprint/analysis.h"
#include "biometrics/fingerprint/minutiae.h"
#include "biometrics/image.h"
#include "biometrics/quality.h"

namespace rekam::bio::fingerprint {

inline constexpr const char* kQualityAlgorithm = "rekam-finger/2";
// Feedback says "good" only from this score on: MOSIP's default capture threshold for fingers,
// and rekamd's ([Quality] FingerprintThreshold=).
inline constexpr int kGoodScore = 40;

// Any image: empty or blank frames score 0 with "no-object"; RGB is converted to grey; huge frames
// are downscaled first. Throws std::invalid_argument when the buffer does not match its size.
Quality assess_quality(const Image& image);

// The same from work already done: the daemon analyses each frame once for quality and minutiae.
Quality assess_quality(const Analysis& analysis, const Minutiae& minutiae);

// Everything the daemon keeps of a frame, from one analysis.
struct Assessment {
    Quality quality;
    Minutiae minutiae;
};
Assessment assess(const Image& image);

}  // namespace rekam::bio::fingerprint
