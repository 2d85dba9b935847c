// WSQ (Wavelet Scalar Quantization), the FBI's compression for 500-ppi 8-bit grey fingerprints,
// beside the PNG/JPEG codecs of codec.h. Written here from the specification (IAFIS-IC-0110,
// version 3.1) because no Debian library implements WSQ; NBIS, the public-domain reference,
// is not packaged. The implementation is under wsq/: markers, Huffman coding, the 9/7 wavelet
// decomposition and the quantiser, one file each.
//
// Bytes in, pixels out: no files, no devices. The decoder is hardened for untrusted input:
// garbage, truncation, absurd sizes and bad tables give RecordError, never a crash or a giant
// allocation.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "biometrics/image.h"
#include "biometrics/records/codec.h"
#include "biometrics/records/record_error.h"

namespace rekam::bio {

// Largest image (width x height) WSQ encodes or decodes: a four-finger slap at 500 ppi is about
// 1,600 x 1,500, a half palm 2,000 x 2,500. Decoding needs about 9 bytes a pixel at its peak.
inline constexpr long long kMaxWsqPixels = 4096LL * 2048;

// `grey`: 8-bit, 1 channel, at most kMaxImageDimension a side and kMaxWsqPixels in all.
// `bitrate` in bits per pixel as NBIS cwsq takes it: 0.75 (about 15:1, the FBI's setting for
// 500 ppi) or 2.25 (about 5:1). The ppi (500 when the image does not know it) goes into the
// NISTCOM comment.
inline constexpr double kWsqBitrate = 0.75;
std::vector<std::uint8_t> encode_wsq(const Image& grey, double bitrate = kWsqBitrate);

// One grey channel; ppi from the NISTCOM comment's PPI when there is one, else 500. A frame
// over max_pixels (or kMaxWsqPixels, whichever is smaller) is refused before anything is
// allocated: a caller that expects single fingers can bound the work a hostile file causes.
Image decode_wsq(std::span<const std::uint8_t> wsq, long long max_pixels = kMaxWsqPixels);

}  // namespace rekam::bio
