#include "biometrics/records/iris_image_record.h"

#include "biometrics/records/record_error.h"

namespace rekam::bio {

namespace {
constexpr const char* kRecord = "ISO/IEC 19794-6 iris image record";
constexpr std::size_t kFixedRepresentation = 4 + 9 + 5 + 1 + 2 + 27 + 4;
}  // namespace

std::vector<std::uint8_t> encode(const IrisImageRecord& record) {
    check_range(!record.representations.empty() && record.representations.size() <= 0xFFFF, kRecord,
                "number of representations", "must be 1-65535");
    ByteWriter w;
    write_record_header(
        w, "IIR", "020",
        {static_cast<std::uint16_t>(record.representations.size()), record.certification_flag});
    w.u8(record.eye_count);
    for (const auto& rep : record.representations) {
        check_range(rep.horizontal_orientation <= 3 && rep.vertical_orientation <= 3 &&
                        rep.compression_history <= 3,
                    kRecord, "image properties", "orientation/compression codes are 2 bits");
        const auto start = begin_representation(w);
        write_common(w, rep.common);
        w.u16(rep.representation_number);
        w.u8(rep.eye);
        w.u8(rep.image_type);
        w.u8(rep.image_format);
        w.u8(rep.horizontal_orientation | (rep.vertical_orientation << 2) |
             (rep.compression_history << 6));
        w.u16(rep.width);
        w.u16(rep.height);
        w.u8(rep.bit_depth);
        w.u16(rep.range);
        w.u16(rep.roll_angle);
        w.u16(rep.roll_uncertainty);
        w.u16(rep.iris_centre_smallest_x);
        w.u16(rep.iris_centre_largest_x);
        w.u16(rep.iris_centre_smallest_y);
        w.u16(rep.iris_centre_largest_y);
        w.u16(rep.iris_diameter_smallest);
        w.u16(rep.iris_diameter_largest);
        write_image_data(w, rep.image);
        end_representation(w, start);
    }
    finish_record(w);
    return w.take();
}

IrisImageRecord decode_iris_image_record(std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes, kRecord);
    const auto header = read_record_header(r, "IIR", "020", bytes.size());
    IrisImageRecord record;
    record.certification_flag = header.certification_flag;
    record.eye_count = r.u8("number of eyes represented");
    for (int i = 0; i < header.representation_count; ++i) {
        const auto frame = read_representation_length(r, kFixedRepresentation);
        IrisRepresentation rep;
        rep.common = read_common(r);
        rep.representation_number = r.u16("representation number");
        const auto eye_at = r.offset();
        rep.eye = r.u8("eye label");
        if (rep.eye > eye_label::left)
            r.fail("eye label", eye_at, "unknown code " + std::to_string(rep.eye));
        rep.image_type = r.u8("image type");
        rep.image_format = r.u8("image format");
        const auto props_at = r.offset();
        const auto props = r.u8("image properties");
        if (props & 0x30) r.fail("image properties", props_at, "reserved bits 5-6 are set");
        rep.horizontal_orientation = props & 0x03;
        rep.vertical_orientation = (props >> 2) & 0x03;
        rep.compression_history = (props >> 6) & 0x03;
        rep.width = r.u16("image width");
        rep.height = r.u16("image height");
        rep.bit_depth = r.u8("bit depth");
        rep.range = r.u16("range");
        rep.roll_angle = r.u16("roll angle of eye");
        rep.roll_uncertainty = r.u16("roll angle uncertainty");
        rep.iris_centre_smallest_x = r.u16("iris centre smallest x");
        rep.iris_centre_largest_x = r.u16("iris centre largest x");
        rep.iris_centre_smallest_y = r.u16("iris centre smallest y");
        rep.iris_centre_largest_y = r.u16("iris centre largest y");
        rep.iris_diameter_smallest = r.u16("iris diameter smallest");
        rep.iris_diameter_largest = r.u16("iris diameter largest");
        rep.image = read_image_data(r, frame);
        record.representations.push_back(std::move(rep));
    }
    r.expect_end("last representation");
    return record;
}

}  // namespace rekam::bio
