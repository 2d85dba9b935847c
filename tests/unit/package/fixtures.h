// Synthetic images, records, PKI and packages shared by the package tests and benchmarks.
// No gtest here, so the benchmark can link it too.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "biometrics/image.h"
#include "biometrics/package/cms.h"
#include "biometrics/package/manifest.h"
#include "biometrics/package/package.h"
#include "tests/support/temp_dir.h"

namespace rekam::testing {

// Gradient plus deterministic noise: compresses like a real capture, not like a flat image.
bio::Image synthetic_image(int width, int height, int channels, std::uint32_t seed);

using rekam::test::TempDir;

struct TestPki {
    pkg::PemKeyAndCertificate ca;
    pkg::PemKeyAndCertificate station;      // issued by ca
    pkg::PemKeyAndCertificate self_signed;  // its own issuer
};
TestPki make_test_pki();

struct PackageInput {
    pkg::Manifest manifest;  // sealed: hashes and chain filled in
    std::vector<pkg::SampleFile> files;
};

struct PackageSizes {
    int fingers = 10;
    int finger_w = 400, finger_h = 500;
    int irises = 2;
    int iris_w = 640, iris_h = 480;
    bool face = true;
    int face_w = 1280, face_h = 960;
};
PackageInput make_package_input(const PackageSizes& sizes);
// Three tiny samples (finger, iris, face) and one exception: small enough to flip every byte.
PackageInput make_small_package_input();

std::string write_file(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);
std::string write_file(const std::filesystem::path& path, const std::string& text);
std::vector<std::uint8_t> read_file(const std::filesystem::path& path);  // empty when absent

}  // namespace rekam::testing
