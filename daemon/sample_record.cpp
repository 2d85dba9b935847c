#include "daemon/sample_record.h"

#include <algorithm>

#include "biometrics/records/codec.h"
#include "biometrics/records/face_image_record.h"
#include "biometrics/records/finger_image_record.h"
#include "biometrics/records/iris_image_record.h"

namespace rekam {
namespace {

// rekam has no IBIA-registered vendor id yet: 0 means "unreported" in the quality block,
// and the algorithm id distinguishes the measures by modality.
bio::RepresentationCommon common(const bio::Quality& quality,
                                 std::chrono::system_clock::time_point captured,
                                 std::uint16_t algorithm_id) {
    bio::RepresentationCommon c;
    c.captured = bio::CaptureDateTime::from(captured);
    c.quality.push_back(bio::QualityBlock{static_cast<std::uint8_t>(std::clamp(quality.score, 0, 100)),
                                          0, algorithm_id});
    return c;
}

std::uint16_t dimension(int v) { return static_cast<std::uint16_t>(std::clamp(v, 0, 0xFFFF)); }

}  // namespace

SampleRecord encode_sample_record(const Position& position, const bio::Image& image,
                                  const bio::Quality& quality,
                                  std::chrono::system_clock::time_point captured) {
    SampleRecord out;
    if (position.kind == drivers::DeviceKind::Fingerprint) {
        bio::FingerRepresentation rep;
        rep.common = common(quality, captured, 1);
        rep.position = static_cast<std::uint8_t>(position.iso_code);
        const auto ppi = static_cast<std::uint16_t>(image.ppi > 0 ? image.ppi + 0.5 : 500);
        rep.scan_sampling_h = rep.scan_sampling_v = ppi;
        rep.image_sampling_h = rep.image_sampling_v = ppi;
        rep.compression = bio::finger_compression::png;
        rep.width = dimension(image.width);
        rep.height = dimension(image.height);
        rep.image = bio::encode_png(image);
        bio::FingerImageRecord record;
        record.representations.push_back(std::move(rep));
        out.bytes = bio::encode(record);
        out.format = "ISO/IEC 19794-4:2011";
        out.media_type = "image/png";
        out.extension = "fir";
    } else if (position.kind == drivers::DeviceKind::Iris) {
        bio::IrisRepresentation rep;
        rep.common = common(quality, captured, 2);
        rep.eye = position.iso_code == 1 ? bio::eye_label::right : bio::eye_label::left;
        rep.image_type = bio::iris_image_type::cropped;
        rep.image_format = bio::iris_image_format::mono_png;
        rep.compression_history = 1;
        rep.width = dimension(image.width);
        rep.height = dimension(image.height);
        rep.image = bio::encode_png(image);
        bio::IrisImageRecord record;
        record.representations.push_back(std::move(rep));
        out.bytes = bio::encode(record);
        out.format = "ISO/IEC 19794-6:2011";
        out.media_type = "image/png";
        out.extension = "iir";
    } else {
        bio::FaceRepresentation rep;
        rep.common = common(quality, captured, 3);
        rep.face_image_type = bio::face_image_type::full_frontal;
        rep.image_data_type = bio::face_image_data_type::jpeg;
        rep.colour_space = image.channels == 3 ? bio::face_colour_space::rgb24
                                               : bio::face_colour_space::grey8;
        rep.width = dimension(image.width);
        rep.height = dimension(image.height);
        rep.image = bio::encode_jpeg(image, 92);
        bio::FaceImageRecord record;
        record.representations.push_back(std::move(rep));
        out.bytes = bio::encode(record);
        out.format = "ISO/IEC 19794-5:2011";
        out.media_type = "image/jpeg";
        out.extension = "fac";
    }
    return out;
}

bio::Image decode_sample_image(const SampleRecord& record) {
    if (record.extension == "fir") {
        auto r = bio::decode_finger_image_record(record.bytes);
        return bio::decode_png(r.representations.at(0).image);
    }
    if (record.extension == "iir") {
        auto r = bio::decode_iris_image_record(record.bytes);
        return bio::decode_png(r.representations.at(0).image);
    }
    auto r = bio::decode_face_image_record(record.bytes);
    return bio::decode_jpeg(r.representations.at(0).image);
}

}  // namespace rekam
