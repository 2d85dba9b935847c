// ISO/IEC 19794-7:2007 full format: the bytes of a known record, round trips of synthetic and
// SVC2004 traces back to the pad's points within its resolution, and malformed records refused.
#include "biometrics/records/signature_record.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "biometrics/records/record_error.h"
#include "svc2004.h"

namespace rekam::bio {
namespace {

using signature::PenSample;
using signature::PenTrace;

PenTrace small_trace() {
    PenTrace tr{testing::dtu1141(), testing::dtu1141_box(), {}};
    tr.samples = {{10000, 6000, 5'000'000, 0, false},
                  {10050, 6010, 5'010'000, 300, true},
                  {10120, 6040, 5'020'400, 650, true},
                  {10200, 6100, 5'030'000, 1023, true},
                  {10230, 6090, 5'040'000, 0, false}};
    return tr;
}

void expect_within_resolution(const std::vector<PenSample>& got, const PenTrace& want,
                              int units = 1) {
    ASSERT_EQ(got.size(), want.samples.size());
    const std::int64_t t0 = want.samples.front().t_us;
    for (std::size_t i = 0; i < got.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_LE(std::abs(got[i].x - want.samples[i].x), units);
        EXPECT_LE(std::abs(got[i].y - want.samples[i].y), units);
        EXPECT_LE(std::llabs(got[i].t_us - (want.samples[i].t_us - t0)), 500);  // 1 ms steps
        EXPECT_EQ(got[i].pressure, want.samples[i].pressure);
        EXPECT_EQ(got[i].down, want.samples[i].down);
    }
}

TEST(SignatureRecord, HeaderBytesOfADtu1141Trace) {
    const auto bytes = encode(make_signature_record(small_trace()));
    const std::vector<std::uint8_t> head(bytes.begin(), bytes.begin() + 17);
    // "SDI\0", " 10\0", channels X Y T F S = 0xC160, X: scaling+min+max, 100/mm = 2^6 * 1.5625,
    // min 0 and max 23272 stored +32768.
    EXPECT_EQ(head, (std::vector<std::uint8_t>{'S', 'D', 'I', 0, ' ', '1', '0', 0, 0xC1, 0x60, 0xE0,
                                               0xB4, 0x80, 0x80, 0x00, 0xDA, 0xE8}));
    // X 0xE0 + 3 values, Y the same, T scaling (1000/s), F min+max, S nothing; reserved; flag;
    // 3-byte count; 5 points of 4 x 2 + 1 bytes.
    EXPECT_EQ(bytes.size(), 10u + 7 + 7 + 3 + 5 + 1 + 1 + 1 + 3 + 5 * 9);
    const std::size_t t_at = 10 + 7 + 7;
    EXPECT_EQ(bytes[t_at], 0x80);
    EXPECT_EQ(bytes[t_at + 1] << 8 | bytes[t_at + 2], (25 << 11) | 1952);  // 1000 = 2^9 * 1.953125
}

TEST(SignatureRecord, RoundTripWithinTheDeviceResolution) {
    const PenTrace tr = small_trace();
    const SignatureRecord rec = make_signature_record(tr);
    const auto bytes = encode(rec);
    const SignatureRecord back = decode_signature_record(bytes);
    EXPECT_EQ(back, rec);
    EXPECT_EQ(encode(back), bytes);
    EXPECT_EQ(back.point_count(), 5u);
    EXPECT_DOUBLE_EQ(*back.descriptions[int(SignatureChannel::X)].scaling, 100.0);
    expect_within_resolution(to_pen_samples(back, tr.device), tr, 0);
}

TEST(SignatureRecord, WideRangesAreCoarsenedAndStillRoundTrip) {
    PenTrace tr = small_trace();
    tr.device.x = {0, 100000};  // does not fit 16 bits: 4 device units per record unit
    tr.device.x_units_per_mm = 200;
    const SignatureRecord rec = make_signature_record(tr);
    EXPECT_DOUBLE_EQ(*rec.descriptions[int(SignatureChannel::X)].scaling, 50.0);
    expect_within_resolution(to_pen_samples(decode_signature_record(encode(rec)), tr.device), tr,
                             2);
}

TEST(SignatureRecord, AnotherPadGetsTheSameMillimetres) {
    const PenTrace tr = small_trace();
    signature::PenDevice other = tr.device;
    other.x = {0, 5000};
    other.y = {0, 3000};
    other.x_units_per_mm = other.y_units_per_mm = 25;  // a quarter of the DTU-1141's
    const auto got = to_pen_samples(make_signature_record(tr), other);
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_NEAR(got[i].x / 25.0, (tr.samples[i].x - tr.device.x.min) / 100.0, 0.5 / 25 + 1e-9);
        EXPECT_NEAR(got[i].y / 25.0, (tr.samples[i].y - tr.device.y.min) / 100.0, 0.5 / 25 + 1e-9);
    }
}

TEST(SignatureRecord, APadWithoutPressureHasNoFChannel) {
    PenTrace tr = small_trace();
    tr.device.pressure = {0, 0};
    for (auto& s : tr.samples) s.pressure = 0;
    const SignatureRecord rec = make_signature_record(tr);
    EXPECT_FALSE(rec.has(SignatureChannel::F));
    expect_within_resolution(to_pen_samples(decode_signature_record(encode(rec)), tr.device), tr,
                             0);
}

TEST(SignatureRecord, EveryChannelDescriptionAndExtendedDataRoundTrip) {
    SignatureRecord rec;
    rec.channels = 0xFFFF;
    for (int bit = 0; bit < 16; ++bit) {
        auto& d = rec.descriptions[bit];
        d.scaling = 0.75 * (bit + 1);
        d.minimum = bit == int(SignatureChannel::S) ? 0 : -3;
        d.maximum = 200;
        d.mean = 7;
        d.standard_deviation = 12;
        d.constant = bit % 2;
        d.linear_component_removed = bit % 3 == 0;
    }
    rec.descriptions[int(SignatureChannel::T)].minimum = 0;
    rec.descriptions[int(SignatureChannel::DT)].minimum = 0;
    rec.descriptions[int(SignatureChannel::F)].minimum = 0;
    for (int bit : {2, 1, 0}) rec.descriptions[bit].minimum = 0;  // AZ EL R are unsigned
    for (int p = 0; p < 3; ++p)
        for (int bit = 15; bit >= 0; --bit)
            rec.values.push_back(bit == int(SignatureChannel::S) ? p % 2 : p * 100 + bit);
    rec.extended_data = {1, 2, 3};
    const auto bytes = encode(rec);
    EXPECT_EQ(decode_signature_record(bytes), rec);
    EXPECT_EQ(encode(decode_signature_record(bytes)), bytes);
}

TEST(SignatureRecord, WriterRefusesWhatDoesNotFit) {
    PenTrace back_in_time = small_trace();
    back_in_time.samples[2].t_us = 0;
    EXPECT_THROW(make_signature_record(back_in_time), RecordError);
    SignatureRecord rec = make_signature_record(small_trace());
    rec.values[0] = 40000;  // X is signed 16-bit
    EXPECT_THROW(encode(rec), RecordError);
    rec = make_signature_record(small_trace());
    rec.values.pop_back();
    EXPECT_THROW(encode(rec), RecordError);
    rec = make_signature_record(small_trace());
    rec.values[4] = 256;  // S is one byte
    EXPECT_THROW(encode(rec), RecordError);
    rec = make_signature_record(small_trace());
    rec.descriptions[int(SignatureChannel::X)].scaling = 1e6;
    EXPECT_THROW(encode(rec), RecordError);
    EXPECT_THROW(encode(SignatureRecord{}), RecordError);
}

TEST(SignatureRecord, ToPenSamplesNeedsXYAndT) {
    SignatureRecord rec;
    rec.channels = 1u << int(SignatureChannel::X) | 1u << int(SignatureChannel::Y);
    EXPECT_THROW(to_pen_samples(rec, testing::dtu1141()), RecordError);
}

// --- malformed records -------------------------------------------------------------------

std::vector<std::uint8_t> good_bytes() { return encode(make_signature_record(small_trace())); }

void expect_refused(const std::vector<std::uint8_t>& bytes, const std::string& field) {
    try {
        decode_signature_record(bytes);
        ADD_FAILURE() << "accepted a record with a bad " << field;
    } catch (const RecordError& e) {
        EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
}

TEST(SignatureRecordMalformed, EveryTruncationIsRefused) {
    const auto bytes = good_bytes();
    for (std::size_t n = 0; n < bytes.size(); ++n)
        EXPECT_THROW(decode_signature_record({bytes.data(), n}), RecordError) << n;
}

TEST(SignatureRecordMalformed, TrailingBytesAreRefused) {
    auto bytes = good_bytes();
    bytes.push_back(0);
    expect_refused(bytes, "last sample point");
}

TEST(SignatureRecordMalformed, HeaderFields) {
    auto b = good_bytes();
    b[2] = 'X';
    expect_refused(b, "format identifier");
    b = good_bytes();
    b[5] = '2';
    expect_refused(b, "version");
    b = good_bytes();
    b[8] = b[9] = 0;
    expect_refused(b, "channel inclusion");
    b = good_bytes();
    b[10] |= 1;
    expect_refused(b, "preamble");
    b = good_bytes();
    b[10 + 7 + 7 + 3 + 5 + 1] = 7;  // after S's empty description
    expect_refused(b, "reserved");
}

TEST(SignatureRecordMalformed, BodyFields) {
    const std::size_t body = 10 + 7 + 7 + 3 + 5 + 1 + 1;
    auto b = good_bytes();
    b[body] = 2;
    expect_refused(b, "extended data flag");
    b = good_bytes();
    b[body + 1] = 0xFF;  // 16 million points in a 70-byte record
    expect_refused(b, "sample points");
    b = good_bytes();
    b[body + 3] = 4;  // one point fewer than the bytes hold
    expect_refused(b, "last sample point");
    b = good_bytes();
    b[body + 4 + 8] = 2;  // S of the first point
    expect_refused(b, "tip switch");
    b = good_bytes();
    b[body] = 1;  // extended data flagged, but the points end the record
    expect_refused(b, "sample points");
    b = good_bytes();
    b[body] = 1;
    b.push_back(0);
    b.push_back(0);
    expect_refused(b, "extended data length");
}

// --- SVC2004 -------------------------------------------------------------------------------

TEST(SignatureRecordSvc2004, EverySignatureRoundTripsWithinTheResolution) {
    const auto files = testing::svc2004_files();
    if (files.empty()) GTEST_SKIP() << "no SVC2004 signatures under " << testing::svc2004_dir();
    std::size_t largest = 0;
    for (const auto& f : files) {
        SCOPED_TRACE(f.string());
        const PenTrace tr = testing::load_svc2004(f);
        const auto bytes = encode(make_signature_record(tr));
        largest = std::max(largest, bytes.size());
        expect_within_resolution(to_pen_samples(decode_signature_record(bytes), tr.device), tr, 0);
    }
    RecordProperty("largest_bytes", static_cast<int>(largest));
}

}  // namespace
}  // namespace rekam::bio
