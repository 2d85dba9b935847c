// ISO/IEC 19794-2:2005 finger minutiae record ("FMR\0", version " 20\0"): the template format of
// the e-KTP chip (both index fingers) and of the enroll package (all ten).
//
// Layout (all big-endian): a 24-byte record header (format, version, record length (4), capture
// equipment compliance (4 bits) and device type id (12 bits), image width and height, x and y
// resolution in px/cm, number of finger views, reserved 0); then per view: finger position,
// view number (4 bits) and impression type (4 bits), finger quality, minutiae count, 6 bytes per
// minutia (type (2 bits) and x (14 bits), reserved (2 bits) and y (14 bits), angle in 360/256
// degree units counter-clockwise, quality), and the extended data block length (2) followed by
// its bytes (kept opaque: type (2), length (2) framed areas, checked).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "biometrics/fingerprint/minutiae.h"

namespace rekam::bio {

struct IsoMinutia {
    std::uint8_t type = 0;  // 0 other, 1 ridge ending, 2 bifurcation
    std::uint16_t x = 0;    // px, < 2^14
    std::uint16_t y = 0;
    std::uint8_t angle = 0;    // units of 360/256 degrees, counter-clockwise from the x axis
    std::uint8_t quality = 0;  // 1-100, 0 = not reported
    bool operator==(const IsoMinutia&) const = default;
};

struct FingerMinutiaeView {
    std::uint8_t finger_position = 0;  // 0 unknown, 1-10 right thumb .. left little
    std::uint8_t view_number = 0;      // 0-15
    std::uint8_t impression_type = 0;  // 0 live-scan plain, 1 rolled, 2/3 non-live, 8 swipe
    std::uint8_t finger_quality = 0;   // 0-100
    std::vector<IsoMinutia> minutiae;  // at most 255
    std::vector<std::uint8_t> extended_data;
    bool operator==(const FingerMinutiaeView&) const = default;
};

struct FingerMinutiaeRecord {
    std::uint8_t equipment_compliance = 0;  // 4 bits
    std::uint16_t device_type = 0;          // 12 bits
    std::uint16_t width = 0, height = 0;    // px
    std::uint16_t x_resolution = 197;       // px/cm (197 = 500 ppi)
    std::uint16_t y_resolution = 197;
    std::vector<FingerMinutiaeView> views;  // at most 255
    bool operator==(const FingerMinutiaeRecord&) const = default;
};

// Throws RecordError naming the field when a value does not fit its field.
std::vector<std::uint8_t> encode(const FingerMinutiaeRecord& record);
// Throws RecordError naming the field and offset for anything but a well-formed record; what it
// returns re-encodes to the same bytes.
FingerMinutiaeRecord decode_finger_minutiae_record(std::span<const std::uint8_t> bytes);

// One view from extracted minutiae: positions kept in the image's pixels, the best `max_count`
// (by quality) kept when there are more than a view holds.
FingerMinutiaeView make_minutiae_view(const fingerprint::Minutiae& minutiae, int finger_position,
                                      int finger_quality, int max_count = 255);
// A record for views of one reader: the size and resolution from `minutiae` of the first view.
FingerMinutiaeRecord make_minutiae_record(const fingerprint::Minutiae& geometry,
                                          std::vector<FingerMinutiaeView> views);
// Back to the matcher's form (ppi from the record's x resolution).
fingerprint::Minutiae to_minutiae(const FingerMinutiaeRecord& record, const FingerMinutiaeView& v);

}  // namespace rekam::bio
