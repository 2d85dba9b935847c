#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "drivers/sim/synth/finger_synth.h"
#include "image_probe.h"

namespace rekam::sim {
namespace {

constexpr const char* kNik = "3171234567890001";
constexpr const char* kOther = "3171234567890002";

double diff_fraction(const bio::Image& a, const bio::Image& b) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) n += std::abs(a.pixels[i] - b.pixels[i]) > 40;
    return static_cast<double>(n) / a.pixels.size();
}

TEST(FingerSynth, DeterministicPerSubjectFingerAndImpression) {
    FingerprintSynth a(kNik), b(kNik);
    const auto x = a.impression(7, {3, Condition::Good});
    const auto y = b.impression(7, {3, Condition::Good});
    ASSERT_TRUE(x.consistent());
    EXPECT_EQ(x.width, 400);
    EXPECT_EQ(x.height, 500);
    EXPECT_EQ(x.ppi, 500.0);
    EXPECT_EQ(x.pixels, y.pixels);
}

TEST(FingerSynth, SubjectsAndFingersDiffer) {
    FingerprintSynth a(kNik), b(kOther);
    const auto base = a.impression(2);
    EXPECT_GT(diff_fraction(base, b.impression(2)), 0.1);
    EXPECT_GT(diff_fraction(base, a.impression(3)), 0.1);
    EXPECT_GT(diff_fraction(base, a.impression(2, {1})), 0.1);  // another touch moves
}

TEST(FingerSynth, ImpressionsOfOneFingerCorrelateMoreThanOtherFingers) {
    // Orientation fields, block by block and without alignment: the same finger placed twice
    // must agree better, on average, than two different fingers.
    FingerprintSynth s(kNik);
    double same = 0, other = 0;
    int n = 0;
    for (int f = 1; f <= 10; ++f) {
        const auto o0 = probe::block_orientations(s.impression(f, {0}));
        const auto o1 = probe::block_orientations(s.impression(f, {1}));
        const auto oo = probe::block_orientations(s.impression(f % 10 + 1, {1}));
        same += probe::orientation_similarity(o0, o1);
        other += probe::orientation_similarity(o0, oo);
        ++n;
    }
    same /= n;
    other /= n;
    EXPECT_GT(same, 0.5);
    EXPECT_GT(same, other + 0.15) << "same " << same << " other " << other;
}

TEST(FingerSynth, RidgePeriodMatchesIntent) {
    FingerprintSynth s(kNik);
    for (int f : {1, 4, 7, 10}) {
        const double measured = probe::ridge_period(s.impression(f));
        const double intended = s.ridge_period(f);
        EXPECT_GT(intended, 8.0);
        EXPECT_LT(intended, 10.0);
        EXPECT_NEAR(measured, intended, 0.2 * intended) << "finger " << f;
    }
}

TEST(FingerSynth, HasMinutiaeLikeStructure) {
    FingerprintSynth s(kOther);
    for (int f = 1; f <= 10; f += 3) {
        const auto m = probe::count_minutiae(s.impression(f));
        EXPECT_GE(m.total(), 20) << "finger " << f;
        EXPECT_LE(m.total(), 120) << "finger " << f;
        EXPECT_GT(m.endings, 5);
        EXPECT_GT(m.bifurcations, 5);
    }
}

TEST(FingerSynth, PatternClassesCoverTheSpectrum) {
    std::set<PatternClass> seen;
    int whorls = 0;
    for (int i = 0; i < 10; ++i) {
        FingerprintSynth s("31712345678900" + std::to_string(10 + i));
        for (int f = 1; f <= 10; ++f) {
            seen.insert(s.pattern(f));
            whorls += s.pattern(f) == PatternClass::Whorl;
            const auto& l = s.layout(f);
            // Singular points per class: loops 1+1, whorls 2+2, arches none.
            switch (l.pattern) {
                case PatternClass::Whorl:
                    EXPECT_EQ(l.cores.size(), 2u);
                    break;
                case PatternClass::Arch:
                    EXPECT_TRUE(l.cores.empty());
                    break;
                default:
                    EXPECT_EQ(l.cores.size(), 1u);
                    EXPECT_EQ(l.deltas.size(), 1u);
            }
        }
    }
    EXPECT_GE(seen.size(), 4u);
    EXPECT_GT(whorls, 10);
    EXPECT_LT(whorls, 60);
}

TEST(FingerSynth, ConditionsMoveTheStatistics) {
    FingerprintSynth s(kNik);
    const Impression good{4, Condition::Good};
    const auto g = s.impression(3, good);
    const double mean = probe::mean(g);
    const int fg = probe::foreground(g).count();
    ASSERT_GT(fg, 400 * 500 / 4);

    auto with = [&](Condition c) { return s.impression(3, {4, c}); };
    EXPECT_LT(probe::mean(with(Condition::Dark)), mean - 40);
    EXPECT_GT(probe::mean(with(Condition::Light)), mean + 20);
    EXPECT_GT(probe::mean(with(Condition::Dry)), mean + 10);  // faint, broken ridges
    EXPECT_LT(probe::mean(with(Condition::Wet)), mean - 10);  // merged dark ridges
    EXPECT_LT(probe::foreground(with(Condition::Partial)).count(), fg / 2);
    EXPECT_LT(probe::foreground(with(Condition::Blurred)).count(), fg / 2);
    const auto blank = with(Condition::Blank);
    EXPECT_EQ(probe::foreground(blank).count(), 0);
    EXPECT_EQ(probe::count_minutiae(blank).total(), 0);
    // Off-centre: the print's centroid moves well away from the frame centre.
    const auto off = probe::foreground(with(Condition::OffCentre));
    double cx = 0;
    int n = 0;
    for (int y = 0; y < off.height; ++y)
        for (int x = 0; x < off.width; ++x)
            if (off.at(x, y)) cx += x, ++n;
    ASSERT_GT(n, 0);
    EXPECT_GT(std::fabs(cx / n - 200), 60);
}

}  // namespace
}  // namespace rekam::sim
