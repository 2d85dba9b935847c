#include "biometrics/image.h"

namespace rekam::bio {

Image to_grey(const Image& image) {
    if (image.channels == 1) return image;
    Image out = Image::grey(image.width, image.height, image.ppi);
    const std::size_t n = static_cast<std::size_t>(image.width) * image.height;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t* p = &image.pixels[i * 3];
        out.pixels[i] =
            static_cast<std::uint8_t>((299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000);
    }
    return out;
}

}  // namespace rekam::bio
