// WSQ encode and decode over every print of one FVC set, at 0.75 bpp (about 15:1, the FBI's
// setting) and 2.25 bpp (about 5:1), with lossless PNG of the same prints in the same run as
// the peer. Each iteration codes the whole set; counters: ratio (raw bytes / coded bytes over
// the set), ratio_min and ratio_max (single prints), psnr_mean and psnr_min (dB, WSQ only),
// prints.
//   build/bench/wsq/rekam_wsq_bench                   fvc2002_db1_b
//   REKAM_WSQ_BENCH_SET=fvc2000_db3_b build/bench/wsq/rekam_wsq_bench
// Without ../shared/data the set is 8 synthetic ridge images (label "synthetic").
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "biometrics/cv_image.h"
#include "biometrics/records/codec.h"
#include "biometrics/records/wsq_codec.h"

namespace {

using rekam::bio::Image;
using rekam::bio::psnr;
using Bytes = std::vector<std::uint8_t>;

std::string set_name() {
    const char* env = std::getenv("REKAM_WSQ_BENCH_SET");
    return env && *env ? env : "fvc2002_db1_b";
}

Image ridges(int width, int height, int seed) {
    Image img = Image::grey(width, height, 500);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const double angle = 0.3 * seed + 0.004 * (x + y);
            const double phase = (x * std::cos(angle) + y * std::sin(angle)) * 2 * M_PI / 9.0;
            img.at(x, y) = static_cast<std::uint8_t>(std::lround(128 + 80 * std::sin(phase)));
        }
    return img;
}

struct Set {
    std::string label;
    std::vector<Image> prints;
    std::size_t raw_bytes = 0;
};

const Set& prints() {
    static const Set set = [] {
        Set s;
        const auto dir = std::filesystem::path(REKAM_SHARED_DATA_DIR) / "fingerprint" / set_name();
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(dir))
            for (const auto& e : std::filesystem::directory_iterator(dir))
                if (e.path().extension() == ".tif" || e.path().extension() == ".png")
                    files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            const cv::Mat m = cv::imread(f.string(), cv::IMREAD_GRAYSCALE);
            if (!m.empty())
                s.prints.push_back(Image{m.cols, m.rows, 1, 500, Bytes(m.datastart, m.dataend)});
        }
        if (s.prints.empty())
            for (int i = 0; i < 8; ++i) s.prints.push_back(ridges(388, 374, i));
        s.label = files.empty() ? "synthetic" : set_name();
        s.label += " (" + std::to_string(s.prints.size()) + " prints " +
                   std::to_string(s.prints.front().width) + "x" +
                   std::to_string(s.prints.front().height) + ")";
        for (const auto& p : s.prints) s.raw_bytes += p.pixels.size();
        return s;
    }();
    return set;
}

std::vector<Bytes> encode_all(double bitrate) {
    std::vector<Bytes> out;
    for (const auto& p : prints().prints)
        out.push_back(bitrate > 0 ? rekam::bio::encode_wsq(p, bitrate) : rekam::bio::encode_png(p));
    return out;
}

// ratio, and for WSQ the PSNR of every print after a round trip.
void set_counters(benchmark::State& state, const std::vector<Bytes>& coded, bool lossy) {
    std::size_t bytes = 0;
    double ratio_min = 1e9, ratio_max = 0;
    for (std::size_t i = 0; i < coded.size(); ++i) {
        bytes += coded[i].size();
        const double r = double(prints().prints[i].pixels.size()) / double(coded[i].size());
        ratio_min = std::min(ratio_min, r);
        ratio_max = std::max(ratio_max, r);
    }
    state.counters["ratio"] = double(prints().raw_bytes) / double(bytes);
    state.counters["ratio_min"] = ratio_min;
    state.counters["ratio_max"] = ratio_max;
    state.counters["prints"] = double(coded.size());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(coded.size()));
    state.SetLabel(prints().label);
    if (!lossy) return;
    double sum = 0, low = 1e9;
    for (std::size_t i = 0; i < coded.size(); ++i) {
        const double p = psnr(prints().prints[i], rekam::bio::decode_wsq(coded[i]));
        sum += p;
        low = std::min(low, p);
    }
    state.counters["psnr_mean"] = sum / double(coded.size());
    state.counters["psnr_min"] = low;
}

// Arg: bit rate in hundredths of a bit per pixel.
void BM_WsqEncode(benchmark::State& state) {
    const double bitrate = double(state.range(0)) / 100;
    std::vector<Bytes> coded;
    for (auto _ : state) coded = encode_all(bitrate);
    set_counters(state, coded, true);
}
BENCHMARK(BM_WsqEncode)->Arg(75)->Arg(225)->Unit(benchmark::kMillisecond);

void BM_WsqDecode(benchmark::State& state) {
    const std::vector<Bytes> coded = encode_all(double(state.range(0)) / 100);
    for (auto _ : state)
        for (const auto& c : coded) benchmark::DoNotOptimize(rekam::bio::decode_wsq(c));
    set_counters(state, coded, true);
}
BENCHMARK(BM_WsqDecode)->Arg(75)->Arg(225)->Unit(benchmark::kMillisecond);

void BM_PngEncode(benchmark::State& state) {
    std::vector<Bytes> coded;
    for (auto _ : state) coded = encode_all(0);
    set_counters(state, coded, false);
}
BENCHMARK(BM_PngEncode)->Unit(benchmark::kMillisecond);

void BM_PngDecode(benchmark::State& state) {
    const std::vector<Bytes> coded = encode_all(0);
    for (auto _ : state)
        for (const auto& c : coded) benchmark::DoNotOptimize(rekam::bio::decode_png(c));
    set_counters(state, coded, false);
}
BENCHMARK(BM_PngDecode)->Unit(benchmark::kMillisecond);

}  // namespace
