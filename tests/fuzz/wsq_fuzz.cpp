// libFuzzer target: the WSQ decoder must return an image of the frame's size or throw
// RecordError. What it decodes must survive our encoder and decode again to the same size.
// Frames are capped at 512 x 512 pixels: a 659-byte file can declare a flat 4096 x 2048 frame,
// which the sanitised build takes 7.4 s to reconstruct, close to libFuzzer's 10 s per input
// (the same code as a small frame, only longer). Re-encoding is for frames up to 256 x 256.
#include <cstdint>
#include <cstdlib>

#include "biometrics/records/record_error.h"
#include "biometrics/records/wsq_codec.h"

namespace {
constexpr long long kMaxPixels = 512 * 512;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    rekam::bio::Image image;
    try {
        image = rekam::bio::decode_wsq({data, size}, kMaxPixels);
    } catch (const rekam::bio::RecordError&) {
        return 0;
    }
    if (!image.consistent() || image.channels != 1) std::abort();
    if (image.pixels.size() > 256 * 256) return 0;
    const auto again = rekam::bio::decode_wsq(rekam::bio::encode_wsq(image, 2.25));
    if (again.width != image.width || again.height != image.height) std::abort();
    return 0;
}
