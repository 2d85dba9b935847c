// Per-image quality time. Targets (Release, one core): fingerprint < 5 ms per 500-ppi print,
// iris < 10 ms per 640x480, face < 15 ms per 1280x960.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "biometrics/face/quality.h"
#include "biometrics/fingerprint/quality.h"
#include "biometrics/iris/quality.h"

namespace {

using rekam::bio::Image;
const std::filesystem::path kData = REKAM_SHARED_DATA_DIR;

Image from_mat(const cv::Mat& m, double ppi = 0) {
    return Image{m.cols, m.rows, m.channels(), ppi,
                 std::vector<std::uint8_t>(m.data, m.data + m.total() * m.elemSize())};
}

// The real file at the target geometry, or a synthetic stand-in when the data is absent.
Image load(const std::filesystem::path& file, int flags, cv::Size size, double ppi, bool* real) {
    cv::Mat m = cv::imread(file.string(), flags);
    *real = !m.empty();
    if (m.empty()) {
        m = cv::Mat(size, flags == cv::IMREAD_COLOR ? CV_8UC3 : CV_8UC1);
        cv::randu(m, 0, 255);
        cv::GaussianBlur(m, m, cv::Size(), 2.0);
    }
    if (m.channels() == 3) cv::cvtColor(m, m, cv::COLOR_BGR2RGB);
    if (size.width > 0 && m.size() != size) cv::resize(m, m, size);
    return from_mat(m, ppi);
}

void BM_FingerprintQuality500ppi(benchmark::State& state) {
    bool real = false;
    const Image img = load(kData / "fingerprint/fvc2002_db1_sourceafis/probe.png",
                           cv::IMREAD_GRAYSCALE, {}, 500, &real);
    for (auto _ : state) benchmark::DoNotOptimize(rekam::bio::fingerprint::assess_quality(img));
    state.SetLabel(real ? "FVC2002 DB1 388x374" : "synthetic");
}
BENCHMARK(BM_FingerprintQuality500ppi)->Unit(benchmark::kMillisecond);

void BM_FingerprintQuality569ppi(benchmark::State& state) {
    bool real = false;
    const Image img =
        load(kData / "fingerprint/fvc2002_db2b/101_1.tif", cv::IMREAD_GRAYSCALE, {}, 569, &real);
    for (auto _ : state) benchmark::DoNotOptimize(rekam::bio::fingerprint::assess_quality(img));
    state.SetLabel(real ? "FVC2002 DB2 296x560 (resampled)" : "synthetic");
}
BENCHMARK(BM_FingerprintQuality569ppi)->Unit(benchmark::kMillisecond);

void BM_IrisQuality640x480(benchmark::State& state) {
    bool real = false;
    const Image img =
        load(kData / "iris/casia_irisv2/0000_000.bmp", cv::IMREAD_GRAYSCALE, {640, 480}, 0, &real);
    for (auto _ : state) benchmark::DoNotOptimize(rekam::bio::iris::assess_quality(img));
    state.SetLabel(real ? "CASIA-IrisV2" : "synthetic");
}
BENCHMARK(BM_IrisQuality640x480)->Unit(benchmark::kMillisecond);

void BM_FaceQuality1280x960(benchmark::State& state) {
    bool real = false;
    const Image img = load(kData / "face/face_recognition/obama-1080p.jpg", cv::IMREAD_COLOR,
                           {1280, 960}, 0, &real);
    for (auto _ : state) benchmark::DoNotOptimize(rekam::bio::face::assess_quality(img));
    state.SetLabel(real ? "obama-1080p resized" : "synthetic");
}
BENCHMARK(BM_FaceQuality1280x960)->Unit(benchmark::kMillisecond);

}  // namespace
