// The shared first stage of fingerprint quality and minutiae extraction, computed once per frame:
// the print resampled to 500 ppi, its foreground blocks, and the orientation and ridge-frequency
// fields with the NFIQ 2 style per-block measures (OCL, LCS, FDA, RVU) that come out of the same
// oriented ridge signatures.
#pragma once

#include <opencv2/core.hpp>

#include "biometrics/image.h"

namespace rekam::bio::fingerprint {

inline constexpr double kWorkPpi = 500.0;  // every stage works at this resolution
inline constexpr int kBlock = 16;          // px at 500 ppi: about two ridge periods

struct Analysis {
    int source_width = 0, source_height = 0;
    double source_ppi = kWorkPpi;  // the frame's resolution (500 when the image said 0)
    double scale = 1.0;            // working px per source px
    cv::Mat grey;                  // CV_8U, the frame at 500 ppi (cropped to whole blocks)
    // One value per kBlock x kBlock block (CV_8U mask, the rest CV_32F):
    cv::Mat mask;         // 255 = print (foreground)
    cv::Mat mean, std;    // grey mean and standard deviation
    cv::Mat orientation;  // ridge direction in radians, [0, pi), smoothed over neighbours
    cv::Mat ocl;          // orientation certainty 1 - l2/l1 (NFIQ 2 OCL), 0-1
    cv::Mat frequency;    // ridges per px along the normal, 0 where no clear ridges
    cv::Mat lcs;          // local clarity: 1 - overlap of ridge and valley grey levels, 0-1
    cv::Mat fda;          // share of the ridge signature's spectrum in its dominant frequency
    cv::Mat rvu;          // mean ridge/valley width ratio along the signature, 0 if unknown
    int foreground_blocks = 0;
    double median_frequency = 1.0 / 9.0;  // over foreground blocks with a valid frequency

    bool usable() const { return foreground_blocks >= 4; }
};

// Throws std::invalid_argument when the pixel buffer does not match its size. Empty, tiny or
// blank frames give an Analysis with usable() == false, never an exception.
Analysis analyse(const Image& image);

}  // namespace rekam::bio::fingerprint
