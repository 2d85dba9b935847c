#include "bench/v4l2/camera_frames.h"

#include <turbojpeg.h>

#include <stdexcept>

#include "drivers/sim/synth/face_synth.h"
#include "drivers/sim/synth/iris_synth.h"

namespace rekam::bench {
namespace {

std::vector<std::uint8_t> compress_face() {
    sim::FaceSynth synth("3171010101900001");
    sim::FaceScene scene;
    scene.width = 1920;
    scene.height = 1080;
    const auto rgb = synth.impression(scene);
    tjhandle tj = tjInitCompress();
    unsigned char* out = nullptr;
    unsigned long size = 0;
    const int rc = tjCompress2(tj, rgb.pixels.data(), rgb.width, 0, rgb.height, TJPF_RGB, &out,
                               &size, TJSAMP_422, 85, 0);
    std::vector<std::uint8_t> bytes;
    if (rc == 0) bytes.assign(out, out + size);
    tjFree(out);
    tjDestroy(tj);
    if (rc != 0) throw std::runtime_error("tjCompress2 failed");
    return bytes;
}

}  // namespace

const std::vector<std::uint8_t>& face_mjpeg_1080p() {
    static const auto bytes = compress_face();
    return bytes;
}

const std::vector<std::uint8_t>& iris_grey_640x480() {
    static const auto bytes =
        sim::IrisSynth("3171010101900001", 640, 480).impression(sim::Eye::Right).pixels;
    return bytes;
}

}  // namespace rekam::bench
