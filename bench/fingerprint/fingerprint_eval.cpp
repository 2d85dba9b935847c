// Evaluation of biometrics/fingerprint on ../shared/data/fingerprint, for docs/fingerprint.md
// (the matcher's is rekam-eval's):
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
    quality(data);
    return 0;
}
