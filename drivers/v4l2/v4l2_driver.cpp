#include "drivers/v4l2/v4l2_driver.h"

#include <systemd/sd-device.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/log.h"
#include "drivers/v4l2/v4l2_stream.h"

namespace rekam::drivers::v4l2 {
namespace {

struct DeviceRef {
    sd_device* d = nullptr;
    ~DeviceRef() { sd_device_unref(d); }
};

std::string sysattr(sd_device* d, const char* name) {
    const char* v = nullptr;
    return d && sd_device_get_sysattr_value(d, name, &v) >= 0 && v ? v : "";
}

// sysfs "speed" in Mbit/s -> the USB names.
std::string usb_speed_name(const std::string& mbps) {
    if (mbps == "1.5") return "low";
    if (mbps == "12") return "full";
    if (mbps == "480") return "high";
    if (mbps == "5000") return "super";
    if (mbps.empty()) return "";
    return "super-plus";
}

// USB identity of the node's parent, from udev's database; leaves `info` alone when the node
// is not in sysfs (fake devices in tests) or not on USB.
void fill_usb_identity(const std::string& node, DeviceInfo& info) {
    DeviceRef dev;
    if (sd_device_new_from_devname(&dev.d, node.c_str()) < 0) return;
    sd_device* usb = nullptr;  // owned by dev
    if (sd_device_get_parent_with_subsystem_devtype(dev.d, "usb", "usb_device", &usb) < 0) return;
    const auto vid = sysattr(usb, "idVendor"), pid = sysattr(usb, "idProduct");
    if (!vid.empty()) info.usb_id = vid + ":" + pid;
    info.usb_speed = usb_speed_name(sysattr(usb, "speed"));
    if (auto v = sysattr(usb, "manufacturer"); !v.empty()) info.vendor = v;
    if (auto v = sysattr(usb, "product"); !v.empty()) info.model = v;
    info.serial = sysattr(usb, "serial");
}

std::optional<DeviceKind> parse_role(const char* value) {
    if (!value) return std::nullopt;
    if (std::strcmp(value, "iris") == 0) return DeviceKind::Iris;
    if (std::strcmp(value, "face") == 0) return DeviceKind::Face;
    return std::nullopt;
}

// Capture nodes udev tagged with a role.
std::vector<std::pair<std::string, DeviceKind>> tagged_nodes() {
    std::vector<std::pair<std::string, DeviceKind>> out;
    sd_device_enumerator* e = nullptr;
    if (sd_device_enumerator_new(&e) < 0) return out;
    // Uninitialised devices too: a real one has no role until udev ran (the rescan picks it up
    // then); under umockdev every device counts as uninitialised.
    sd_device_enumerator_allow_uninitialized(e);
    if (sd_device_enumerator_add_match_subsystem(e, "video4linux", 1) >= 0) {
        for (sd_device* d = sd_device_enumerator_get_device_first(e); d;
             d = sd_device_enumerator_get_device_next(e)) {
            const char* role = nullptr;
            const char* node = nullptr;
            if (sd_device_get_property_value(d, kRoleProperty, &role) < 0) continue;
            if (sd_device_get_devname(d, &node) < 0) continue;
            if (auto kind = parse_role(role)) out.emplace_back(node, *kind);
        }
    }
    sd_device_enumerator_unref(e);
    return out;
}

}  // namespace

CameraProbe probe_camera(const std::string& node, DeviceKind role) {
    CameraProbe p;
    p.node = node;
    p.role = role;
    V4l2Stream stream(node);
    p.modes = stream.modes();
    p.mode = choose_mode(role, p.modes);
    p.info.kind = role;
    p.info.driver = "v4l2";
    p.info.model = stream.card();
    p.info.name = (role == DeviceKind::Iris ? "Iris camera " : "Photo camera ") + stream.card();
    fill_usb_identity(node, p.info);
    return p;
}

V4l2Driver::V4l2Driver(EventLoop& loop, V4l2Config config)
    : loop_(loop), config_(std::move(config)) {}

V4l2Driver::~V4l2Driver() = default;

void V4l2Driver::start(DeviceMonitor& monitor) {
    monitor_ = &monitor;
    scan();
}

void V4l2Driver::scan() {
    for (const auto& [role, node] : config_.nodes) consider(node, role);
    for (const auto& [node, role] : tagged_nodes()) {
        bool configured = false;
        for (const auto& [r, n] : config_.nodes) configured |= n == node;
        if (!configured) consider(node, role);
    }
    rescan_ = loop_.add_timer(std::uint64_t{config_.rescan_ms} * 1000, [this] { scan(); });
}

void V4l2Driver::consider(const std::string& node, DeviceKind role) {
    if (plugged_.count(node)) return;
    CameraProbe probe;
    try {
        probe = probe_camera(node, role);
    } catch (const V4l2Error& e) {
        // Absent is normal (unplugged camera); anything else is worth one log line.
        if (e.err != ENOENT && e.err != ENODEV && reported_[node] != e.what()) {
            reported_[node] = e.what();
            log::warning("v4l2: ", e.what());
        }
        return;
    }
    reported_.erase(node);
    if (!probe.mode)
        log::error("v4l2: ", node, " (", to_string(role),
                   " camera) offers no usable format; it is listed but not used");
    else
        log::info("v4l2: ", node, " is the ", to_string(role), " camera, ", describe(*probe.mode));
    const auto settings = config_.controls.find(role);
    auto device = std::make_shared<V4l2Device>(
        loop_, std::move(probe), [this](V4l2Device& d) { remove(d); },
        settings == config_.controls.end() ? CameraSettings{} : settings->second);
    plugged_[node] = device;
    if (monitor_) monitor_->device_added(device);
}

void V4l2Driver::remove(V4l2Device& device) {
    auto it = plugged_.find(device.probe().node);
    if (it == plugged_.end() || it->second.get() != &device) return;
    auto keep = it->second;  // alive until the monitor has let go
    plugged_.erase(it);
    log::notice("v4l2: ", device.probe().node, " was unplugged");
    if (monitor_) monitor_->device_removed(device);
}

}  // namespace rekam::drivers::v4l2
