#include "biometrics/records/record_common.h"

#include <ctime>

#include "biometrics/records/record_error.h"

namespace rekam::bio {

CaptureDateTime CaptureDateTime::from(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    CaptureDateTime c;
    c.year = static_cast<std::uint16_t>(tm.tm_year + 1900);
    c.month = static_cast<std::uint8_t>(tm.tm_mon + 1);
    c.day = static_cast<std::uint8_t>(tm.tm_mday);
    c.hour = static_cast<std::uint8_t>(tm.tm_hour);
    c.minute = static_cast<std::uint8_t>(tm.tm_min);
    c.second = static_cast<std::uint8_t>(tm.tm_sec);
    c.millisecond = static_cast<std::uint16_t>(ms - static_cast<long long>(secs) * 1000);
    return c;
}

void check_range(bool ok, const char* record, const char* field, const std::string& problem) {
    if (!ok) throw RecordError(std::string(record) + ": " + field + ": " + problem);
}

void write_common(ByteWriter& w, const RepresentationCommon& c) {
    check_range(c.quality.size() <= 255, "representation", "quality blocks",
                "more than 255 blocks");
    w.u16(c.captured.year);
    w.u8(c.captured.month);
    w.u8(c.captured.day);
    w.u8(c.captured.hour);
    w.u8(c.captured.minute);
    w.u8(c.captured.second);
    w.u16(c.captured.millisecond);
    w.u8(c.device.technology);
    w.u16(c.device.vendor_id);
    w.u16(c.device.type_id);
    w.u8(static_cast<std::uint32_t>(c.quality.size()));
    for (const auto& q : c.quality) {
        w.u8(q.score);
        w.u16(q.algorithm_vendor_id);
        w.u16(q.algorithm_id);
    }
}

RepresentationCommon read_common(ByteReader& r) {
    RepresentationCommon c;
    c.captured.year = r.u16("capture year");
    c.captured.month = r.u8("capture month");
    c.captured.day = r.u8("capture day");
    c.captured.hour = r.u8("capture hour");
    c.captured.minute = r.u8("capture minute");
    c.captured.second = r.u8("capture second");
    c.captured.millisecond = r.u16("capture millisecond");
    c.device.technology = r.u8("capture device technology id");
    c.device.vendor_id = r.u16("capture device vendor id");
    c.device.type_id = r.u16("capture device type id");
    const auto n = r.u8("number of quality blocks");
    c.quality.reserve(n);
    for (int i = 0; i < n; ++i) {
        QualityBlock q;
        q.score = r.u8("quality score");
        q.algorithm_vendor_id = r.u16("quality algorithm vendor id");
        q.algorithm_id = r.u16("quality algorithm id");
        c.quality.push_back(q);
    }
    return c;
}

void write_record_header(ByteWriter& w, std::string_view format, std::string_view version,
                         const RecordHeader& h) {
    write_identifiers(w, format, version);
    w.u32(0);  // record length, patched by finish_record()
    w.u16(h.representation_count);
    w.u8(h.certification_flag);
}

void finish_record(ByteWriter& w) {
    check_range(w.size() <= 0xFFFFFFFFu, "record", "record length", "exceeds 4 GiB");
    w.patch_u32(8, static_cast<std::uint32_t>(w.size()));
}

void write_identifiers(ByteWriter& w, std::string_view format, std::string_view version) {
    for (const auto tag : {format, version}) {
        for (char ch : tag.substr(0, 3)) w.u8(static_cast<std::uint8_t>(ch));
        w.u8(0);
    }
}

static void expect_tag(ByteReader& r, std::string_view tag, const char* field) {
    const auto at = r.offset();
    auto b = r.bytes(4, field);
    for (std::size_t i = 0; i < 3; ++i)
        if (b[i] != static_cast<std::uint8_t>(tag[i]))
            r.fail(field, at, "expected \"" + std::string(tag.substr(0, 3)) + "\\0\"");
    if (b[3] != 0) r.fail(field, at + 3, "missing NUL terminator");
}

void read_identifiers(ByteReader& r, std::string_view format, std::string_view version) {
    expect_tag(r, format, "format identifier");
    expect_tag(r, version, "version number");
}

RecordHeader read_record_header(ByteReader& r, std::string_view format, std::string_view version,
                                std::size_t total_size) {
    read_identifiers(r, format, version);
    const auto at = r.offset();
    const auto length = r.u32("record length");
    if (length != total_size)
        r.fail(
            "record length", at,
            "says " + std::to_string(length) + " bytes, input has " + std::to_string(total_size));
    RecordHeader h;
    const auto count_at = r.offset();
    h.representation_count = r.u16("number of representations");
    if (h.representation_count == 0) r.fail("number of representations", count_at, "is zero");
    h.certification_flag = r.u8("certification flag");
    return h;
}

std::size_t begin_representation(ByteWriter& w) {
    const auto start = w.size();
    w.u32(0);
    return start;
}

void end_representation(ByteWriter& w, std::size_t start) {
    const auto len = w.size() - start;
    check_range(len <= 0xFFFFFFFFu, "representation", "representation length", "exceeds 4 GiB");
    w.patch_u32(start, static_cast<std::uint32_t>(len));
}

RepresentationFrame read_representation_length(ByteReader& r, std::size_t min_length) {
    RepresentationFrame f;
    f.start = r.offset();
    const auto len = r.u32("representation length");
    if (len < min_length)
        r.fail("representation length", f.start,
               std::to_string(len) + " is shorter than the fixed header (" +
                   std::to_string(min_length) + ")");
    if (len - 4 > r.remaining())
        r.fail("representation length", f.start,
               std::to_string(len) + " runs past the end of the record");
    f.end = f.start + len;
    return f;
}

std::vector<std::uint8_t> read_image_data(ByteReader& r, const RepresentationFrame& f) {
    const auto at = r.offset();
    if (at + 4 > f.end) r.fail("representation header", at, "runs past the representation length");
    const auto len = r.u32("image data length");
    const auto left = f.end - (at + 4);
    if (static_cast<std::size_t>(len) != left)
        r.fail("image data length", at,
               std::to_string(len) + " does not end the representation (" + std::to_string(left) +
                   " bytes left in it)");
    auto b = r.bytes(len, "image data");
    return {b.begin(), b.end()};
}

void write_image_data(ByteWriter& w, const std::vector<std::uint8_t>& image) {
    check_range(image.size() <= 0xFFFFFFF0u, "representation", "image data", "exceeds 4 GiB");
    w.u32(static_cast<std::uint32_t>(image.size()));
    w.bytes(image);
}

}  // namespace rekam::bio
