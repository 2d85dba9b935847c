#include "daemon/sample_record.h"

#include <algorithm>

#include "biometrics/records/builders.h"
#include "biometrics/records/codec.h"

namespace rekam {
namespace {

// rekam has no IBIA-registered vendor id yet: 0 means "unreported" in the quality block,
// and the algorithm id tells the modalities' measures apart.
bio::CaptureInfo capture_info(const bio::Quality& quality,
                              std::chrono::system_clock::time_point captured,
                              std::uint16_t algorithm_id) {
    bio::CaptureInfo info;
    info.captured = bio::CaptureDateTime::from(captured);
    info.quality = bio::QualityBlock{static_cast<std::uint8_t>(std::clamp(quality.score, 0, 100)),
                                     0, algorithm_id};
    return info;
}

}  // namespace

SampleRecord encode_sample_record(const Position& position, const bio::Image& image,
                                  const bio::Quality& quality,
                                  std::chrono::system_clock::time_point captured) {
    switch (position.kind) {
        case drivers::DeviceKind::Fingerprint:
            return {bio::encode(bio::make_finger_image_record(
                        bio::to_grey(image), static_cast<std::uint8_t>(position.iso_code),
                        capture_info(quality, captured, 1))),
                    "ISO/IEC 19794-4:2011", "image/png", "fir"};
        case drivers::DeviceKind::Iris:
            return {bio::encode(bio::make_iris_image_record(
                        bio::to_grey(image),
                        position.iso_code == 1 ? bio::eye_label::right : bio::eye_label::left,
                        capture_info(quality, captured, 2))),
                    "ISO/IEC 19794-6:2011", "image/png", "iir"};
        case drivers::DeviceKind::Face:
            return {bio::encode(bio::make_face_image_record(
                        image, capture_info(quality, captured, 3), {}, 92)),
                    "ISO/IEC 19794-5:2011", "image/jpeg", "fac"};
    }
    throw std::logic_error("unknown modality");
}

bio::Image decode_sample_image(const SampleRecord& record) {
    if (record.extension == "fir")
        return bio::decode_png(
            bio::decode_finger_image_record(record.bytes).representations.at(0).image);
    if (record.extension == "iir")
        return bio::decode_png(
            bio::decode_iris_image_record(record.bytes).representations.at(0).image);
    return bio::decode_jpeg(
        bio::decode_face_image_record(record.bytes).representations.at(0).image);
}

}  // namespace rekam
