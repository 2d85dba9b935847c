// CMS part of package verification, internal to biometrics/package; also how `rekamctl book
// --verify` checks the registration book's signed checkpoints (the same station signatures).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "biometrics/package/openssl_ptr.h"
#include "biometrics/package/verify.h"

namespace rekam::pkg {

// Checks `p7s` (DER, detached) over `content`: structure, signature, embedded certificates
// and, when `anchors` is non-empty, the chain to them. Adds problems to `report` and sets
// signature_valid, trusted, trust and signer.
void check_signature(std::span<const std::uint8_t> p7s, std::span<const std::uint8_t> content,
                     STACK_OF(X509) * anchors, VerifyReport& report);

// The trust anchors the options name (ca_file, ca_pem); "ca-unreadable" when they name some and
// none can be read.
X509StackPtr load_anchors(const VerifyOptions& options, VerifyReport& report);

}  // namespace rekam::pkg
