// ISO/IEC 19794-4:2011 finger image record ("FIR\0", version "020\0").
//
// Layout (MOSIP bio-utils io.mosip.biometrics.util.finger.{GeneralHeader,RepresentationHeader,
// ImageData}, citing 19794-4:2011 Tables 2-4 and 9):
//   general header (16): "FIR\0" "020\0" record length(4) representations(2)
//                        certification flag(1) number of fingers/palms(1)
//   representation:      length(4) capture date/time(9) device technology(1) vendor(2) type(2)
//                        quality blocks: count(1) + 5 each
//                        [certification blocks: count(1) + 3 each, only when flag = 1]
//                        position(1) representation number(1) scale units(1)
//                        scan sampling h(2) v(2) image sampling h(2) v(2) bit depth(1)
//                        compression(1) impression type(1) line length h(2) v(2)
//                        image data length(4) image data
// Extended data blocks (segmentation, annotation, comment) are not written and are rejected
// by the reader as an inconsistent length: rekam never needs them.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "biometrics/records/record_common.h"

namespace rekam::bio {

// Table 9 of 19794-4:2011.
namespace finger_compression {
inline constexpr std::uint8_t uncompressed = 0;
inline constexpr std::uint8_t bit_packed = 1;
inline constexpr std::uint8_t wsq = 2;
inline constexpr std::uint8_t jpeg = 3;
inline constexpr std::uint8_t jpeg2000_lossy = 4;
inline constexpr std::uint8_t jpeg2000_lossless = 5;
inline constexpr std::uint8_t png = 6;
}  // namespace finger_compression

struct CertificationBlock {
    std::uint16_t authority_id = 0;
    std::uint8_t scheme_id = 0;
    bool operator==(const CertificationBlock&) const = default;
};

struct FingerRepresentation {
    RepresentationCommon common;
    std::vector<CertificationBlock> certifications;  // only with certification_flag = 1
    std::uint8_t position = 0;                       // ISO finger position 0-10, palms 20+
    std::uint8_t representation_number = 1;
    std::uint8_t scale_units = 1;  // 1 = pixels per inch, 2 = per centimetre
    std::uint16_t scan_sampling_h = 0;
    std::uint16_t scan_sampling_v = 0;
    std::uint16_t image_sampling_h = 0;
    std::uint16_t image_sampling_v = 0;
    std::uint8_t bit_depth = 8;
    std::uint8_t compression = finger_compression::png;
    std::uint8_t impression_type = 0;  // 0 = live-scan plain
    std::uint16_t width = 0;           // horizontal line length
    std::uint16_t height = 0;          // vertical line length
    std::vector<std::uint8_t> image;   // the compressed image, e.g. a PNG file
    bool operator==(const FingerRepresentation&) const = default;
};

struct FingerImageRecord {
    std::uint8_t certification_flag = 0;
    std::uint8_t finger_count = 1;  // number of distinct fingers/palms in the record
    std::vector<FingerRepresentation> representations;
    bool operator==(const FingerImageRecord&) const = default;
};

std::vector<std::uint8_t> encode(const FingerImageRecord& record);
// Throws RecordError naming the field and offset on any malformed input.
FingerImageRecord decode_finger_image_record(std::span<const std::uint8_t> bytes);

}  // namespace rekam::bio
