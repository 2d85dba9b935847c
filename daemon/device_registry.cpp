#include "daemon/device_registry.h"

#include <algorithm>

#include "common/log.h"
#include "daemon/frame_assessor.h"
#include "daemon/test_capture.h"
#include "dbus/names.h"

namespace rekam {
namespace {

using Entry = DeviceRegistry::Entry;

const drivers::DeviceInfo& info_of(void* userdata) {
    return static_cast<Entry*>(userdata)->device->info();
}

int get_string(sd_bus_message* reply, const std::string& value) {
    return sd_bus_message_append_basic(reply, 's', value.c_str());
}

#define REKAM_INFO_GETTER(fn, expr)                                                               \
    int fn(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply, void* userdata, \
           sd_bus_error*) {                                                                       \
        const auto& info = info_of(userdata);                                                     \
        (void)info;                                                                               \
        return get_string(reply, expr);                                                           \
    }
REKAM_INFO_GETTER(get_kind, drivers::to_string(info.kind))
REKAM_INFO_GETTER(get_name, info.name)
REKAM_INFO_GETTER(get_driver, info.driver)
REKAM_INFO_GETTER(get_vendor, info.vendor)
REKAM_INFO_GETTER(get_model, info.model)
REKAM_INFO_GETTER(get_serial, info.serial)
REKAM_INFO_GETTER(get_usb_id, info.usb_id)
REKAM_INFO_GETTER(get_usb_speed, info.usb_speed)
#undef REKAM_INFO_GETTER

int get_status(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply,
               void* userdata, sd_bus_error*) {
    return get_string(reply, drivers::to_string(static_cast<Entry*>(userdata)->device->status()));
}

int get_holder(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply,
               void* userdata, sd_bus_error*) {
    return sd_bus_message_append_basic(reply, 'o', static_cast<Entry*>(userdata)->holder.c_str());
}

// Self-test of one device, once polkit allowed it.
int self_test(Entry* entry, sd_bus_message* msg) {
    if (entry->holder != "/")
        throw bus::Error(bus::error::kDeviceBusy, "the device is held by " + entry->holder +
                                                      "; self-test it when the capture is over");
    drivers::SelfTestResult result = entry->device->self_test();
    // The device may be fine and still unable to capture: what the daemon's own algorithms need
    // for its positions (make_assessor) is part of what this device needs.
    const auto models = model_problems(entry->device->info().kind);
    std::string models_text = models.empty() ? "ok" : "";
    for (const auto& problem : models) models_text += (models_text.empty() ? "" : "; ") + problem;
    if (!models.empty()) log::warning(entry->device->info().name, " self-test: ", models_text);
    bus::Dict out;
    out.emplace_back("passed", bus::boolean(result.passed && models.empty()));
    out.emplace_back("status", bus::str(drivers::to_string(entry->device->status())));
    out.emplace_back("models", bus::str(models_text));
    for (const auto& [k, v] : result.details)
        if (k != "status" && k != "models") out.emplace_back(k, bus::str(v));
    sd_bus_message* reply = nullptr;
    bus::check(sd_bus_message_new_method_return(msg, &reply), "new reply");
    bus::MessagePtr owned(reply);
    bus::append_dict(reply, out);
    return sd_bus_send(nullptr, reply, nullptr);
}

int method_self_test(sd_bus_message* m, void* userdata, sd_bus_error* ret_error) {
    return bus::dispatch(m, ret_error, [userdata](sd_bus_message* msg) {
        auto* entry = static_cast<Entry*>(userdata);
        return entry->registry->authorizer().authorize(
            msg, action::kManageDevices, entry->lifetime,
            [entry](sd_bus_message* held) { return self_test(entry, held); });
    });
}

// A new preview viewer, once polkit allowed it: the same right as enrolling, since the viewer
// sees the citizen in front of the camera.
int open_preview(Entry* entry, sd_bus_message* msg) {
    const bus::Arguments options = bus::read_arguments(msg, "options");
    options.reject_unknown({});
    if (!entry->preview)
        throw bus::Error(bus::error::kNotSupported,
                         entry->device->info().name +
                             " has no live preview: a fingerprint reader's impressions come "
                             "from Session.Capture, or TestCapture for a technician's test");
    const UniqueFd fd = entry->preview->open(bus::sender_of(msg));
    return sd_bus_reply_method_return(msg, "h", fd.get());
}

int method_open_preview(sd_bus_message* m, void* userdata, sd_bus_error* ret_error) {
    return bus::dispatch(m, ret_error, [userdata](sd_bus_message* msg) {
        auto* entry = static_cast<Entry*>(userdata);
        return entry->registry->authorizer().authorize(
            msg, action::kEnroll, entry->lifetime,
            [entry](sd_bus_message* held) { return open_preview(entry, held); });
    });
}

// One test capture, once polkit allowed it: the technician's right, like SelfTest. The reply
// comes when the capture ends.
int test_capture(Entry* entry, sd_bus_message* msg) {
    entry->test_capture = TestCapture::start(*entry->registry, *entry, msg);
    return 1;
}

int method_test_capture(sd_bus_message* m, void* userdata, sd_bus_error* ret_error) {
    return bus::dispatch(m, ret_error, [userdata](sd_bus_message* msg) {
        auto* entry = static_cast<Entry*>(userdata);
        return entry->registry->authorizer().authorize(
            msg, action::kManageDevices, entry->lifetime,
            [entry](sd_bus_message* held) { return test_capture(entry, held); });
    });
}

const sd_bus_vtable kDeviceVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD_WITH_ARGS("SelfTest", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", result),
                            method_self_test, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("TestCapture", SD_BUS_ARGS("a{sv}", options),
                            SD_BUS_RESULT("a{sv}", result, "h", image), method_test_capture,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("OpenPreview", SD_BUS_ARGS("a{sv}", options), SD_BUS_RESULT("h", fd),
                            method_open_preview, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_PROPERTY("Kind", "s", get_kind, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Name", "s", get_name, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Driver", "s", get_driver, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Vendor", "s", get_vendor, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Model", "s", get_model, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Serial", "s", get_serial, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("UsbId", "s", get_usb_id, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("UsbSpeed", "s", get_usb_speed, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Status", "s", get_status, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("Holder", "o", get_holder, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_VTABLE_END,
};

}  // namespace

DeviceRegistryEntry::DeviceRegistryEntry() = default;
DeviceRegistryEntry::~DeviceRegistryEntry() = default;

DeviceRegistry::DeviceRegistry(EventLoop& loop, sd_bus* bus, Authorizer& authorizer,
                               const Config& config)
    : loop_(loop), bus_(bus), authorizer_(authorizer), config_(config) {}

DeviceRegistry::~DeviceRegistry() = default;

void DeviceRegistry::device_added(std::shared_ptr<drivers::Device> device) {
    auto entry = std::make_unique<Entry>();
    entry->path = bus::kDevicePathPrefix + drivers::to_string(device->info().kind) + "_" +
                  std::to_string(next_index_++);
    entry->device = std::move(device);
    entry->registry = this;
    if (entry->device->info().kind != drivers::DeviceKind::Fingerprint)
        entry->preview = std::make_shared<LivePreview>(loop_, entry->device);
    sd_bus_slot* slot = nullptr;
    bus::check(sd_bus_add_object_vtable(bus_, &slot, entry->path.c_str(), bus::kDeviceInterface,
                                        kDeviceVtable, entry.get()),
               "export device object");
    entry->slot.reset(slot);
    Entry* raw = entry.get();
    raw->device->set_status_listener([this, raw] { emit_status_changed(*raw); });
    entries_.push_back(std::move(entry));

    log::info("device added: ", raw->path, " (", raw->device->info().name, ", driver ",
              raw->device->info().driver, ", serial ", raw->device->info().serial, ")");
    sd_bus_emit_object_added(bus_, raw->path.c_str());
    sd_bus_emit_signal(bus_, bus::kRootPath, bus::kManagerInterface, "DeviceAdded", "o",
                       raw->path.c_str());
}

void DeviceRegistry::device_removed(const drivers::Device& device) {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const auto& e) { return e->device.get() == &device; });
    if (it == entries_.end()) return;
    std::unique_ptr<Entry> entry = std::move(*it);
    entries_.erase(it);
    entry->device->set_status_listener(nullptr);
    if (entry->test_capture) entry->test_capture->device_gone();
    if (entry->preview) entry->preview->close_all();
    log::info("device removed: ", entry->path);
    sd_bus_emit_object_removed(bus_, entry->path.c_str());
    sd_bus_emit_signal(bus_, bus::kRootPath, bus::kManagerInterface, "DeviceRemoved", "o",
                       entry->path.c_str());
}

std::vector<std::string> DeviceRegistry::paths() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.push_back(e->path);
    return out;
}

DeviceRegistry::Entry* DeviceRegistry::find(const std::string& path) {
    for (auto& e : entries_)
        if (e->path == path) return e.get();
    return nullptr;
}

DeviceRegistry::Entry* DeviceRegistry::find(const drivers::Device& device) {
    for (auto& e : entries_)
        if (e->device.get() == &device) return e.get();
    return nullptr;
}

void DeviceRegistry::end_test_captures() {
    for (auto& e : entries_) e->test_capture.reset();
}

void DeviceRegistry::set_holder(Entry& entry, const std::string& holder) {
    if (entry.holder == holder) return;
    entry.holder = holder;
    sd_bus_emit_properties_changed(bus_, entry.path.c_str(), bus::kDeviceInterface, "Holder",
                                   nullptr);
}

void DeviceRegistry::emit_status_changed(Entry& entry) {
    sd_bus_emit_properties_changed(bus_, entry.path.c_str(), bus::kDeviceInterface, "Status",
                                   nullptr);
}

}  // namespace rekam
