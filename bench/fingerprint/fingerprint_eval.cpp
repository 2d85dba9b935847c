// Evaluation of biometrics/fingerprint on ../shared/data/fingerprint, for docs/fingerprint.md:
//   matcher  FNMR/FMR over all genuine and impostor ordered pairs of FVC2002 DB2_B 101-105
//   minutiae our counts next to NBIS mindtct's
//   quality  Spearman rank correlation of our score and measures with NFIQ 1 and NFIQ 2 natives
// Usage: fingerprint_eval [DATA_DIR]   (default: the build's ../shared/data)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "biometrics/fingerprint/matcher.h"
#include "biometrics/fingerprint/quality.h"
#include "tests/support/rank_correlation.h"

namespace fs = std::filesystem;
using namespace rekam::bio;

namespace {

Image load(const fs::path& file, double ppi) {
    const cv::Mat m = cv::imread(file.string(), cv::IMREAD_GRAYSCALE);
    if (m.empty()) return {};
    return Image{m.cols, m.rows, 1, ppi, std::vector<std::uint8_t>(m.datastart, m.dataend)};
}

using rekam::test::spearman;

void matcher(const fs::path& data) {
    std::vector<std::pair<int, fingerprint::Minutiae>> prints;
    for (int f = 101; f <= 105; ++f)
        for (int i = 1; i <= 8; ++i) {
            const Image img =
                load(data / "fvc2002_db2b" / (std::to_string(f) + "_" + std::to_string(i) + ".tif"),
                     569);
            if (img.empty()) return;
            prints.emplace_back(f, fingerprint::extract_minutiae(img));
        }
    std::vector<double> genuine, impostor;
    std::map<int, int> misses;  // genuine pairs below the threshold, per finger
    for (std::size_t i = 0; i < prints.size(); ++i)
        for (std::size_t j = 0; j < prints.size(); ++j) {
            if (i == j) continue;
            const double s = fingerprint::match_score(prints[i].second, prints[j].second);
            const bool same = prints[i].first == prints[j].first;
            (same ? genuine : impostor).push_back(s);
            if (same && s < fingerprint::kMatchThreshold) ++misses[prints[i].first];
        }
    std::sort(impostor.begin(), impostor.end());
    std::sort(genuine.begin(), genuine.end());
    std::printf("matcher: %zu genuine, %zu impostor ordered pairs (FVC2002 DB2_B 101-105)\n",
                genuine.size(), impostor.size());
    std::printf("  impostor max %.2f, 99.9th pct %.2f; genuine min %.2f, median %.2f\n",
                impostor.back(), impostor[impostor.size() * 999 / 1000], genuine.front(),
                genuine[genuine.size() / 2]);
    const auto rates = [&](double t) {
        const double fmr =
            static_cast<double>(impostor.end() -
                                std::lower_bound(impostor.begin(), impostor.end(), t)) /
            impostor.size();
        const double fnmr =
            static_cast<double>(std::lower_bound(genuine.begin(), genuine.end(), t) -
                                genuine.begin()) /
            genuine.size();
        return std::pair{fmr, fnmr};
    };
    std::printf("  genuine pairs below kMatchThreshold per finger (of 56):");
    for (const auto& [f, n] : misses) std::printf(" %d: %d", f, n);
    std::printf("\n");
    const auto [fmr, fnmr] = rates(fingerprint::kMatchThreshold);
    std::printf("  at kMatchThreshold %.2f: FMR %.2f %% (%d), FNMR %.2f %% (%d)\n",
                fingerprint::kMatchThreshold, 100 * fmr, int(std::lround(fmr * impostor.size())),
                100 * fnmr, int(std::lround(fnmr * genuine.size())));
    // The lowest threshold with FMR <= 0.1 %, i.e. at most 1 of 1,440 impostor pairs above it.
    const double t_min = impostor[impostor.size() - 1] + 1e-9;
    const auto [fmr2, fnmr2] = rates(t_min);
    std::printf("  at the lowest threshold with FMR 0 (%.2f): FNMR %.2f %%\n", t_min, 100 * fnmr2);
    const auto [fmr3, fnmr3] = rates(impostor[impostor.size() - 2] + 1e-9);
    std::printf("  at the lowest threshold with FMR <= 0.1 %% (%.2f): FMR %.3f %%, FNMR %.2f %%\n",
                impostor[impostor.size() - 2] + 1e-9, 100 * fmr3, 100 * fnmr3);
}

void quality(const fs::path& data) {
    std::ifstream csv(data / "REFERENCE-nist-tools.csv");
    if (!csv) return;
    std::string line;
    std::getline(csv, line);
    std::vector<std::string> header;
    {
        std::stringstream ss(line);
        for (std::string h; std::getline(ss, h, ',');) header.push_back(h);
    }
    std::map<std::string, std::vector<double>> ours, theirs;
    std::vector<std::string> measure_names;
    std::printf("\nminutiae (ours vs mindtct) and quality per image:\n");
    double ratio_sum = 0;
    int n = 0;
    while (std::getline(csv, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
        if (cells.size() != header.size() || cells[1].empty() || cells[2].empty()) continue;
        const double ppi = cells[0].rfind("fvc2002_db2b", 0) == 0 ? 569 : 500;
        const Image img = load(data / cells[0], ppi);
        if (img.empty()) continue;
        const auto r = fingerprint::assess(img);
        ours["score"].push_back(r.quality.score);
        for (const auto& [k, v] : r.quality.measures) ours[k].push_back(v);
        for (std::size_t i = 1; i < header.size(); ++i)
            if (i <= 2 || header[i].find("native") != std::string::npos)
                theirs[header[i]].push_back(std::stod(cells[i]));
        const double mindtct = std::stod(cells[2]);
        ratio_sum += r.minutiae.points.size() / mindtct;
        ++n;
        std::printf("  %-44s nfiq1 %s mindtct %3.0f ours %3zu score %3d %s\n", cells[0].c_str(),
                    cells[1].c_str(), mindtct, r.minutiae.points.size(), r.quality.score,
                    r.quality.feedback.front().c_str());
    }
    std::printf("  mean ratio ours/mindtct %.2f over %d images\n", ratio_sum / n, n);
    std::printf("\nSpearman rank correlation (n=%d); NFIQ 1 is 1 best, so negative is agreement:\n",
                n);
    std::printf("  %-22s", "");
    for (const auto& [k, _] : theirs) std::printf(" %10.10s", k.substr(k.rfind('.') + 1).c_str());
    std::printf("\n");
    for (const auto& [name, v] : ours) {
        if (v.size() != static_cast<std::size_t>(n)) continue;
        std::printf("  %-22s", name.c_str());
        for (const auto& [k, t] : theirs) std::printf(" %+10.2f", spearman(v, t));
        std::printf("\n");
    }
}

}  // namespace

int main(int argc, char** argv) {
    const fs::path data =
        argc > 1 ? fs::path(argv[1]) : fs::path(REKAM_SHARED_DATA_DIR) / "fingerprint";
    if (!fs::exists(data / "fvc2002_db2b")) {
        std::fprintf(stderr, "no fingerprint data under %s\n", data.c_str());
        return 1;
    }
    matcher(data);
    quality(data);
    return 0;
}
