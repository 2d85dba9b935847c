// Building + signing and verifying a realistic enroll package: 10 finger PNG records
// (400x500), 2 iris PNG records (640x480), 1 face JPEG record (1280x960), synthetic images.
// Record encoding (PNG/JPEG compression) is measured separately from packaging.
#include <benchmark/benchmark.h>

#include "biometrics/package/package.h"
#include "biometrics/package/verify.h"
#include "fixtures.h"

namespace {

using namespace rekam;

struct Setup {
    testing::TestPki pki = testing::make_test_pki();
    testing::PackageInput input = testing::make_package_input({});
    pkg::StationSigner signer = pkg::StationSigner::from_pem(
        pki.station.key_pem, pki.station.certificate_pem, pki.ca.certificate_pem);
};

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

}  // namespace
