// The sealed container's part of package verification. Internal to biometrics/package.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "biometrics/package/openssl_ptr.h"
#include "biometrics/package/seal.h"
#include "biometrics/package/verify.h"

namespace rekam::pkg {

// Checks a sealed package's container (its three entries, canonical tar), envelope.json (strict,
// canonical, its station signature against `anchors`) and package.cms against the envelope's
// size and hash; then, given a decryption key and no problem so far, opens package.cms. Problems go
// into `report` (sealed = true, envelope, and the envelope's signature fields); the content comes
// back only when it was decrypted and authenticated.
std::optional<OpenedContent> check_sealed(std::span<const std::uint8_t> bytes,
                                          const VerifyOptions& options, STACK_OF(X509) * anchors,
                                          VerifyReport& report);

// Folds the check of the opened content (`inner`) into the sealed package's report: its
// problems (named as package.cms's), manifest and signature, and whether the envelope tells
// the manifest's truth, signed by the same station.
void merge_opened(VerifyReport&& inner, VerifyReport& report);

}  // namespace rekam::pkg
