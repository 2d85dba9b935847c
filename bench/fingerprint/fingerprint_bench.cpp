// Per-image cost of the fingerprint stages on real prints (one core, RelWithDebInfo or Release):
// the target is quality + minutiae + record < 15 ms per 500-ppi image (NIST NFIQ 2 alone takes
// 57-95 ms on this machine kind). The 569-ppi FVC2002 DB2 prints are resampled to 500 ppi first.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "biometrics/fingerprint/matcher.h"
#include "biometrics/fingerprint/quality.h"
#include "biometrics/records/finger_minutiae_record.h"

namespace {

using namespace rekam::bio;
const std::filesystem::path kData = std::filesystem::path(REKAM_SHARED_DATA_DIR) / "fingerprint";

Image load(const std::string& file, double ppi) {
    const cv::Mat m = cv::imread((kData / file).string(), cv::IMREAD_GRAYSCALE);
    if (m.empty()) return {};
    return Image{m.cols, m.rows, 1, ppi, std::vector<std::uint8_t>(m.datastart, m.dataend)};
}

struct Print {
    const char* file;
    double ppi;
};
// 500 ppi (FVC2002 DB1 388x374, NIST 832x768) and 569 ppi (FVC2002 DB2 296x560).
const Print kPrints[] = {{"fvc2002_db1_sourceafis/probe.png", 500},
                         {"nist_wsq_sourceafis/wsq-converted.png", 500},
                         {"fvc2002_db2b/101_1.tif", 569}};

template <typename F>
void run(benchmark::State& state, F&& f) {
    const Print& p = kPrints[state.range(0)];
    const Image img = load(p.file, p.ppi);
    if (img.empty()) {
        state.SkipWithError("no fingerprint data under ../shared/data/fingerprint");
        return;
    }
    f(state, img);
    state.SetLabel(std::string(p.file) + " " + std::to_string(img.width) + "x" +
                   std::to_string(img.height));
}

void BM_Analysis(benchmark::State& state) {
    run(state, [](auto& st, const Image& img) {
        for (auto _ : st) benchmark::DoNotOptimize(fingerprint::analyse(img));
    });
}

void BM_Minutiae(benchmark::State& state) {
    run(state, [](auto& st, const Image& img) {
        const auto a = fingerprint::analyse(img);
        for (auto _ : st) benchmark::DoNotOptimize(fingerprint::extract_minutiae(a));
    });
}

void BM_QualityMeasures(benchmark::State& state) {
    run(state, [](auto& st, const Image& img) {
        const auto a = fingerprint::analyse(img);
        const auto m = fingerprint::extract_minutiae(a);
        for (auto _ : st) benchmark::DoNotOptimize(fingerprint::assess_quality(a, m));
    });
}

void BM_RecordEncode(benchmark::State& state) {
    run(state, [](auto& st, const Image& img) {
        const auto m = fingerprint::extract_minutiae(img);
        for (auto _ : st)
            benchmark::DoNotOptimize(
                encode(make_minutiae_record(m, {make_minutiae_view(m, 2, 80)})));
    });
}

// What the daemon does per frame: quality and minutiae from one analysis, then the record.
void BM_QualityMinutiaeRecord(benchmark::State& state) {
    run(state, [](auto& st, const Image& img) {
        for (auto _ : st) {
            const auto r = fingerprint::assess(img);
            benchmark::DoNotOptimize(encode(make_minutiae_record(
                r.minutiae, {make_minutiae_view(r.minutiae, 2, r.quality.score)})));
        }
    });
}

void BM_Match(benchmark::State& state) {
    const Image a = load("fvc2002_db2b/101_1.tif", 569), b = load("fvc2002_db2b/101_2.tif", 569);
    if (a.empty() || b.empty()) {
        state.SkipWithError("no fingerprint data under ../shared/data/fingerprint");
        return;
    }
    const auto ma = fingerprint::extract_minutiae(a), mb = fingerprint::extract_minutiae(b);
    for (auto _ : state) benchmark::DoNotOptimize(fingerprint::match_score(ma, mb));
    state.SetLabel("FVC2002 DB2 101_1 vs 101_2");
}

BENCHMARK(BM_Analysis)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Minutiae)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QualityMeasures)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecordEncode)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QualityMinutiaeRecord)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Match)->Unit(benchmark::kMillisecond);

}  // namespace
