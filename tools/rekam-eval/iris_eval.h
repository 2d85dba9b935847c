// `rekam-eval iris`: every eye image of a set through the daemon's own path (segmentation,
// quality, iris code), every pair of images through the fractional Hamming distance, and the
// figures that say how well the codes separate eyes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tools/rekam-eval/dataset.h"

namespace rekam::eval {

struct IrisReport {
    std::size_t eyes = 0, images = 0, segmentation_failures = 0;
    std::vector<std::string> failed;  // the images no code came from
    // Fractional Hamming distances of every unordered pair: same eye, different eyes. A pair with
    // a failed image counts as 1.0 (no match possible), as the daemon would treat it.
    std::vector<double> genuine, impostor;
    std::string worst_genuine, closest_impostor;  // "a b": the pairs that set the margin
    std::vector<std::string> incomparable;        // "a b": pairs with too few bits both codes keep
    double d_prime = 0;
    double margin = 0;  // smallest impostor minus largest genuine distance: > 0 when separated
    double fnmr_at_fmr_1e3 = 0, fnmr_at_fmr_0 = 0;
    double ms_per_image = 0;  // segmentation + quality + code, CPU time on this thread

    nlohmann::json to_json() const;
    std::string to_text(const std::string& set) const;
};

// Analyses every image and compares every pair. When `sheet` is not empty, writes an overlay
// contact sheet there (one row per eye); throws std::runtime_error when it cannot be written.
IrisReport evaluate_irises(const std::vector<LabelledImage>& images, const std::string& sheet);

}  // namespace rekam::eval
