#include "drivers/evdev/tablet_finder.h"

// libwacom.h has no extern "C" of its own.
extern "C" {
#include <libwacom/libwacom.h>
}
#include <systemd/sd-device.h>

#include <memory>
#include <string_view>

namespace rekam::drivers::evdev {

std::vector<TabletNode> find_pen_tablets() {
    std::vector<TabletNode> out;
    sd_device_enumerator* raw = nullptr;
    if (sd_device_enumerator_new(&raw) < 0) return out;
    const std::unique_ptr<sd_device_enumerator, decltype(&sd_device_enumerator_unref)> e(
        raw, sd_device_enumerator_unref);
    sd_device_enumerator_allow_uninitialized(e.get());
    if (sd_device_enumerator_add_match_subsystem(e.get(), "input", 1) < 0 ||
        sd_device_enumerator_add_match_property(e.get(), "ID_INPUT_TABLET", "1") < 0)
        return out;
    for (sd_device* d = sd_device_enumerator_get_device_first(e.get()); d;
         d = sd_device_enumerator_get_device_next(e.get())) {
        const char* node = nullptr;
        // The event node only: its parent inputN carries the same properties and no node.
        if (sd_device_get_devname(d, &node) < 0 ||
            !std::string_view(node).starts_with("/dev/input/event"))
            continue;
        const char* role = nullptr;
        if (sd_device_get_property_value(d, kRoleProperty, &role) < 0) role = nullptr;
        out.push_back({node, role ? role : ""});
    }
    return out;
}

std::optional<TabletModel> identify(const std::string& node) {
    const std::unique_ptr<WacomDeviceDatabase, decltype(&libwacom_database_destroy)> db(
        libwacom_database_new(), libwacom_database_destroy);
    if (!db) return std::nullopt;
    const std::unique_ptr<WacomDevice, decltype(&libwacom_destroy)> device(
        libwacom_new_from_path(db.get(), node.c_str(), WFALLBACK_NONE, nullptr), libwacom_destroy);
    if (!device) return std::nullopt;
    TabletModel m;
    if (const char* n = libwacom_get_name(device.get())) m.name = n;
    if (const char* n = libwacom_get_model_name(device.get())) m.model = n;
    // libwacom gives the active area in inches.
    m.width_mm = libwacom_get_width(device.get()) * 25.4;
    m.height_mm = libwacom_get_height(device.get()) * 25.4;
    m.integrated =
        (libwacom_get_integration_flags(device.get()) & WACOM_DEVICE_INTEGRATED_DISPLAY) != 0;
    return m;
}

}  // namespace rekam::drivers::evdev
