#include "test_images.h"

#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace rekam::bio::testing {

std::filesystem::path shared_data() { return REKAM_SHARED_DATA_DIR; }

std::vector<std::filesystem::path> files_in(const std::string& folder,
                                            const std::vector<std::string>& exts) {
    std::vector<std::filesystem::path> out;
    const auto dir = shared_data() / folder;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return out;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        const auto ext = e.path().extension().string();
        if (std::find(exts.begin(), exts.end(), ext) != exts.end()) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

cv::Mat as_mat(const Image& image) {
    return cv::Mat(image.height, image.width, CV_8UC(image.channels),
                   const_cast<std::uint8_t*>(image.pixels.data()));
}

Image from_mat(const cv::Mat& mat, double ppi) {
    const cv::Mat m = mat.isContinuous() ? mat : mat.clone();
    Image out{m.cols, m.rows, m.channels(), ppi,
              std::vector<std::uint8_t>(m.data, m.data + m.total() * m.elemSize())};
    return out;
}

Image load_grey(const std::filesystem::path& file, double ppi) {
    const cv::Mat m = cv::imread(file.string(), cv::IMREAD_GRAYSCALE);
    return m.empty() ? Image{} : from_mat(m, ppi);
}

Image load_rgb(const std::filesystem::path& file) {
    const cv::Mat bgr = cv::imread(file.string(), cv::IMREAD_COLOR);
    if (bgr.empty()) return Image{};
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return from_mat(rgb);
}

Image blurred(const Image& image, double sigma) {
    cv::Mat out;
    cv::GaussianBlur(as_mat(image), out, cv::Size(), sigma);
    return from_mat(out, image.ppi);
}

Image scaled_grey(const Image& image, double gain, double offset) {
    cv::Mat out;
    as_mat(image).convertTo(out, -1, gain, offset);  // saturating
    return from_mat(out, image.ppi);
}

Image shifted(const Image& image, int dx, int dy, std::uint8_t fill) {
    cv::Mat out;
    const cv::Mat t = (cv::Mat_<double>(2, 3) << 1, 0, dx, 0, 1, dy);
    cv::warpAffine(as_mat(image), out, t, as_mat(image).size(), cv::INTER_NEAREST,
                   cv::BORDER_CONSTANT, cv::Scalar::all(fill));
    return from_mat(out, image.ppi);
}

Image in_corner(const Image& image, double fraction, std::uint8_t fill) {
    const cv::Mat src = as_mat(image);
    cv::Mat out(src.size(), src.type(), cv::Scalar::all(fill));
    // Keep the print's own scale: copy a central crop of the print into the corner.
    const int w = static_cast<int>(src.cols * fraction), h = static_cast<int>(src.rows * fraction);
    src(cv::Rect((src.cols - w) / 2, (src.rows - h) / 2, w, h)).copyTo(out(cv::Rect(0, 0, w, h)));
    return from_mat(out, image.ppi);
}

Image occluded(const Image& image, cv::Rect box, std::uint8_t fill) {
    cv::Mat out = as_mat(image).clone();
    cv::rectangle(out, box & cv::Rect(0, 0, out.cols, out.rows), cv::Scalar::all(fill), cv::FILLED);
    return from_mat(out, image.ppi);
}

Image noise(int width, int height, int channels, unsigned seed) {
    cv::Mat out(height, width, CV_8UC(channels));
    cv::RNG rng(seed);
    rng.fill(out, cv::RNG::UNIFORM, 0, 256);
    return from_mat(out);
}

}  // namespace rekam::bio::testing
