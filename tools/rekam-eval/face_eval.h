// `rekam-eval face`: every photo of a folder through the daemon's own face analysis (detection,
// eye centres, every ICAO / e-KTP check), with a contact sheet that shows what was found.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "biometrics/face/quality.h"

namespace rekam::eval {

struct FacePhoto {
    std::string file;  // the file's name in the folder
    int faces = 0;
    int score = 0;
    std::vector<bio::face::FaceCheck> checks;
};

struct FaceReport {
    std::vector<FacePhoto> photos;
    double ms_per_frame = 0;  // analyse_face(), CPU time on this thread

    nlohmann::json to_json() const;
    std::string to_text(const std::string& set) const;
};

// Every .jpg/.jpeg/.png/.bmp of `dir` in name order. Throws std::runtime_error naming the file
// when one cannot be decoded, and when `sheet` is not empty and cannot be written: there, a
// contact sheet with each photo's face box (green), eye centres (red) and the ISO/IEC 19794-5
// token crop (blue), a failed check's name under the photo.
FaceReport evaluate_faces(const std::filesystem::path& dir, const std::string& sheet);

}  // namespace rekam::eval
