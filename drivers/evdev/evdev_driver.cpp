#include "drivers/evdev/evdev_driver.h"

#include <set>

#include "common/log.h"
#include "drivers/evdev/pen_tablet.h"
#include "drivers/evdev/tablet_finder.h"

namespace rekam::drivers::evdev {

PadProbe probe_pad(const std::string& node) {
    const PenTablet tablet = PenTablet::open(node);
    PadProbe p;
    p.geometry = tablet.device();
    p.info.kind = DeviceKind::Signature;
    p.info.driver = "evdev";
    p.info.name = tablet.name();
    p.info.model = tablet.name();
    p.info.usb_id = tablet.usb_id();
    // libwacom knows most pen displays by name, size and whether the pen writes on a screen.
    if (const auto model = identify(node)) {
        p.info.name = model->name;
        if (!model->model.empty()) p.info.model = model->model;
        p.info.vendor = model->name.substr(0, model->name.find(' '));
    }
    return p;
}

EvdevDriver::EvdevDriver(EventLoop& loop, EvdevConfig config)
    : loop_(loop), config_(std::move(config)) {}

EvdevDriver::~EvdevDriver() = default;

void EvdevDriver::start(DeviceMonitor& monitor) {
    monitor_ = &monitor;
    scan();
}

void EvdevDriver::scan() {
    std::set<std::string> present;
    for (const auto& tablet : find_pen_tablets()) {
        present.insert(tablet.node);
        if (tablet.node == config_.node || tablet.role == "signature") consider(tablet.node);
    }
    // Gone from udev: unplugged. Copied first, since remove() erases.
    std::vector<EvdevDevice*> gone;
    for (const auto& [node, device] : plugged_)
        if (!present.count(node)) gone.push_back(device.get());
    for (EvdevDevice* device : gone) remove(*device);
    rescan_ = loop_.add_timer(std::uint64_t{config_.rescan_ms} * 1000, [this] { scan(); });
}

void EvdevDriver::consider(const std::string& node) {
    if (plugged_.count(node)) return;
    PadProbe probe;
    try {
        probe = probe_pad(node);
    } catch (const std::exception& e) {
        // Said once per reason: a pad without pressure stays unusable at every rescan.
        if (reported_[node] != e.what()) {
            reported_[node] = e.what();
            log::warning("evdev: ", e.what(), "; it is not used as the signature pad");
        }
        return;
    }
    reported_.erase(node);
    const auto& g = probe.geometry;
    log::info("evdev: ", node, " (", probe.info.name, ") is the signature pad, ",
              static_cast<int>(g.width_mm()), " x ", static_cast<int>(g.height_mm()), " mm, ",
              static_cast<int>(g.pressure.span()) + 1, " pressure levels");
    auto device =
        std::make_shared<EvdevDevice>(loop_, node, std::move(probe.info), g, config_.capture,
                                      [this](EvdevDevice& d) { remove(d); });
    plugged_[node] = device;
    if (monitor_) monitor_->device_added(device);
}

void EvdevDriver::remove(EvdevDevice& device) {
    auto it = plugged_.find(device.node());
    if (it == plugged_.end() || it->second.get() != &device) return;
    auto keep = it->second;  // alive until the monitor has let go
    plugged_.erase(it);
    log::notice("evdev: ", keep->node(), " was unplugged");
    keep->disconnect();  // first the capture fails, then the object goes, as with the others
    if (monitor_) monitor_->device_removed(*keep);
}

}  // namespace rekam::drivers::evdev
