#include "biometrics/fingerprint/matcher.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "biometrics/fingerprint/calibration.h"
#include "biometrics/fingerprint/geometry.h"

namespace rekam::bio::fingerprint {
namespace {

// LSS-R as published (Cappelli et al. 2010, table 2): the paper's values, none tuned here.
constexpr int kMinPairs = 4, kMaxPairs = 12;  // n_P grows with the smaller minutiae count
constexpr float kPairsMu = 20.0f, kPairsTau = 0.4f;
constexpr int kRelaxIterations = 5;
constexpr float kRelaxWeight = 0.5f;  // w_R: the pair's own share of its next value
constexpr float kDistanceMu = 5.0f, kDistanceTau = -1.6f;  // px: relative distance disagreement
constexpr float kAngleMu = std::numbers::pi_v<float> / 12, kAngleTau = -30.0f;

float sigmoid(float v, float mu, float tau) { return 1.0f / (1.0f + std::exp(-tau * (v - mu))); }

struct Pair {
    float similarity;
    std::uint16_t a, b;
};

// The direction of the segment from p to q, relative to p's own direction.
float radial_angle(const MatchPoint& p, const MatchPoint& q) {
    return angle_difference(p.angle, std::atan2(q.y - p.y, q.x - p.x));
}

// How well pairs s and t agree geometrically (rho of the paper), 0-1.
float compatibility(const MatchPoint& a1, const MatchPoint& b1, const MatchPoint& a2,
                    const MatchPoint& b2) {
    const float d1 =
        std::abs(std::hypot(a1.x - a2.x, a1.y - a2.y) - std::hypot(b1.x - b2.x, b1.y - b2.y));
    const float d2 = std::abs(angle_difference(angle_difference(a1.angle, a2.angle),
                                               angle_difference(b1.angle, b2.angle)));
    const float d3 = std::abs(angle_difference(radial_angle(a1, a2), radial_angle(b1, b2)));
    return sigmoid(d1, kDistanceMu, kDistanceTau) * sigmoid(d2, kAngleMu, kAngleTau) *
           sigmoid(d3, kAngleMu, kAngleTau);
}

}  // namespace

double match_similarity(const FingerTemplate& ta, const FingerTemplate& tb) {
    const std::size_t na = ta.points.size(), nb = tb.points.size();
    if (na < static_cast<std::size_t>(kMinPairs) || nb < static_cast<std::size_t>(kMinPairs))
        return 0;

    std::vector<Pair> pairs;
    pairs.reserve(na * nb / 2);
    for (std::size_t i = 0; i < na; ++i)
        for (std::size_t j = 0; j < nb; ++j) {
            const float s = cylinder_similarity(ta.cylinders[i], ta.points[i].angle,
                                                tb.cylinders[j], tb.points[j].angle);
            if (s > 0)
                pairs.push_back({s, static_cast<std::uint16_t>(i), static_cast<std::uint16_t>(j)});
        }
    std::sort(pairs.begin(), pairs.end(),
              [](const Pair& p, const Pair& q) { return p.similarity > q.similarity; });

    // The n_R = min(na, nb) best pairs, each minutia used once.
    const std::size_t wanted = std::min(na, nb);
    std::vector<bool> used_a(na), used_b(nb);
    std::vector<Pair> chosen;
    chosen.reserve(wanted);
    for (const Pair& p : pairs) {
        if (used_a[p.a] || used_b[p.b]) continue;
        used_a[p.a] = used_b[p.b] = true;
        chosen.push_back(p);
        if (chosen.size() == wanted) break;
    }
    const std::size_t n = chosen.size();
    const int n_pairs =
        kMinPairs + static_cast<int>(std::lround(
                        sigmoid(static_cast<float>(std::min(na, nb)), kPairsMu, kPairsTau) *
                        (kMaxPairs - kMinPairs)));
    if (n < 2) return 0;

    std::vector<float> rho(n * n, 0.0f);
    for (std::size_t s = 0; s < n; ++s)
        for (std::size_t t = s + 1; t < n; ++t)
            rho[s * n + t] = rho[t * n + s] =
                compatibility(ta.points[chosen[s].a], tb.points[chosen[s].b],
                              ta.points[chosen[t].a], tb.points[chosen[t].b]);

    std::vector<float> lambda(n), next(n);
    for (std::size_t s = 0; s < n; ++s) lambda[s] = chosen[s].similarity;
    for (int it = 0; it < kRelaxIterations; ++it) {
        for (std::size_t s = 0; s < n; ++s) {
            float support = 0;
            for (std::size_t t = 0; t < n; ++t) support += rho[s * n + t] * lambda[t];
            next[s] =
                kRelaxWeight * lambda[s] + (1 - kRelaxWeight) * support / static_cast<float>(n - 1);
        }
        lambda.swap(next);
    }

    // The n_P pairs that kept most of their similarity (efficiency) give the score.
    std::vector<std::size_t> order(n);
    for (std::size_t s = 0; s < n; ++s) order[s] = s;
    const auto efficiency = [&](std::size_t s) { return lambda[s] / chosen[s].similarity; };
    const std::size_t top = std::min<std::size_t>(n_pairs, n);
    std::partial_sort(order.begin(), order.begin() + top, order.end(),
                      [&](std::size_t p, std::size_t q) { return efficiency(p) > efficiency(q); });
    double sum = 0;
    for (std::size_t k = 0; k < top; ++k) sum += lambda[order[k]];
    return sum / n_pairs;  // with fewer pairs than n_P, the missing ones count as zeros
}

double match_score(const FingerTemplate& a, const FingerTemplate& b) {
    return calibrated_score(match_similarity(a, b));
}

double match_score(const Minutiae& a, const Minutiae& b) {
    return match_score(make_template(a), make_template(b));
}

}  // namespace rekam::bio::fingerprint
