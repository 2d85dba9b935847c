#include "drivers/device.h"

namespace rekam::drivers {

std::string to_string(DeviceKind kind) {
    switch (kind) {
        case DeviceKind::Fingerprint:
            return "fingerprint";
        case DeviceKind::Iris:
            return "iris";
        case DeviceKind::Face:
            return "face";
    }
    return "unknown";
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

}  // namespace rekam::drivers
