#include "biometrics/fingerprint/cylinder.h"

#include <bit>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

#include "biometrics/fingerprint/geometry.h"

namespace rekam::bio::fingerprint {
namespace {

// Hand-written: no Debian package has a minutiae matcher (NBIS and SourceAFIS are not packaged).
// The parameters are the paper's for 500 ppi, none tuned here.
constexpr float kRadius = 70.0f;                                    // R
constexpr float kCellSize = 2 * kRadius / kCylinderCells;           // Delta_S, 8.75 px
constexpr float kSigmaS = 28.0f / 3.0f;                             // spatial Gaussian
constexpr float kSigmaD = 2.0f * std::numbers::pi_v<float> / 9.0f;  // directional Gaussian
constexpr float kSliceWidth = 2.0f * std::numbers::pi_v<float> / kCylinderSlices;
constexpr float kContribution = 0.01f;      // mu_psi: the bit is set at this summed contribution
constexpr float kHullMargin = 50.0f;        // omega: the minutiae's convex hull grown by this
constexpr float kMinValidShare = 0.75f;     // min_VC: share of the disc inside the print
constexpr int kMinNeighbours = 2;           // min_M: neighbours a cylinder must hold
constexpr float kMinMatchableShare = 0.6f;  // min_ME: share of cells valid in both cylinders

// G_D of the paper: the Gaussian's mass over one direction slice centred alpha away.
float slice_weight(float alpha) {
    const float s = kSigmaD * std::numbers::sqrt2_v<float>;
    return 0.5f *
           (std::erf((alpha + kSliceWidth / 2) / s) - std::erf((alpha - kSliceWidth / 2) / s));
}

// slice_weight over [-pi, pi] in a table: erf per cell and neighbour would dominate the cost.
struct SliceTable {
    static constexpr int kSize = 512;
    float w[kSize + 1];
    SliceTable() {
        for (int i = 0; i <= kSize; ++i)
            w[i] = slice_weight(-std::numbers::pi_v<float> +
                                2 * std::numbers::pi_v<float> * static_cast<float>(i) / kSize);
    }
    float operator()(float alpha) const {  // alpha in [-pi, pi]
        const float t = (alpha + std::numbers::pi_v<float>) / (2 * std::numbers::pi_v<float>);
        return w[static_cast<int>(t * kSize + 0.5f)];
    }
};

constexpr float gaussian_norm() { return 1.0f / (kSigmaS * 2.5066283f); }  // 1 / (s sqrt(2 pi))

// Cells whose centre lies within R of the minutia: the disc a cylinder covers (of 256).
int disc_cells() {
    int n = 0;
    for (int j = 0; j < kCylinderCells; ++j)
        for (int i = 0; i < kCylinderCells; ++i) {
            const float u = i - (kCylinderCells - 1) / 2.0f, v = j - (kCylinderCells - 1) / 2.0f;
            n += (u * u + v * v) * kCellSize * kCellSize <= kRadius * kRadius;
        }
    return n;
}

// The minutiae's convex hull grown by omega, as the half-planes of its edges moved out by omega
// (mitred rather than rounded corners: a sliver more area at sharp corners). Testing a point
// against a few edge lines is several times cheaper than cv::pointPolygonTest with distances,
// and it runs for every cell of every cylinder.
class GrownHull {
  public:
    explicit GrownHull(const std::vector<MatchPoint>& points) {
        std::vector<cv::Point2f> pts, hull;
        for (const auto& p : points) pts.emplace_back(p.x, p.y);
        cv::convexHull(pts, hull, /*clockwise=*/false);
        for (std::size_t k = 0; k < hull.size() && hull.size() >= 3; ++k) {
            const cv::Point2f a = hull[k], b = hull[(k + 1) % hull.size()];
            const float len = std::hypot(b.x - a.x, b.y - a.y);
            if (len <= 0) continue;
            // Outward normal of a counter-clockwise polygon (y up): (dy, -dx) / len.
            Edge e{(b.y - a.y) / len, -(b.x - a.x) / len, 0};
            e.offset = e.nx * a.x + e.ny * a.y + kHullMargin;
            edges_.push_back(e);
        }
        if (edges_.empty()) {  // fewer than three distinct points: a disc around the first
            centre_ = hull.empty() ? cv::Point2f{} : hull.front();
        }
    }
    bool contains(float x, float y) const {
        if (edges_.empty()) return std::hypot(x - centre_.x, y - centre_.y) <= kHullMargin;
        for (const Edge& e : edges_)
            if (e.nx * x + e.ny * y > e.offset) return false;
        return true;
    }

  private:
    struct Edge {
        float nx, ny, offset;
    };
    std::vector<Edge> edges_;
    cv::Point2f centre_;
};

}  // namespace

FingerTemplate make_template(const Minutiae& minutiae) {
    static const SliceTable slice;
    static const int disc = disc_cells();
    const std::vector<MatchPoint> all = to_match_points(minutiae);
    FingerTemplate out;
    if (all.size() < 2) return out;

    const GrownHull hull(all);

    constexpr float kReach = kRadius + 3 * kSigmaS;  // neighbours that can touch a valid cell
    constexpr float kNear2 = 9 * kSigmaS * kSigmaS;  // (3 sigma_S)^2: a cell's neighbourhood
    const float gnorm = gaussian_norm();
    std::vector<int> near;
    for (std::size_t m = 0; m < all.size(); ++m) {
        const MatchPoint& c = all[m];
        near.clear();
        for (std::size_t t = 0; t < all.size(); ++t)
            if (t != m && std::hypot(all[t].x - c.x, all[t].y - c.y) <= kReach)
                near.push_back(static_cast<int>(t));
        if (static_cast<int>(near.size()) < kMinNeighbours) continue;

        Cylinder cyl;
        const float cs = std::cos(c.angle), sn = std::sin(c.angle);
        for (int j = 0; j < kCylinderCells; ++j) {
            for (int i = 0; i < kCylinderCells; ++i) {
                const float u = kCellSize * (i - (kCylinderCells - 1) / 2.0f);
                const float v = kCellSize * (j - (kCylinderCells - 1) / 2.0f);
                if (u * u + v * v > kRadius * kRadius) continue;
                const float px = c.x + cs * u - sn * v, py = c.y + sn * u + cs * v;
                if (!hull.contains(px, py)) continue;
                ++cyl.valid_cells;
                float sum[kCylinderSlices] = {};
                for (int t : near) {
                    const float dx = all[t].x - px, dy = all[t].y - py;
                    const float d2 = dx * dx + dy * dy;
                    if (d2 > kNear2) continue;
                    const float gs = gnorm * std::exp(-d2 / (2 * kSigmaS * kSigmaS));
                    const float dtheta = angle_difference(all[t].angle, c.angle);
                    for (int k = 0; k < kCylinderSlices; ++k) {
                        const float centre = -std::numbers::pi_v<float> + (k + 0.5f) * kSliceWidth;
                        sum[k] += gs * slice(angle_difference(dtheta, centre));
                    }
                }
                const int cell = j * kCylinderCells + i;
                for (int k = 0; k < kCylinderSlices; ++k) {
                    const int bit = k * kCylinderCells * kCylinderCells + cell;
                    cyl.valid[bit / 64] |= std::uint64_t{1} << (bit % 64);
                    if (sum[k] >= kContribution)
                        cyl.bits[bit / 64] |= std::uint64_t{1} << (bit % 64);
                }
            }
        }
        if (cyl.valid_cells < kMinValidShare * disc) continue;
        out.points.push_back(c);
        out.cylinders.push_back(cyl);
    }
    return out;
}

// Popcounts are most of a match; the x86-64 baseline has no POPCNT instruction, so a clone for
// processors that have it is chosen at load time (GCC function multi-versioning).
#if defined(__x86_64__)
__attribute__((target_clones("popcnt", "default")))
#endif
float cylinder_similarity(const Cylinder& a, float angle_a, const Cylinder& b, float angle_b) {
    if (std::abs(angle_difference(angle_a, angle_b)) > std::numbers::pi_v<float> / 2) return 0;
    static const int min_matchable =
        static_cast<int>(std::ceil(kMinMatchableShare * disc_cells())) * kCylinderSlices;
    int both = 0, count_a = 0, count_b = 0, count_diff = 0;
    for (int w = 0; w < kCylinderWords; ++w) {
        const std::uint64_t valid = a.valid[w] & b.valid[w];
        const std::uint64_t ca = a.bits[w] & valid, cb = b.bits[w] & valid;
        both += std::popcount(valid);
        count_a += std::popcount(ca);
        count_b += std::popcount(cb);
        count_diff += std::popcount(ca ^ cb);
    }
    if (both < min_matchable) return 0;
    const float norms =
        std::sqrt(static_cast<float>(count_a)) + std::sqrt(static_cast<float>(count_b));
    if (norms == 0) return 0;
    return 1.0f - std::sqrt(static_cast<float>(count_diff)) / norms;
}

}  // namespace rekam::bio::fingerprint
