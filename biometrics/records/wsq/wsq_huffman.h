// WSQ entropy coding: length-limited canonical Huffman codes (as JPEG, at most 16 bits, the
// all-ones code never used), the byte-stuffed bit stream, and the symbol alphabet the
// specification defines for quantised coefficients:
//   1-100    a run of that many zeros         101/102  +/- coefficient, 8 more bits
//   103/104  +/- coefficient, 16 more bits    105/106  zero run, 8/16 more bits
//   107-254  coefficient (symbol - 180), -73 ... 74 except 0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "biometrics/records/byte_io.h"
#include "biometrics/records/wsq/wsq_markers.h"

namespace rekam::bio::wsq {

// Largest magnitude a coefficient can be coded with.
inline constexpr std::int32_t kMaxCoefficient = 0xFFFF;

using SymbolCounts = std::array<std::uint32_t, 256>;
// Adds the symbols that code `coefficients` to `counts`.
void count_symbols(std::span<const std::int32_t> coefficients, SymbolCounts& counts);
// The optimal code of at most 16 bits for these frequencies (at least one symbol).
HuffmanTable build_table(const SymbolCounts& counts);

// Entropy-codes a block: the bits of its symbols, padded with ones to a byte, 0x00 stuffed
// after every 0xFF so no marker appears inside.
void encode_block(std::span<const std::int32_t> coefficients, const HuffmanTable& table,
                  ByteWriter& out);

// Decodes the block starting at data[start] (just past its block header), appending its
// coefficients to `out`, and returns the offset of the marker that ends it. More than `limit`
// coefficients in all, a code not in the table or data ending without a marker throw RecordError.
std::size_t decode_block(std::span<const std::uint8_t> data, std::size_t start,
                         const HuffmanTable& table, std::size_t limit,
                         std::vector<std::int32_t>& out);

}  // namespace rekam::bio::wsq
