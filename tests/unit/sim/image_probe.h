// Test-side measurements on synthetic images: foreground, ridge period, orientation field,
// minutiae count. Independent of the synthesiser's internals on purpose.
#pragma once

#include <vector>

#include "biometrics/image.h"

namespace rekam::sim::probe {

struct Mask {
    int width = 0, height = 0;
    std::vector<unsigned char> v;
    bool at(int x, int y) const { return v[static_cast<std::size_t>(y) * width + x] != 0; }
    int count() const;
};

double mean(const bio::Image& grey);
// Foreground: pixels whose 16x16 block has ridge-like variance (std dev > `min_std`).
Mask foreground(const bio::Image& grey, double min_std = 18.0);
// Dominant ridge period (px) of the central region from the radially summed power spectrum.
double ridge_period(const bio::Image& grey);
// Block orientation (doubled-angle unit vectors) on a `block`-px grid; zero where background.
struct Orientations {
    int cols = 0, rows = 0;
    std::vector<double> c2, s2;  // cos 2theta, sin 2theta; 0,0 = no data
};
Orientations block_orientations(const bio::Image& grey, int block = 16);
// Mean cos of doubled-angle difference over blocks where both have data.
double orientation_similarity(const Orientations& a, const Orientations& b);

struct MinutiaeCount {
    int endings = 0;
    int bifurcations = 0;
    int total() const { return endings + bifurcations; }
};
// Binarise (local mean), thin (Zhang-Suen), crossing number on the thinned ridges inside the
// foreground eroded by `border` px (so the print's rim does not count).
MinutiaeCount count_minutiae(const bio::Image& grey, int border = 20);

}  // namespace rekam::sim::probe
