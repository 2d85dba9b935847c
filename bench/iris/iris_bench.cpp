// Per frame: analyse (segmentation + ISO 29794-6 quality) and encode, over every frame of a set
// (real 640x480 CASIA-IrisV2, real 320x240 IIT Delhi, simulated 640x480), and one distance.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "biometrics/iris/iris_code.h"
#include "biometrics/iris/quality.h"
#include "drivers/sim/synth/iris_synth.h"

namespace {

using namespace rekam;

// Every image under shared data's iris/<set> (subfolders too), in name order.
std::vector<bio::Image> real_set(const char* set) {
    const auto root = std::filesystem::path(REKAM_SHARED_DATA_DIR) / "iris" / set;
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        const auto ext = it->path().extension();
        if (ext == ".bmp" || ext == ".png") files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    std::vector<bio::Image> out;
    for (const auto& f : files) {
        const cv::Mat m = cv::imread(f.string(), cv::IMREAD_GRAYSCALE);
        if (!m.empty() && m.isContinuous())
            out.push_back(bio::Image{m.cols, m.rows, 1, 0, {m.data, m.data + m.total()}});
    }
    return out;
}

// One iteration runs the whole set; items per second are frames per second.
void run_chain(benchmark::State& state, const std::vector<bio::Image>& frames) {
    if (frames.empty()) {
        state.SkipWithError("no frames of this set in the shared data");
        return;
    }
    for (auto _ : state)
        for (const bio::Image& img : frames) {
            const bio::iris::Analysis a = bio::iris::analyse(img);
            benchmark::DoNotOptimize(bio::iris::encode(a));
        }
    state.counters["frames"] = static_cast<double>(frames.size());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
}

void BM_IrisChainSimulated(benchmark::State& state) {
    std::vector<bio::Image> frames;
    for (int s = 0; s < 4; ++s) {
        const sim::IrisSynth synth("320101010190000" + std::to_string(s + 1));
        for (sim::Eye eye : {sim::Eye::Right, sim::Eye::Left})
            frames.push_back(synth.impression(eye));
    }
    run_chain(state, frames);
}
BENCHMARK(BM_IrisChainSimulated)->Unit(benchmark::kMillisecond);

void BM_IrisChainCasia(benchmark::State& state) { run_chain(state, real_set("casia_irisv2")); }
BENCHMARK(BM_IrisChainCasia)->Unit(benchmark::kMillisecond);

void BM_IrisChainIitd(benchmark::State& state) { run_chain(state, real_set("iitd_v1_subset")); }
BENCHMARK(BM_IrisChainIitd)->Unit(benchmark::kMillisecond);

void BM_IrisDistance(benchmark::State& state) {
    const sim::IrisSynth synth("3201010101900002");
    const auto a = bio::iris::encode(synth.impression(sim::Eye::Left, {0}));
    const auto b = bio::iris::encode(synth.impression(sim::Eye::Left, {1}));
    for (auto _ : state) benchmark::DoNotOptimize(bio::iris::distance(a, b));
}
BENCHMARK(BM_IrisDistance)->Unit(benchmark::kMicrosecond);

}  // namespace
