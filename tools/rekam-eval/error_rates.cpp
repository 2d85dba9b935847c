#include "tools/rekam-eval/error_rates.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rekam::eval {

ErrorRates::ErrorRates(std::vector<double> genuine, std::vector<double> impostor)
    : genuine_(std::move(genuine)), impostor_(std::move(impostor)) {
    std::sort(genuine_.begin(), genuine_.end());
    std::sort(impostor_.begin(), impostor_.end());
}

Rates ErrorRates::at(double threshold) const {
    Rates r;
    if (!impostor_.empty())
        r.fmr =
            static_cast<double>(impostor_.end() -
                                std::lower_bound(impostor_.begin(), impostor_.end(), threshold)) /
            static_cast<double>(impostor_.size());
    if (!genuine_.empty())
        r.fnmr = static_cast<double>(std::lower_bound(genuine_.begin(), genuine_.end(), threshold) -
                                     genuine_.begin()) /
                 static_cast<double>(genuine_.size());
    return r;
}

double ErrorRates::threshold_for_fmr(double fmr) const {
    if (impostor_.empty()) return -std::numeric_limits<double>::infinity();
    // At most `allowed` impostors may reach the threshold: it must lie above the one after them.
    const auto allowed = static_cast<std::size_t>(std::floor(fmr * impostor_.size() + 1e-9));
    if (allowed >= impostor_.size()) return -std::numeric_limits<double>::infinity();
    const double reject = impostor_[impostor_.size() - 1 - allowed];
    return std::nextafter(reject, std::numeric_limits<double>::infinity());
}

std::vector<Rates> ErrorRates::det() const {
    std::vector<double> thresholds = genuine_;
    thresholds.insert(thresholds.end(), impostor_.begin(), impostor_.end());
    std::sort(thresholds.begin(), thresholds.end());
    thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
    std::vector<Rates> out;
    out.reserve(thresholds.size() + 1);
    for (double t : thresholds) out.push_back(at(t));
    out.push_back(at(std::numeric_limits<double>::infinity()));
    return out;
}

double ErrorRates::eer() const {
    double best_gap = 2, eer = 1;
    for (const Rates& r : det()) {
        const double gap = std::abs(r.fmr - r.fnmr);
        if (gap < best_gap) best_gap = gap, eer = 0.5 * (r.fmr + r.fnmr);
    }
    return eer;
}

}  // namespace rekam::eval
