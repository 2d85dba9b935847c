// Records carrying JPEG 2000: built by the builders, written, parsed back by the project's
// record readers with their compression fields saying JPEG 2000, and their images decoded by
// the codec the header declares.
#include <gtest/gtest.h>

#include "biometrics/cv_image.h"
#include "biometrics/face/token.h"
#include "biometrics/records/builders.h"
#include "biometrics/records/record_image.h"
#include "fixtures.h"
#include "jp2_test_images.h"

namespace rekam::bio {
namespace {

using rekam::testing::synthetic_image;

CaptureInfo info() {
    CaptureInfo i;
    i.quality = QualityBlock{77, 0, 1};
    return i;
}

TEST(Jp2Records, FingerLosslessSaysCompression5AndIsExact) {
    auto img = synthetic_image(257, 363, 1, 21);
    img.ppi = 569;
    const auto bytes = encode(make_finger_image_record(img, 2, info(), FingerCodec::jp2_lossless));
    const auto record = decode_finger_image_record(bytes);
    const auto& rep = record.representations.at(0);
    EXPECT_EQ(rep.compression, finger_compression::jpeg2000_lossless);
    EXPECT_EQ(rep.compression, 5);
    EXPECT_EQ(rep.image_sampling_h, 569);
    const auto back = decode_record_image(rep);
    EXPECT_EQ(back.pixels, img.pixels);
    EXPECT_DOUBLE_EQ(back.ppi, 569.0);  // the resolution box agrees with the header
}

TEST(Jp2Records, FingerDefaultStaysPng) {
    const auto img = synthetic_image(40, 50, 1, 22);
    const auto rep = decode_finger_image_record(encode(make_finger_image_record(img, 1, info())))
                         .representations.at(0);
    EXPECT_EQ(rep.compression, finger_compression::png);
    EXPECT_EQ(decode_record_image(rep).pixels, img.pixels);
}

TEST(Jp2Records, IrisLosslessAndLossySayHowTheyWereCompressed) {
    const auto img = synthetic_image(320, 240, 1, 23);
    const auto lossless = decode_iris_image_record(encode(
        make_iris_image_record(img, eye_label::left, info(), {IrisCodec::jp2_lossless, {}})));
    const auto& a = lossless.representations.at(0);
    EXPECT_EQ(a.image_format, iris_image_format::mono_jpeg2000);
    EXPECT_EQ(a.compression_history, 1);
    EXPECT_EQ(decode_record_image(a).pixels, img.pixels);

    const auto lossy = decode_iris_image_record(encode(make_iris_image_record(
        img, eye_label::right, info(), {IrisCodec::jp2_lossy, Jp2Target::byte_budget(3000)})));
    const auto& b = lossy.representations.at(0);
    EXPECT_EQ(b.image_format, iris_image_format::mono_jpeg2000);
    EXPECT_EQ(b.compression_history, 2);
    EXPECT_LE(b.image.size(), 3000u);
    EXPECT_GT(psnr(img, decode_record_image(b)), 20.0);

    const auto png = decode_iris_image_record(encode(make_iris_image_record(img, 1, info())));
    EXPECT_EQ(png.representations.at(0).image_format, iris_image_format::mono_png);
}

TEST(Jp2Records, FaceImageDataTypeFollowsTheCodec) {
    const auto img = synthetic_image(240, 320, 3, 24);
    const auto build = [&](const FaceEncoding& e) {
        return decode_face_image_record(encode(make_face_image_record(img, info(), {}, e)))
            .representations.at(0);
    };
    const auto lossy = build({FaceCodec::jp2_lossy, 90, Jp2Target::byte_budget(5000)});
    EXPECT_EQ(lossy.image_data_type, face_image_data_type::jpeg2000_lossy);
    EXPECT_LE(lossy.image.size(), 5000u);
    EXPECT_GT(psnr(img, decode_record_image(lossy)), 20.0);

    const auto ratio = build({FaceCodec::jp2_lossy, 90, Jp2Target::compression_ratio(30)});
    EXPECT_EQ(ratio.image_data_type, face_image_data_type::jpeg2000_lossy);

    const auto lossless = build({FaceCodec::jp2_lossless, 90, {}});
    EXPECT_EQ(lossless.image_data_type, face_image_data_type::jpeg2000_lossless);
    EXPECT_EQ(decode_record_image(lossless).pixels, img.pixels);

    const auto jpeg =
        decode_face_image_record(encode(make_face_image_record(img, info()))).representations.at(0);
    EXPECT_EQ(jpeg.image_data_type, face_image_data_type::jpeg);
    EXPECT_EQ(decode_record_image(jpeg).channels, 3);
}

TEST(Jp2Records, TokenPortraitFitsTheCardBudget) {
    auto photo = testing::first_face();
    // Any level eye pair 60 px apart gives a 480x640 token; the budget is what is tested.
    const EyeCentres eyes{250, 130, 190, 130};
    if (photo.empty()) photo = synthetic_image(448, 296, 3, 25);
    const auto record = face::make_token_face_record(
        photo, eyes, info(), 480, {FaceCodec::jp2_lossy, 90, Jp2Target::byte_budget(4500)});
    const auto bytes = encode(record);
    const auto rep = decode_face_image_record(bytes).representations.at(0);
    EXPECT_EQ(rep.face_image_type, face_image_type::token_frontal);
    EXPECT_EQ(rep.image_data_type, face_image_data_type::jpeg2000_lossy);
    EXPECT_LE(rep.image.size(), 4500u);
    const auto back = decode_record_image(rep);
    EXPECT_EQ(back.width, 480);
    EXPECT_EQ(back.height, 640);
}

TEST(Jp2Records, HeaderAndImageMustAgree) {
    const auto img = synthetic_image(40, 50, 1, 26);
    auto rep =
        make_finger_image_record(img, 1, info(), FingerCodec::jp2_lossless).representations.at(0);
    rep.width = 41;
    EXPECT_THROW(decode_record_image(rep), RecordError);
    rep.width = 40;
    rep.compression = finger_compression::wsq;  // until rekam decodes WSQ
    EXPECT_THROW(decode_record_image(rep), RecordError);
    rep.compression = finger_compression::png;  // a JP2 file declared as PNG
    EXPECT_THROW(decode_record_image(rep), RecordError);
    rep.compression = finger_compression::uncompressed;
    rep.image = img.pixels;
    EXPECT_EQ(decode_record_image(rep).pixels, img.pixels);
}

}  // namespace
}  // namespace rekam::bio
