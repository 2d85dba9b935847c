#include "biometrics/fingerprint/matcher.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace rekam::bio::fingerprint {
namespace {

// Matching is hand-written: no Debian library matches minutiae (NBIS/bozorth3 and SourceAFIS are
// not packaged for C++), and the technique (local structures + global consolidation) is the
// textbook one (Jiang & Yau 2000; Cappelli et al. MCC consolidation).
constexpr int kNeighbours = 5;
constexpr int kCandidates = 100;
// Pairing tolerance, px at 500 ppi: 8 px plus 5 % of the distance from the reference minutia,
// since skin stretches more the farther from where the two prints were aligned.
constexpr double kPairDistance = 7.0;
constexpr double kPairGrowth = 0.05;
constexpr double kPairAngle = 0.25;  // radians, about 14 degrees
// At least this many minutiae count as the common area: a sliver of overlap that happens to pair
// a few minutiae must not score like a full match.
constexpr int kMinCommon = 18;
// A pair counts half by position alone and half by how well its neighbourhoods agree: chance
// pairs of an impostor rarely share their neighbours as well.
constexpr double kLocalWeight = 0.5;

struct Point {
    double x, y, angle;  // 500 ppi, y up (so that angles are counter-clockwise), radians
};

struct Neighbour {
    double d, phi, dtheta;
};

double wrap_pi(double a) {  // to (-pi, pi]
    a = std::fmod(a, 2 * CV_PI);
    if (a > CV_PI) a -= 2 * CV_PI;
    if (a <= -CV_PI) a += 2 * CV_PI;
    return a;
}

std::vector<Point> normalise(const Minutiae& m) {
    const double s = 500.0 / (m.ppi > 0 ? m.ppi : 500.0);
    std::vector<Point> out;
    out.reserve(m.points.size());
    for (const auto& p : m.points) out.push_back({p.x * s, -p.y * s, p.angle});
    return out;
}

std::vector<std::vector<Neighbour>> local_structures(const std::vector<Point>& pts) {
    std::vector<std::vector<Neighbour>> out(pts.size());
    std::vector<std::pair<double, std::size_t>> by_d;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        by_d.clear();
        for (std::size_t j = 0; j < pts.size(); ++j)
            if (j != i) by_d.emplace_back(std::hypot(pts[j].x - pts[i].x, pts[j].y - pts[i].y), j);
        const std::size_t k = std::min<std::size_t>(kNeighbours, by_d.size());
        std::partial_sort(by_d.begin(), by_d.begin() + k, by_d.end());
        for (std::size_t n = 0; n < k; ++n) {
            const Point& q = pts[by_d[n].second];
            const double dir = std::atan2(q.y - pts[i].y, q.x - pts[i].x);
            out[i].push_back(
                {by_d[n].first, wrap_pi(dir - pts[i].angle), wrap_pi(q.angle - pts[i].angle)});
        }
    }
    return out;
}

// Similarity 0-1 of two local structures: neighbours paired greedily within tolerances.
double local_similarity(const std::vector<Neighbour>& a, const std::vector<Neighbour>& b) {
    if (a.empty() || b.empty()) return 0;
    bool used[kNeighbours] = {};
    double sum = 0;
    for (const auto& na : a) {
        int best = -1;
        double best_s = 0;
        for (std::size_t j = 0; j < b.size(); ++j) {
            if (used[j]) continue;
            const double dd = std::abs(na.d - b[j].d) / (6.0 + 0.1 * na.d);
            const double dp = std::abs(wrap_pi(na.phi - b[j].phi)) / (CV_PI / 8);
            const double dt = std::abs(wrap_pi(na.dtheta - b[j].dtheta)) / (CV_PI / 8);
            if (dd >= 1 || dp >= 1 || dt >= 1) continue;
            const double s = 1.0 - (dd + dp + dt) / 3.0;
            if (s > best_s) best_s = s, best = static_cast<int>(j);
        }
        if (best >= 0) used[best] = true, sum += best_s;
    }
    return sum / kNeighbours;
}

// Points of `pts` inside the convex hull of `others` (grown by a margin): only minutiae in the
// area both prints show can pair, so partial overlaps are not penalised for the rest.
int inside(const std::vector<cv::Point2f>& pts, const std::vector<cv::Point2f>& others) {
    std::vector<cv::Point2f> hull;
    cv::convexHull(others, hull);
    int n = 0;
    for (const auto& p : pts) n += cv::pointPolygonTest(hull, p, true) > -kPairDistance;
    return n;
}

// The score when b is moved so that b[j] lands on a[i]: minutiae paired one-to-one, over the
// minutiae of each print that lie in the common area.
// `sim` holds local_similarity of every (a, b) pair, row-major; `best` is the score to beat: the
// common-area hulls are only computed when the pairs could beat it.
double aligned_score(const std::vector<Point>& a, const std::vector<Point>& b,
                     const std::vector<float>& sim, std::size_t i, std::size_t j, double best) {
    const double rot = a[i].angle - b[j].angle;
    const double c = std::cos(rot), s = std::sin(rot);
    struct Pair {
        double d;
        std::size_t ia, ib;
    };
    std::vector<Pair> pairs;
    std::vector<cv::Point2f> pa, pb;
    for (const auto& p : a) pa.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
    for (std::size_t ib = 0; ib < b.size(); ++ib) {
        const double dx = b[ib].x - b[j].x, dy = b[ib].y - b[j].y;
        const double x = a[i].x + c * dx - s * dy, y = a[i].y + s * dx + c * dy;
        pb.emplace_back(static_cast<float>(x), static_cast<float>(y));
        const double ang = b[ib].angle + rot;
        const double tol = kPairDistance + kPairGrowth * std::hypot(dx, dy);
        for (std::size_t ia = 0; ia < a.size(); ++ia) {
            const double ex = a[ia].x - x, ey = a[ia].y - y;
            if (ex * ex + ey * ey >= tol * tol) continue;
            const double d = std::sqrt(ex * ex + ey * ey);
            if (std::abs(wrap_pi(a[ia].angle - ang)) < kPairAngle) pairs.push_back({d, ia, ib});
        }
    }
    std::sort(pairs.begin(), pairs.end(), [](const Pair& p, const Pair& q) { return p.d < q.d; });
    std::vector<bool> ua(a.size()), ub(b.size());
    int n = 0;
    double w = 0;
    for (const auto& p : pairs) {
        if (ua[p.ia] || ub[p.ib]) continue;
        ua[p.ia] = ub[p.ib] = true;
        ++n;
        w += (1 - kLocalWeight) + kLocalWeight * std::min(1.0, 2.0 * sim[p.ia * b.size() + p.ib]);
    }
    if (n < 3 || 100.0 * w * w / (kMinCommon * kMinCommon) <= best) return 0;
    const double na = std::max(inside(pa, pb), kMinCommon);
    const double nb = std::max(inside(pb, pa), kMinCommon);
    return 100.0 * w * w / (na * nb);
}

}  // namespace

double match_score(const Minutiae& ma, const Minutiae& mb) {
    const auto a = normalise(ma), b = normalise(mb);
    if (a.size() < 3 || b.size() < 3) return 0;
    const auto la = local_structures(a), lb = local_structures(b);
    struct Cand {
        double s;
        std::size_t i, j;
    };
    std::vector<Cand> cands;
    std::vector<float> sim(a.size() * b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = 0; j < b.size(); ++j) {
            const double s = local_similarity(la[i], lb[j]);
            sim[i * b.size() + j] = static_cast<float>(s);
            if (s > 0) cands.push_back({s, i, j});
        }
    const std::size_t k = std::min<std::size_t>(kCandidates, cands.size());
    std::partial_sort(cands.begin(), cands.begin() + k, cands.end(),
                      [](const Cand& p, const Cand& q) { return p.s > q.s; });
    double best = 0;
    for (std::size_t c = 0; c < k; ++c)
        best = std::max(best, aligned_score(a, b, sim, cands[c].i, cands[c].j, best));
    return std::min(best, 100.0);
}

std::vector<SequenceFinding> check_sequence(const std::vector<FingerCapture>& captures,
                                            double threshold) {
    std::vector<SequenceFinding> out;
    for (std::size_t i = 0; i < captures.size(); ++i) {
        for (std::size_t j = i + 1; j < captures.size(); ++j) {
            const double s = match_score(captures[i].minutiae, captures[j].minutiae);
            if (s < threshold) continue;
            const int p = captures[i].position, q = captures[j].position;
            out.push_back({p, q, s, std::abs(p - q) == 5});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const SequenceFinding& x, const SequenceFinding& y) { return x.score > y.score; });
    return out;
}

}  // namespace rekam::bio::fingerprint
