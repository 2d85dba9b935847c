// The record image codecs on one real set per modality, every image of it per iteration:
// JPEG 2000 lossless and lossy (OpenJPEG) beside PNG and JPEG, encode and decode, with the
// mean bytes and PSNR per image as counters. Plus the face record's token image (480x640 from
// the 1080p photo) at a card budget. Figures and the command: docs/jpeg2000.md.
//   prints: fvc2002_db1_b (80 x 388x374 grey, 500 ppi)   irises: iitd_v1_subset (320x240 grey)
//   faces:  caltech_faces_1999 (448x296 RGB)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "biometrics/cv_image.h"
#include "biometrics/face/quality.h"
#include "biometrics/face/token.h"
#include "biometrics/records/codec.h"

namespace {

using rekam::bio::Image;
using rekam::bio::psnr;
namespace fs = std::filesystem;

const fs::path kData = REKAM_SHARED_DATA_DIR;

Image from_mat(const cv::Mat& m, double ppi) {
    return Image{m.cols, m.rows, m.channels(), ppi,
                 std::vector<std::uint8_t>(m.data, m.data + m.total() * m.elemSize())};
}

// Every image file under `dir` (recursively), grey or RGB, sorted by path.
std::vector<Image> load_set(const fs::path& dir, bool colour, double ppi) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        const auto ext = it->path().extension();
        if (ext == ".tif" || ext == ".bmp" || ext == ".jpg" || ext == ".png")
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    std::vector<Image> out;
    for (const auto& f : files) {
        cv::Mat m = cv::imread(f.string(), colour ? cv::IMREAD_COLOR : cv::IMREAD_GRAYSCALE);
        if (m.empty()) continue;
        if (colour) cv::cvtColor(m, m, cv::COLOR_BGR2RGB);
        out.push_back(from_mat(m, ppi));
    }
    return out;
}

const std::vector<Image>& prints() {
    static const auto set = load_set(kData / "fingerprint/fvc2002_db1_b", false, 500);
    return set;
}
const std::vector<Image>& irises() {
    static const auto set = load_set(kData / "iris/iitd_v1_subset", false, 0);
    return set;
}
const std::vector<Image>& faces() {
    static const auto set = load_set(kData / "face/caltech_faces_1999", true, 0);
    return set;
}

// The 480x640 token image the face record carries, from the 1080p photo and its detected eyes.
const Image& token_image() {
    static const Image token = [] {
        const cv::Mat bgr = cv::imread((kData / "face/face_recognition/obama-1080p.jpg").string());
        if (bgr.empty()) return Image{};
        cv::Mat rgb;
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        const Image photo = from_mat(rgb, 0);
        const auto analysis = rekam::bio::face::analyse_face(photo);
        if (!analysis.eyes) return Image{};
        return rekam::bio::face::make_token_image(photo, *analysis.eyes, 480).image;
    }();
    return token;
}

using Encoder = std::function<std::vector<std::uint8_t>(const Image&)>;
using Decoder = std::function<Image(std::span<const std::uint8_t>)>;

struct Codec {
    Encoder encode;
    Decoder decode;
};

Codec png() { return {rekam::bio::encode_png, rekam::bio::decode_png}; }
Codec jpeg(int quality) {
    return {[quality](const Image& i) { return rekam::bio::encode_jpeg(i, quality); },
            rekam::bio::decode_jpeg};
}
Codec jp2_lossless() { return {rekam::bio::encode_jp2_lossless, rekam::bio::decode_jp2}; }
Codec jp2_lossy(rekam::bio::Jp2Target target) {
    return {[target](const Image& i) { return rekam::bio::encode_jp2_lossy(i, target); },
            rekam::bio::decode_jp2};
}

// Sets the per-image counters: bytes, raw/bytes ratio, PSNR (OpenCV gives 361 for exact), time per
// image.
void quality_counters(benchmark::State& state, const std::vector<Image>& set, const Codec& codec) {
    double bytes = 0, raw = 0, quality = 0;
    for (const auto& img : set) {
        const auto data = codec.encode(img);
        bytes += static_cast<double>(data.size());
        raw += static_cast<double>(img.pixels.size());
        quality += psnr(img, codec.decode(data));
    }
    const double n = static_cast<double>(set.size());
    state.counters["images"] = n;
    state.counters["bytes"] = bytes / n;
    state.counters["ratio"] = raw / bytes;
    state.counters["psnr_db"] = quality / n;
    state.counters["per_image"] = benchmark::Counter(
        n, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void encode_set(benchmark::State& state, const std::vector<Image>& (*set)(), Codec codec) {
    const auto& images = set();
    if (images.empty()) return state.SkipWithError("image set absent under ../shared/data");
    for (auto _ : state)
        for (const auto& img : images) benchmark::DoNotOptimize(codec.encode(img));
    quality_counters(state, images, codec);
}

void decode_set(benchmark::State& state, const std::vector<Image>& (*set)(), Codec codec) {
    const auto& images = set();
    if (images.empty()) return state.SkipWithError("image set absent under ../shared/data");
    std::vector<std::vector<std::uint8_t>> files;
    for (const auto& img : images) files.push_back(codec.encode(img));
    for (auto _ : state)
        for (const auto& f : files) benchmark::DoNotOptimize(codec.decode(f));
    quality_counters(state, images, codec);
}

using rekam::bio::Jp2Target;

// Wall time throughout: OpenJPEG codes large images on worker threads, whose CPU time the
// calling thread's clock does not see.
#define REKAM_SET_BENCH(set, name, codec)                   \
    BENCHMARK_CAPTURE(encode_set, set##_##name, set, codec) \
        ->Unit(benchmark::kMillisecond)                     \
        ->UseRealTime();                                    \
    BENCHMARK_CAPTURE(decode_set, set##_##name, set, codec) \
        ->Unit(benchmark::kMillisecond)                     \
        ->UseRealTime()

// Prints and irises: lossless candidates (PNG today) and lossy at ratios 10 and 15 (the
// ANSI/NIST ceiling for prints is 15:1), with JPEG as the lossy peer.
REKAM_SET_BENCH(prints, png, png());
REKAM_SET_BENCH(prints, jp2_lossless, jp2_lossless());
REKAM_SET_BENCH(prints, jp2_ratio10, jp2_lossy(Jp2Target::compression_ratio(10)));
REKAM_SET_BENCH(prints, jp2_ratio15, jp2_lossy(Jp2Target::compression_ratio(15)));
REKAM_SET_BENCH(prints, jpeg_q90, jpeg(90));
REKAM_SET_BENCH(irises, png, png());
REKAM_SET_BENCH(irises, jp2_lossless, jp2_lossless());
REKAM_SET_BENCH(irises, jp2_ratio10, jp2_lossy(Jp2Target::compression_ratio(10)));
REKAM_SET_BENCH(irises, jp2_ratio15, jp2_lossy(Jp2Target::compression_ratio(15)));
REKAM_SET_BENCH(irises, jpeg_q90, jpeg(90));
// Faces: JPEG as today, lossless for reference, lossy JPEG 2000 at ratios 15 and 30.
REKAM_SET_BENCH(faces, jpeg_q90, jpeg(90));
REKAM_SET_BENCH(faces, png, png());
REKAM_SET_BENCH(faces, jp2_lossless, jp2_lossless());
REKAM_SET_BENCH(faces, jp2_ratio15, jp2_lossy(Jp2Target::compression_ratio(15)));
REKAM_SET_BENCH(faces, jp2_ratio30, jp2_lossy(Jp2Target::compression_ratio(30)));

// The card portrait: the token image at a byte budget (arg: bytes), JPEG 2000 and, as its peer,
// the highest JPEG quality that fits the same budget (or quality 1 when none does).
void token_jp2(benchmark::State& state) {
    const Image& token = token_image();
    if (token.empty()) return state.SkipWithError("no obama-1080p.jpg, or no eyes found in it");
    const auto target = Jp2Target::byte_budget(static_cast<std::size_t>(state.range(0)));
    std::vector<std::uint8_t> out;
    for (auto _ : state) out = rekam::bio::encode_jp2_lossy(token, target);
    state.counters["bytes"] = static_cast<double>(out.size());
    state.counters["psnr_db"] = psnr(token, rekam::bio::decode_jp2(out));
}
BENCHMARK(token_jp2)->Arg(4000)->Arg(4500)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();

void token_jp2_decode(benchmark::State& state) {
    const Image& token = token_image();
    if (token.empty()) return state.SkipWithError("no obama-1080p.jpg, or no eyes found in it");
    const auto data = rekam::bio::encode_jp2_lossy(
        token, Jp2Target::byte_budget(static_cast<std::size_t>(state.range(0))));
    for (auto _ : state) benchmark::DoNotOptimize(rekam::bio::decode_jp2(data));
}
BENCHMARK(token_jp2_decode)->Arg(4500)->Unit(benchmark::kMillisecond)->UseRealTime();

void token_jpeg(benchmark::State& state) {
    const Image& token = token_image();
    if (token.empty()) return state.SkipWithError("no obama-1080p.jpg, or no eyes found in it");
    const auto budget = static_cast<std::size_t>(state.range(0));
    int quality = 100;
    while (quality > 1 && rekam::bio::encode_jpeg(token, quality).size() > budget) --quality;
    std::vector<std::uint8_t> out;
    for (auto _ : state) out = rekam::bio::encode_jpeg(token, quality);
    state.counters["quality"] = quality;
    state.counters["bytes"] = static_cast<double>(out.size());
    state.counters["fits"] = out.size() <= budget;  // 0: not even quality 1 fits
    state.counters["psnr_db"] = psnr(token, rekam::bio::decode_jpeg(out));
}
BENCHMARK(token_jpeg)
    ->Arg(4000)
    ->Arg(4500)
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
