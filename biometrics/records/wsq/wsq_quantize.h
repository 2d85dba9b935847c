// WSQ quantisation (IAFIS-IC-0110 v3.1, section 3): subband variances, the bit allocation that
// picks each subband's bin width for a target bit rate, and the dead-zone scalar quantiser.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "biometrics/records/wsq/wsq_markers.h"
#include "biometrics/records/wsq/wsq_wavelet.h"

namespace rekam::bio::wsq {

// Bin widths for a decomposed plane at `bitrate` bits per pixel, rounded to the precision
// the DQT segment stores them with (the decoder sees exactly these).
QuantTable choose_bins(const std::vector<float>& plane, int width, const Layout& layout,
                       double bitrate);

// How many coefficients the coded subbands [first, last) hold.
std::size_t coded_count(const QuantTable& table, const Layout& layout, int first, int last);

// The coefficients of subbands [first, last) with a non-zero bin width, in subband order,
// each subband row by row.
std::vector<std::int32_t> quantize(const std::vector<float>& plane, int width, const Layout& layout,
                                   const QuantTable& table, int first, int last);

// Writes the bin values of `coefficients` (all coded subbands, as quantize() ordered them)
// into a zeroed plane.
void dequantize(std::span<const std::int32_t> coefficients, const QuantTable& table,
                const Layout& layout, std::vector<float>& plane, int width);

}  // namespace rekam::bio::wsq
