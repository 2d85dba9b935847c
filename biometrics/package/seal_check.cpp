#include "biometrics/package/seal_check.h"

#include <algorithm>
#include <string>

#include "biometrics/package/hash_chain.h"
#include "biometrics/package/signature_check.h"
#include "biometrics/package/tar_io.h"

namespace rekam::pkg {
namespace {

// Problems added since `from` are named as coming from `part`.
void name_part(VerifyReport& report, std::size_t from, const std::string& part) {
    for (std::size_t i = from; i < report.problems.size(); ++i)
        report.problems[i].message = part + ": " + report.problems[i].message;
}

// The container holds exactly envelope.json, envelope.json.p7s, package.cms, in that order.
bool check_entries(const std::vector<TarEntry>& entries, VerifyReport& report) {
    const std::vector<std::string_view> expected{kEnvelopeName, kEnvelopeSignatureName,
                                                 kSealedContentName};
    bool ok = entries.size() == expected.size();
    for (std::size_t i = 0; ok && i < entries.size(); ++i)
        ok = entries[i].name == expected[i] && entries[i].regular_file;
    if (!ok) {
        std::string names;
        for (const auto& e : entries) names += (names.empty() ? "" : ", ") + e.name;
        report.problems.push_back({"entry-unexpected",
                                   "a sealed package holds envelope.json, envelope.json.p7s and "
                                   "package.cms, in that order; this one holds: " +
                                       names});
    }
    return ok;
}

void check_canonical(std::span<const std::uint8_t> bytes, const std::vector<TarEntry>& entries,
                     const Envelope& envelope, VerifyReport& report) {
    const auto finalized = parse_utc(envelope.finalized_at);
    if (!finalized) {
        report.problems.push_back({"envelope-invalid", "finalized_at \"" + envelope.finalized_at +
                                                           "\" is not a UTC time"});
        return;
    }
    std::vector<std::uint8_t> rebuilt;
    try {
        rebuilt = write_tar(entries, std::chrono::system_clock::to_time_t(*finalized));
    } catch (const PackageError& e) {
        report.problems.push_back({"tar-not-canonical", e.what()});
        return;
    }
    if (!std::equal(bytes.begin(), bytes.end(), rebuilt.begin(), rebuilt.end()))
        report.problems.push_back(
            {"tar-not-canonical",
             "the sealed container's tar layout differs from the canonical writer"});
}

std::optional<std::string> decryption_key(const VerifyOptions& options, VerifyReport& report) {
    if (!options.decryption_key_pem.empty()) return options.decryption_key_pem;
    if (!options.decryption_key_file) return std::nullopt;
    try {
        return read_text_file(*options.decryption_key_file);
    } catch (const CryptoError& e) {
        report.problems.push_back({"key-unreadable", e.what()});
        return std::nullopt;
    }
}

}  // namespace

std::optional<OpenedContent> check_sealed(std::span<const std::uint8_t> bytes,
                                          const VerifyOptions& options, STACK_OF(X509) * anchors,
                                          VerifyReport& report) {
    report.sealed = true;
    const std::size_t before_checks = report.problems.size();
    std::vector<TarEntry> entries;
    try {
        entries = read_tar(bytes);
    } catch (const PackageError& e) {
        report.problems.push_back({"tar-unreadable", e.what()});
        return std::nullopt;
    }
    if (!check_entries(entries, report)) return std::nullopt;
    const TarEntry& header = entries[0];
    const TarEntry& signature = entries[1];
    const TarEntry& content = entries[2];

    const std::string text(header.data.begin(), header.data.end());
    const std::size_t before = report.problems.size();
    check_signature(signature.data, header.data, anchors, report);
    name_part(report, before, std::string(kEnvelopeSignatureName));
    try {
        report.envelope = parse_envelope(text);
    } catch (const ManifestError& e) {
        report.problems.push_back({"envelope-invalid", e.what()});
        return std::nullopt;
    }
    const Envelope& envelope = *report.envelope;
    if (envelope.format != kSealedFormat || envelope.content_file != kSealedContentName ||
        envelope.content_format != kPackageFormat || envelope.encryption != kSealedEncryption)
        report.problems.push_back(
            {"envelope-format", "envelope says format \"" + envelope.format + "\", content \"" +
                                    envelope.content_format + "\" in \"" + envelope.encryption +
                                    "\"; expected " + std::string(kSealedFormat) + " of " +
                                    std::string(kPackageFormat) + " in " +
                                    std::string(kSealedEncryption)});
    if (serialize_envelope(envelope) != text)
        report.problems.push_back(
            {"envelope-not-canonical", "envelope.json is not in canonical form"});
    if (envelope.recipients.empty())
        report.problems.push_back({"envelope-invalid", "envelope.json names no recipient"});
    if (static_cast<long>(content.data.size()) != envelope.content_bytes ||
        to_hex(sha256(content.data)) != envelope.content_sha256)
        report.problems.push_back({"envelope-hash-mismatch",
                                   "package.cms differs from the size or SHA-256 that "
                                   "envelope.json states (altered ciphertext)"});
    check_canonical(bytes, entries, envelope, report);

    const bool intact = report.problems.size() == before_checks;
    const std::optional<std::string> key = decryption_key(options, report);
    if (!key) {
        if (!report.has("key-unreadable"))
            report.problems.push_back(
                {"sealed", "the content is sealed to " +
                               std::to_string(envelope.recipients.size()) +
                               " recipient(s); give a recipient's private key to check it"});
        return std::nullopt;
    }
    // Only content the station's signature vouches for is decrypted: never a ciphertext that
    // differs from what it signed, nor one whose container shows any damage.
    if (!intact) return std::nullopt;
    try {
        return open_sealed_content(content.data, *key);
    } catch (const CryptoError& e) {
        report.problems.push_back({"decrypt-failed", e.what()});
        return std::nullopt;
    }
}

void merge_opened(VerifyReport&& inner, VerifyReport& report) {
    report.opened = true;
    const std::size_t before = report.problems.size();
    for (auto& p : inner.problems) report.problems.push_back(std::move(p));
    name_part(report, before, std::string(kSealedContentName));
    if (report.signer != inner.signer)
        report.problems.push_back(
            {"envelope-signer-mismatch", "the envelope is signed by \"" + report.signer +
                                             "\", the package by \"" + inner.signer + "\""});
    // The report speaks for both signatures: valid and trusted only when both are.
    if (report.trusted || !inner.trusted) report.trust = inner.trust;
    report.signature_valid = report.signature_valid && inner.signature_valid;
    report.trusted = report.trusted && inner.trusted;
    report.signer = inner.signer;
    report.manifest = std::move(inner.manifest);
    if (report.manifest && report.envelope) {
        const Manifest& m = *report.manifest;
        const Envelope& e = *report.envelope;
        if (m.transaction_id != e.transaction_id || m.station_id != e.station_id ||
            m.finalized_at != e.finalized_at)
            report.problems.push_back(
                {"envelope-mismatch", "envelope.json says transaction " + e.transaction_id +
                                          " of station " + e.station_id + " at " + e.finalized_at +
                                          "; the signed manifest says " + m.transaction_id +
                                          " of " + m.station_id + " at " + m.finalized_at});
    }
}

}  // namespace rekam::pkg
