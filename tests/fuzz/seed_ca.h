// The seed CA for the package fuzz targets, read once from the source tree.
#pragma once

#include <string>

#include "biometrics/package/cms.h"
#include "seed_layout.h"

namespace rekam::fuzz {

inline const std::string& seed_ca_pem() {
    static const std::string pem =
        pkg::read_text_file(std::string(REKAM_FUZZ_CORPUS_DIR) + "/" + kSeedCaFile);
    return pem;
}

}  // namespace rekam::fuzz
