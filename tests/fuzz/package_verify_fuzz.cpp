// libFuzzer target: verify_package over any bytes, once with the seed CA as trust anchor and
// once without, must return a report (never throw or crash), and an input it calls valid must
// carry a manifest and a valid signature.
#include <cstdint>
#include <cstdlib>

#include "biometrics/package/verify.h"
#include "seed_ca.h"

namespace {

void check(const rekam::pkg::VerifyReport& report) {
    if (report.ok() && (!report.manifest || !report.signature_valid)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const rekam::pkg::VerifyOptions with_ca{std::nullopt, rekam::fuzz::seed_ca_pem()};
    const std::span<const std::uint8_t> bytes(data, size);
    check(rekam::pkg::verify_package(bytes));
    const auto trusted = rekam::pkg::verify_package(bytes, with_ca);
    check(trusted);
    if (trusted.ok() && !trusted.trusted) std::abort();
    return 0;
}
