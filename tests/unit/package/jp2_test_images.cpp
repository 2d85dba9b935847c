#include "jp2_test_images.h"

#include <cmath>
#include <stdexcept>

namespace rekam::bio::testing {

std::vector<std::pair<std::string, Image>> real_images() {
    std::vector<std::pair<std::string, Image>> out;
    const auto add = [&](const std::string& name, Image img) {
        if (!img.empty()) out.emplace_back(name, std::move(img));
    };
    add("fvc2002_db1_b/101_1.tif",
        load_grey(shared_data() / "fingerprint/fvc2002_db1_b/101_1.tif", 500));
    add("casia_irisv2/0000_000.bmp", load_grey(shared_data() / "iris/casia_irisv2/0000_000.bmp"));
    add("caltech_faces_1999/image_0001.jpg", first_face());
    return out;
}

Image first_face() { return load_rgb(shared_data() / "face/caltech_faces_1999/image_0001.jpg"); }

double psnr(const Image& a, const Image& b) {
    if (a.pixels.size() != b.pixels.size() || a.pixels.empty())
        throw std::invalid_argument("psnr: images differ in size");
    double sum = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) {
        const double d = static_cast<double>(a.pixels[i]) - b.pixels[i];
        sum += d * d;
    }
    if (sum == 0) return 99.0;
    return 10.0 * std::log10(255.0 * 255.0 * a.pixels.size() / sum);
}

}  // namespace rekam::bio::testing
