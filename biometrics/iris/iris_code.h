// Iris template: Daugman rubber-sheet normalisation, a Gabor phase code with its mask, and the
// fractional Hamming distance with rotation compensation.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "biometrics/iris/segmentation.h"

namespace rekam::bio::iris {

inline constexpr const char* kCodeAlgorithm = "rekam-iris-code/1";

// The rubber sheet: kRadial rows from the pupil boundary (0) to the limbus, kAngular columns
// counter-clockwise from the subject's temporal side (3 o'clock in the image).
inline constexpr int kRadial = 32, kAngular = 256;

struct Normalised {
    cv::Mat texture;  // CV_8U kRadial x kAngular
    cv::Mat mask;     // CV_8U, 255 = usable iris
};

// `grey` is the working frame of `seg` (working_grey()); geometry is scaled by seg.scale.
Normalised normalise(const cv::Mat& grey, const Segmentation& seg);

// Bits laid out [row][column][filter]: kCodeRows x kCodeCols x kFilters, one byte per bit (0/1).
inline constexpr int kCodeRows = 8, kCodeCols = 128, kFilters = 4;  // 2 wavelengths x re/im

struct IrisCode {
    std::vector<std::uint8_t> bits;
    std::vector<std::uint8_t> mask;  // 1 = the bit is usable
    bool empty() const { return bits.empty(); }
    double usable() const;  // fraction of usable bits
};

IrisCode encode(const Normalised& sheet);
// The code of an analysed frame (analyse()); empty when no eye was found.
struct Analysis;
IrisCode encode(const Analysis& analysis);
// Segments and encodes in one go; an empty code when no eye is found.
IrisCode encode(const Image& image);

// Fractional Hamming distance over the bits both masks keep, the smallest over rotations of
// +-kMaxShift code columns (+-28 degrees). 1.0 when either code is empty, malformed, or fewer than
// kMinOverlap bits are comparable: "no match possible", never a false match.
inline constexpr int kMaxShift = 10;
inline constexpr int kMinOverlap = 400;
double distance(const IrisCode& a, const IrisCode& b);

}  // namespace rekam::bio::iris
