#include "biometrics/records/face_image_record.h"

#include "biometrics/records/record_error.h"

namespace rekam::bio {

namespace {
constexpr const char* kRecord = "ISO/IEC 19794-5 face image record";
constexpr std::size_t kFixedRepresentation = 4 + 9 + 5 + 1 + 17 + 11 + 4;
}  // namespace

std::vector<std::uint8_t> encode(const FaceImageRecord& record) {
    check_range(!record.representations.empty() && record.representations.size() <= 0xFFFF, kRecord,
                "number of representations", "must be 1-65535");
    ByteWriter w;
    write_record_header(
        w, "FAC", "030",
        {static_cast<std::uint16_t>(record.representations.size()), record.certification_flag});
    w.u16(record.temporal_semantics);
    for (const auto& rep : record.representations) {
        check_range(rep.landmarks.size() <= 0xFFFF, kRecord, "landmark points", "too many");
        check_range(rep.properties <= 0xFFFFFF, kRecord, "properties", "is a 24-bit mask");
        check_range((rep.face_image_type & 0x80) == 0, kRecord, "face image type",
                    "3D types are not supported");
        const auto start = begin_representation(w);
        write_common(w, rep.common);
        w.u16(static_cast<std::uint32_t>(rep.landmarks.size()));
        w.u8(rep.gender);
        w.u8(rep.eye_colour);
        w.u8(rep.hair_colour);
        w.u8(rep.subject_height);
        w.u24(rep.properties);
        w.u16(rep.expression);
        for (auto a : rep.pose_angle) w.u8(a);
        for (auto u : rep.pose_uncertainty) w.u8(u);
        for (const auto& p : rep.landmarks) {
            w.u8(p.type);
            w.u8(p.code);
            w.u16(p.x);
            w.u16(p.y);
            w.u16(p.z);
        }
        w.u8(rep.face_image_type);
        w.u8(rep.image_data_type);
        w.u16(rep.width);
        w.u16(rep.height);
        w.u8(rep.spatial_sampling_level);
        w.u16(rep.post_acquisition);
        w.u8(rep.cross_reference);
        w.u8(rep.colour_space);
        write_image_data(w, rep.image);
        end_representation(w, start);
    }
    finish_record(w);
    return w.take();
}

FaceImageRecord decode_face_image_record(std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes, kRecord);
    const auto header = read_record_header(r, "FAC", "030", bytes.size());
    FaceImageRecord record;
    record.certification_flag = header.certification_flag;
    record.temporal_semantics = r.u16("temporal semantics");
    for (int i = 0; i < header.representation_count; ++i) {
        const auto frame = read_representation_length(r, kFixedRepresentation);
        FaceRepresentation rep;
        rep.common = read_common(r);
        const auto landmarks_at = r.offset();
        const auto landmark_count = r.u16("number of landmark points");
        rep.gender = r.u8("gender");
        rep.eye_colour = r.u8("eye colour");
        rep.hair_colour = r.u8("hair colour");
        rep.subject_height = r.u8("subject height");
        rep.properties = r.u24("properties");
        rep.expression = r.u16("expression");
        for (auto& a : rep.pose_angle) a = r.u8("pose angle");
        for (auto& u : rep.pose_uncertainty) u = r.u8("pose angle uncertainty");
        // Checked before reserving so a forged count cannot make us allocate.
        const auto room = frame.end > r.offset() ? frame.end - r.offset() : 0;
        if (static_cast<std::size_t>(landmark_count) * 8 > room)
            r.fail("number of landmark points", landmarks_at,
                   std::to_string(landmark_count) + " points do not fit the representation");
        rep.landmarks.reserve(landmark_count);
        for (int k = 0; k < landmark_count; ++k) {
            LandmarkPoint p;
            p.type = r.u8("landmark point type");
            p.code = r.u8("landmark point code");
            p.x = r.u16("landmark x");
            p.y = r.u16("landmark y");
            p.z = r.u16("landmark z");
            rep.landmarks.push_back(p);
        }
        const auto type_at = r.offset();
        rep.face_image_type = r.u8("face image type");
        if (rep.face_image_type & 0x80)
            r.fail("face image type", type_at, "3D face images are not supported");
        rep.image_data_type = r.u8("image data type");
        rep.width = r.u16("width");
        rep.height = r.u16("height");
        rep.spatial_sampling_level = r.u8("spatial sampling rate level");
        rep.post_acquisition = r.u16("post-acquisition processing");
        rep.cross_reference = r.u8("cross reference");
        rep.colour_space = r.u8("image colour space");
        rep.image = read_image_data(r, frame);
        record.representations.push_back(std::move(rep));
    }
    r.expect_end("last representation");
    return record;
}

}  // namespace rekam::bio
