#include "drivers/device.h"

#include <linux/videodev2.h>

namespace rekam::drivers {

std::string to_string(DeviceKind kind) {
    switch (kind) {
        case DeviceKind::Fingerprint:
            return "fingerprint";
        case DeviceKind::Iris:
            return "iris";
        case DeviceKind::Face:
            return "face";
        case DeviceKind::Signature:
            return "signature";
    }
    return "unknown";
}

std::optional<DeviceKind> parse_device_kind(std::string_view name) {
    for (DeviceKind kind :
         {DeviceKind::Fingerprint, DeviceKind::Iris, DeviceKind::Face, DeviceKind::Signature})
        if (to_string(kind) == name) return kind;
    return std::nullopt;
}

std::string to_string(DeviceStatus status) {
    switch (status) {
        case DeviceStatus::Ready:
            return "ready";
        case DeviceStatus::Busy:
            return "busy";
        case DeviceStatus::NotReady:
            return "not-ready";
        case DeviceStatus::Error:
            return "error";
    }
    return "error";
}

RawFrame raw_frame_of(const Frame& frame) {
    const bio::Image& image = frame.image;
    RawFrame raw;
    raw.sequence = frame.sequence;
    raw.timestamp_usec = frame.timestamp_usec;
    raw.fourcc = image.channels == 3 ? V4L2_PIX_FMT_RGB24 : V4L2_PIX_FMT_GREY;
    raw.width = static_cast<std::uint32_t>(image.width);
    raw.height = static_cast<std::uint32_t>(image.height);
    raw.stride = static_cast<std::uint32_t>(image.stride());
    raw.bytes = std::make_shared<const std::vector<std::uint8_t>>(image.pixels);
    return raw;
}

}  // namespace rekam::drivers
