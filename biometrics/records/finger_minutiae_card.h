// ISO/IEC 19794-2:2005 compact card format: the minutiae a chip holds for on-card comparison,
// 3 bytes each: x and y in units of 0.1 mm from the image's top-left corner (so at most
// 25.5 mm), then the type (2 bits: 01 ridge ending, 10 bifurcation, 00 other) and the angle
// (6 bits, units of 360/64 degrees, counter-clockwise as in the record format). The card
// carries no header: its Biometric Information Template (ISO/IEC 7816-11) says the format and
// the limits, which the package's manifest records beside it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "biometrics/records/finger_minutiae_record.h"

namespace rekam::bio {

// The default minutiae limit of an on-card comparison applet (cards state theirs in the BIT).
inline constexpr int kCardMaxMinutiae = 60;

// `view` from a record whose pixels are `ppi` per inch. Minutiae beyond what the card holds are
// removed as 19794-2 says: the lowest quality first, then, at equal quality, the farthest from the
// centre of mass (computed before any removal); positions past 25.5 mm are dropped first, since
// the card cannot hold them. The rest are sorted by x, then y (the BIT's "x ascending" order).
std::vector<std::uint8_t> encode_compact_card(const FingerMinutiaeView& view, double ppi,
                                              int max_minutiae = kCardMaxMinutiae);

// Back to a view in pixels of `ppi` (finger position and quality are not on the card: 0).
// Throws RecordError for a length that is not a whole number of minutiae, a reserved type code
// (11) or more than `max_minutiae` minutiae.
FingerMinutiaeView decode_compact_card(std::span<const std::uint8_t> bytes, double ppi,
                                       int max_minutiae = kCardMaxMinutiae);

}  // namespace rekam::bio
