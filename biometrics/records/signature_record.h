// ISO/IEC 19794-7:2007 signature/sign time series data, full format ("SDI\0", version " 10\0"):
// the pen trace of the signature pad as the enroll package keeps it.
//
// Layout (big-endian), from the 2007 edition's ASN.1 module (GOST R ISO/IEC 19794-7-2009, an
// identical translation) as summarised in
// ../shared/docs/research/signature-trust-compression-sbi.md section 1d, and the BioSignIn bsi-core
// reader/writer (y2007 package) it was checked against:
//   header  format (4), version (4), channel inclusion (2; bits 15..0 = X Y Z VX VY AX AY T DT F
//           S TX TY AZ EL R), one channel description per included channel from bit 15 down,
//           then a reserved byte (0)
//   channel description: a preamble byte whose bits 7..1 say what follows: scaling value, minimum,
//           maximum, mean, standard deviation (a u16 each, in that order), "constant" and "linear
//           component removed" (flags only); bit 0 is reserved (0). The scaling value is a 5-bit
//           exponent and an 11-bit fraction: (1 + f/2^11) * 2^(e-16) channel units per physical
//           unit (per mm for positions, per second for times)
//   body    extended data flag (1: 0 or 1), number of sample points (3), the points (each the
//           included channels from bit 15 down), then, when flagged, extended data length (2) and
//           bytes
// Channel values are 16 bits: the signed channels (X Y Z VX VY AX AY TX TY) are stored offset by
// 32768, as bsi-core does; S (tip switch) is one byte per the ASN.1 module (bsi-core writes two).
// Minimum, maximum and mean are encoded like the channel's samples.
//
// The compact (card) format of 19794-7:2007 is not written: the research note only gives "8-bit
// channel values, no header" (GOST annex B.3) and neither source says how values are scaled into
// 8 bits, so an encoder here would be a guess. The card gets the signature image instead.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "biometrics/signature/pen.h"

namespace rekam::bio {

enum class SignatureChannel : int {
    X = 15,
    Y = 14,
    Z = 13,
    VX = 12,
    VY = 11,
    AX = 10,
    AY = 9,
    T = 8,
    DT = 7,
    F = 6,
    S = 5,
    TX = 4,
    TY = 3,
    AZ = 2,
    EL = 1,
    R = 0,
};

struct SignatureChannelDescription {
    std::optional<double> scaling;  // channel units per mm (positions) or per second (times)
    std::optional<std::int32_t> minimum, maximum, mean;
    std::optional<std::uint16_t> standard_deviation;
    bool constant = false;
    bool linear_component_removed = false;
    bool operator==(const SignatureChannelDescription&) const = default;
};

struct SignatureRecord {
    std::uint16_t channels = 0;  // inclusion bits, SignatureChannel = bit number
    // Indexed by bit number; only those of included channels are written.
    std::array<SignatureChannelDescription, 16> descriptions{};
    // Point after point, the included channels from bit 15 down (channel_count() values each).
    std::vector<std::int32_t> values;
    std::vector<std::uint8_t> extended_data;  // at most 65535 bytes

    bool has(SignatureChannel c) const { return channels >> static_cast<int>(c) & 1; }
    int channel_count() const;
    // Position of channel `c` inside a point, -1 when it is not included.
    int slot(SignatureChannel c) const;
    std::size_t point_count() const;
    bool operator==(const SignatureRecord&) const = default;
};

// Throws RecordError naming the field when a value does not fit it (a sample out of its
// channel's range, more than 16 777 215 points, a scaling value outside 2^-16..2^16).
std::vector<std::uint8_t> encode(const SignatureRecord& record);
// Throws RecordError naming the field and offset for anything but a well-formed record; what it
// returns re-encodes to the same bytes.
SignatureRecord decode_signature_record(std::span<const std::uint8_t> bytes);

// The pad's trace as X, Y, T, F (when the pad has pressure) and S: positions from the device's
// minimum in its units (coarsened by a whole factor only when its range exceeds 16 bits), scaled
// by the device's resolution; T in ms from the first sample (coarser steps past 65.5 s); F from
// the device's pressure minimum, its maximum described. Throws RecordError for a trace that goes
// back in time or has more points than the record holds.
SignatureRecord make_signature_record(const signature::PenTrace& trace);
// Back to samples in `device`'s units through the record's own scaling (so a record of another
// pad lands at the same millimetres); channels the record lacks read as 0 (S: tip down when F > 0
// or, without F, always). Throws RecordError when X, Y or T is missing.
std::vector<signature::PenSample> to_pen_samples(const SignatureRecord& record,
                                                 const signature::PenDevice& device);

}  // namespace rekam::bio
