#include "biometrics/records/builders.h"

#include <algorithm>
#include <cmath>

#include "biometrics/records/codec.h"
#include "biometrics/records/record_error.h"
#include "biometrics/records/wsq_codec.h"

namespace rekam::bio {

namespace {

RepresentationCommon common_of(const CaptureInfo& info) {
    RepresentationCommon c;
    c.captured = info.captured;
    c.device = info.device;
    if (info.quality) c.quality.push_back(*info.quality);
    return c;
}

std::uint16_t dimension(int v, const char* what) {
    if (v <= 0 || v > 0xFFFF) throw RecordError(std::string(what) + " does not fit 16 bits");
    return static_cast<std::uint16_t>(v);
}

}  // namespace

FingerImageRecord make_finger_image_record(const Image& image, std::uint8_t position,
                                           const CaptureInfo& info, FingerCodec codec) {
    if (image.channels != 1) throw RecordError("finger image record: image must be grey");
    FingerRepresentation rep;
    rep.common = common_of(info);
    rep.position = position;
    const auto ppi = static_cast<std::uint16_t>(image.ppi > 0 ? std::lround(image.ppi) : 500);
    rep.scan_sampling_h = rep.scan_sampling_v = ppi;
    rep.image_sampling_h = rep.image_sampling_v = ppi;
    rep.width = dimension(image.width, "finger image width");
    rep.height = dimension(image.height, "finger image height");
    if (codec == FingerCodec::jp2_lossless) {
        rep.compression = finger_compression::jpeg2000_lossless;
        rep.image = encode_jp2_lossless(image);
    } else if (codec == FingerCodec::wsq) {
        rep.compression = finger_compression::wsq;
        rep.image = encode_wsq(image, kWsqBitrate);
    } else {
        rep.compression = finger_compression::png;
        rep.image = encode_png(image);
    }
    FingerImageRecord record;
    record.representations.push_back(std::move(rep));
    return record;
}

IrisImageRecord make_iris_image_record(const Image& image, std::uint8_t eye,
                                       const CaptureInfo& info, const IrisEncoding& encoding) {
    if (image.channels != 1) throw RecordError("iris image record: image must be grey");
    IrisRepresentation rep;
    rep.common = common_of(info);
    rep.eye = eye;
    rep.image_type = iris_image_type::cropped;
    rep.width = dimension(image.width, "iris image width");
    rep.height = dimension(image.height, "iris image height");
    switch (encoding.codec) {
        case IrisCodec::png:
            rep.image_format = iris_image_format::mono_png;
            rep.compression_history = 1;  // lossless
            rep.image = encode_png(image);
            break;
        case IrisCodec::jp2_lossless:
            rep.image_format = iris_image_format::mono_jpeg2000;
            rep.compression_history = 1;
            rep.image = encode_jp2_lossless(image);
            break;
        case IrisCodec::jp2_lossy:
            rep.image_format = iris_image_format::mono_jpeg2000;
            rep.compression_history = 2;  // lossy
            rep.image = encode_jp2_lossy(image, encoding.jp2_target);
            break;
    }
    IrisImageRecord record;
    record.representations.push_back(std::move(rep));
    return record;
}

IrisImageRecord make_iris_image_record(const Image& image, std::uint8_t eye,
                                       const CaptureInfo& info, const iris::Segmentation& seg,
                                       const IrisEncoding& encoding) {
    IrisImageRecord record = make_iris_image_record(image, eye, info, encoding);
    if (!seg.found) return record;
    const auto px = [](double v) {
        return static_cast<std::uint16_t>(std::clamp(std::lround(v), 0L, 65535L));
    };
    IrisRepresentation& rep = record.representations.front();
    rep.iris_centre_smallest_x = px(std::floor(seg.iris.x));
    rep.iris_centre_largest_x = px(std::ceil(seg.iris.x));
    rep.iris_centre_smallest_y = px(std::floor(seg.iris.y));
    rep.iris_centre_largest_y = px(std::ceil(seg.iris.y));
    rep.iris_diameter_smallest = px(std::floor(2 * seg.iris.r));
    rep.iris_diameter_largest = px(std::ceil(2 * seg.iris.r));
    return record;
}

FaceImageRecord make_face_image_record(const Image& image, const CaptureInfo& info,
                                       const std::optional<EyeCentres>& eyes, int jpeg_quality) {
    return make_face_image_record(image, info, eyes,
                                  FaceEncoding{FaceCodec::jpeg, jpeg_quality, {}});
}

FaceImageRecord make_face_image_record(const Image& image, const CaptureInfo& info,
                                       const std::optional<EyeCentres>& eyes,
                                       const FaceEncoding& encoding) {
    FaceRepresentation rep;
    rep.common = common_of(info);
    if (eyes) {
        const auto coord = [](int v) { return static_cast<std::uint16_t>(v < 0 ? 0 : v); };
        rep.landmarks.push_back({landmark::mpeg4, landmark::left_eye_centre, coord(eyes->left_x),
                                 coord(eyes->left_y), 0});
        rep.landmarks.push_back({landmark::mpeg4, landmark::right_eye_centre, coord(eyes->right_x),
                                 coord(eyes->right_y), 0});
    }
    rep.face_image_type = face_image_type::full_frontal;
    rep.colour_space = image.channels == 3 ? face_colour_space::rgb24 : face_colour_space::grey8;
    rep.width = dimension(image.width, "face image width");
    rep.height = dimension(image.height, "face image height");
    switch (encoding.codec) {
        case FaceCodec::jpeg:
            rep.image_data_type = face_image_data_type::jpeg;
            rep.image = encode_jpeg(image, encoding.jpeg_quality);
            break;
        case FaceCodec::jp2_lossless:
            rep.image_data_type = face_image_data_type::jpeg2000_lossless;
            rep.image = encode_jp2_lossless(image);
            break;
        case FaceCodec::jp2_lossy:
            rep.image_data_type = face_image_data_type::jpeg2000_lossy;
            rep.image = encode_jp2_lossy(image, encoding.jp2_target);
            break;
    }
    FaceImageRecord record;
    record.representations.push_back(std::move(rep));
    return record;
}

}  // namespace rekam::bio
