// Pure pieces of the V4L2 backend: which mode a camera role needs and how a captured buffer
// becomes a bio::Image. No device access here, so they are unit-tested directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "biometrics/image.h"
#include "drivers/device.h"

namespace rekam::drivers::v4l2 {

struct Mode {
    std::uint32_t fourcc = 0;
    int width = 0;
    int height = 0;
    double fps = 0;  // best the camera offers at this size, 0 when it does not say
};

std::string fourcc_name(std::uint32_t fourcc);
std::string describe(const Mode& mode);  // "MJPG 1920x1080@30"

// The formats a role can use, best first: iris GREY > YUYV > MJPG, face MJPG > YUYV > GREY.
std::vector<std::uint32_t> usable_formats(DeviceKind role);
// The mode to stream for `role`: the first usable format in preference order, at its largest
// size. Empty when the camera offers none of the usable formats.
std::optional<Mode> choose_mode(DeviceKind role, const std::vector<Mode>& modes);

// Decodes MJPEG with libjpeg-turbo; one per stream (the handle is reused across frames).
class JpegDecoder {
  public:
    JpegDecoder();
    ~JpegDecoder();
    JpegDecoder(const JpegDecoder&) = delete;
    JpegDecoder& operator=(const JpegDecoder&) = delete;
    // Throws std::runtime_error with libjpeg-turbo's message on a corrupt frame.
    bio::Image decode(const std::uint8_t* data, std::size_t size, int channels);

  private:
    void* handle_;
};

// One captured buffer as an image: grey for the iris role, RGB for the face role.
// `stride` is bytesperline (0 = tightly packed). Throws std::runtime_error on a short buffer.
bio::Image to_image(const Mode& mode, std::size_t stride, const std::uint8_t* data,
                    std::size_t bytesused, DeviceKind role, JpegDecoder& jpeg);

}  // namespace rekam::drivers::v4l2
