// Image codecs for the sample records: PNG (lossless, fingerprints and irises) through libpng,
// JPEG (face photos) through TurboJPEG, JPEG 2000 (any of them, lossless or at a size) through
// OpenJPEG. Decoders are hardened for untrusted input: garbage and absurd dimensions give
// RecordError, never a crash or a giant allocation.
#pragma once

#include <cstddef>
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
// 1-bit grey (values from 128 up are white, below black), zlib's strongest level: a signature's
// ink is a fifth of the 8-bit PNG's bytes. decode_png gives it back as 8-bit 0/255.
std::vector<std::uint8_t> encode_png_bilevel(const Image& grey);
// Any PNG: palette, 16-bit, alpha and low bit depths are converted to 8-bit grey or RGB.
// ppi comes from pHYs when its unit is metres, else 0.
Image decode_png(std::span<const std::uint8_t> png);

// quality 1-100; grey images are written as single-component JPEGs.
std::vector<std::uint8_t> encode_jpeg(const Image& image, int quality);
// Grey JPEGs decode to 1 channel, colour ones to RGB. ppi is 0 (not read from JFIF).
Image decode_jpeg(std::span<const std::uint8_t> jpeg);

// JPEG 2000 size goal of a lossy encoding: a compression ratio (raw bytes / output bytes) or a
// byte budget for the whole JP2 file.
struct Jp2Target {
    double ratio = 0.0;         // used when > 0
    std::size_t max_bytes = 0;  // used when ratio is 0

    static Jp2Target compression_ratio(double r) { return {r, 0}; }
    static Jp2Target byte_budget(std::size_t bytes) { return {0.0, bytes}; }
};

// Largest width x height x channels decode_jp2 accepts: OpenJPEG holds each sample as a 32-bit
// integer while decoding, and a tiny hostile file can claim the largest size: 32 M samples (a
// 4K RGB photo is 25 M) cost OpenJPEG about 450 MB at worst.
inline constexpr std::size_t kMaxJp2Samples = std::size_t{32} << 20;
// Most tiles decode_jp2 accepts: OpenJPEG keeps a few KB of state per tile from the header on.
// Encoders use one tile or tiles of 256-1024 px; 1024 tiles of 256 px cover 8192x8192.
inline constexpr std::uint64_t kMaxJp2Tiles = 1024;

// JP2 files (ISO/IEC 15444-1 Annex I) of 8-bit grey or RGB; the image's ppi, when known, goes
// into a capture resolution box. Lossless: reversible 5/3 wavelet and colour transform, so
// decode_jp2 gives back the very pixels.
std::vector<std::uint8_t> encode_jp2_lossless(const Image& image);
// Irreversible 9/7 wavelet at the target. A byte budget is a hard limit: the result is at most
// that many bytes (OpenJPEG's rate control only aims, so a pass that overshoots is redone at a
// tighter rate); RecordError naming the budget when even the smallest rate does not fit.
std::vector<std::uint8_t> encode_jp2_lossy(const Image& image, const Jp2Target& target);
// A JP2 file or a raw J2K codestream. Grey and RGB (sRGB or unspecified colour) of 1-16 bits
// come back as 8-bit; an alpha component is dropped; subsampled components, YCC and CMYK
// images are refused. ppi from the JP2 resolution box, else 0.
Image decode_jp2(std::span<const std::uint8_t> data);

}  // namespace rekam::bio
