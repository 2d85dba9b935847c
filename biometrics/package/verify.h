// Verification of an enroll package: everything a receiving office would check, reported as a
// list of problems rather than the first failure, so an operator sees the whole picture.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "biometrics/package/manifest.h"
#include "biometrics/package/seal.h"

namespace rekam::pkg {

struct VerifyOptions {
    // Trust anchors (PEM, one or more certificates). With neither, the signature is checked
    // against the embedded certificate only and the report says trusted = false. Either way
    // every embedded certificate must be signed by its issuer, found in the package or here
    // (certificate-invalid otherwise): stations must embed their chain.
    std::optional<std::filesystem::path> ca_file;
    std::string ca_pem;
    // A recipient's private key (PEM) for a sealed package: its content is opened in memory
    // and checked like any package. Without one a sealed package's envelope is checked and the
    // report says "sealed".
    std::optional<std::filesystem::path> decryption_key_file;
    std::string decryption_key_pem;
};

struct Problem {
    // Stable machine codes: tar-unreadable, tar-not-canonical, entry-missing,
    // entry-unexpected, entry-duplicate, entry-unsafe-name, entry-order, manifest-invalid,
    // manifest-format, manifest-not-canonical, signature-missing, signature-malformed,
    // signature-invalid, signature-untrusted, certificate-invalid, sample-hash-mismatch,
    // chain-mismatch, chain-head-mismatch, record-invalid, record-format-unknown,
    // ca-unreadable; for sealed packages also envelope-invalid, envelope-not-canonical,
    // envelope-format, envelope-hash-mismatch, envelope-mismatch, envelope-signer-mismatch,
    // sealed (no key given), key-unreadable, decrypt-failed.
    std::string code;
    std::string message;
};

struct VerifyReport {
    std::vector<Problem> problems;
    bool signature_valid = false;  // the CMS signature matches manifest.json
    bool trusted = false;          // and the signer chains to a given CA
    std::string trust;             // e.g. "self-signed / untrusted", "trusted (CA: ...)"
    std::string signer;            // subject of the signing certificate
    std::optional<Manifest> manifest;
    bool sealed = false;  // a rekam-enroll-sealed/1 container
    bool opened = false;  // and its content was decrypted and checked
    std::optional<Envelope> envelope;

    bool ok() const { return problems.empty(); }
    bool has(const std::string& code) const;
};

// Signed and sealed packages alike: a sealed one's envelope and signature are checked, then,
// with a decryption key, its content as a signed package and against the envelope.
VerifyReport verify_package(std::span<const std::uint8_t> tar, const VerifyOptions& options = {});

}  // namespace rekam::pkg
