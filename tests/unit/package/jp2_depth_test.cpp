// decode_jp2 on codestreams rekam's encoder never writes but other encoders do: component
// precisions other than 8 bits, scaled to 8. The files are made with OpenJPEG directly.
#include <gtest/gtest.h>
#include <openjpeg.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "biometrics/records/codec.h"

namespace rekam::bio {
namespace {

// A lossless J2K codestream of a w x h grey image of `prec` bits holding value(x, y).
template <typename F>
std::vector<std::uint8_t> j2k_of_precision(int w, int h, int prec, F value) {
    opj_image_cmptparm_t param{};
    param.dx = param.dy = 1;
    param.w = static_cast<OPJ_UINT32>(w);
    param.h = static_cast<OPJ_UINT32>(h);
    param.prec = static_cast<OPJ_UINT32>(prec);
    std::unique_ptr<opj_image_t, void (*)(opj_image_t*)> image(
        opj_image_create(1, &param, OPJ_CLRSPC_GRAY), opj_image_destroy);
    image->x1 = param.w;
    image->y1 = param.h;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) image->comps[0].data[y * w + x] = value(x, y);
    opj_cparameters_t params;
    opj_set_default_encoder_parameters(&params);
    params.numresolution = 3;
    std::unique_ptr<opj_codec_t, void (*)(opj_codec_t*)> codec(opj_create_compress(OPJ_CODEC_J2K),
                                                               opj_destroy_codec);
    EXPECT_TRUE(opj_setup_encoder(codec.get(), &params, image.get()));
    const auto path = std::filesystem::temp_directory_path() /
                      ("rekam-jp2-depth-" + std::to_string(getpid()) + ".j2k");
    {
        std::unique_ptr<opj_stream_t, void (*)(opj_stream_t*)> stream(
            opj_stream_create_default_file_stream(path.c_str(), OPJ_FALSE), opj_stream_destroy);
        EXPECT_TRUE(opj_start_compress(codec.get(), image.get(), stream.get()) &&
                    opj_encode(codec.get(), stream.get()) &&
                    opj_end_compress(codec.get(), stream.get()));
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    std::filesystem::remove(path);
    return bytes;
}

TEST(Jp2Depth, TwelveBitsKeepTheTopEight) {
    const auto value = [](int x, int y) { return (x * 200 + y * 37) % 4096; };
    const Image img = decode_jp2(j2k_of_precision(20, 9, 12, value));
    ASSERT_EQ(img.channels, 1);
    for (int y = 0; y < 9; ++y)
        for (int x = 0; x < 20; ++x) EXPECT_EQ(img.at(x, y), value(x, y) >> 4) << x << "," << y;
}

TEST(Jp2Depth, FourBitsStretchToTheFullRange) {
    const auto value = [](int x, int y) { return (x + y) % 16; };
    const Image img = decode_jp2(j2k_of_precision(16, 4, 4, value));
    for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 16; ++x)
            EXPECT_EQ(img.at(x, y), (value(x, y) * 255 + 7) / 15) << x << "," << y;
    EXPECT_EQ(img.at(15, 0), 255);
    EXPECT_EQ(img.at(0, 0), 0);
}

}  // namespace
}  // namespace rekam::bio
