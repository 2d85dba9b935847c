// The WSQ wavelet stage (IAFIS-IC-0110 v3.1, section 2): the 9/7 biorthogonal filter pair and
// the fixed 64-subband decomposition. Pixels live in one float plane; each split filters a
// rectangle of it in place, rows then columns, so the subbands end up side by side in the plane.
#pragma once

#include <array>
#include <vector>

namespace rekam::bio::wsq {

// Analysis filters, symmetric about their centre: lowpass[4] and highpass[3] are the centre taps.
struct Filters {
    std::array<float, 9> lowpass;
    std::array<float, 7> highpass;
};
// The specification's filters (the values every WSQ encoder writes in its DTT segment).
Filters standard_filters();

struct Rect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    long long area() const { return static_cast<long long>(width) * height; }
};

// Subbands 0-59 are coded; 60-63 (the finest diagonal detail) are always discarded.
inline constexpr int kCodedSubbands = 60;
inline constexpr int kTableSubbands = 64;

// Where each subband lies in a width x height plane, in the order the quantised coefficients
// are written: subband 0 is the coarsest approximation.
struct Layout {
    std::array<Rect, kCodedSubbands> subbands;
    Rect discarded;  // subbands 60-63, zero after decoding
};
Layout subband_layout(int width, int height);

// The plane is width x height, row-major. decompose() turns pixels into subbands;
// reconstruct() undoes it (up to the coefficients' precision).
void decompose(std::vector<float>& plane, int width, int height, const Filters& filters);
void reconstruct(std::vector<float>& plane, int width, int height, const Filters& filters);

}  // namespace rekam::bio::wsq
