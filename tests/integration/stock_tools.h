// A package checked with stock tools only, as a central office without rekam would: tar,
// openssl cms over the manifest, sha256sum over every file the manifest lists.
#pragma once

#include <filesystem>

#include "biometrics/package/manifest.h"

namespace rekam::test {

// EXPECTs that `package`, extracted into `scratch`, verifies against `ca` with openssl and that
// every sample and card file has the SHA-256 `manifest` gives it.
void expect_stock_tools_accept(const std::filesystem::path& package, const pkg::Manifest& manifest,
                               const std::filesystem::path& ca,
                               const std::filesystem::path& scratch);

}  // namespace rekam::test
