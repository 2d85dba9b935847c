// iris-overlay: draw the iris segmentation and quality over a frame into a PNG.
//   iris-overlay INPUT OUTPUT.png          any image OpenCV reads (BMP, PNG, JPEG, PGM ...)
//   iris-overlay --sim SUBJECT EYE INDEX OUTPUT.png   a simulated eye (EYE: right | left)
// Exit codes: 0 drawn (an eye was found), 1 drawn but no eye found, 2 usage or unreadable input.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

#include "drivers/sim/synth/iris_synth.h"
#include "overlay.h"

namespace {

int usage() {
    std::fprintf(stderr,
                 "usage: iris-overlay INPUT OUTPUT.png\n"
                 "       iris-overlay --sim SUBJECT right|left INDEX OUTPUT.png\n");
    return 2;
}

rekam::bio::Image load(const std::string& path) {
    const cv::Mat m = cv::imread(path, cv::IMREAD_GRAYSCALE);
    if (m.empty()) return {};
    rekam::bio::Image img = rekam::bio::Image::grey(m.cols, m.rows);
    for (int y = 0; y < m.rows; ++y)
        std::copy(m.ptr<std::uint8_t>(y), m.ptr<std::uint8_t>(y) + m.cols,
                  img.pixels.begin() + static_cast<std::ptrdiff_t>(y) * m.cols);
    return img;
}

}  // namespace

int main(int argc, char** argv) try {
    rekam::bio::Image image;
    std::string output;
    if (argc == 3) {
        image = load(argv[1]);
        if (image.empty()) {
            std::fprintf(stderr, "iris-overlay: cannot read an image from %s\n", argv[1]);
            return 2;
        }
        output = argv[2];
    } else if (argc == 6 && std::string(argv[1]) == "--sim") {
        const std::string eye = argv[3];
        if (eye != "right" && eye != "left") return usage();
        const rekam::sim::IrisSynth synth(argv[2]);
        rekam::sim::Impression imp;
        imp.index = static_cast<std::uint32_t>(std::strtoul(argv[4], nullptr, 10));
        image =
            synth.impression(eye == "left" ? rekam::sim::Eye::Left : rekam::sim::Eye::Right, imp);
        output = argv[5];
    } else {
        return usage();
    }
    const auto eyes = rekam::bio::iris::analyse_pair(image);
    const cv::Mat picture = rekam::tools::draw_overlay(image, eyes);
    if (!cv::imwrite(output, picture)) {
        std::fprintf(stderr, "iris-overlay: cannot write %s\n", output.c_str());
        return 2;
    }
    for (const auto* a : {&eyes.right, &eyes.left}) {
        if (!*a) continue;
        const auto& s = (*a)->segmentation;
        std::printf("%s pupil %.1f %.1f r %.1f iris %.1f %.1f r %.1f score %d\n",
                    a == &eyes.right ? "right" : "left", s.pupil.x, s.pupil.y, s.pupil.r, s.iris.x,
                    s.iris.y, s.iris.r, (*a)->quality.score);
        for (const auto& [name, value] : (*a)->quality.measures)
            std::printf("  %s %.2f\n", name.c_str(), value);
        for (const auto& f : (*a)->quality.feedback) std::printf("  feedback %s\n", f.c_str());
    }
    return eyes.right || eyes.left ? 0 : 1;
} catch (const std::exception& e) {
    std::fprintf(stderr, "iris-overlay: %s\n", e.what());
    return 2;
}
