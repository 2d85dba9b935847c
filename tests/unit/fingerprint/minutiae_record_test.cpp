// ISO/IEC 19794-2:2005 minutiae records: exact bytes, bit-for-bit round trips of real templates,
// and a reader that names what is wrong with a broken record.
#include <gtest/gtest.h>

#include "biometrics/fingerprint/calibration.h"
#include "biometrics/fingerprint/matcher.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "biometrics/records/record_error.h"
#include "prints.h"

namespace rekam::bio {
namespace {

FingerMinutiaeRecord small_record() {
    FingerMinutiaeRecord r;
    r.width = 296;
    r.height = 560;
    r.x_resolution = r.y_resolution = 224;  // 569 ppi
    FingerMinutiaeView v;
    v.finger_position = 7;
    v.finger_quality = 80;
    v.minutiae = {{1, 100, 200, 64, 90}, {2, 0x3FFF, 1, 255, 0}};
    r.views.push_back(v);
    return r;
}

TEST(FingerMinutiaeRecord, ExactBytes) {
    const std::vector<std::uint8_t> expected = {
        'F',  'M',  'R',  0,    ' ', '2', '0', 0,  // format, version
        0,    0,    0,    42,                      // record length: 24 + 4 + 2 * 6 + 2
        0x00, 0x00,                                // equipment compliance, device type
        0x01, 0x28, 0x02, 0x30,                    // 296 x 560
        0x00, 0xE0, 0x00, 0xE0,                    // 224 px/cm
        1,    0,                                   // one view, reserved
        7,    0x00, 80,   2,              // left index, view 0 live plain, quality, 2 minutiae
        0x40, 100,  0x00, 200,  64,  90,  // ending at (100, 200), 90 degrees, quality 90
        0xBF, 0xFF, 0x00, 0x01, 255, 0,   // bifurcation at (16383, 1)
        0,    0};                         // no extended data
    const auto bytes = encode(small_record());
    EXPECT_EQ(bytes, expected);
    EXPECT_EQ(decode_finger_minutiae_record(bytes), small_record());
}

TEST(FingerMinutiaeRecord, RealTemplatesRoundTripBitForBit) {
    REQUIRE_FINGERPRINT_DATA();
    const auto right = fingerprint::extract_minutiae(testing::fvc_db2b(101, 1));
    const auto left = fingerprint::extract_minutiae(testing::fvc_db2b(102, 1));
    ASSERT_GT(right.points.size(), 10u);
    // The chip template: both index fingers in one record.
    const auto rec = make_minutiae_record(
        right, {make_minutiae_view(right, 2, 90), make_minutiae_view(left, 7, 85)});
    EXPECT_EQ(rec.x_resolution, 224);  // 569 ppi / 2.54
    EXPECT_EQ(rec.views[0].minutiae.size(), right.points.size());
    const auto bytes = encode(rec);
    const auto back = decode_finger_minutiae_record(bytes);
    EXPECT_EQ(back, rec);
    EXPECT_EQ(encode(back), bytes);
    // What the record carries still matches the finger it came from.
    const auto again = to_minutiae(back, back.views[0]);
    EXPECT_NEAR(again.ppi, 569, 1.0);
    EXPECT_GE(fingerprint::match_score(right, again), fingerprint::kMaxScore - 1);
    EXPECT_LT(fingerprint::match_score(left, again), fingerprint::kMatchThreshold);
}

TEST(FingerMinutiaeRecord, BuilderKeepsTheBestWhenThereAreTooMany) {
    fingerprint::Minutiae m;
    m.width = m.height = 400;
    for (int i = 0; i < 300; ++i)
        m.points.push_back({double(i), double(i), 0.0, fingerprint::MinutiaType::ending, i % 100});
    const auto v = make_minutiae_view(m, 1, 50, 60);
    ASSERT_EQ(v.minutiae.size(), 60u);
    for (const auto& p : v.minutiae) EXPECT_GE(p.quality, 80);  // 99, 98, .. 80 three times each
    EXPECT_EQ(make_minutiae_view(m, 1, 50).minutiae.size(), 255u);
}

TEST(FingerMinutiaeRecord, ReaderRejectsBrokenRecordsWithTheField) {
    const auto good = encode(small_record());
    for (std::size_t n = 0; n < good.size(); ++n)
        EXPECT_THROW(decode_finger_minutiae_record({good.data(), n}), RecordError) << n;
    auto trailing = good;
    trailing.push_back(0);
    EXPECT_THROW(decode_finger_minutiae_record(trailing), RecordError);
    const auto expect_field = [](std::vector<std::uint8_t> b, const char* field) {
        try {
            decode_finger_minutiae_record(b);
            ADD_FAILURE() << "accepted, expected an error about " << field;
        } catch (const RecordError& e) {
            EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
        }
    };
    auto b = good;
    b[5] = '3';
    expect_field(b, "version");
    b = good;
    b[28] = 0xC0;  // minutia type 3
    expect_field(b, "minutia type");
    b = good;
    b[30] = 0x40;  // reserved bits of y
    expect_field(b, "minutia reserved bits");
    b = good;
    b[27] = 200;  // minutiae count beyond the record
    expect_field(b, "minutiae");
    b = good;
    b[40] = 0, b[41] = 4;  // extended data longer than the record
    expect_field(b, "extended data");
}

TEST(FingerMinutiaeRecord, ExtendedDataIsFramedAndKept) {
    auto rec = small_record();
    rec.views[0].extended_data = {0x00, 0x01, 0x00, 0x06, 0xAB, 0xCD};
    const auto bytes = encode(rec);
    EXPECT_EQ(decode_finger_minutiae_record(bytes), rec);
    rec.views[0].extended_data = {0x00, 0x01, 0x00, 0x09, 0xAB, 0xCD};  // area overruns block
    EXPECT_THROW(decode_finger_minutiae_record(encode(rec)), RecordError);
}

TEST(FingerMinutiaeRecord, WriterRefusesValuesThatDoNotFit) {
    auto rec = small_record();
    rec.views[0].minutiae[0].x = 0x4000;
    EXPECT_THROW(encode(rec), RecordError);
    rec = small_record();
    rec.views[0].finger_position = 11;
    EXPECT_THROW(encode(rec), RecordError);
    rec = small_record();
    rec.device_type = 0x1000;
    EXPECT_THROW(encode(rec), RecordError);
}

}  // namespace
}  // namespace rekam::bio
