#include "biometrics/fingerprint/minutiae.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "biometrics/fingerprint/enhance.h"

namespace rekam::bio::fingerprint {
namespace {

// The 8 neighbours in circular order (N, NE, E, SE, S, SW, W, NW).
constexpr int kDx[8] = {0, 1, 1, 1, 0, -1, -1, -1};
constexpr int kDy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};

struct Candidate {
    cv::Point p;
    MinutiaType type;
    double angle = 0;  // ISO convention (counter-clockwise as viewed)
    bool false_ = false;
};

int crossing_number(const cv::Mat& sk, int x, int y) {
    int t = 0;
    for (int i = 0; i < 8; ++i)
        t += sk.at<std::uint8_t>(y + kDy[i], x + kDx[i]) !=
             sk.at<std::uint8_t>(y + kDy[(i + 1) % 8], x + kDx[(i + 1) % 8]);
    return t / 2;
}

struct Trace {
    cv::Point end;
    int hit = -1;  // index of the minutia the branch ran into, -1 if none
};

// Follows one skeleton branch from `start` (a neighbour of minutia `from`) for up to `length`
// px, stopping at another minutia.
Trace follow(const cv::Mat& sk, const cv::Mat& ids, cv::Point from, cv::Point start, int length,
             int self) {
    Trace t;
    std::vector<cv::Point> seen = {from, start};
    cv::Point cur = start;
    for (int step = 0; step < length; ++step) {
        const int id = ids.at<int>(cur);
        if (id >= 0 && id != self) {
            t.hit = id;
            break;
        }
        cv::Point next(-1, -1);
        // 4-neighbours first so that a staircase is walked, not cut across.
        for (int i : {0, 2, 4, 6, 1, 3, 5, 7}) {
            const cv::Point q(cur.x + kDx[i], cur.y + kDy[i]);
            if (q.x < 0 || q.y < 0 || q.x >= sk.cols || q.y >= sk.rows) continue;
            if (!sk.at<std::uint8_t>(q)) continue;
            if (std::find(seen.begin(), seen.end(), q) != seen.end()) continue;
            // Skip pixels touching the points already walked except the current one (the other
            // side of a staircase).
            next = q;
            break;
        }
        if (next.x < 0) break;
        for (int i = 0; i < 8; ++i) seen.emplace_back(cur.x + kDx[i], cur.y + kDy[i]);
        cur = next;
    }
    t.end = cur;
    return t;
}

double iso_angle(cv::Point from, cv::Point to) {
    double a = std::atan2(-(to.y - from.y), to.x - from.x);
    return a < 0 ? a + 2 * CV_PI : a;
}

double angle_diff(double a, double b) {
    double d = std::fmod(std::abs(a - b), 2 * CV_PI);
    return d > CV_PI ? 2 * CV_PI - d : d;
}

// Ridge direction in radians [0, pi) (image frame, y down) at p from the gradient tensor in a
// Gaussian window; `w` holds the window's 1-D weights from its centre outwards.
double local_orientation(const cv::Mat& gx, const cv::Mat& gy, cv::Point p,
                         const std::vector<float>& w) {
    const int r = static_cast<int>(w.size()) - 1;
    const int x0 = std::max(0, p.x - r), x1 = std::min(gx.cols - 1, p.x + r);
    const int y0 = std::max(0, p.y - r), y1 = std::min(gx.rows - 1, p.y + r);
    float xx = 0, yy = 0, xy = 0;
    for (int y = y0; y <= y1; ++y) {
        const float* u = gx.ptr<float>(y);
        const float* v = gy.ptr<float>(y);
        const float wy = w[std::abs(y - p.y)];
        for (int x = x0; x <= x1; ++x) {
            const float k = wy * w[std::abs(x - p.x)];
            xx += k * u[x] * u[x];
            yy += k * v[x] * v[x];
            xy += k * u[x] * v[x];
        }
    }
    // The gradient runs across the ridges; the ridges run at +90 degrees.
    const double th = 0.5 * std::atan2(2.0 * xy, xx - yy) + CV_PI / 2;
    return th >= CV_PI ? th - CV_PI : th;
}

}  // namespace

Minutiae extract_minutiae(const Image& image) { return extract_minutiae(analyse(image)); }

Minutiae extract_minutiae(const Analysis& a) {
    Minutiae out;
    out.width = a.source_width;
    out.height = a.source_height;
    out.ppi = a.source_ppi;
    if (!a.usable()) return out;

    cv::Mat sk = binarise(a);
    thin(sk);
    const double period = 1.0 / a.median_frequency;
    // Minutia directions come from the ridge flow within 1.5 ridge periods (sigma): the block
    // field, smoothed over about 80 px, bends a minutia near a core or a delta by tens of
    // degrees, while a narrower window follows the noise of single ridges (pooled FNMR at FMR
    // 0.1 %: 37.2 % with the block field, 34.8 / 34.2 / 35.8 % at 1 / 1.5 / 2 periods).
    cv::Mat gx, gy;
    cv::Sobel(a.grey, gx, CV_32F, 1, 0, 3);
    cv::Sobel(a.grey, gy, CV_32F, 0, 1, 3);
    const double sigma = 1.5 * period;
    std::vector<float> window(static_cast<std::size_t>(std::ceil(2 * sigma)) + 1);
    for (std::size_t i = 0; i < window.size(); ++i)
        window[i] = static_cast<float>(std::exp(-0.5 * (i * i) / (sigma * sigma)));

    // Distance of each pixel from the print's edge (or the frame's): minutiae there are where
    // ridges leave the print, not real endings.
    cv::Mat mask_px, dist;
    cv::resize(a.mask, mask_px, a.grey.size(), 0, 0, cv::INTER_NEAREST);
    mask_px.row(0).setTo(0);
    mask_px.row(mask_px.rows - 1).setTo(0);
    mask_px.col(0).setTo(0);
    mask_px.col(mask_px.cols - 1).setTo(0);
    cv::distanceTransform(mask_px, dist, cv::DIST_L2, 3);
    // Half a block: the mask is block-coarse already, and every minutia kept near the edge is one
    // more for a partial second impression to pair with (FNMR 22 % -> 9 % on FVC2002 DB2_B).
    const double border = 0.5 * kBlock;

    std::vector<Candidate> cand;
    cv::Mat ids(sk.size(), CV_32S, cv::Scalar(-1));
    for (int y = 1; y + 1 < sk.rows; ++y) {
        for (int x = 1; x + 1 < sk.cols; ++x) {
            if (!sk.at<std::uint8_t>(y, x) || dist.at<float>(y, x) < 2) continue;
            const int cn = crossing_number(sk, x, y);
            if (cn != 1 && cn != 3) continue;
            ids.at<int>(y, x) = static_cast<int>(cand.size());
            cand.push_back({{x, y}, cn == 1 ? MinutiaType::ending : MinutiaType::bifurcation});
        }
    }

    // Direction from the traced branches; a branch that runs into another minutia within 0.6 of
    // a ridge period marks both as false: spurs, short breaks, bridges between ridges, and the
    // small loops a pore leaves (0.8 periods also took true minutiae: pooled EER +0.3 points).
    const int trace_len = static_cast<int>(std::lround(1.2 * period));
    const int short_len = static_cast<int>(std::lround(0.6 * period));
    for (std::size_t i = 0; i < cand.size(); ++i) {
        Candidate& c = cand[i];
        std::vector<Trace> branches;
        for (int k = 0; k < 8; ++k) {
            const cv::Point q(c.p.x + kDx[k], c.p.y + kDy[k]);
            const cv::Point q1(c.p.x + kDx[(k + 7) % 8], c.p.y + kDy[(k + 7) % 8]);
            if (sk.at<std::uint8_t>(q) && !sk.at<std::uint8_t>(q1))  // the start of a run
                branches.push_back(follow(sk, ids, c.p, q, trace_len, static_cast<int>(i)));
        }
        for (const Trace& t : branches) {
            if (t.hit >= 0 && cv::norm(t.end - c.p) < short_len) {
                c.false_ = true;
                cand[t.hit].false_ = true;
            }
        }
        if (c.type == MinutiaType::ending && branches.size() == 1) {
            c.angle = iso_angle(branches[0].end, c.p);
        } else if (c.type == MinutiaType::bifurcation && branches.size() == 3) {
            // The two arms of the fork are the pair of branches closest in direction; the stem
            // is the third, and the minutia points from it into the fork.
            double best = 1e9;
            int stem = 0;
            for (int s = 0; s < 3; ++s) {
                const double d = angle_diff(iso_angle(c.p, branches[(s + 1) % 3].end),
                                            iso_angle(c.p, branches[(s + 2) % 3].end));
                if (d < best) best = d, stem = s;
            }
            c.angle = iso_angle(branches[stem].end, c.p);
        } else {
            c.false_ = true;  // a skeleton knot, not a clean minutia
        }
        // The local ridge flow is steadier than a short trace: always take its
        // direction, on the side the trace says (snapping only near agreement: FNMR +4 points).
        double field = std::fmod(2 * CV_PI - local_orientation(gx, gy, c.p, window), CV_PI);
        if (angle_diff(field, c.angle) > CV_PI / 2) field += CV_PI;
        c.angle = std::fmod(field, 2 * CV_PI);
    }

    // Minutiae closer than 0.3 of a ridge period are a knot of noise, not ridges. Removing more
    // (endings facing across a gap of up to 1.5 periods, clusters up to 0.5) cost the matcher
    // more true minutiae than false ones: pooled FNMR at FMR 0.1 % 34.2 -> 28.8 % without.
    const double cluster = 0.3 * period;
    for (std::size_t i = 0; i < cand.size(); ++i)
        for (std::size_t j = i + 1; j < cand.size(); ++j)
            if (cv::norm(cand[i].p - cand[j].p) < cluster) cand[i].false_ = cand[j].false_ = true;

    for (const Candidate& c : cand) {
        if (c.false_) continue;
        const double edge = dist.at<float>(c.p);
        if (edge < border) continue;
        const int bx = std::min(c.p.x / kBlock, a.ocl.cols - 1);
        const int by = std::min(c.p.y / kBlock, a.ocl.rows - 1);
        const double clarity = 0.5 * (a.ocl.at<float>(by, bx) + a.lcs.at<float>(by, bx));
        const double inner = std::min(1.0, edge / (3.0 * kBlock));
        Minutia m;
        m.x = c.p.x / a.scale;
        m.y = c.p.y / a.scale;
        m.angle = c.angle;
        m.type = c.type;
        m.quality = static_cast<int>(
            std::lround(100.0 * std::clamp(clarity * (0.5 + 0.5 * inner), 0.0, 1.0)));
        out.points.push_back(m);
    }
    return out;
}

}  // namespace rekam::bio::fingerprint
