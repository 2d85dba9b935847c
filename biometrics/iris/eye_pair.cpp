#include "biometrics/iris/eye_pair.h"

#include "biometrics/cv_image.h"

namespace rekam::bio::iris {
namespace {

Image crop(const Image& image, int x0, int width) {
    Image out{width, image.height, image.channels, image.ppi, {}};
    out.pixels.reserve(static_cast<std::size_t>(width) * image.height * image.channels);
    for (int y = 0; y < image.height; ++y) {
        const auto* row = image.pixels.data() + static_cast<std::size_t>(y) * image.stride() +
                          static_cast<std::size_t>(x0) * image.channels;
        out.pixels.insert(out.pixels.end(), row,
                          row + static_cast<std::size_t>(width) * image.channels);
    }
    return out;
}

std::optional<Analysis> found(Analysis a) {
    if (!a.segmentation.found) return std::nullopt;
    return a;
}

}  // namespace

EyePair analyse_pair(const Image& image, bool single_is_left) {
    EyePair pair;
    if (image.pixels.empty()) return pair;
    require_consistent(image, "iris pair");
    if (image.width * 10 < image.height * 16) {
        (single_is_left ? pair.left : pair.right) = found(analyse(image));
        return pair;
    }
    const int half = image.width / 2;
    pair.right = found(analyse(crop(image, 0, half)));
    pair.left = found(analyse(crop(image, half, image.width - half)));
    pair.left_offset_x = half;
    return pair;
}

}  // namespace rekam::bio::iris
