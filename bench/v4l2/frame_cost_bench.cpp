// The daemon's per-frame cost for a camera frame: buffer -> image (MJPEG decode with
// libjpeg-turbo, or GREY copy) and the modality's quality score, on one core.
#include <benchmark/benchmark.h>
#include <linux/videodev2.h>

#include "bench/v4l2/camera_frames.h"
#include "biometrics/face/quality.h"
#include "biometrics/iris/quality.h"
#include "drivers/v4l2/frame_convert.h"

namespace {

using namespace rekam;
using drivers::DeviceKind;
using drivers::v4l2::Mode;

const std::vector<std::uint8_t>& mjpeg() { return bench::face_mjpeg_1080p(); }
const std::vector<std::uint8_t>& grey() { return bench::iris_grey_640x480(); }

const Mode kMjpeg{V4L2_PIX_FMT_MJPEG, 1920, 1080, 30};
const Mode kGrey{V4L2_PIX_FMT_GREY, 640, 480, 30};

void BM_Mjpeg1080pDecode(benchmark::State& state) {
    drivers::v4l2::JpegDecoder jpeg;
    for (auto _ : state)
        benchmark::DoNotOptimize(drivers::v4l2::to_image(kMjpeg, 0, mjpeg().data(), mjpeg().size(),
                                                         DeviceKind::Face, jpeg));
}
BENCHMARK(BM_Mjpeg1080pDecode)->Unit(benchmark::kMillisecond);

void BM_Mjpeg1080pDecodeAndFaceScore(benchmark::State& state) {
    drivers::v4l2::JpegDecoder jpeg;
    for (auto _ : state) {
        auto img = drivers::v4l2::to_image(kMjpeg, 0, mjpeg().data(), mjpeg().size(),
                                           DeviceKind::Face, jpeg);
        benchmark::DoNotOptimize(bio::face::assess_quality(img));
    }
}
BENCHMARK(BM_Mjpeg1080pDecodeAndFaceScore)->Unit(benchmark::kMillisecond);

void BM_Grey480Convert(benchmark::State& state) {
    drivers::v4l2::JpegDecoder jpeg;
    for (auto _ : state)
        benchmark::DoNotOptimize(drivers::v4l2::to_image(kGrey, 640, grey().data(), grey().size(),
                                                         DeviceKind::Iris, jpeg));
}
BENCHMARK(BM_Grey480Convert)->Unit(benchmark::kMillisecond);

void BM_Grey480ConvertAndIrisScore(benchmark::State& state) {
    drivers::v4l2::JpegDecoder jpeg;
    for (auto _ : state) {
        auto img = drivers::v4l2::to_image(kGrey, 640, grey().data(), grey().size(),
                                           DeviceKind::Iris, jpeg);
        benchmark::DoNotOptimize(bio::iris::assess_quality(img));
    }
}
BENCHMARK(BM_Grey480ConvertAndIrisScore)->Unit(benchmark::kMillisecond);

}  // namespace
