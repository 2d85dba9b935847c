// libFuzzer target: the CMS signature check of a package, with and without the seed CA.
// Input: [signature length, 2 bytes little-endian][DER signature][signed content], so a seed
// can carry a signature that matches its content. The check must report, never throw.
#include <cstdint>
#include <cstdlib>

#include "biometrics/package/signature_check.h"
#include "seed_ca.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rekam::pkg;
    static const X509StackPtr anchors = certificates_from_pem(rekam::fuzz::seed_ca_pem());
    static const X509StackPtr none(sk_X509_new_null());
    if (size < 2) return 0;
    const std::size_t length = std::min<std::size_t>(data[0] | data[1] << 8, size - 2);
    const std::span<const std::uint8_t> p7s(data + 2, length);
    const std::span<const std::uint8_t> content(data + 2 + length, size - 2 - length);
    VerifyReport untrusted;
    check_signature(p7s, content, none.get(), untrusted);
    if (untrusted.trusted) std::abort();
    VerifyReport trusted;
    check_signature(p7s, content, anchors.get(), trusted);
    if (trusted.trusted && !trusted.signature_valid) std::abort();
    if (untrusted.signature_valid != trusted.signature_valid) std::abort();
    return 0;
}
