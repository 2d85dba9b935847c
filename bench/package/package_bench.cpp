// Building + signing and verifying a realistic enroll package: 10 finger PNG records
// (400x500), 2 iris PNG records (640x480), 1 face JPEG record (1280x960), synthetic images.
// Record encoding (PNG/JPEG compression) is measured separately from packaging. Sealing to the
// central server (RSA-3072 and EC P-256 recipients) and opening it, on the same package.
#include <benchmark/benchmark.h>

#include "biometrics/package/package.h"
#include "biometrics/package/seal.h"
#include "biometrics/package/tar_io.h"
#include "biometrics/package/verify.h"
#include "fixtures.h"

namespace {

using namespace rekam;

struct Setup {
    testing::TestPki pki = testing::make_test_pki();
    testing::PackageInput input = testing::make_package_input({});
    pkg::StationSigner signer = pkg::StationSigner::from_pem(
        pki.station.key_pem, pki.station.certificate_pem, pki.ca.certificate_pem);
    pkg::PemKeyAndCertificate rsa = pkg::make_certificate({"central", 365, pkg::KeyType::rsa3072});
    pkg::PemKeyAndCertificate ec = pkg::make_certificate({"central", 365, pkg::KeyType::ec_p256});
    std::vector<std::uint8_t> package = pkg::build_package(input.manifest, input.files, signer);
};

// Recipients by state.range(0): 0 RSA-3072, 1 EC P-256, 2 both.
pkg::SealRecipients recipients(const Setup& s, std::int64_t which) {
    pkg::SealRecipients r;
    if (which != 1) r.add_pem(s.rsa.certificate_pem, "rsa");
    if (which != 0) r.add_pem(s.ec.certificate_pem, "ec");
    return r;
}

Setup& setup() {
    static Setup s;
    return s;
}

void BM_EncodeRecords(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(testing::make_package_input({}));
}
BENCHMARK(BM_EncodeRecords)->Unit(benchmark::kMillisecond);

void BM_BuildAndSignPackage(benchmark::State& state) {
    auto& s = setup();
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto tar = pkg::build_package(s.input.manifest, s.input.files, s.signer);
        bytes = tar.size();
        benchmark::DoNotOptimize(tar);
    }
    state.counters["package_bytes"] = static_cast<double>(bytes);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_BuildAndSignPackage)->Unit(benchmark::kMillisecond);

void BM_VerifyPackage(benchmark::State& state) {
    auto& s = setup();
    const auto tar = pkg::build_package(s.input.manifest, s.input.files, s.signer);
    const pkg::VerifyOptions options{std::nullopt, s.pki.ca.certificate_pem};
    for (auto _ : state) {
        auto report = pkg::verify_package(tar, options);
        if (!report.ok()) state.SkipWithError("package did not verify");
        benchmark::DoNotOptimize(report);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * tar.size()));
}
BENCHMARK(BM_VerifyPackage)->Unit(benchmark::kMillisecond);

// Encrypting the signed package and signing its envelope: what sealing adds to Finalize.
void BM_SealPackage(benchmark::State& state) {
    auto& s = setup();
    const auto r = recipients(s, state.range(0));
    for (auto _ : state)
        benchmark::DoNotOptimize(pkg::seal_package(s.package, s.input.manifest, r, s.signer));
    state.counters["package_bytes"] = static_cast<double>(s.package.size());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.package.size()));
}
BENCHMARK(BM_SealPackage)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

// The central side: decrypting package.cms with the RSA or the EC key.
void BM_OpenSealedContent(benchmark::State& state) {
    auto& s = setup();
    const auto sealed = pkg::seal_package(s.package, s.input.manifest, recipients(s, 2), s.signer);
    const auto content = pkg::read_tar(sealed).at(2).data;
    const std::string& key = state.range(0) == 0 ? s.rsa.key_pem : s.ec.key_pem;
    for (auto _ : state) benchmark::DoNotOptimize(pkg::open_sealed_content(content, key));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.package.size()));
}
BENCHMARK(BM_OpenSealedContent)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
