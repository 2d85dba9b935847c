// The sealed enroll package (format rekam-enroll-sealed/1): the signed package, encrypted to
// the central server's certificates, so a copied spool or an intercepted upload shows nothing.
// A ustar archive, written as deterministically as the package itself, holding
//   envelope.json       the clear header a router needs: transaction id, station, time, the
//                       recipients' certificate fingerprints, the size and SHA-256 of package.cms
//   envelope.json.p7s   the station's detached CMS signature over envelope.json
//   package.cms         CMS AuthEnvelopedData (RFC 5083, AES-256-GCM) of the rekam-enroll/1 tar;
//                       RSA recipients by RSAES-OAEP-SHA256, EC P-256 ones by ECDH with an
//                       SHA-256 KDF and AES-256 key wrap
// The signature binds the header and, through its hash, every byte of the ciphertext, so a
// router checks the station and the integrity without any key; only a recipient's private key
// opens the content, and verification then demands that the header tells the inner manifest's
// truth. Stock tools read every part:
//   openssl cms -verify -binary -inform DER -in envelope.json.p7s -content envelope.json -CAfile
//   ca.pem openssl cms -decrypt -binary -inform DER -in package.cms -inkey central-key.pem -out
//   x.rekam
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "biometrics/package/cms.h"
#include "biometrics/package/manifest.h"

namespace rekam::pkg {

inline constexpr std::string_view kSealedFormat = "rekam-enroll-sealed/1";
inline constexpr std::string_view kEnvelopeName = "envelope.json";
inline constexpr std::string_view kEnvelopeSignatureName = "envelope.json.p7s";
inline constexpr std::string_view kSealedContentName = "package.cms";
inline constexpr std::string_view kSealedEncryption = "CMS AuthEnvelopedData, AES-256-GCM";

struct EnvelopeRecipient {
    std::string certificate_sha256;  // SHA-256 of the certificate's DER, lower-case hex
    std::string subject;             // RFC 2253
    std::string key_management;      // "rsaes-oaep-sha256" or "ecdh-p256-sha256kdf-aes256wrap"
    bool operator==(const EnvelopeRecipient&) const = default;
};

struct Envelope {
    std::string format{kSealedFormat};
    std::string transaction_id;  // these three repeat the inner manifest's
    std::string station_id;
    std::string finalized_at;
    std::string content_file{kSealedContentName};
    std::string content_format{kPackageFormat};
    std::string encryption{kSealedEncryption};
    long content_bytes = 0;
    std::string content_sha256;
    std::vector<EnvelopeRecipient> recipients;
    bool operator==(const Envelope&) const = default;
};

// Canonical bytes (sorted keys, 2-space indent, final newline), as for the manifest.
std::string serialize_envelope(const Envelope& e);
// Strict: unknown or missing keys and wrong types throw ManifestError.
Envelope parse_envelope(std::string_view json);

// The central server's certificates a package is sealed to: one or more (two while its key is
// rotated), each RSA of at least 2048 bits or EC P-256. Throws CryptoError naming the reason.
class SealRecipients {
  public:
    SealRecipients();
    static SealRecipients from_pem(std::string_view pem, const std::string& origin);
    // Adds every certificate of `pem`; `origin` (a file, a config key) names it in errors.
    void add_pem(std::string_view pem, const std::string& origin);
    const std::vector<EnvelopeRecipient>& described() const { return described_; }
    STACK_OF(X509) * certificates() const { return certificates_.get(); }

  private:
    X509StackPtr certificates_;
    std::vector<EnvelopeRecipient> described_;
};

// Seals a signed package (the bytes build_package() gave for `manifest`).
std::vector<std::uint8_t> seal_package(std::span<const std::uint8_t> signed_package,
                                       const Manifest& manifest, const SealRecipients& recipients,
                                       const StationSigner& signer);

// A tar whose first entry is envelope.json: a sealed package, to be checked as such.
bool is_sealed_package(std::span<const std::uint8_t> bytes);

// The plaintext of an opened package.cms; wiped from memory when it goes.
class OpenedContent {
  public:
    explicit OpenedContent(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
    OpenedContent(OpenedContent&&) noexcept = default;
    OpenedContent& operator=(OpenedContent&&) = delete;
    OpenedContent(const OpenedContent&) = delete;
    ~OpenedContent();
    std::span<const std::uint8_t> bytes() const { return bytes_; }

  private:
    std::vector<std::uint8_t> bytes_;
};

// Decrypts package.cms (DER AuthEnvelopedData) in memory with a recipient's private key (PEM).
// Throws CryptoError when the key opens none of its recipients or the GCM tag does not match:
// OpenSSL has by then produced the unauthenticated plaintext, which is wiped, never returned.
OpenedContent open_sealed_content(std::span<const std::uint8_t> cms_der,
                                  std::string_view private_key_pem);

}  // namespace rekam::pkg
