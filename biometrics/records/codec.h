// Image codecs for the sample records: PNG (lossless, fingerprints and irises) through libpng,
// JPEG (face photos) through TurboJPEG. Decoders are hardened for untrusted input: garbage and
// absurd dimensions give RecordError, never a crash or a giant allocation.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "biometrics/image.h"
#include "biometrics/records/record_error.h"

namespace rekam::bio {

// Largest width or height a decoder accepts.
inline constexpr int kMaxImageDimension = 16384;

// 8-bit grey or RGB; the image's ppi is written as a pHYs chunk when known.
std::vector<std::uint8_t> encode_png(const Image& image);
// Any PNG: palette, 16-bit, alpha and low bit depths are converted to 8-bit grey or RGB.
// ppi comes from pHYs when its unit is metres, else 0.
Image decode_png(std::span<const std::uint8_t> png);

// quality 1-100; grey images are written as single-component JPEGs.
std::vector<std::uint8_t> encode_jpeg(const Image& image, int quality);
// Grey JPEGs decode to 1 channel, colour ones to RGB. ppi is 0 (not read from JFIF).
Image decode_jpeg(std::span<const std::uint8_t> jpeg);

}  // namespace rekam::bio
