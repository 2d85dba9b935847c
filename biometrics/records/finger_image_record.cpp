#include "biometrics/records/finger_image_record.h"

#include "biometrics/records/record_error.h"

namespace rekam::bio {

namespace {
constexpr const char* kRecord = "ISO/IEC 19794-4 finger image record";
// Fixed bytes of a representation without quality/certification blocks, up to and
// including the image data length.
constexpr std::size_t kFixedRepresentation = 4 + 9 + 5 + 1 + 18 + 4;
}  // namespace

std::vector<std::uint8_t> encode(const FingerImageRecord& record) {
    check_range(!record.representations.empty() && record.representations.size() <= 0xFFFF, kRecord,
                "number of representations", "must be 1-65535");
    check_range(record.certification_flag <= 1, kRecord, "certification flag", "must be 0 or 1");
    ByteWriter w;
    write_record_header(
        w, "FIR", "020",
        {static_cast<std::uint16_t>(record.representations.size()), record.certification_flag});
    w.u8(record.finger_count);
    for (const auto& rep : record.representations) {
        check_range(record.certification_flag == 1 || rep.certifications.empty(), kRecord,
                    "certification blocks", "present but the certification flag is 0");
        check_range(rep.certifications.size() <= 255, kRecord, "certification blocks",
                    "more than 255");
        const auto start = begin_representation(w);
        write_common(w, rep.common);
        if (record.certification_flag == 1) {
            w.u8(static_cast<std::uint32_t>(rep.certifications.size()));
            for (const auto& c : rep.certifications) {
                w.u16(c.authority_id);
                w.u8(c.scheme_id);
            }
        }
        w.u8(rep.position);
        w.u8(rep.representation_number);
        w.u8(rep.scale_units);
        w.u16(rep.scan_sampling_h);
        w.u16(rep.scan_sampling_v);
        w.u16(rep.image_sampling_h);
        w.u16(rep.image_sampling_v);
        w.u8(rep.bit_depth);
        w.u8(rep.compression);
        w.u8(rep.impression_type);
        w.u16(rep.width);
        w.u16(rep.height);
        write_image_data(w, rep.image);
        end_representation(w, start);
    }
    finish_record(w);
    return w.take();
}

FingerImageRecord decode_finger_image_record(std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes, kRecord);
    const auto header = read_record_header(r, "FIR", "020", bytes.size());
    FingerImageRecord record;
    record.certification_flag = header.certification_flag;
    if (record.certification_flag > 1)
        r.fail("certification flag", r.offset() - 1, "must be 0 or 1");
    record.finger_count = r.u8("number of fingers/palms");
    for (int i = 0; i < header.representation_count; ++i) {
        const auto frame = read_representation_length(r, kFixedRepresentation);
        FingerRepresentation rep;
        rep.common = read_common(r);
        if (record.certification_flag == 1) {
            const auto n = r.u8("number of certification blocks");
            for (int k = 0; k < n; ++k) {
                CertificationBlock c;
                c.authority_id = r.u16("certification authority id");
                c.scheme_id = r.u8("certification scheme id");
                rep.certifications.push_back(c);
            }
        }
        rep.position = r.u8("finger/palm position");
        rep.representation_number = r.u8("representation number");
        rep.scale_units = r.u8("scale units");
        rep.scan_sampling_h = r.u16("scan spatial sampling rate horizontal");
        rep.scan_sampling_v = r.u16("scan spatial sampling rate vertical");
        rep.image_sampling_h = r.u16("image spatial sampling rate horizontal");
        rep.image_sampling_v = r.u16("image spatial sampling rate vertical");
        rep.bit_depth = r.u8("image bit depth");
        const auto compression_at = r.offset();
        rep.compression = r.u8("image compression algorithm");
        if (rep.compression > finger_compression::png)
            r.fail("image compression algorithm", compression_at,
                   "unknown code " + std::to_string(rep.compression));
        rep.impression_type = r.u8("impression type");
        rep.width = r.u16("horizontal line length");
        rep.height = r.u16("vertical line length");
        rep.image = read_image_data(r, frame);
        record.representations.push_back(std::move(rep));
    }
    r.expect_end("last representation");
    return record;
}

}  // namespace rekam::bio
