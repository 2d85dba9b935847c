#include "daemon/driver_factory.h"

#include <stdexcept>

#include "daemon/config.h"
#ifdef REKAM_HAVE_FPRINT
#include "drivers/fprint/fprint_driver.h"
#endif
#ifdef REKAM_HAVE_V4L2
#include "drivers/v4l2/v4l2_driver.h"
#endif
#ifdef REKAM_HAVE_EVDEV
#include "drivers/evdev/evdev_driver.h"
#endif

namespace rekam {

const std::vector<std::string>& available_drivers() {
    static const std::vector<std::string> names = {
        "sim",
#ifdef REKAM_HAVE_FPRINT
        "fprint",
#endif
#ifdef REKAM_HAVE_V4L2
        "v4l2",
#endif
#ifdef REKAM_HAVE_EVDEV
        "evdev",
#endif
    };
    return names;
}

std::unique_ptr<drivers::Driver> make_hardware_driver(const std::string& name, EventLoop& loop,
                                                      const Config& config) {
    (void)loop;
    (void)config;
    if (name == "sim") return nullptr;
#ifdef REKAM_HAVE_FPRINT
    if (name == "fprint")
        return std::make_unique<drivers::fprint::FprintDriver>(loop,
                                                               drivers::fprint::FprintConfig{});
#endif
#ifdef REKAM_HAVE_V4L2
    if (name == "v4l2") {
        drivers::v4l2::V4l2Config v4l2;
        auto kind = [](const std::string& role) {
            return role == "iris" ? drivers::DeviceKind::Iris : drivers::DeviceKind::Face;
        };
        for (const auto& [role, node] : config.v4l2_devices) v4l2.nodes[kind(role)] = node;
        auto wish = [](const std::optional<CameraControlSetting>& s) {
            return s ? std::optional<drivers::v4l2::ControlWish>({s->automatic, s->value})
                     : std::nullopt;
        };
        for (const auto& [role, c] : config.v4l2_controls)
            v4l2.controls[kind(role)] = {wish(c.exposure), wish(c.gain), wish(c.focus),
                                         c.illumination};
        return std::make_unique<drivers::v4l2::V4l2Driver>(loop, std::move(v4l2));
    }
#endif
#ifdef REKAM_HAVE_EVDEV
    if (name == "evdev") {
        drivers::evdev::EvdevConfig evdev;
        evdev.node = config.signature.device.string();
        evdev.capture.end_after_lift_us =
            static_cast<std::int64_t>(config.signature.end_after_lift_ms) * 1000;
        return std::make_unique<drivers::evdev::EvdevDriver>(loop, std::move(evdev));
    }
#endif
    throw std::invalid_argument("unknown driver \"" + name + "\"");
}

}  // namespace rekam
