#include "tools/rekam-eval/dataset.h"

#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <regex>
#include <stdexcept>

namespace rekam::eval {

std::vector<LabelledImage> load_fvc_layout(const std::filesystem::path& dir, double ppi) {
    static const std::regex kName(R"(([A-Za-z0-9]+)_([0-9]+)\.(tif|tiff|png|bmp|pgm))",
                                  std::regex::icase);
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec) throw std::runtime_error("cannot read " + dir.string() + ": " + ec.message());
    std::vector<LabelledImage> out;
    for (const auto& entry : it) {
        const std::string file = entry.path().filename().string();
        std::smatch m;
        if (!entry.is_regular_file() || !std::regex_match(file, m, kName)) continue;
        const cv::Mat grey = cv::imread(entry.path().string(), cv::IMREAD_GRAYSCALE);
        if (grey.empty() || !grey.isContinuous())
            throw std::runtime_error("cannot decode " + entry.path().string());
        out.push_back({entry.path().stem().string(), m[1].str(),
                       bio::Image{grey.cols, grey.rows, 1, ppi,
                                  std::vector<std::uint8_t>(grey.datastart, grey.dataend)}});
    }
    std::sort(out.begin(), out.end(),
              [](const LabelledImage& a, const LabelledImage& b) { return a.name < b.name; });
    return out;
}

}  // namespace rekam::eval
