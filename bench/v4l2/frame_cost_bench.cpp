// The daemon's per-frame cost for a camera frame: buffer -> image (MJPEG decode with
// libjpeg-turbo, or GREY copy) and the modality's quality score, on one core.
#include <benchmark/benchmark.h>
#include <linux/videodev2.h>
#include <turbojpeg.h>

#include "biometrics/face/quality.h"
#include "biometrics/iris/quality.h"
#include "drivers/sim/synth/face_synth.h"
#include "drivers/sim/synth/iris_synth.h"
#include "drivers/v4l2/frame_convert.h"

namespace {

using namespace rekam;
using drivers::DeviceKind;
using drivers::v4l2::Mode;

std::vector<std::uint8_t> face_mjpeg_1080p() {
    sim::FaceSynth synth("3171010101900001");
    sim::FaceScene scene;
    scene.width = 1920;
    scene.height = 1080;
    const auto rgb = synth.impression(scene);
    tjhandle tj = tjInitCompress();
    unsigned char* out = nullptr;
    unsigned long size = 0;
    tjCompress2(tj, rgb.pixels.data(), rgb.width, 0, rgb.height, TJPF_RGB, &out, &size, TJSAMP_422,
                85, 0);
    std::vector<std::uint8_t> bytes(out, out + size);
    tjFree(out);
    tjDestroy(tj);
    return bytes;
}

const std::vector<std::uint8_t>& mjpeg() {
    static const auto bytes = face_mjpeg_1080p();
    return bytes;
}

const std::vector<std::uint8_t>& grey() {
    static const auto bytes = sim::IrisSynth("3171010101900001").impression(sim::Eye::Right).pixels;
    return bytes;
}

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
