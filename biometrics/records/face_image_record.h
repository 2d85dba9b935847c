// ISO/IEC 19794-5:2011 face image record ("FAC\0", version "030\0").
//
// Layout (MOSIP bio-utils io.mosip.biometrics.util.face.{GeneralHeader,RepresentationHeader,
// FacialInformation,LandmarkPoints,ImageInformation,ImageData}, citing 19794-5:2011 Table 2
// and Tables 12, 16-18):
//   general header (17): "FAC\0" "030\0" record length(4) representations(2)
//                        certification flag(1) temporal semantics(2)
//   representation:      length(4) capture date/time(9) device technology(1) vendor(2) type(2)
//                        quality blocks: count(1) + 5 each
//                        facial information (17): landmark count(2) gender(1) eye colour(1)
//                          hair colour(1) subject height(1) properties(3) expression(2)
//                          pose angle yaw/pitch/roll(3) pose uncertainty(3)
//                        landmark points, 8 each: type(1) code(1) x(2) y(2) z(2)
//                        image information (11): face image type(1) image data type(1)
//                          width(2) height(2) spatial sampling rate level(1)
//                          post-acquisition processing(2) cross reference(1) colour space(1)
//                        image data length(4) image data
// Decision: the 3D information block of 3D face image types (0x80-0x82) is not supported;
// the reader rejects those types rather than misreading the block.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "biometrics/records/record_common.h"

namespace rekam::bio {

namespace face_image_type {
inline constexpr std::uint8_t basic = 0;
inline constexpr std::uint8_t full_frontal = 1;
inline constexpr std::uint8_t token_frontal = 2;
inline constexpr std::uint8_t post_processed_frontal = 3;
}  // namespace face_image_type

namespace face_image_data_type {
inline constexpr std::uint8_t jpeg = 0;
inline constexpr std::uint8_t jpeg2000_lossy = 1;
inline constexpr std::uint8_t jpeg2000_lossless = 2;
inline constexpr std::uint8_t png = 3;
}  // namespace face_image_data_type

namespace face_colour_space {
inline constexpr std::uint8_t unspecified = 0;
inline constexpr std::uint8_t rgb24 = 1;
inline constexpr std::uint8_t yuv422 = 2;
inline constexpr std::uint8_t grey8 = 3;
}  // namespace face_colour_space

// Landmark point type 1 = MPEG-4 feature point (19794-5:2011 Table 12 text); the code is
// major << 4 | minor, so feature point 12.1 (left eye centre) is 0xC1, 12.2 (right) 0xC2.
namespace landmark {
inline constexpr std::uint8_t mpeg4 = 1;
inline constexpr std::uint8_t left_eye_centre = 0xC1;
inline constexpr std::uint8_t right_eye_centre = 0xC2;
}  // namespace landmark

struct LandmarkPoint {
    std::uint8_t type = landmark::mpeg4;
    std::uint8_t code = 0;
    std::uint16_t x = 0;
    std::uint16_t y = 0;
    std::uint16_t z = 0;
    bool operator==(const LandmarkPoint&) const = default;
};

// Descriptive fields default to "unspecified" (0); rekam does not infer gender, eye or hair
// colour.
struct FaceRepresentation {
    RepresentationCommon common;
    std::uint8_t gender = 0;
    std::uint8_t eye_colour = 0;
    std::uint8_t hair_colour = 0;
    std::uint8_t subject_height = 0;
    std::uint32_t properties = 0;  // 24-bit mask
    std::uint16_t expression = 0;
    std::array<std::uint8_t, 3> pose_angle{};        // yaw, pitch, roll; 0 = unspecified
    std::array<std::uint8_t, 3> pose_uncertainty{};  // yaw, pitch, roll
    std::vector<LandmarkPoint> landmarks;
    std::uint8_t face_image_type = face_image_type::full_frontal;
    std::uint8_t image_data_type = face_image_data_type::jpeg;
    std::uint16_t width = 0;
    std::uint16_t height = 0;
    std::uint8_t spatial_sampling_level = 0;
    std::uint16_t post_acquisition = 0;
    std::uint8_t cross_reference = 0;
    std::uint8_t colour_space = face_colour_space::rgb24;
    std::vector<std::uint8_t> image;
    bool operator==(const FaceRepresentation&) const = default;
};

struct FaceImageRecord {
    std::uint8_t certification_flag = 0;
    std::uint16_t temporal_semantics = 0;  // 0 = one representation
    std::vector<FaceRepresentation> representations;
    bool operator==(const FaceImageRecord&) const = default;
};

std::vector<std::uint8_t> encode(const FaceImageRecord& record);
FaceImageRecord decode_face_image_record(std::span<const std::uint8_t> bytes);

}  // namespace rekam::bio
