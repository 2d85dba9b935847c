// PNG and JPEG codecs: exact PNG round trips with ppi, close JPEG round trips, and hostile
// input rejected with RecordError.
#include "biometrics/records/codec.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <random>

#include "fixtures.h"

namespace rekam::bio {
namespace {

TEST(PngCodec, GreyRoundTripIsExactAndKeepsPpi) {
    auto img = testing::synthetic_image(123, 77, 1, 1);
    img.ppi = 569;
    const auto back = decode_png(encode_png(img));
    EXPECT_EQ(back.width, 123);
    EXPECT_EQ(back.height, 77);
    EXPECT_EQ(back.channels, 1);
    EXPECT_EQ(back.pixels, img.pixels);
    EXPECT_DOUBLE_EQ(back.ppi, 569.0);
}

TEST(PngCodec, RgbRoundTripIsExact) {
    const auto img = testing::synthetic_image(64, 48, 3, 2);
    const auto back = decode_png(encode_png(img));
    EXPECT_EQ(back.channels, 3);
    EXPECT_EQ(back.pixels, img.pixels);
    EXPECT_EQ(back.ppi, 0.0);
}

TEST(PngCodec, BilevelThresholdsAtMidGreyAndDecodesToBlackAndWhite) {
    auto img = testing::synthetic_image(37, 11, 1, 4);  // odd width: a part-filled last byte
    img.ppi = 203.2;
    const auto png = encode_png_bilevel(img);
    const auto back = decode_png(png);
    ASSERT_EQ(back.width, 37);
    ASSERT_EQ(back.height, 11);
    EXPECT_EQ(back.channels, 1);
    EXPECT_NEAR(back.ppi, 203.2, 0.1);
    for (std::size_t i = 0; i < img.pixels.size(); ++i)
        ASSERT_EQ(back.pixels[i], img.pixels[i] >= 128 ? 255 : 0) << i;
    EXPECT_LT(png.size(), encode_png(img).size());
    EXPECT_THROW(encode_png_bilevel(testing::synthetic_image(8, 8, 3, 1)), RecordError);
    EXPECT_THROW(encode_png_bilevel(Image{}), RecordError);
}

TEST(PngCodec, EncodingIsDeterministic) {
    const auto img = testing::synthetic_image(50, 40, 1, 3);
    EXPECT_EQ(encode_png(img), encode_png(img));
}

TEST(PngCodec, RejectsGarbageTruncationAndInconsistentImages) {
    EXPECT_THROW(decode_png(std::vector<std::uint8_t>{1, 2, 3}), RecordError);
    const auto png = encode_png(testing::synthetic_image(40, 30, 1, 4));
    for (std::size_t n : {8ul, 20ul, 33ul, png.size() / 2, png.size() - 13})
        EXPECT_THROW(decode_png(std::span(png.data(), n)), RecordError) << n;
    Image bad = Image::grey(10, 10);
    bad.pixels.resize(5);
    EXPECT_THROW(encode_png(bad), RecordError);
}

TEST(PngCodec, RejectsAbsurdDimensionsBeforeAllocating) {
    auto png = encode_png(testing::synthetic_image(16, 16, 1, 5));
    // IHDR data starts at 16: width(4) height(4). Set 100000 x 100000 and fix the CRC.
    const std::uint32_t big = 100000;
    for (int i = 0; i < 4; ++i) {
        png[16 + i] = static_cast<std::uint8_t>(big >> (24 - 8 * i));
        png[20 + i] = static_cast<std::uint8_t>(big >> (24 - 8 * i));
    }
    const auto crc = crc32(0, png.data() + 12, 17);
    for (int i = 0; i < 4; ++i) png[29 + i] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
    EXPECT_THROW(decode_png(png), RecordError);
}

TEST(PngCodec, SurvivesRandomDamage) {
    const auto png = encode_png(testing::synthetic_image(32, 32, 1, 6));
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
        auto d = png;
        d[8 + rng() % (d.size() - 8)] ^= static_cast<std::uint8_t>(1 + rng() % 255);
        try {
            decode_png(d);
        } catch (const RecordError&) {
        }
    }
}

double mean_abs_diff(const Image& a, const Image& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(a.pixels[i] - b.pixels[i]);
    return sum / static_cast<double>(a.pixels.size());
}

TEST(JpegCodec, RgbAndGreyRoundTripClosely) {
    const auto rgb = testing::synthetic_image(96, 64, 3, 8);
    const auto back = decode_jpeg(encode_jpeg(rgb, 95));
    ASSERT_EQ(back.width, 96);
    ASSERT_EQ(back.channels, 3);
    EXPECT_LT(mean_abs_diff(rgb, back), 12.0);
    const auto grey = testing::synthetic_image(64, 64, 1, 9);
    const auto gback = decode_jpeg(encode_jpeg(grey, 95));
    ASSERT_EQ(gback.channels, 1);
    EXPECT_LT(mean_abs_diff(grey, gback), 12.0);
}

TEST(JpegCodec, RejectsGarbageBadQualityAndHugeDimensions) {
    EXPECT_THROW(decode_jpeg(std::vector<std::uint8_t>{0xFF, 0xD8, 0, 0, 0}), RecordError);
    EXPECT_THROW(decode_jpeg(std::vector<std::uint8_t>(100, 0x42)), RecordError);
    const auto img = testing::synthetic_image(16, 16, 3, 10);
    EXPECT_THROW(encode_jpeg(img, 0), RecordError);
    auto jpeg = encode_jpeg(img, 80);
    // Patch the SOF0 frame size to 60000 x 60000.
    for (std::size_t i = 2; i + 8 < jpeg.size(); ++i) {
        if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
            jpeg[i + 5] = jpeg[i + 7] = 0xEA;
            jpeg[i + 6] = jpeg[i + 8] = 0x60;
            break;
        }
    }
    EXPECT_THROW(decode_jpeg(jpeg), RecordError);
    EXPECT_THROW(decode_jpeg(std::span(jpeg.data(), jpeg.size() / 2)), RecordError);
}

}  // namespace
}  // namespace rekam::bio
