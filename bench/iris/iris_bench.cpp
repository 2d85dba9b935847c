// Per 640x480 frame: analyse (segmentation + ISO 29794-6 quality) and encode, and one distance.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "biometrics/iris/iris_code.h"
#include "biometrics/iris/quality.h"
#include "drivers/sim/synth/iris_synth.h"

namespace {

using namespace rekam;

bio::Image real_frame() {
    const auto path =
        std::filesystem::path(REKAM_SHARED_DATA_DIR) / "iris" / "casia_irisv2" / "0000_000.bmp";
    const cv::Mat m = cv::imread(path.string(), cv::IMREAD_GRAYSCALE);
    if (m.empty() || !m.isContinuous()) return {};
    return bio::Image{m.cols, m.rows, 1, 0, {m.data, m.data + m.total()}};
}

void run_chain(benchmark::State& state, const bio::Image& img) {
    for (auto _ : state) {
        const bio::iris::Analysis a = bio::iris::analyse(img);
        benchmark::DoNotOptimize(bio::iris::encode(a));
    }
}

void BM_IrisChainSimulated(benchmark::State& state) {
    run_chain(state, sim::IrisSynth("3201010101900001").impression(sim::Eye::Right));
}
BENCHMARK(BM_IrisChainSimulated)->Unit(benchmark::kMillisecond);

void BM_IrisChainCasia(benchmark::State& state) {
    const bio::Image img = real_frame();
    if (img.empty()) {
        state.SkipWithError("no CASIA-IrisV2 frame in the shared data");
        return;
    }
    run_chain(state, img);
}
BENCHMARK(BM_IrisChainCasia)->Unit(benchmark::kMillisecond);

void BM_IrisDistance(benchmark::State& state) {
    const sim::IrisSynth synth("3201010101900002");
    const auto a = bio::iris::encode(synth.impression(sim::Eye::Left, {0}));
    const auto b = bio::iris::encode(synth.impression(sim::Eye::Left, {1}));
    for (auto _ : state) benchmark::DoNotOptimize(bio::iris::distance(a, b));
}
BENCHMARK(BM_IrisDistance)->Unit(benchmark::kMicrosecond);

}  // namespace
