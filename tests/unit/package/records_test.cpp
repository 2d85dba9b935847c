// ISO/IEC 19794-4/-5/-6:2011 records: bit-exact round trips, the documented byte layout, and
// rejection of every truncation, trailing garbage and inconsistent length.
#include <gtest/gtest.h>

#include <random>

#include "biometrics/records/face_image_record.h"
#include "biometrics/records/finger_image_record.h"
#include "biometrics/records/iris_image_record.h"
#include "biometrics/records/record_error.h"

namespace rekam::bio {
namespace {

std::vector<std::uint8_t> payload(std::size_t n, std::uint8_t seed) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(seed + i * 7);
    return v;
}

RepresentationCommon sample_common() {
    RepresentationCommon c;
    c.captured = {2024, 5, 1, 10, 20, 30, 123};
    c.device = {2, 0x00AB, 0x0102};
    c.quality = {{77, 0x0101, 0x0002}, {65, 0x0203, 0x0004}};
    return c;
}

FingerImageRecord sample_finger() {
    FingerImageRecord r;
    r.certification_flag = 1;
    r.finger_count = 2;
    for (int i = 0; i < 2; ++i) {
        FingerRepresentation rep;
        rep.common = sample_common();
        rep.certifications = {{0x0001, 0x02}};
        rep.position = static_cast<std::uint8_t>(2 + i * 5);
        rep.representation_number = static_cast<std::uint8_t>(i + 1);
        rep.scan_sampling_h = rep.scan_sampling_v = 500;
        rep.image_sampling_h = rep.image_sampling_v = 500;
        rep.width = 400;
        rep.height = 500;
        rep.image = payload(100 + i, static_cast<std::uint8_t>(i));
        r.representations.push_back(rep);
    }
    return r;
}

IrisImageRecord sample_iris() {
    IrisImageRecord r;
    r.eye_count = 1;
    IrisRepresentation rep;
    rep.common = sample_common();
    rep.eye = eye_label::left;
    rep.horizontal_orientation = 1;
    rep.vertical_orientation = 2;
    rep.compression_history = 1;
    rep.width = 640;
    rep.height = 480;
    rep.range = 30;
    rep.iris_centre_smallest_x = 300;
    rep.iris_centre_largest_x = 340;
    rep.iris_centre_smallest_y = 220;
    rep.iris_centre_largest_y = 260;
    rep.iris_diameter_smallest = 200;
    rep.iris_diameter_largest = 220;
    rep.image = payload(64, 9);
    r.representations.push_back(rep);
    return r;
}

FaceImageRecord sample_face() {
    FaceImageRecord r;
    FaceRepresentation rep;
    rep.common = sample_common();
    rep.properties = 0x000001;
    rep.pose_angle = {91, 91, 91};
    rep.landmarks = {{landmark::mpeg4, landmark::left_eye_centre, 480, 320, 0},
                     {landmark::mpeg4, landmark::right_eye_centre, 800, 322, 0}};
    rep.width = 1280;
    rep.height = 960;
    rep.image = payload(80, 3);
    r.representations.push_back(rep);
    return r;
}

std::uint32_t be32(const std::vector<std::uint8_t>& b, std::size_t at) {
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
           (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}

template <typename Record, typename Decode>
void expect_round_trip(const Record& record, Decode decode) {
    const auto bytes = encode(record);
    const auto back = decode(bytes);
    EXPECT_EQ(back, record);
    EXPECT_EQ(encode(back), bytes);
    EXPECT_EQ(be32(bytes, 8), bytes.size());  // record length
}

// Every strict prefix and every extension by trailing bytes must be refused.
template <typename Decode>
void expect_rejects_truncation_and_trailing(const std::vector<std::uint8_t>& bytes, Decode decode) {
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        std::span<const std::uint8_t> prefix(bytes.data(), n);
        EXPECT_THROW(decode(prefix), RecordError) << "prefix of " << n << " bytes";
    }
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_THROW(decode(longer), RecordError);
    // Trailing garbage with a record length patched to match is still caught (by the
    // representation framing).
    longer[8] = static_cast<std::uint8_t>(longer.size() >> 24);
    longer[9] = static_cast<std::uint8_t>(longer.size() >> 16);
    longer[10] = static_cast<std::uint8_t>(longer.size() >> 8);
    longer[11] = static_cast<std::uint8_t>(longer.size());
    EXPECT_THROW(decode(longer), RecordError);
}

// Random damage: the reader either decodes or throws RecordError, nothing else.
template <typename Decode>
void expect_robust_to_damage(const std::vector<std::uint8_t>& bytes, Decode decode) {
    std::mt19937 rng(42);
    for (int i = 0; i < 3000; ++i) {
        auto damaged = bytes;
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int k = 0; k < flips; ++k)
            damaged[rng() % damaged.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
        try {
            decode(damaged);
        } catch (const RecordError&) {
        }
    }
}

TEST(FingerImageRecord, RoundTripsBitForBit) {
    expect_round_trip(sample_finger(), decode_finger_image_record);
}

TEST(FingerImageRecord, LayoutFollows19794_4_2011) {
    auto r = sample_finger();
    r.certification_flag = 0;
    for (auto& rep : r.representations) rep.certifications.clear();
    const auto b = encode(r);
    EXPECT_EQ(std::string(b.begin(), b.begin() + 8), std::string("FIR\0"
                                                                 "020\0",
                                                                 8));
    EXPECT_EQ(b[12], 0);
    EXPECT_EQ(b[13], 2);  // representations
    EXPECT_EQ(b[14], 0);  // certification flag
    EXPECT_EQ(b[15], 2);  // fingers
    // Representation 1 at 16: length, date (2024 = 0x07E8), ..., 2 quality blocks (10 bytes).
    EXPECT_EQ(be32(b, 16), 4u + 9 + 5 + 1 + 10 + 18 + 4 + 100);
    EXPECT_EQ(b[20], 0x07);
    EXPECT_EQ(b[21], 0xE8);
    const std::size_t after_quality = 16 + 4 + 9 + 5 + 1 + 10;
    EXPECT_EQ(b[after_quality], 2);                // finger position
    EXPECT_EQ(b[after_quality + 12], 6);           // compression: PNG
    EXPECT_EQ(be32(b, after_quality + 18), 100u);  // image data length
}

TEST(FingerImageRecord, RejectsTruncationTrailingBytesAndDamage) {
    const auto b = encode(sample_finger());
    expect_rejects_truncation_and_trailing(b, decode_finger_image_record);
    expect_robust_to_damage(b, decode_finger_image_record);
}

TEST(FingerImageRecord, RejectsInconsistentLengthsNamingFieldAndOffset) {
    auto b = encode(sample_finger());
    b[19] += 1;  // representation length one too long
    try {
        decode_finger_image_record(b);
        FAIL() << "accepted a wrong representation length";
    } catch (const RecordError& e) {
        EXPECT_NE(std::string(e.what()).find("offset"), std::string::npos) << e.what();
    }
    auto c = encode(sample_finger());
    c[0] = 'X';
    EXPECT_THROW(decode_finger_image_record(c), RecordError);
}

TEST(FingerImageRecord, WriterRefusesCertificationBlocksWithoutFlag) {
    auto r = sample_finger();
    r.certification_flag = 0;
    EXPECT_THROW(encode(r), RecordError);
}

TEST(IrisImageRecord, RoundTripsBitForBit) {
    expect_round_trip(sample_iris(), decode_iris_image_record);
}

TEST(IrisImageRecord, LayoutFollows19794_6_2011) {
    const auto b = encode(sample_iris());
    EXPECT_EQ(std::string(b.begin(), b.begin() + 8), std::string("IIR\0"
                                                                 "020\0",
                                                                 8));
    const std::size_t rep = 16, after_quality = rep + 4 + 9 + 5 + 1 + 10;
    EXPECT_EQ(b[after_quality + 2], eye_label::left);
    EXPECT_EQ(b[after_quality + 4], iris_image_format::mono_png);
    EXPECT_EQ(b[after_quality + 5], 0x01 | (2 << 2) | (1 << 6));  // image properties
    EXPECT_EQ(be32(b, after_quality + 2 + 27), 64u);              // image data length
}

TEST(IrisImageRecord, RejectsTruncationTrailingBytesAndDamage) {
    const auto b = encode(sample_iris());
    expect_rejects_truncation_and_trailing(b, decode_iris_image_record);
    expect_robust_to_damage(b, decode_iris_image_record);
    auto reserved = b;
    reserved[16 + 4 + 9 + 5 + 1 + 10 + 5] |= 0x10;
    EXPECT_THROW(decode_iris_image_record(reserved), RecordError);
}

TEST(FaceImageRecord, RoundTripsBitForBit) {
    expect_round_trip(sample_face(), decode_face_image_record);
}

TEST(FaceImageRecord, LayoutFollows19794_5_2011) {
    const auto b = encode(sample_face());
    EXPECT_EQ(std::string(b.begin(), b.begin() + 8), std::string("FAC\0"
                                                                 "030\0",
                                                                 8));
    const std::size_t info = 17 + 4 + 9 + 5 + 1 + 10;
    EXPECT_EQ(b[info + 1], 2);  // landmark count (low byte)
    const std::size_t landmarks = info + 17;
    EXPECT_EQ(b[landmarks], landmark::mpeg4);
    EXPECT_EQ(b[landmarks + 1], 0xC1);
    const std::size_t image_info = landmarks + 16;
    EXPECT_EQ(b[image_info], face_image_type::full_frontal);
    EXPECT_EQ(b[image_info + 1], face_image_data_type::jpeg);
    EXPECT_EQ(be32(b, image_info + 11), 80u);
}

TEST(FaceImageRecord, RejectsTruncationTrailingBytesAndDamage) {
    const auto b = encode(sample_face());
    expect_rejects_truncation_and_trailing(b, decode_face_image_record);
    expect_robust_to_damage(b, decode_face_image_record);
}

TEST(FaceImageRecord, RejectsForgedLandmarkCount) {
    auto b = encode(sample_face());
    const std::size_t info = 17 + 4 + 9 + 5 + 1 + 10;
    b[info] = 0xFF;
    b[info + 1] = 0xFF;
    EXPECT_THROW(decode_face_image_record(b), RecordError);
}

}  // namespace
}  // namespace rekam::bio
