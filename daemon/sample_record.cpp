#include "daemon/sample_record.h"

#include <algorithm>
#include <stdexcept>

#include "biometrics/face/token.h"
#include "biometrics/records/builders.h"
#include "biometrics/records/codec.h"
#include "biometrics/records/finger_minutiae_record.h"
#include "biometrics/records/record_image.h"
#include "biometrics/records/signature_record.h"

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

// rekamd.conf's words for the codecs ([Package], checked when the file is read). Lossy JPEG 2000
// for irises and faces at 10:1: under the 15:1 ANSI/NIST-ITL allows a face, and where an iris
// keeps its texture (docs/package-format.md).
constexpr double kLossyJp2Ratio = 10;

bio::FingerCodec finger_codec(const std::string& format) {
    if (format == "wsq") return bio::FingerCodec::wsq;
    if (format == "jp2-lossless") return bio::FingerCodec::jp2_lossless;
    return bio::FingerCodec::png;
}

bio::IrisEncoding iris_encoding(const std::string& format) {
    if (format == "jp2-lossless") return {bio::IrisCodec::jp2_lossless, {}};
    if (format == "jp2")
        return {bio::IrisCodec::jp2_lossy, bio::Jp2Target::compression_ratio(kLossyJp2Ratio)};
    return {bio::IrisCodec::png, {}};
}

bio::FaceEncoding face_encoding(const std::string& format) {
    if (format == "jp2-lossless") return {bio::FaceCodec::jp2_lossless, 0, {}};
    if (format == "jp2")
        return {bio::FaceCodec::jp2_lossy, 0, bio::Jp2Target::compression_ratio(kLossyJp2Ratio)};
    return {bio::FaceCodec::jpeg, 92, {}};
}

}  // namespace

std::vector<SampleRecord> encode_sample_records(const Position& position, const bio::Image& image,
                                                const FrameAssessment& a,
                                                std::chrono::system_clock::time_point captured,
                                                const ImageFormats& formats) {
    const auto info =
        capture_info(a.quality, captured, static_cast<std::uint16_t>(position.kind) + 1);
    std::vector<SampleRecord> out;
    switch (position.kind) {
        case drivers::DeviceKind::Fingerprint: {
            const auto iso = static_cast<std::uint8_t>(position.iso_code);
            out.push_back({bio::encode(bio::make_finger_image_record(bio::to_grey(image), iso, info,
                                                                     finger_codec(formats.finger))),
                           pkg::kFingerImageFormat});
            if (a.minutiae) {
                auto view = bio::make_minutiae_view(*a.minutiae, iso, a.quality.score);
                out.push_back(
                    {bio::encode(bio::make_minutiae_record(*a.minutiae, {std::move(view)})),
                     pkg::kFingerMinutiaeFormat});
            }
            break;
        }
        case drivers::DeviceKind::Iris: {
            const auto eye = position.iso_code == 1 ? bio::eye_label::right : bio::eye_label::left;
            const auto encoding = iris_encoding(formats.iris);
            const auto record =
                a.iris
                    ? bio::make_iris_image_record(bio::to_grey(image), eye, info, *a.iris, encoding)
                    : bio::make_iris_image_record(bio::to_grey(image), eye, info, encoding);
            out.push_back({bio::encode(record), pkg::kIrisImageFormat});
            break;
        }
        case drivers::DeviceKind::Face:
            // The portrait goes out as the ISO/IEC 19794-5 token image (eyes levelled on the
            // prescribed line, width 4x the eye distance): the geometry every consumer, the
            // card printer included, expects. The exception photo must keep the hands in view,
            // so it stays the full frame.
            if (a.eyes && position.name != kExceptionPhoto)
                out.push_back({bio::encode(bio::face::make_token_face_record(
                                   image, *a.eyes, info, 480, face_encoding(formats.face))),
                               pkg::kFaceImageFormat});
            else
                out.push_back({bio::encode(bio::make_face_image_record(
                                   image, info, a.eyes, face_encoding(formats.face))),
                               pkg::kFaceImageFormat});
            break;
        case drivers::DeviceKind::Signature:
            out.push_back({bio::encode_png(image), pkg::kSignatureImageFormat});
            if (a.pen)
                out.push_back(
                    {bio::encode(bio::make_signature_record(*a.pen)), pkg::kSignatureFormat});
            break;
    }
    return out;
}

bio::Image decode_sample_image(const SampleRecord& record) {
    if (record.format == pkg::kFingerImageFormat)
        return bio::decode_record_image(
            bio::decode_finger_image_record(record.bytes).representations.at(0));
    if (record.format == pkg::kIrisImageFormat)
        return bio::decode_record_image(
            bio::decode_iris_image_record(record.bytes).representations.at(0));
    if (record.format == pkg::kFaceImageFormat)
        return bio::decode_record_image(
            bio::decode_face_image_record(record.bytes).representations.at(0));
    if (record.format == pkg::kSignatureImageFormat) return bio::decode_png(record.bytes);
    throw std::invalid_argument(std::string(record.format) + " holds no image");
}

}  // namespace rekam
