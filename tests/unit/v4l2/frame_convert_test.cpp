// The V4L2 backend's pure parts: mode choice per role and buffer -> image conversion.
#include "drivers/v4l2/frame_convert.h"

#include <gtest/gtest.h>
#include <linux/videodev2.h>
#include <turbojpeg.h>

namespace rekam::drivers::v4l2 {
namespace {

TEST(ChooseMode, IrisPrefersGreyAtItsLargestSize) {
    const std::vector<Mode> modes = {{V4L2_PIX_FMT_MJPEG, 1920, 1080, 30},
                                     {V4L2_PIX_FMT_GREY, 320, 240, 60},
                                     {V4L2_PIX_FMT_GREY, 640, 480, 30},
                                     {V4L2_PIX_FMT_YUYV, 1280, 720, 10}};
    const auto m = choose_mode(DeviceKind::Iris, modes);
    ASSERT_TRUE(m);
    EXPECT_EQ(describe(*m), "GREY 640x480@30");
}

TEST(ChooseMode, FacePrefersMjpegAndFallsBackToYuyv) {
    std::vector<Mode> modes = {{V4L2_PIX_FMT_YUYV, 640, 480, 30},
                               {V4L2_PIX_FMT_MJPEG, 1920, 1080, 30}};
    EXPECT_EQ(describe(*choose_mode(DeviceKind::Face, modes)), "MJPG 1920x1080@30");
    modes.pop_back();
    EXPECT_EQ(describe(*choose_mode(DeviceKind::Face, modes)), "YUYV 640x480@30");
}

TEST(ChooseMode, NoUsableFormatIsEmpty) {
    EXPECT_FALSE(choose_mode(DeviceKind::Face, {{V4L2_PIX_FMT_H264, 1920, 1080, 30}}));
    EXPECT_FALSE(choose_mode(DeviceKind::Iris, {}));
}

TEST(ToImage, GreyHonoursTheStride) {
    JpegDecoder jpeg;
    std::vector<std::uint8_t> buf(8 * 2, 0);
    for (int x = 0; x < 4; ++x) buf[x] = static_cast<std::uint8_t>(10 + x), buf[8 + x] = 50;
    const auto img =
        to_image({V4L2_PIX_FMT_GREY, 4, 2, 0}, 8, buf.data(), buf.size(), DeviceKind::Iris, jpeg);
    ASSERT_TRUE(img.consistent());
    EXPECT_EQ(img.channels, 1);
    EXPECT_EQ(img.at(3, 0), 13);
    EXPECT_EQ(img.at(0, 1), 50);
}

TEST(ToImage, ShortBufferIsAnError) {
    JpegDecoder jpeg;
    std::vector<std::uint8_t> buf(10);
    EXPECT_THROW(
        to_image({V4L2_PIX_FMT_YUYV, 4, 2, 0}, 0, buf.data(), buf.size(), DeviceKind::Face, jpeg),
        std::runtime_error);
}

TEST(ToImage, YuyvGivesRgbForTheFaceAndLumaForTheIris) {
    JpegDecoder jpeg;
    // Two pixels of pure grey (U = V = 128) and two of saturated red-ish chroma.
    const std::vector<std::uint8_t> buf = {100, 128, 100, 128, 82, 90, 82, 240};
    const Mode m{V4L2_PIX_FMT_YUYV, 4, 1, 0};
    const auto rgb = to_image(m, 0, buf.data(), buf.size(), DeviceKind::Face, jpeg);
    EXPECT_EQ(rgb.channels, 3);
    EXPECT_EQ(rgb.at(0, 0, 0), 100);
    EXPECT_EQ(rgb.at(0, 0, 2), 100);
    EXPECT_GT(rgb.at(2, 0, 0), 200);  // V high: red
    EXPECT_LT(rgb.at(2, 0, 1), 82);
    const auto grey = to_image(m, 0, buf.data(), buf.size(), DeviceKind::Iris, jpeg);
    EXPECT_EQ(grey.channels, 1);
    EXPECT_EQ(grey.at(2, 0), 82);
}

TEST(ToImage, Rgb24KeepsColourForTheFaceAndGivesLumaForTheIris) {
    JpegDecoder jpeg;
    // Two pixels per line (red, white) and two padding bytes, as a stride would leave.
    const std::vector<std::uint8_t> buf = {255, 0, 0,   255, 255, 255, 9, 9,
                                           0,   0, 255, 0,   0,   0,   9, 9};
    const Mode m{V4L2_PIX_FMT_RGB24, 2, 2, 0};
    const auto rgb = to_image(m, 8, buf.data(), buf.size(), DeviceKind::Face, jpeg);
    ASSERT_TRUE(rgb.consistent());
    EXPECT_EQ(rgb.at(0, 0, 0), 255);
    EXPECT_EQ(rgb.at(0, 0, 1), 0);
    EXPECT_EQ(rgb.at(0, 1, 2), 255);
    const auto grey = to_image(m, 8, buf.data(), buf.size(), DeviceKind::Iris, jpeg);
    EXPECT_EQ(grey.channels, 1);
    EXPECT_NEAR(grey.at(0, 0), 76, 1);  // BT.601 luma of pure red
    EXPECT_NEAR(grey.at(1, 0), 254, 1);
    EXPECT_EQ(grey.at(1, 1), 0);
    EXPECT_THROW(to_image(m, 8, buf.data(), 10, DeviceKind::Face, jpeg), std::runtime_error);
}

TEST(ToImage, MjpegDecodesWithLibjpegTurbo) {
    auto src = bio::Image::rgb(64, 48);
    for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x) src.at(x, y, 0) = static_cast<std::uint8_t>(x * 4);
    tjhandle tj = tjInitCompress();
    unsigned char* out = nullptr;
    unsigned long size = 0;
    ASSERT_EQ(
        tjCompress2(tj, src.pixels.data(), 64, 0, 48, TJPF_RGB, &out, &size, TJSAMP_444, 95, 0), 0);
    JpegDecoder jpeg;
    const auto img =
        to_image({V4L2_PIX_FMT_MJPEG, 64, 48, 0}, 0, out, size, DeviceKind::Face, jpeg);
    tjFree(out);
    tjDestroy(tj);
    ASSERT_TRUE(img.consistent());
    EXPECT_NEAR(img.at(40, 20, 0), 160, 6);
    EXPECT_NEAR(img.at(40, 20, 1), 0, 6);
    const std::vector<std::uint8_t> junk(100, 0x55);
    EXPECT_THROW(jpeg.decode(junk.data(), junk.size(), 3), std::runtime_error);
}

}  // namespace
}  // namespace rekam::drivers::v4l2
