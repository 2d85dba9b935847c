#include "biometrics/records/record_image.h"

#include <string>

#include "biometrics/records/codec.h"
#include "biometrics/records/wsq_codec.h"

namespace rekam::bio {

namespace {

// The header is the record's promise about its image: a mismatch means the two were not made
// together, and a viewer or verifier must not show one as the other.
Image checked(Image image, const char* what, std::uint16_t width, std::uint16_t height,
              int channels) {
    if (image.width != width || image.height != height || image.channels != channels)
        throw RecordError(std::string(what) + ": header says " + std::to_string(width) + "x" +
                          std::to_string(height) + "x" + std::to_string(channels) +
                          ", image data is " + std::to_string(image.width) + "x" +
                          std::to_string(image.height) + "x" + std::to_string(image.channels));
    return image;
}

Image raw_image(std::span<const std::uint8_t> data, const char* what, std::uint16_t width,
                std::uint16_t height, int channels) {
    const std::size_t size = std::size_t{width} * height * channels;
    if (width == 0 || height == 0 || data.size() != size)
        throw RecordError(std::string(what) + ": uncompressed image holds " +
                          std::to_string(data.size()) + " bytes, header needs " +
                          std::to_string(size));
    return Image{width, height, channels, 0.0, {data.begin(), data.end()}};
}

[[noreturn]] void unsupported(const char* what, unsigned code) {
    throw RecordError(std::string(what) + ": image codec " + std::to_string(code) +
                      " cannot be decoded by rekam");
}

}  // namespace

Image decode_record_image(const FingerRepresentation& rep) {
    static constexpr const char* what = "finger image record";
    if (rep.bit_depth != 8)
        throw RecordError(std::string(what) + ": bit depth " + std::to_string(rep.bit_depth) +
                          " (only 8)");
    Image image;
    switch (rep.compression) {
        case finger_compression::uncompressed:
            image = raw_image(rep.image, what, rep.width, rep.height, 1);
            break;
        case finger_compression::png:
            image = decode_png(rep.image);
            break;
        case finger_compression::jpeg:
            image = decode_jpeg(rep.image);
            break;
        case finger_compression::jpeg2000_lossy:
        case finger_compression::jpeg2000_lossless:
            image = decode_jp2(rep.image);
            break;
        case finger_compression::wsq:
            // The header's size caps what the WSQ frame may claim: a record never decodes to more.
            image = decode_wsq(rep.image, static_cast<long long>(rep.width) * rep.height);
            break;
        default:
            unsupported(what, rep.compression);
    }
    image = checked(std::move(image), what, rep.width, rep.height, 1);
    if (image.ppi <= 0 && rep.image_sampling_h > 0 && rep.image_sampling_h == rep.image_sampling_v)
        image.ppi = rep.scale_units == 2 ? rep.image_sampling_h * 2.54 : rep.image_sampling_h;
    return image;
}

Image decode_record_image(const IrisRepresentation& rep) {
    static constexpr const char* what = "iris image record";
    Image image;
    int channels = 1;
    switch (rep.image_format) {
        case iris_image_format::rgb_raw:
            channels = 3;
            [[fallthrough]];
        case iris_image_format::mono_raw:
            image = raw_image(rep.image, what, rep.width, rep.height, channels);
            break;
        case iris_image_format::rgb_jpeg:
            channels = 3;
            [[fallthrough]];
        case iris_image_format::mono_jpeg:
            image = decode_jpeg(rep.image);
            break;
        case iris_image_format::rgb_jpeg2000:
            channels = 3;
            [[fallthrough]];
        case iris_image_format::mono_jpeg2000:
            image = decode_jp2(rep.image);
            break;
        case iris_image_format::rgb_png:
            channels = 3;
            [[fallthrough]];
        case iris_image_format::mono_png:
            image = decode_png(rep.image);
            break;
        default:
            unsupported(what, rep.image_format);
    }
    return checked(std::move(image), what, rep.width, rep.height, channels);
}

Image decode_record_image(const FaceRepresentation& rep) {
    static constexpr const char* what = "face image record";
    Image image;
    switch (rep.image_data_type) {
        case face_image_data_type::jpeg:
            image = decode_jpeg(rep.image);
            break;
        case face_image_data_type::jpeg2000_lossy:
        case face_image_data_type::jpeg2000_lossless:
            image = decode_jp2(rep.image);
            break;
        case face_image_data_type::png:
            image = decode_png(rep.image);
            break;
        default:
            unsupported(what, rep.image_data_type);
    }
    // The colour space field is advisory (often "unspecified"): only the size is checked.
    const int channels = image.channels;
    return checked(std::move(image), what, rep.width, rep.height, channels);
}

}  // namespace rekam::bio
