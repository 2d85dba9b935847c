#include "drivers/sim/sim_driver.h"

#include <stdexcept>

namespace rekam::drivers::sim {
namespace {

DeviceInfo make_info(DeviceKind kind) {
    DeviceInfo info;
    info.kind = kind;
    info.driver = "sim";
    info.vendor = "rekam";
    switch (kind) {
        case DeviceKind::Fingerprint:
            info.name = "Simulated fingerprint scanner";
            info.model = "SIM-FP500 (500 ppi, single finger)";
            info.serial = "SIMFP0000001";
            break;
        case DeviceKind::Iris:
            info.name = "Simulated iris camera";
            info.model = "SIM-IR640 (NIR, 640x480)";
            info.serial = "SIMIR0000001";
            break;
        case DeviceKind::Face:
            info.name = "Simulated photo camera";
            info.model = "SIM-CAM960 (1280x960)";
            info.serial = "SIMFC0000001";
            break;
        case DeviceKind::Signature:
            info.name = "Simulated signature pad";
            info.model = "SIM-PAD223 (pen, 223 x 126 mm, 200 Hz)";
            info.serial = "SIMSG0000001";
            break;
    }
    return info;
}

}  // namespace

SimDriver::SimDriver(EventLoop& loop, SimConfig config) : loop_(loop), config_(std::move(config)) {
    for (DeviceKind kind : config_.kinds) {
        auto slot = std::make_unique<SimSlot>();
        slot->kind = kind;
        if (auto it = config_.initial.find(kind); it != config_.initial.end())
            slot->state = it->second;
        slot->frames = std::make_shared<SimFrames>(kind);
        slots_[kind] = std::move(slot);
    }
}

SimDriver::~SimDriver() = default;

void SimDriver::start(DeviceMonitor& monitor) {
    monitor_ = &monitor;
    for (DeviceKind kind : config_.kinds) plug(kind);
}

std::shared_ptr<SimDevice> SimDriver::device(DeviceKind kind) const {
    auto it = plugged_.find(kind);
    return it == plugged_.end() ? nullptr : it->second;
}

void SimDriver::plug(DeviceKind kind) {
    auto device =
        std::make_shared<SimDevice>(loop_, make_info(kind), *slots_.at(kind),
                                    config_.frame_interval_ms, [this, kind] { unplug(kind); });
    plugged_[kind] = device;
    if (monitor_) monitor_->device_added(device);
}

void SimDriver::unplug(DeviceKind kind) {
    auto it = plugged_.find(kind);
    if (it == plugged_.end()) return;
    std::shared_ptr<SimDevice> device = it->second;
    plugged_.erase(it);
    device->disconnect();  // first the capture fails, then the object goes, as with real USB
    if (monitor_) monitor_->device_removed(*device);
}

void SimDriver::inject(DeviceKind kind, const SimFault& fault) {
    auto slot = slots_.find(kind);
    if (slot == slots_.end())
        throw std::invalid_argument("the simulated " + to_string(kind) + " device is not enabled");
    if (fault.unplug && fault.replug)
        throw std::invalid_argument(
            "unplug and replug in one fault: send them one after the other");
    if (fault.replug && plugged_.count(kind))
        throw std::invalid_argument("the simulated " + to_string(kind) +
                                    " device is plugged in already");
    if (fault.unplug && !plugged_.count(kind))
        throw std::invalid_argument("the simulated " + to_string(kind) +
                                    " device is unplugged already");
    apply(fault, slot->second->state);
    if (auto device = this->device(kind)) device->refresh_status();
    if (fault.unplug) unplug(kind);
    if (fault.replug) plug(kind);
}

}  // namespace rekam::drivers::sim
