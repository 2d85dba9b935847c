#include "prints.h"

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

namespace rekam::bio::testing {

std::filesystem::path fingerprint_data() {
    return std::filesystem::path(REKAM_SHARED_DATA_DIR) / "fingerprint";
}

Image load_print(const std::string& file, double ppi) {
    const cv::Mat m = cv::imread((fingerprint_data() / file).string(), cv::IMREAD_GRAYSCALE);
    if (m.empty()) return {};
    return Image{m.cols, m.rows, 1, ppi, std::vector<std::uint8_t>(m.datastart, m.dataend)};
}

const Image& fvc_db2b(int finger, int impression) {
    static std::map<std::pair<int, int>, Image> cache;
    auto [it, fresh] = cache.try_emplace({finger, impression});
    if (fresh)
        it->second = load_print(
            "fvc2002_db2b/" + std::to_string(finger) + "_" + std::to_string(impression) + ".tif",
            569);
    return it->second;
}

std::vector<NistReference> nist_reference() {
    std::vector<NistReference> out;
    std::ifstream csv(fingerprint_data() / "REFERENCE-nist-tools.csv");
    std::string line;
    std::getline(csv, line);  // header: file,nfiq1,mindtct_minutiae,...
    while (std::getline(csv, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
        if (cells.size() < 3 || cells[1].empty() || cells[2].empty()) continue;
        NistReference r{cells[0], std::stoi(cells[1]), std::stoi(cells[2])};
        r.ppi = cells[0].rfind("fvc2002_db2b", 0) == 0 ? 569 : 500;
        out.push_back(r);
    }
    return out;
}

}  // namespace rekam::bio::testing
