// Per-image cost of the fingerprint stages on real prints (one core, RelWithDebInfo or Release):
// the aims are quality + minutiae + record < 10 ms per 500-ppi image and one match < 0.5 ms
// (NIST: mindtct + nfiq 35.7 ms, NFIQ 2 features 37.6 ms, bozorth3 0.84 ms per pair). The 569-ppi
// FVC2002 DB2 prints are resampled to 500 ppi first.
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

// Every print of one FVC set (80 images), so that the figure is not one lucky image.
std::vector<Image> whole_set(const char* dir) {
    std::vector<Image> out;
    for (int f = 101; f <= 110; ++f)
        for (int i = 1; i <= 8; ++i) {
            Image img = load(
                std::string(dir) + "/" + std::to_string(f) + "_" + std::to_string(i) + ".tif", 500);
            if (!img.empty()) out.push_back(std::move(img));
        }
    return out;
}

// Quality + minutiae + record over all 80 prints of FVC2002 DB1_B, per image.
void BM_QualityMinutiaeRecordWholeSet(benchmark::State& state) {
    const auto prints = whole_set("fvc2002_db1_b");
    if (prints.empty()) return state.SkipWithError("no fvc2002_db1_b under ../shared/data");
    for (auto _ : state)
        for (const Image& img : prints) {
            const auto r = fingerprint::assess(img);
            benchmark::DoNotOptimize(encode(make_minutiae_record(
                r.minutiae, {make_minutiae_view(r.minutiae, 2, r.quality.score)})));
        }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(prints.size()));
    state.SetLabel("FVC2002 DB1_B, all 80 prints; time is per set");
}

// One comparison of two prepared templates, over every ordered pair of FVC2002 DB1_B (6,320).
void BM_MatchWholeSet(benchmark::State& state) {
    const auto prints = whole_set("fvc2002_db1_b");
    if (prints.empty()) return state.SkipWithError("no fvc2002_db1_b under ../shared/data");
    std::vector<fingerprint::FingerTemplate> t;
    for (const Image& img : prints)
        t.push_back(fingerprint::make_template(fingerprint::extract_minutiae(img)));
    for (auto _ : state)
        for (std::size_t i = 0; i < t.size(); ++i)
            for (std::size_t j = 0; j < t.size(); ++j)
                if (i != j) benchmark::DoNotOptimize(fingerprint::match_score(t[i], t[j]));
    state.SetItemsProcessed(state.iterations() *
                            static_cast<std::int64_t>(t.size() * (t.size() - 1)));
    state.SetLabel("FVC2002 DB1_B, every ordered pair; time is per set");
}

// Preparing one template (cylinders) from minutiae, over the same prints.
void BM_TemplateWholeSet(benchmark::State& state) {
    const auto prints = whole_set("fvc2002_db1_b");
    if (prints.empty()) return state.SkipWithError("no fvc2002_db1_b under ../shared/data");
    std::vector<fingerprint::Minutiae> m;
    for (const Image& img : prints) m.push_back(fingerprint::extract_minutiae(img));
    for (auto _ : state)
        for (const auto& one : m) benchmark::DoNotOptimize(fingerprint::make_template(one));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(m.size()));
}

BENCHMARK(BM_Analysis)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Minutiae)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QualityMeasures)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecordEncode)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QualityMinutiaeRecord)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QualityMinutiaeRecordWholeSet)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchWholeSet)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TemplateWholeSet)->Unit(benchmark::kMillisecond);

}  // namespace
