// The devices the daemon knows, each exported as an id.rekam.Rekam1.Device object.
// Hotplug from any driver lands here; so does who holds which device.
#pragma once

#include <systemd/sd-bus.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "daemon/authorizer.h"
#include "daemon/config.h"
#include "daemon/live_preview.h"
#include "dbus/message.h"
#include "drivers/device.h"

namespace rekam {

class DeviceRegistry;
class TestCapture;

struct DeviceRegistryEntry {
    DeviceRegistryEntry();
    ~DeviceRegistryEntry();
    std::string path;
    std::shared_ptr<drivers::Device> device;
    // The session capturing with it, its own path during a TestCapture, "/" when free.
    std::string holder = "/";
    bus::SlotPtr slot;
    DeviceRegistry* registry = nullptr;
    Authorizer::Lifetime lifetime = Authorizer::make_lifetime();
    std::shared_ptr<LivePreview> preview;  // cameras only
    // The latest technician's test; holds nothing once answered, until the next one.
    std::unique_ptr<TestCapture> test_capture;
};

class DeviceRegistry final : public drivers::DeviceMonitor {
  public:
    using Entry = DeviceRegistryEntry;

    DeviceRegistry(EventLoop& loop, sd_bus* bus, Authorizer& authorizer, const Config& config);
    ~DeviceRegistry() override;

    void device_added(std::shared_ptr<drivers::Device> device) override;
    void device_removed(const drivers::Device& device) override;

    std::vector<std::string> paths() const;
    Entry* find(const std::string& path);
    Entry* find(const drivers::Device& device);
    const std::vector<std::unique_ptr<Entry>>& entries() const { return entries_; }

    void set_holder(Entry& entry, const std::string& holder);
    // Every running test capture fails (DeviceDisconnected): rekamd is stopping.
    void end_test_captures();
    void emit_status_changed(Entry& entry);
    Authorizer& authorizer() { return authorizer_; }
    EventLoop& loop() { return loop_; }
    sd_bus* bus() { return bus_; }
    const Config& config() const { return config_; }

  private:
    EventLoop& loop_;
    sd_bus* bus_;
    Authorizer& authorizer_;
    const Config& config_;
    std::vector<std::unique_ptr<Entry>> entries_;
    unsigned next_index_ = 0;
};

}  // namespace rekam
