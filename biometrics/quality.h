// The result every quality algorithm returns, whatever the modality.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace rekam::bio {

struct Quality {
    int score = 0;          // 0-100, higher is better; 0 also for "not assessable"
    std::string algorithm;  // name/version, e.g. "rekam-finger-basic/1"; goes into the manifest
    // Machine codes a front end can act on (see feedback.h), most important first.
    std::vector<std::string> feedback;
    // Named native measures behind the score, in a stable order, for the manifest and reports.
    std::vector<std::pair<std::string, double>> measures;

    double measure(const std::string& name, double fallback = 0.0) const {
        for (const auto& [k, v] : measures)
            if (k == name) return v;
        return fallback;
    }
};

// A measure's share of full marks: 0 at or below `lo`, 1 at or above `hi`, linear between. Every
// modality's score is built from these.
inline double ramp(double v, double lo, double hi) {
    return std::clamp((v - lo) / (hi - lo), 0.0, 1.0);
}

}  // namespace rekam::bio
