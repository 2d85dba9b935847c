#include "biometrics/records/finger_minutiae_record.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

#include "biometrics/records/byte_io.h"
#include "biometrics/records/record_common.h"
#include "biometrics/records/record_error.h"

namespace rekam::bio {
namespace {

constexpr const char* kRecord = "ISO 19794-2 finger minutiae record";
constexpr std::string_view kFormat = "FMR";  // ISO/IEC 19794-2:2005
constexpr std::string_view kVersion = " 20";
constexpr std::size_t kHeaderSize = 24;
constexpr double kCmPerInch = 2.54;

bool valid_impression(unsigned t) { return t <= 3 || t == 8; }

void check(bool ok, const char* field, const std::string& problem) {
    check_range(ok, kRecord, field, problem);
}

void write_view(ByteWriter& w, const FingerMinutiaeView& v) {
    check(v.finger_position <= 10, "finger position", "must be 0-10");
    check(v.view_number <= 15, "view number", "must be 0-15");
    check(valid_impression(v.impression_type), "impression type", "must be 0-3 or 8");
    check(v.finger_quality <= 100, "finger quality", "must be 0-100");
    check(v.minutiae.size() <= 255, "number of minutiae", "at most 255");
    w.u8(v.finger_position);
    w.u8(static_cast<std::uint32_t>(v.view_number) << 4 | v.impression_type);
    w.u8(v.finger_quality);
    w.u8(static_cast<std::uint32_t>(v.minutiae.size()));
    for (const IsoMinutia& m : v.minutiae) {
        check(m.type <= 2, "minutia type", "must be 0-2");
        check(m.x < (1u << 14) && m.y < (1u << 14), "minutia position", "must be < 16384");
        check(m.quality <= 100, "minutia quality", "must be 0-100");
        w.u16(static_cast<std::uint32_t>(m.type) << 14 | m.x);
        w.u16(m.y);
        w.u8(m.angle);
        w.u8(m.quality);
    }
    check(v.extended_data.size() <= 0xFFFF, "extended data block length", "at most 65535 bytes");
    w.u16(static_cast<std::uint32_t>(v.extended_data.size()));
    w.bytes(v.extended_data);
}

// Extended data areas: type code (2, never 0), length (2, including these 4 bytes), data; they
// must fill the block exactly.
void check_extended(ByteReader& r, std::span<const std::uint8_t> block, std::size_t at) {
    std::size_t pos = 0;
    while (pos < block.size()) {
        if (block.size() - pos < 4) r.fail("extended data area", at + pos, "truncated area header");
        const unsigned type = block[pos] << 8 | block[pos + 1];
        const std::size_t len = block[pos + 2] << 8 | block[pos + 3];
        if (type == 0) r.fail("extended data type code", at + pos, "0 is reserved");
        if (len < 4 || len > block.size() - pos)
            r.fail("extended data area length", at + pos + 2,
                   std::to_string(len) + " does not fit the block");
        pos += len;
    }
}

FingerMinutiaeView read_view(ByteReader& r) {
    FingerMinutiaeView v;
    const std::size_t at = r.offset();
    v.finger_position = r.u8("finger position");
    if (v.finger_position > 10) r.fail("finger position", at, "must be 0-10");
    const std::uint8_t vi = r.u8("view number and impression type");
    v.view_number = vi >> 4;
    v.impression_type = vi & 0x0F;
    if (!valid_impression(v.impression_type))
        r.fail("impression type", at + 1,
               "must be 0-3 or 8, is " + std::to_string(v.impression_type));
    v.finger_quality = r.u8("finger quality");
    if (v.finger_quality > 100) r.fail("finger quality", at + 2, "must be 0-100");
    const unsigned n = r.u8("number of minutiae");
    if (r.remaining() < n * 6u + 2)
        r.fail("minutiae", r.offset(), std::to_string(n) + " minutiae do not fit the record");
    v.minutiae.reserve(n);
    for (unsigned i = 0; i < n; ++i) {
        const std::size_t m_at = r.offset();
        const std::uint16_t tx = r.u16("minutia type and x");
        const std::uint16_t ry = r.u16("minutia y");
        IsoMinutia m;
        m.type = static_cast<std::uint8_t>(tx >> 14);
        m.x = tx & 0x3FFF;
        if (m.type > 2) r.fail("minutia type", m_at, "3 is reserved");
        if (ry >> 14) r.fail("minutia reserved bits", m_at + 2, "must be 0");
        m.y = ry;
        m.angle = r.u8("minutia angle");
        m.quality = r.u8("minutia quality");
        if (m.quality > 100) r.fail("minutia quality", m_at + 5, "must be 0-100");
        v.minutiae.push_back(m);
    }
    const std::uint16_t ext = r.u16("extended data block length");
    const std::size_t ext_at = r.offset();
    const auto block = r.bytes(ext, "extended data");
    check_extended(r, block, ext_at);
    v.extended_data.assign(block.begin(), block.end());
    return v;
}

}  // namespace

std::vector<std::uint8_t> encode(const FingerMinutiaeRecord& rec) {
    check(rec.equipment_compliance <= 15, "capture equipment compliance", "4 bits");
    check(rec.device_type <= 0x0FFF, "capture device type id", "12 bits");
    check(rec.views.size() <= 255, "number of finger views", "at most 255");
    ByteWriter w;
    write_identifiers(w, kFormat, kVersion);
    w.u32(0);  // record length, patched below
    w.u16(static_cast<std::uint32_t>(rec.equipment_compliance) << 12 | rec.device_type);
    w.u16(rec.width);
    w.u16(rec.height);
    w.u16(rec.x_resolution);
    w.u16(rec.y_resolution);
    w.u8(static_cast<std::uint32_t>(rec.views.size()));
    w.u8(0);  // reserved
    for (const auto& v : rec.views) write_view(w, v);
    w.patch_u32(8, static_cast<std::uint32_t>(w.size()));
    return w.take();
}

FingerMinutiaeRecord decode_finger_minutiae_record(std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes, kRecord);
    FingerMinutiaeRecord rec;
    read_identifiers(r, kFormat, kVersion);
    const std::uint32_t length = r.u32("record length");
    if (length != bytes.size())
        r.fail("record length", 8,
               std::to_string(length) + " but the record has " + std::to_string(bytes.size()) +
                   " bytes");
    const std::uint16_t dev = r.u16("capture equipment");
    rec.equipment_compliance = static_cast<std::uint8_t>(dev >> 12);
    rec.device_type = dev & 0x0FFF;
    rec.width = r.u16("image size x");
    rec.height = r.u16("image size y");
    rec.x_resolution = r.u16("x resolution");
    rec.y_resolution = r.u16("y resolution");
    const unsigned views = r.u8("number of finger views");
    if (r.u8("reserved") != 0) r.fail("reserved", kHeaderSize - 1, "must be 0");
    for (unsigned i = 0; i < views; ++i) rec.views.push_back(read_view(r));
    r.expect_end("last finger view");
    return rec;
}

FingerMinutiaeView make_minutiae_view(const fingerprint::Minutiae& m, int finger_position,
                                      int finger_quality, int max_count) {
    FingerMinutiaeView v;
    v.finger_position = static_cast<std::uint8_t>(std::clamp(finger_position, 0, 10));
    v.finger_quality = static_cast<std::uint8_t>(std::clamp(finger_quality, 0, 100));
    std::vector<fingerprint::Minutia> pts = m.points;
    std::stable_sort(pts.begin(), pts.end(),
                     [](const auto& a, const auto& b) { return a.quality > b.quality; });
    pts.resize(std::min<std::size_t>(pts.size(), std::clamp(max_count, 0, 255)));
    for (const auto& p : pts) {
        IsoMinutia im;
        im.type = static_cast<std::uint8_t>(p.type);
        im.x = static_cast<std::uint16_t>(std::clamp<long>(std::lround(p.x), 0, 0x3FFF));
        im.y = static_cast<std::uint16_t>(std::clamp<long>(std::lround(p.y), 0, 0x3FFF));
        im.angle = static_cast<std::uint8_t>(std::lround(p.angle / (2 * M_PI) * 256.0) & 0xFF);
        // 0 means "not reported" in the record: a measured quality is at least 1.
        im.quality = static_cast<std::uint8_t>(std::clamp(p.quality, 1, 100));
        v.minutiae.push_back(im);
    }
    return v;
}

FingerMinutiaeRecord make_minutiae_record(const fingerprint::Minutiae& geometry,
                                          std::vector<FingerMinutiaeView> views) {
    FingerMinutiaeRecord rec;
    rec.width = static_cast<std::uint16_t>(std::clamp(geometry.width, 0, 0xFFFF));
    rec.height = static_cast<std::uint16_t>(std::clamp(geometry.height, 0, 0xFFFF));
    const auto px_per_cm = static_cast<std::uint16_t>(std::lround(geometry.ppi / kCmPerInch));
    rec.x_resolution = rec.y_resolution = px_per_cm;
    rec.views = std::move(views);
    return rec;
}

fingerprint::Minutiae to_minutiae(const FingerMinutiaeRecord& rec, const FingerMinutiaeView& v) {
    fingerprint::Minutiae out;
    out.width = rec.width;
    out.height = rec.height;
    out.ppi = rec.x_resolution > 0 ? rec.x_resolution * kCmPerInch : fingerprint::kWorkPpi;
    for (const auto& m : v.minutiae) {
        fingerprint::Minutia p;
        p.x = m.x;
        p.y = m.y;
        p.angle = m.angle * (2 * M_PI / 256.0);
        p.type = static_cast<fingerprint::MinutiaType>(m.type);
        p.quality = m.quality;
        out.points.push_back(p);
    }
    return out;
}

}  // namespace rekam::bio
