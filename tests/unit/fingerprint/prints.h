// Real prints for the fingerprint tests, loaded once with OpenCV imgcodecs (tests only).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "biometrics/image.h"

namespace rekam::bio::testing {

std::filesystem::path fingerprint_data();  // ../shared/data/fingerprint

// FVC2002 DB2_B finger f (101-105), impression i (1-8), at its 569 ppi; empty when absent.
const Image& fvc_db2b(int finger, int impression);

// Every image of REFERENCE-nist-tools.csv with NBIS results: file -> {nfiq1, mindtct count}.
struct NistReference {
    std::string file;
    int nfiq1 = 0;
    int mindtct = 0;
    double ppi = 500;
};
std::vector<NistReference> nist_reference();
Image load_print(const std::string& file, double ppi);

}  // namespace rekam::bio::testing

#define REQUIRE_FINGERPRINT_DATA()                                                              \
    if (rekam::bio::testing::fvc_db2b(101, 1).empty())                                          \
    GTEST_SKIP() << "no FVC2002 DB2_B prints under " << rekam::bio::testing::fingerprint_data() \
                 << " (see DESIGN.md section 6)"
