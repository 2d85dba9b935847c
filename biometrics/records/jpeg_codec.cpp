// JPEG through TurboJPEG's 2.x API (Debian 12 ships 2.1): no longjmp leaks into C++,
// errors come back as return codes with a per-handle message.
#include <turbojpeg.h>

#include <memory>
#include <string>

#include "biometrics/records/codec.h"

namespace rekam::bio {

namespace {

struct TjDeleter {
    void operator()(void* h) const { tjDestroy(h); }
};
using TjHandle = std::unique_ptr<void, TjDeleter>;
struct TjBufferDeleter {
    void operator()(unsigned char* p) const { tjFree(p); }
};

[[noreturn]] void fail(const char* op, void* handle) {
    throw RecordError(std::string(op) + ": " + tjGetErrorStr2(handle));
}

}  // namespace

std::vector<std::uint8_t> encode_jpeg(const Image& image, int quality) {
    if (!image.consistent()) throw RecordError("encode_jpeg: image is empty or inconsistent");
    if (quality < 1 || quality > 100)
        throw RecordError("encode_jpeg: quality " + std::to_string(quality) + " is not 1-100");
    TjHandle tj(tjInitCompress());
    if (!tj) throw RecordError(std::string("encode_jpeg: ") + tjGetErrorStr2(nullptr));
    unsigned char* raw = nullptr;
    unsigned long size = 0;
    const bool grey = image.channels == 1;
    const int rc = tjCompress2(tj.get(), image.pixels.data(), image.width, 0, image.height,
                               grey ? TJPF_GRAY : TJPF_RGB, &raw, &size,
                               grey ? TJSAMP_GRAY : TJSAMP_420, quality, TJFLAG_ACCURATEDCT);
    std::unique_ptr<unsigned char, TjBufferDeleter> owned(raw);
    if (rc != 0) fail("encode_jpeg", tj.get());
    return {raw, raw + size};
}

Image decode_jpeg(std::span<const std::uint8_t> jpeg) {
    if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        throw RecordError("decode_jpeg: not a JPEG file (no SOI marker at offset 0)");
    TjHandle tj(tjInitDecompress());
    if (!tj) throw RecordError(std::string("decode_jpeg: ") + tjGetErrorStr2(nullptr));
    int width = 0, height = 0, subsamp = 0, colourspace = 0;
    if (tjDecompressHeader3(tj.get(), jpeg.data(), static_cast<unsigned long>(jpeg.size()), &width,
                            &height, &subsamp, &colourspace) != 0)
        fail("decode_jpeg: header", tj.get());
    if (width <= 0 || height <= 0 || width > kMaxImageDimension || height > kMaxImageDimension)
        throw RecordError("decode_jpeg: dimensions " + std::to_string(width) + "x" +
                          std::to_string(height) + " outside 1-" +
                          std::to_string(kMaxImageDimension));
    const bool grey = colourspace == TJCS_GRAY;
    Image image{width, height, grey ? 1 : 3, 0.0, {}};
    image.pixels.resize(static_cast<std::size_t>(width) * height * image.channels);
    if (tjDecompress2(tj.get(), jpeg.data(), static_cast<unsigned long>(jpeg.size()),
                      image.pixels.data(), width, 0, height, grey ? TJPF_GRAY : TJPF_RGB,
                      TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING) != 0)
        fail("decode_jpeg", tj.get());
    return image;
}

}  // namespace rekam::bio
