// Building an enroll package (format rekam-enroll/1, DESIGN.md §4): a ustar archive holding
//   manifest.json        canonical JSON, see manifest.h
//   manifest.json.p7s    detached CMS signature over manifest.json, see cms.h
//   samples/<position>.<ext>   the ISO records, in manifest (capture) order
//   card/<part>.<ext>          what the e-KTP chip will hold, in the manifest's card order
// The tar is deterministic: fixed mtime (the manifest's finalized_at), uid/gid 0 ("root"),
// mode 0644, so the same manifest, samples and signature give the same bytes, and verification
// can demand exactly that layout. Writing the bytes to disk is the daemon's job.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "biometrics/package/cms.h"
#include "biometrics/package/manifest.h"
#include "biometrics/package/tar_io.h"

namespace rekam::pkg {

inline constexpr std::string_view kManifestName = "manifest.json";
inline constexpr std::string_view kSignatureName = "manifest.json.p7s";
inline constexpr std::string_view kSamplesDir = "samples/";

struct SampleFile {
    std::string path;  // path in the tar, equal to the manifest sample's `file`
    std::vector<std::uint8_t> bytes;
};

struct PackageContent {
    Manifest manifest;
    std::vector<std::pair<std::string /*path in tar*/, std::vector<std::uint8_t>>> files;
};

// "samples/<position>.<ext>" with ext fir / fmr / fac / iir by record format.
std::string sample_path(std::string_view position, std::string_view record_format);

// Fills samples[i].sha256, samples[i].chain_hash and the chain block from files[i]
// (files in the same order as manifest.samples, which is capture order).
void seal_manifest(Manifest& manifest, const std::vector<SampleFile>& files);

// Fills each card part's bytes and sha256 from its file (`files` in the parts' order, one per
// part with a file) and the card's total.
void seal_card(CardInfo& card, const std::vector<SampleFile>& files);

// Checks the manifest against the files (names, hashes, chain, times, the card's parts and
// budget) and throws PackageError on any mismatch, then signs and writes the tar.
std::vector<std::uint8_t> build_package(const Manifest& manifest,
                                        const std::vector<SampleFile>& files,
                                        const StationSigner& signer,
                                        const std::vector<SampleFile>& card_files = {});

// Unverified extraction for tools (use verify_package first). Throws PackageError.
PackageContent read_package(std::span<const std::uint8_t> tar);

}  // namespace rekam::pkg
