// A folder of prints in the FVC layout: <finger>_<impression>.<tif|tiff|png|bmp|pgm>, where the
// same <finger> means the same finger.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "biometrics/image.h"

namespace rekam::eval {

struct LabelledImage {
    std::string name;    // the file's stem, e.g. "101_3"
    std::string finger;  // "101"
    bio::Image image;
};

// Every image of the folder in name order, at `ppi`. Throws std::runtime_error naming the file
// when the folder cannot be read or an image in it cannot be decoded: an evaluation that skipped
// prints would report rates for a set it did not measure.
std::vector<LabelledImage> load_fvc_layout(const std::filesystem::path& dir, double ppi);

// Eye images, labelled by eye (`finger` holds the eye): either one folder per eye (every image
// inside, any name; IIT Delhi's layout) or `<eye>_<n>` file names in the folder itself
// (CASIA's). Throws like load_fvc_layout.
std::vector<LabelledImage> load_eye_layout(const std::filesystem::path& dir);

}  // namespace rekam::eval
