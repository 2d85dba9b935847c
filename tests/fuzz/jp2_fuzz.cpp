// libFuzzer target: the JPEG 2000 decoder (JP2 files and raw codestreams, through OpenJPEG)
// must return a consistent image or throw RecordError, and a small image it decodes must come
// back unchanged through the lossless encoder.
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "biometrics/records/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rekam::bio;
    Image image;
    try {
        image = decode_jp2({data, size});
    } catch (const RecordError&) {
        return 0;
    }
    if (!image.consistent()) std::abort();
    // Re-encoding is the slow part and not what is fuzzed: only for small images.
    if (image.pixels.size() > 4096) return 0;
    try {
        const Image again = decode_jp2(encode_jp2_lossless(image));
        if (again.pixels != image.pixels || again.channels != image.channels) std::abort();
        // The resolution box stores ppi in steps of 0.02 up to 1310 ppi, coarser above.
        if (std::abs(again.ppi - image.ppi) > 0.1 + image.ppi * 1e-3) std::abort();
    } catch (const RecordError&) {
        // Only a ppi the box cannot hold (over 65535) may refuse re-encoding.
        if (image.ppi <= 65535) std::abort();
    }
    return 0;
}
