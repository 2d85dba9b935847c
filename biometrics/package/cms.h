// The station's signature over manifest.json: detached CMS SignedData (DER), binary content,
// signer certificate and chain included, so stock tools verify it:
//   openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json
//       -CAfile ca.pem
// Key and certificate files are the only files biometrics/ ever touches.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "biometrics/package/openssl_ptr.h"

namespace rekam::pkg {

class StationSigner {
  public:
    // PEM private key, PEM certificate, optional PEM bundle of intermediate/CA certificates.
    // Throws CryptoError when unreadable or when the key does not match the certificate.
    static StationSigner from_files(const std::filesystem::path& key,
                                    const std::filesystem::path& certificate,
                                    const std::optional<std::filesystem::path>& chain = {});
    static StationSigner from_pem(std::string_view key_pem, std::string_view certificate_pem,
                                  std::string_view chain_pem = {});

    std::vector<std::uint8_t> sign_detached(std::span<const std::uint8_t> content) const;

    std::string subject() const;  // one-line RFC 2253 subject of the station certificate
    std::string certificate_pem() const;
    // Seconds from `now` (Unix time) until the certificate expires: negative once it has. And
    // whether it is valid yet (notBefore reached).
    long long seconds_until_expiry(std::time_t now) const;
    std::string not_after() const;  // UTC, ISO 8601 with Z
    bool valid_yet(std::time_t now) const;

  private:
    StationSigner() = default;
    EvpPkeyPtr key_;
    X509Ptr certificate_;
    X509StackPtr chain_;
};

enum class KeyType { ec_p256, rsa3072 };

struct CertificateSpec {
    std::string common_name;
    int days = 3650;
    KeyType key_type = KeyType::ec_p256;
    bool is_ca = false;
};

struct PemKeyAndCertificate {
    std::string key_pem;
    std::string certificate_pem;
};

// Makes a key and certificate: self-signed when `issuer` is null, else signed by it.
// CA certificates get basicConstraints CA:TRUE and keyCertSign; others digitalSignature and
// nonRepudiation (valid for CMS signing).
PemKeyAndCertificate make_certificate(const CertificateSpec& spec,
                                      const PemKeyAndCertificate* issuer = nullptr);

// For stations with no key configured: writes a fresh key (mode 0600) and a self-signed
// certificate. Packages signed with it verify but are reported untrusted.
void generate_self_signed(const std::filesystem::path& key_path,
                          const std::filesystem::path& certificate_path,
                          const std::string& common_name, int days = 3650,
                          KeyType key_type = KeyType::ec_p256);

// Parsing helpers shared with verification.
X509Ptr certificate_from_pem(std::string_view pem);
X509StackPtr certificates_from_pem(std::string_view pem);  // zero or more
std::string certificate_subject(X509* certificate);        // one line, RFC 2253
std::string read_text_file(const std::filesystem::path& path);

}  // namespace rekam::pkg
