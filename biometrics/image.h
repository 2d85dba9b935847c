// Pixels in, results out: the one image type that crosses from drivers/ into biometrics/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rekam::bio {

// An 8-bit image, row-major and tightly packed: grey (fingerprints, NIR irises) or
// interleaved RGB (face photos). `ppi` is the scan resolution when the device knows it
// (fingerprint readers: 500 or 569 ...); 0 means unknown. Code that needs a resolution
// takes it from here, never from an assumption.
struct Image {
    int width = 0;
    int height = 0;
    int channels = 1;  // 1 = grey, 3 = RGB
    double ppi = 0.0;
    std::vector<std::uint8_t> pixels;

    static Image grey(int w, int h, double ppi = 0.0, std::uint8_t fill = 0) {
        return Image{w, h, 1, ppi,
                     std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h, fill)};
    }
    static Image rgb(int w, int h, std::uint8_t fill = 0) {
        return Image{w, h, 3, 0.0,
                     std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h * 3, fill)};
    }

    bool empty() const { return width <= 0 || height <= 0 || pixels.empty(); }
    // True when the buffer really holds width x height x channels bytes.
    bool consistent() const {
        return width > 0 && height > 0 && (channels == 1 || channels == 3) &&
               pixels.size() == static_cast<std::size_t>(width) * height * channels;
    }
    std::size_t stride() const { return static_cast<std::size_t>(width) * channels; }
    std::uint8_t& at(int x, int y, int c = 0) {
        return pixels[static_cast<std::size_t>(y) * stride() +
                      static_cast<std::size_t>(x) * channels + c];
    }
    std::uint8_t at(int x, int y, int c = 0) const {
        return pixels[static_cast<std::size_t>(y) * stride() +
                      static_cast<std::size_t>(x) * channels + c];
    }
};

// Luma of an RGB image (BT.601 weights); a grey image is returned as is.
Image to_grey(const Image& image);

}  // namespace rekam::bio
