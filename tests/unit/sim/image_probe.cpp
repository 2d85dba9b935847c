#include "image_probe.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace rekam::sim::probe {

int Mask::count() const { return static_cast<int>(std::count(v.begin(), v.end(), 1)); }

double mean(const bio::Image& g) {
    double s = 0;
    for (auto p : g.pixels) s += p;
    return g.pixels.empty() ? 0.0 : s / g.pixels.size();
}

Mask foreground(const bio::Image& g, double min_std) {
    Mask m{g.width, g.height, std::vector<unsigned char>(g.pixels.size(), 0)};
    const int b = 16;
    for (int by = 0; by + b <= g.height; by += b)
        for (int bx = 0; bx + b <= g.width; bx += b) {
            double s = 0, s2 = 0;
            for (int y = by; y < by + b; ++y)
                for (int x = bx; x < bx + b; ++x) {
                    s += g.at(x, y);
                    s2 += g.at(x, y) * g.at(x, y);
                }
            const double n = b * b;
            const double sd = std::sqrt(std::max(0.0, s2 / n - (s / n) * (s / n)));
            if (sd > min_std)
                for (int y = by; y < by + b; ++y)
                    for (int x = bx; x < bx + b; ++x) m.v[y * g.width + x] = 1;
        }
    return m;
}

double ridge_period(const bio::Image& g) {
    // 64x64 windows over the foreground; separable DFT power summed by radius.
    const int n = 64;
    const Mask fg = foreground(g);
    std::vector<std::complex<double>> tw(n);
    for (int k = 0; k < n; ++k) tw[k] = std::polar(1.0, -2 * std::numbers::pi * k / n);
    std::vector<double> radial(n / 2, 0.0);
    std::vector<std::complex<double>> rows(n * n), spec(n * n);
    for (int wy = 0; wy + n <= g.height; wy += n / 2)
        for (int wx = 0; wx + n <= g.width; wx += n / 2) {
            if (!fg.at(wx + n / 2, wy + n / 2) || !fg.at(wx, wy) || !fg.at(wx + n - 1, wy + n - 1))
                continue;
            double m = 0;
            for (int y = 0; y < n; ++y)
                for (int x = 0; x < n; ++x) m += g.at(wx + x, wy + y);
            m /= n * n;
            for (int y = 0; y < n; ++y)
                for (int u = 0; u < n; ++u) {
                    std::complex<double> acc = 0;
                    for (int x = 0; x < n; ++x) acc += (g.at(wx + x, wy + y) - m) * tw[(u * x) % n];
                    rows[y * n + u] = acc;
                }
            for (int u = 0; u < n; ++u)
                for (int v = 0; v < n; ++v) {
                    std::complex<double> acc = 0;
                    for (int y = 0; y < n; ++y) acc += rows[y * n + u] * tw[(v * y) % n];
                    spec[v * n + u] = acc;
                }
            for (int v = 0; v < n; ++v)
                for (int u = 0; u < n; ++u) {
                    const int fu = u < n / 2 ? u : u - n, fv = v < n / 2 ? v : v - n;
                    const int r = static_cast<int>(std::lround(std::hypot(fu, fv)));
                    if (r >= 3 && r < n / 2) radial[r] += std::norm(spec[v * n + u]);
                }
        }
    const auto peak = std::max_element(radial.begin(), radial.end()) - radial.begin();
    // Parabolic refinement of the peak radius.
    double r = static_cast<double>(peak);
    if (peak > 0 && peak + 1 < static_cast<long>(radial.size())) {
        const double a = radial[peak - 1], b = radial[peak], c = radial[peak + 1];
        const double d = a - 2 * b + c;
        if (d != 0) r += 0.5 * (a - c) / d;
    }
    return r > 0 ? n / r : 0.0;
}

Orientations block_orientations(const bio::Image& g, int block) {
    Orientations o;
    o.cols = g.width / block;
    o.rows = g.height / block;
    o.c2.assign(static_cast<std::size_t>(o.cols) * o.rows, 0.0);
    o.s2 = o.c2;
    const Mask fg = foreground(g);
    for (int by = 0; by < o.rows; ++by)
        for (int bx = 0; bx < o.cols; ++bx) {
            double gxx = 0, gyy = 0, gxy = 0;
            int n = 0;
            for (int y = by * block; y < (by + 1) * block; ++y)
                for (int x = bx * block; x < (bx + 1) * block; ++x) {
                    if (x < 1 || y < 1 || x + 1 >= g.width || y + 1 >= g.height || !fg.at(x, y))
                        continue;
                    const double dx = g.at(x + 1, y) - g.at(x - 1, y);
                    const double dy = g.at(x, y + 1) - g.at(x, y - 1);
                    gxx += dx * dx;
                    gyy += dy * dy;
                    gxy += dx * dy;
                    ++n;
                }
            const double norm = std::hypot(gxx - gyy, 2 * gxy);
            if (n < block * block / 2 || norm <= 0) continue;
            // Gradient direction doubled; ridges run perpendicular, which is a sign flip.
            o.c2[by * o.cols + bx] = -(gxx - gyy) / norm;
            o.s2[by * o.cols + bx] = -2 * gxy / norm;
        }
    return o;
}

double orientation_similarity(const Orientations& a, const Orientations& b) {
    double s = 0;
    int n = 0;
    for (std::size_t i = 0; i < a.c2.size() && i < b.c2.size(); ++i) {
        if ((a.c2[i] == 0 && a.s2[i] == 0) || (b.c2[i] == 0 && b.s2[i] == 0)) continue;
        s += a.c2[i] * b.c2[i] + a.s2[i] * b.s2[i];
        ++n;
    }
    return n ? s / n : 0.0;
}

namespace {

// Zhang-Suen thinning of a 0/1 image (1 = ridge) in place.
void thin(std::vector<unsigned char>& im, int w, int h) {
    std::vector<std::size_t> del;
    bool changed = true;
    while (changed) {
        changed = false;
        for (int step = 0; step < 2; ++step) {
            del.clear();
            for (int y = 1; y + 1 < h; ++y)
                for (int x = 1; x + 1 < w; ++x) {
                    if (!im[y * w + x]) continue;
                    const int p[8] = {im[(y - 1) * w + x], im[(y - 1) * w + x + 1],
                                      im[y * w + x + 1],   im[(y + 1) * w + x + 1],
                                      im[(y + 1) * w + x], im[(y + 1) * w + x - 1],
                                      im[y * w + x - 1],   im[(y - 1) * w + x - 1]};
                    int b = 0, a = 0;
                    for (int i = 0; i < 8; ++i) {
                        b += p[i];
                        a += (!p[i] && p[(i + 1) % 8]);
                    }
                    if (b < 2 || b > 6 || a != 1) continue;
                    if (step == 0 && ((p[0] && p[2] && p[4]) || (p[2] && p[4] && p[6]))) continue;
                    if (step == 1 && ((p[0] && p[2] && p[6]) || (p[0] && p[4] && p[6]))) continue;
                    del.push_back(static_cast<std::size_t>(y) * w + x);
                }
            for (auto i : del) im[i] = 0;
            changed = changed || !del.empty();
        }
    }
}

}  // namespace

MinutiaeCount count_minutiae(const bio::Image& g, int border) {
    const int w = g.width, h = g.height;
    // Binarise against a 9x9 local mean (ridges are darker than their surroundings).
    std::vector<unsigned char> bin(static_cast<std::size_t>(w) * h, 0);
    const int r = 4;
    for (int y = r; y < h - r; ++y)
        for (int x = r; x < w - r; ++x) {
            int s = 0;
            for (int dy = -r; dy <= r; ++dy)
                for (int dx = -r; dx <= r; ++dx) s += g.at(x + dx, y + dy);
            bin[y * w + x] = g.at(x, y) * (2 * r + 1) * (2 * r + 1) < s ? 1 : 0;
        }
    thin(bin, w, h);
    // Foreground eroded by `border`.
    const Mask fg = foreground(g);
    auto inside = [&](int x, int y) {
        for (int d : {-border, border}) {
            if (x + d < 0 || x + d >= w || y + d < 0 || y + d >= h) return false;
            if (!fg.at(x + d, y) || !fg.at(x, y + d) || !fg.at(x + d, y + d) ||
                !fg.at(x + d, y - d))
                return false;
        }
        return fg.at(x, y);
    };
    MinutiaeCount c;
    for (int y = 1; y + 1 < h; ++y)
        for (int x = 1; x + 1 < w; ++x) {
            if (!bin[y * w + x] || !inside(x, y)) continue;
            const int p[8] = {bin[(y - 1) * w + x], bin[(y - 1) * w + x + 1],
                              bin[y * w + x + 1],   bin[(y + 1) * w + x + 1],
                              bin[(y + 1) * w + x], bin[(y + 1) * w + x - 1],
                              bin[y * w + x - 1],   bin[(y - 1) * w + x - 1]};
            int cn = 0;
            for (int i = 0; i < 8; ++i) cn += std::abs(p[i] - p[(i + 1) % 8]);
            cn /= 2;
            if (cn == 1) ++c.endings;
            if (cn == 3) ++c.bifurcations;
        }
    return c;
}

}  // namespace rekam::sim::probe
