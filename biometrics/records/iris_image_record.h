// ISO/IEC 19794-6:2011 iris image record ("IIR\0", version "020\0").
//
// Layout (MOSIP bio-utils io.mosip.biometrics.util.iris.{GeneralHeader,RepresentationHeader,
// ImageInformation,ImageData}, citing 19794-6:2011 Tables 3-4):
//   general header (16): "IIR\0" "020\0" record length(4) representations(2)
//                        certification flag(1) number of eyes represented(1)
//   representation:      length(4) capture date/time(9) device technology(1) vendor(2) type(2)
//                        quality blocks: count(1) + 5 each, representation number(2)
//                        eye label(1) image type(1) image format(1) image properties(1)
//                        width(2) height(2) bit depth(1) range(2) roll angle(2)
//                        roll angle uncertainty(2) iris centre smallest x(2) largest x(2)
//                        smallest y(2) largest y(2) iris diameter smallest(2) largest(2)
//                        image data length(4) image data
// Image properties bits: 1-2 horizontal orientation, 3-4 vertical orientation, 5-6 reserved
// (must be 0, rejected otherwise), 7-8 compression history.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "biometrics/records/record_common.h"

namespace rekam::bio {

namespace eye_label {
inline constexpr std::uint8_t undefined = 0;
inline constexpr std::uint8_t right = 1;
inline constexpr std::uint8_t left = 2;
}  // namespace eye_label

namespace iris_image_type {
inline constexpr std::uint8_t uncropped = 1;
inline constexpr std::uint8_t vga = 2;
inline constexpr std::uint8_t cropped = 3;
inline constexpr std::uint8_t cropped_and_masked = 7;
}  // namespace iris_image_type

// 19794-6:2011 image format codes (MOSIP ImageFormat).
namespace iris_image_format {
inline constexpr std::uint8_t mono_raw = 0x02;
inline constexpr std::uint8_t rgb_raw = 0x04;
inline constexpr std::uint8_t mono_jpeg = 0x06;
inline constexpr std::uint8_t rgb_jpeg = 0x08;
inline constexpr std::uint8_t mono_jpeg2000 = 0x0A;
inline constexpr std::uint8_t rgb_jpeg2000 = 0x0C;
inline constexpr std::uint8_t mono_png = 0x0E;
inline constexpr std::uint8_t rgb_png = 0x10;
}  // namespace iris_image_format

struct IrisRepresentation {
    RepresentationCommon common;
    std::uint16_t representation_number = 1;
    std::uint8_t eye = eye_label::undefined;
    std::uint8_t image_type = iris_image_type::cropped;
    std::uint8_t image_format = iris_image_format::mono_png;
    std::uint8_t horizontal_orientation = 0;  // 0 undefined, 1 base, 2 flipped
    std::uint8_t vertical_orientation = 0;
    std::uint8_t compression_history = 0;  // 0 undefined, 1 lossless or none, 2 lossy
    std::uint16_t width = 0;
    std::uint16_t height = 0;
    std::uint8_t bit_depth = 8;
    std::uint16_t range = 0;                  // 0 unassigned, 1 failed, else cm
    std::uint16_t roll_angle = 0xFFFF;        // 0xFFFF = undefined
    std::uint16_t roll_uncertainty = 0xFFFF;  // 0xFFFF = undefined
    std::uint16_t iris_centre_smallest_x = 0;
    std::uint16_t iris_centre_largest_x = 0;
    std::uint16_t iris_centre_smallest_y = 0;
    std::uint16_t iris_centre_largest_y = 0;
    std::uint16_t iris_diameter_smallest = 0;
    std::uint16_t iris_diameter_largest = 0;
    std::vector<std::uint8_t> image;
    bool operator==(const IrisRepresentation&) const = default;
};

struct IrisImageRecord {
    std::uint8_t certification_flag = 0;
    std::uint8_t eye_count = 1;  // number of eyes represented
    std::vector<IrisRepresentation> representations;
    bool operator==(const IrisImageRecord&) const = default;
};

std::vector<std::uint8_t> encode(const IrisImageRecord& record);
IrisImageRecord decode_iris_image_record(std::span<const std::uint8_t> bytes);

}  // namespace rekam::bio
