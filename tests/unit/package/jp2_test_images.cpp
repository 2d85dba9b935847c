#include "jp2_test_images.h"

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

}  // namespace rekam::bio::testing
