// Minutia Cylinder-Code (Cappelli, Ferrara, Maltoni, IEEE TPAMI 32(12), 2010), bit-based MCC16b:
// each minutia's neighbourhood as a cylinder of 16 x 16 spatial cells (radius 70 px at 500 ppi)
// times 6 direction slices, each cell one bit: "some neighbouring minutia lies near this cell with
// this direction difference". Invariant to translation and rotation by construction, tolerant of
// skin distortion because the contributions are Gaussian-smoothed, and fast to compare (popcounts).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "biometrics/fingerprint/minutiae.h"

namespace rekam::bio::fingerprint {

inline constexpr int kCylinderCells = 16;                  // Ns: spatial cells per side
inline constexpr int kCylinderSlices = 6;                  // Nd: direction slices
inline constexpr int kCylinderBits = 16 * 16 * 6;          // 1,536
inline constexpr int kCylinderWords = kCylinderBits / 64;  // 24

// One minutia in matching coordinates: 500 ppi, y up, so that angles run counter-clockwise.
struct MatchPoint {
    float x = 0, y = 0, angle = 0;
    float quality = 1;  // 0-1, the extractor's reliability of this minutia
};

struct Cylinder {
    std::array<std::uint64_t, kCylinderWords> bits{};   // the contributions, thresholded
    std::array<std::uint64_t, kCylinderWords> valid{};  // cells inside the print (all slices)
    int valid_cells = 0;                                // spatial cells only (of 256)
};

// A print prepared for matching: its minutiae in matching coordinates and, for those whose
// neighbourhood is well enough inside the print, their cylinders. Build once per print.
struct FingerTemplate {
    std::vector<MatchPoint> points;   // only minutiae with a valid cylinder
    std::vector<Cylinder> cylinders;  // one per point
};

FingerTemplate make_template(const Minutiae& minutiae);

// Local similarity 0-1 of two cylinders (MCC's normalised Hamming distance over the cells valid
// in both); 0 when too few cells are comparable or the minutiae's directions differ by more than
// a quarter turn.
float cylinder_similarity(const Cylinder& a, float angle_a, const Cylinder& b, float angle_b);

}  // namespace rekam::bio::fingerprint
