// Test-only helpers: load shared data with OpenCV imgcodecs and degrade images in known ways.
// Biometrics itself never reads files; these stay in the tests.
#pragma once

#include <filesystem>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "biometrics/image.h"

namespace rekam::bio::testing {

std::filesystem::path shared_data();
// Files under shared_data()/folder whose names end in one of `exts`, sorted.
std::vector<std::filesystem::path> files_in(const std::string& folder,
                                            const std::vector<std::string>& exts);

// Grey (fingerprint, iris) or RGB (face); an empty Image when the file cannot be read.
Image load_grey(const std::filesystem::path& file, double ppi = 0.0);
Image load_rgb(const std::filesystem::path& file);

cv::Mat as_mat(const Image& image);                    // a view, no copy
Image from_mat(const cv::Mat& mat, double ppi = 0.0);  // CV_8UC1 or CV_8UC3 (RGB order)

// Degradations, each a pure function of the input.
Image blurred(const Image& image, double sigma);
Image scaled_grey(const Image& image, double gain, double offset = 0.0);  // v*gain+offset, clipped
Image shifted(const Image& image, int dx, int dy, std::uint8_t fill);     // content moves, fill in
Image in_corner(const Image& image, double fraction, std::uint8_t fill);  // shrink into top-left
Image occluded(const Image& image, cv::Rect box, std::uint8_t fill);
Image noise(int width, int height, int channels, unsigned seed);

}  // namespace rekam::bio::testing
