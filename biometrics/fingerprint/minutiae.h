// Minutiae: ridge endings and bifurcations found on the thinned, Gabor-enhanced print.
#pragma once

#include <cstdint>
#include <vector>

#include "biometrics/fingerprint/analysis.h"
#include "biometrics/image.h"

namespace rekam::bio::fingerprint {

// Codes as in ISO/IEC 19794-2:2005 (2 bits): 1 ridge ending, 2 bifurcation.
enum class MinutiaType : std::uint8_t { other = 0, ending = 1, bifurcation = 2 };

struct Minutia {
    double x = 0, y = 0;  // px in the source image, origin top-left, y down
    // Radians in [0, 2 pi), counter-clockwise from the x axis as the image is viewed (the
    // ISO/IEC 19794-2 convention). An ending points from the ridge into the gap where it ends, a
    // bifurcation from its stem into the fork.
    double angle = 0;
    MinutiaType type = MinutiaType::other;
    int quality = 0;  // 0-100: ridge clarity around it and distance from the print's edge
};

struct Minutiae {
    int width = 0, height = 0;  // the source image
    double ppi = kWorkPpi;      // its resolution: positions are in its pixels
    std::vector<Minutia> points;
};

// Throws std::invalid_argument only for an inconsistent buffer; blank or tiny frames give none.
Minutiae extract_minutiae(const Image& image);
// Reuses the segmentation and orientation of a frame that quality already analysed.
Minutiae extract_minutiae(const Analysis& analysis);

}  // namespace rekam::bio::fingerprint
