// Where the fuzz targets and the seed writer find what they share.
#pragma once

namespace rekam::fuzz {

// The CA that issued the station of the committed package seeds, beside the seed folders
// (tests/fuzz/corpus/); the verifier targets trust it so seeds reach the "trusted" paths.
inline constexpr const char* kSeedCaFile = "seed-ca.pem";

}  // namespace rekam::fuzz
