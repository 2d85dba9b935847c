// Fingerprint quality on real prints (FVC2002, NIST) and on known degradations of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

#include "biometrics/fingerprint/quality.h"
#include "test_images.h"
#include "tests/support/rank_correlation.h"

namespace rekam::bio {
namespace {

using testing::shared_data;

struct Print {
    std::string name;
    Image image;
};

// FVC2002 DB2_B is 569 ppi, DB1 500 ppi (fingerprint/PROVENANCE.md).
std::vector<Print> real_prints() {
    std::vector<Print> out;
    for (const auto& f : testing::files_in("fingerprint/fvc2002_db2b", {".tif"}))
        out.push_back({"fvc2002_db2b/" + f.filename().string(), testing::load_grey(f, 569)});
    for (const auto& f : testing::files_in("fingerprint/fvc2002_db1_sourceafis", {".png"}))
        out.push_back(
            {"fvc2002_db1_sourceafis/" + f.filename().string(), testing::load_grey(f, 500)});
    return out;
}

#define REQUIRE_PRINTS(prints)                                                     \
    if ((prints).empty())                                                          \
        GTEST_SKIP() << "no fingerprint data in " << shared_data() / "fingerprint" \
                     << " (see DESIGN.md section 6)";

TEST(FingerprintQuality, RealPrintsBeatTheirDegradations) {
    const auto prints = real_prints();
    REQUIRE_PRINTS(prints);
    double sum = 0, sum_blurred = 0, sum_dark = 0, sum_corner = 0;
    for (const auto& p : prints) {
        ASSERT_FALSE(p.image.empty()) << p.name;
        const Quality q = fingerprint::assess_quality(p.image);
        EXPECT_EQ(q.algorithm, fingerprint::kQualityAlgorithm);
        EXPECT_GE(q.score, 40) << p.name;
        const int blurred = fingerprint::assess_quality(testing::blurred(p.image, 3.0)).score;
        const int dark = fingerprint::assess_quality(testing::scaled_grey(p.image, 0.4)).score;
        const Quality corner = fingerprint::assess_quality(testing::in_corner(p.image, 0.4, 255));
        const Quality blank = fingerprint::assess_quality(
            Image::grey(p.image.width, p.image.height, p.image.ppi, 255));
        EXPECT_LT(blurred, q.score) << p.name;
        EXPECT_LT(dark, q.score) << p.name;
        EXPECT_LT(corner.score, q.score - 30) << p.name;
        EXPECT_NE(std::find(corner.feedback.begin(), corner.feedback.end(), "not-centred"),
                  corner.feedback.end())
            << p.name;
        EXPECT_EQ(blank.score, 0) << p.name;
        EXPECT_EQ(blank.feedback.front(), "no-object") << p.name;
        sum += q.score, sum_blurred += blurred, sum_dark += dark, sum_corner += corner.score;
    }
    const double n = static_cast<double>(prints.size());
    std::printf("mean score: real %.1f, blurred %.1f, darkened %.1f, in corner %.1f\n", sum / n,
                sum_blurred / n, sum_dark / n, sum_corner / n);
    EXPECT_GT(sum - sum_blurred, 20 * n);
    EXPECT_GT(sum - sum_dark, 20 * n);
}

TEST(FingerprintQuality, DarkeningGivesTooDarkAndBlurLowersClarity) {
    const auto prints = real_prints();
    REQUIRE_PRINTS(prints);
    const Image& img = prints.front().image;
    const Quality dark = fingerprint::assess_quality(testing::scaled_grey(img, 0.4));
    EXPECT_EQ(dark.feedback.front(), "too-dark");
    const Quality q = fingerprint::assess_quality(img);
    const Quality blurred = fingerprint::assess_quality(testing::blurred(img, 3.0));
    EXPECT_LT(blurred.measure("lcs"), q.measure("lcs"));
    EXPECT_LT(blurred.measure("contrast"), q.measure("contrast"));
    // Monotone in the amount of blur.
    int previous = q.score;
    for (double sigma : {1.5, 3.0, 5.0}) {
        const int s = fingerprint::assess_quality(testing::blurred(img, sigma)).score;
        EXPECT_LE(s, previous) << "sigma " << sigma;
        previous = s;
    }
}

using rekam::test::spearman;

// Compares the score with NBIS NFIQ 1 classes and NFIQ 2 native measures measured on the same
// files (REFERENCE-nist-tools.csv). Prints the correlations; asserts only the class ordering.
TEST(FingerprintQuality, AgreesWithNistReference) {
    std::ifstream csv(shared_data() / "fingerprint" / "REFERENCE-nist-tools.csv");
    if (!csv) GTEST_SKIP() << "no REFERENCE-nist-tools.csv under " << shared_data();
    std::string line;
    std::getline(csv, line);
    std::vector<std::string> header;
    {
        std::stringstream ss(line);
        for (std::string h; std::getline(ss, h, ',');) header.push_back(h);
    }
    std::map<std::string, std::vector<double>> columns;
    std::vector<double> scores;
    std::map<int, std::vector<double>> by_class;
    while (std::getline(csv, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
        if (cells.size() != header.size() || cells[1].empty()) continue;  // no NFIQ for this file
        const double ppi = cells[0].rfind("fvc2002_db2b", 0) == 0 ? 569 : 500;
        const Image img = testing::load_grey(shared_data() / "fingerprint" / cells[0], ppi);
        if (img.empty()) continue;
        const double score = fingerprint::assess_quality(img).score;
        scores.push_back(score);
        by_class[std::stoi(cells[1])].push_back(score);
        for (std::size_t i = 6; i < header.size(); ++i)
            if (header[i].find("native") != std::string::npos)
                columns[header[i]].push_back(std::stod(cells[i]));
        columns["nfiq1 (1 best)"].push_back(std::stod(cells[1]));
    }
    ASSERT_GE(scores.size(), 10u);
    for (const auto& [name, values] : columns)
        std::printf("spearman(score, %s) = %+.3f (n=%zu)\n", name.c_str(), spearman(scores, values),
                    scores.size());
    for (const auto& [cls, s] : by_class)
        std::printf("NFIQ1 class %d: n=%zu mean score %.1f\n", cls, s.size(),
                    std::accumulate(s.begin(), s.end(), 0.0) / s.size());
    // The reference holds classes 1-3 only (no 4-5): the best class must average higher than the
    // rest.
    ASSERT_TRUE(by_class.count(1));
    std::vector<double> worse;
    for (const auto& [cls, s] : by_class)
        if (cls >= 2) worse.insert(worse.end(), s.begin(), s.end());
    ASSERT_FALSE(worse.empty());
    const double best_mean =
        std::accumulate(by_class[1].begin(), by_class[1].end(), 0.0) / by_class[1].size();
    const double worse_mean = std::accumulate(worse.begin(), worse.end(), 0.0) / worse.size();
    EXPECT_GT(best_mean, worse_mean);
}

}  // namespace
}  // namespace rekam::bio
