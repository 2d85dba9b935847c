// Detection + every check per 1920x1080 frame: a full detection each frame (analyse_face) against
// FaceTracker on a moving stream (tracking between frames, a full detection every 15th). Frames:
// the real 1080p photo from ../shared/data/face when present, and a simulated portrait.
// Run on one core: taskset -c 0 face_bench (OpenCV is told to use one thread below).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "biometrics/face/quality.h"
#include "biometrics/face/tracker.h"
#include "drivers/sim/synth/face_synth.h"

namespace {

using rekam::bio::Image;

Image from_bgr(const cv::Mat& bgr) {
    Image img = Image::rgb(bgr.cols, bgr.rows);
    cv::Mat dst(bgr.rows, bgr.cols, CV_8UC3, img.pixels.data());
    cv::cvtColor(bgr, dst, cv::COLOR_BGR2RGB);
    return img;
}

Image real_1080p() {
    const auto file =
        std::filesystem::path(REKAM_SHARED_DATA_DIR) / "face/face_recognition/obama-1080p.jpg";
    const cv::Mat bgr = cv::imread(file.string());
    return bgr.empty() ? Image{} : from_bgr(bgr);
}

Image sim_1080p() {
    rekam::sim::FaceScene scene;
    scene.width = 1920;
    scene.height = 1080;
    return rekam::sim::FaceSynth("bench").impression(scene);
}

// 30 frames of a head drifting a few pixels per frame, as a live stream does.
std::vector<Image> stream(const Image& base) {
    std::vector<Image> frames;
    const cv::Mat src(base.height, base.width, CV_8UC3,
                      const_cast<std::uint8_t*>(base.pixels.data()));
    for (int i = 0; i < 30; ++i) {
        Image f = Image::rgb(base.width, base.height);
        cv::Mat dst(f.height, f.width, CV_8UC3, f.pixels.data());
        const cv::Mat t = (cv::Mat_<double>(2, 3) << 1, 0, 2 * (i % 10), 0, 1, i % 7);
        cv::warpAffine(src, dst, t, src.size(), cv::INTER_NEAREST, cv::BORDER_REPLICATE);
        frames.push_back(std::move(f));
    }
    return frames;
}

void run(benchmark::State& state, const Image& base, bool tracking) {
    cv::setNumThreads(1);
    if (base.empty()) {
        state.SkipWithError("no ../shared/data/face photo");
        return;
    }
    const std::vector<Image> frames = stream(base);
    rekam::bio::face::FaceTracker tracker({1991, false});
    std::size_t i = 0, found = 0;
    for (auto _ : state) {
        const Image& f = frames[i++ % frames.size()];
        const auto a =
            tracking ? tracker.next(f) : rekam::bio::face::analyse_face(f, {1991, false});
        found += a.faces == 1;
        benchmark::DoNotOptimize(a);
    }
    state.counters["found"] = static_cast<double>(found) / static_cast<double>(state.iterations());
    if (tracking)
        state.counters["full_detections"] = static_cast<double>(tracker.full_detections()) /
                                            static_cast<double>(state.iterations());
}

void BM_Face1080pFullDetection_Real(benchmark::State& s) { run(s, real_1080p(), false); }
void BM_Face1080pTracking_Real(benchmark::State& s) { run(s, real_1080p(), true); }
void BM_Face1080pFullDetection_Sim(benchmark::State& s) { run(s, sim_1080p(), false); }
void BM_Face1080pTracking_Sim(benchmark::State& s) { run(s, sim_1080p(), true); }

BENCHMARK(BM_Face1080pFullDetection_Real)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Face1080pTracking_Real)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Face1080pFullDetection_Sim)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Face1080pTracking_Sim)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
