#include "tools/rekam-eval/dataset.h"

#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <regex>
#include <stdexcept>

namespace rekam::eval {
namespace {

const std::regex kImageFile(R"(.+\.(tif|tiff|png|bmp|pgm|jpg|jpeg))", std::regex::icase);
const std::regex kLabelledFile(R"(([A-Za-z0-9]+)_([0-9]+)\.(tif|tiff|png|bmp|pgm))",
                               std::regex::icase);

std::filesystem::directory_iterator open_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec) throw std::runtime_error("cannot read " + dir.string() + ": " + ec.message());
    return it;
}

bio::Image read_grey(const std::filesystem::path& file, double ppi) {
    const cv::Mat grey = cv::imread(file.string(), cv::IMREAD_GRAYSCALE);
    if (grey.empty() || !grey.isContinuous())
        throw std::runtime_error("cannot decode " + file.string());
    return bio::Image{grey.cols, grey.rows, 1, ppi,
                      std::vector<std::uint8_t>(grey.datastart, grey.dataend)};
}

void sort_by_name(std::vector<LabelledImage>& images) {
    std::sort(images.begin(), images.end(),
              [](const LabelledImage& a, const LabelledImage& b) { return a.name < b.name; });
}

}  // namespace

std::vector<LabelledImage> load_fvc_layout(const std::filesystem::path& dir, double ppi) {
    std::vector<LabelledImage> out;
    for (const auto& entry : open_dir(dir)) {
        const std::string file = entry.path().filename().string();
        std::smatch m;
        if (!entry.is_regular_file() || !std::regex_match(file, m, kLabelledFile)) continue;
        out.push_back({entry.path().stem().string(), m[1].str(), read_grey(entry.path(), ppi)});
    }
    sort_by_name(out);
    return out;
}

std::vector<LabelledImage> load_eye_layout(const std::filesystem::path& dir) {
    std::vector<LabelledImage> out;
    for (const auto& entry : open_dir(dir)) {
        const std::string file = entry.path().filename().string();
        if (entry.is_directory()) {
            for (const auto& inner : open_dir(entry.path())) {
                const std::string name = inner.path().filename().string();
                if (inner.is_regular_file() && std::regex_match(name, kImageFile))
                    out.push_back({file + "/" + inner.path().stem().string(), file,
                                   read_grey(inner.path(), 0)});
            }
            continue;
        }
        std::smatch m;
        if (entry.is_regular_file() && std::regex_match(file, m, kLabelledFile))
            out.push_back({entry.path().stem().string(), m[1].str(), read_grey(entry.path(), 0)});
    }
    sort_by_name(out);
    return out;
}

}  // namespace rekam::eval
