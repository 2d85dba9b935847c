// Cost of the simulated kit's pixels: a whole simulated enrollment must stay well under 2 s.
#include <benchmark/benchmark.h>

#include "drivers/sim/synth/synth.h"

namespace rekam::sim {
namespace {

constexpr const char* kNik = "3171234567890001";

// Growing a master print (first impression of a finger), per finger position.
void BM_FingerMaster(benchmark::State& state) {
    const int finger = static_cast<int>(state.range(0));
    for (auto _ : state) {
        FingerprintSynth s(kNik);
        benchmark::DoNotOptimize(s.master(finger));
    }
}
BENCHMARK(BM_FingerMaster)->DenseRange(1, 10)->Unit(benchmark::kMillisecond);

// A further impression of a finger whose master is cached.
void BM_FingerImpression(benchmark::State& state) {
    FingerprintSynth s(kNik);
    s.master(2);
    std::uint32_t i = 0;
    for (auto _ : state) benchmark::DoNotOptimize(s.impression(2, {++i}));
}
BENCHMARK(BM_FingerImpression)->Unit(benchmark::kMillisecond);

void BM_IrisImpression(benchmark::State& state) {
    IrisSynth s(kNik);
    std::uint32_t i = 0;
    for (auto _ : state) benchmark::DoNotOptimize(s.impression(Eye::Left, {++i}));
}
BENCHMARK(BM_IrisImpression)->Unit(benchmark::kMillisecond);

void BM_FaceFrame(benchmark::State& state) {
    FaceSynth s(kNik);
    FaceScene scene;
    scene.exception_photo = state.range(0) != 0;
    std::uint32_t i = 0;
    for (auto _ : state) benchmark::DoNotOptimize(s.impression(scene, {++i}));
}
BENCHMARK(BM_FaceFrame)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// The whole simulated enrollment: 10 fingers x 3 impressions, 2 irises x 3, 3 face frames.
void BM_WholeEnrollment(benchmark::State& state) {
    for (auto _ : state) {
        FingerprintSynth f(kNik);
        IrisSynth iris(kNik);
        FaceSynth face(kNik);
        for (int finger = 1; finger <= 10; ++finger)
            for (std::uint32_t i = 0; i < 3; ++i)
                benchmark::DoNotOptimize(f.impression(finger, {i}));
        for (std::uint32_t i = 0; i < 3; ++i) {
            benchmark::DoNotOptimize(iris.impression(Eye::Right, {i}));
            benchmark::DoNotOptimize(iris.impression(Eye::Left, {i}));
            benchmark::DoNotOptimize(face.impression({}, {i}));
        }
    }
}
BENCHMARK(BM_WholeEnrollment)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace rekam::sim
