#include "drivers/fprint/fprint_driver.h"

#include <fprint.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <vector>

#include "common/log.h"
#include "drivers/fprint/fprint_device.h"
#include "drivers/fprint/fprint_reader.h"
#include "drivers/fprint/glib_thread.h"
#include "drivers/fprint/usb_identity.h"

namespace rekam::drivers::fprint {

// A reader seen on the GLib thread, ready to become a Device on the loop thread.
struct FprintDriver::Found {
    std::uintptr_t key = 0;
    std::shared_ptr<FprintReader> reader;
    DeviceInfo info;
    FprintDevice::Traits traits;
};

// GLib-thread state. Signal handlers get a pointer to it; it is torn down on that thread.
struct FprintDriver::Glib {
    FpContext* context = nullptr;
    std::weak_ptr<Glib> self;
    ReaderTimeouts timeouts;
    bool enumerating = true;
    std::vector<Found> initial;
    std::function<void(Found)> added;             // after enumeration: post to the loop
    std::function<void(std::uintptr_t)> removed;  // post to the loop
};

namespace {

FprintDriver::Found describe(FpDevice* device, const ReaderTimeouts& timeouts);

}  // namespace

FprintDriver::FprintDriver(EventLoop& loop, FprintConfig config) : loop_(loop), config_(config) {}

FprintDriver::~FprintDriver() {
    *alive_ = false;
    if (!thread_) return;
    // The context and its signal handlers belong to the GLib thread; wait for it to let go.
    std::promise<void> gone;
    thread_->invoke([glib = std::move(glib_), &gone] {
        if (glib->context) {
            g_signal_handlers_disconnect_matched(glib->context, G_SIGNAL_MATCH_DATA, 0, 0, nullptr,
                                                 nullptr, glib.get());
            g_object_unref(glib->context);
            glib->context = nullptr;
        }
        gone.set_value();
    });
    gone.get_future().wait();
}

namespace {

std::string not_capable_reason(FpDevice* device) {
    if (fp_device_has_feature(device, FP_DEVICE_FEATURE_CAPTURE)) return {};
    return std::string(fp_device_get_name(device)) +
           " matches on its own chip and gives no images; rekam needs the image for the "
           "ISO records and the quality check, so it cannot enroll with this reader";
}

FprintDriver::Found describe(FpDevice* device, const ReaderTimeouts& timeouts) {
    FprintDriver::Found found;
    found.key = reinterpret_cast<std::uintptr_t>(device);
    const std::string name = fp_device_get_name(device);
    found.reader = std::make_shared<FprintReader>(device, name, timeouts);
    const UsbIdentity usb = usb_identity(device);
    DeviceInfo& info = found.info;
    info.kind = DeviceKind::Fingerprint;
    info.name = name;
    info.driver = "fprint";
    info.vendor = usb.vendor;
    info.model = usb.model.empty() ? name : usb.model;
    info.serial = usb.serial;
    info.usb_id = usb.usb_id;
    info.usb_speed = usb.usb_id.empty() ? std::string() : usb.usb_speed;
    found.traits.libfprint_driver = fp_device_get_driver(device);
    found.traits.not_capable_reason = not_capable_reason(device);
    return found;
}

// GLib thread: libfprint found a reader.
void on_device_added(FpContext*, FpDevice* device, gpointer data) {
    auto* glib = static_cast<FprintDriver::Glib*>(data);
    FprintDriver::Found found = describe(device, glib->timeouts);
    // Unplug: libfprint emits the context's device-removed only once the reader is closed,
    // which a reader stuck in a transfer may never be. So act on the device's own "removed":
    // cancel the capture in flight and take the device away from the daemon now.
    struct Removal {
        std::weak_ptr<FprintReader> reader;
        std::weak_ptr<FprintDriver::Glib> glib;  // gone with the driver
    };
    g_signal_connect_data(
        device, "removed", G_CALLBACK(+[](FpDevice* removed, gpointer d) {
            auto* removal = static_cast<Removal*>(d);
            if (auto r = removal->reader.lock()) r->mark_removed();
            if (auto g = removal->glib.lock())
                g->removed(reinterpret_cast<std::uintptr_t>(removed));
        }),
        new Removal{found.reader, glib->self},
        +[](gpointer d, GClosure*) { delete static_cast<Removal*>(d); }, GConnectFlags(0));
    if (glib->enumerating)
        glib->initial.push_back(std::move(found));
    else
        glib->added(std::move(found));
}

// GLib thread: libfprint let go of a reader (it is closed by now).
void on_device_removed(FpContext*, FpDevice* device, gpointer data) {
    static_cast<FprintDriver::Glib*>(data)->removed(reinterpret_cast<std::uintptr_t>(device));
}

}  // namespace

void FprintDriver::start(DeviceMonitor& monitor) {
    monitor_ = &monitor;
    thread_ = std::make_shared<GlibThread>();
    glib_ = std::make_shared<Glib>();
    glib_->self = glib_;
    glib_->timeouts = ReaderTimeouts{config_.open_timeout_ms, config_.capture_timeout_ms,
                                     config_.cancel_grace_ms};
    glib_->added = [&loop = loop_, alive = alive_, this](Found found) {
        auto shared = std::make_shared<Found>(std::move(found));
        loop.post([alive, this, shared] {
            if (*alive) add(*shared);
        });
    };
    glib_->removed = [&loop = loop_, alive = alive_, this](std::uintptr_t key) {
        loop.post([alive, this, key] {
            if (*alive) remove(key);
        });
    };

    // The first scan's readers come back to start() directly, unless start() stopped waiting:
    // then they go through the loop like any later hotplug.
    struct Handover {
        std::mutex mutex;
        std::condition_variable done;
        bool finished = false;
        bool abandoned = false;
        std::vector<Found> found;
    };
    auto handover = std::make_shared<Handover>();
    thread_->invoke([glib = glib_, handover] {
        glib->context = fp_context_new();
        g_signal_connect(glib->context, "device-added", G_CALLBACK(&on_device_added), glib.get());
        g_signal_connect(glib->context, "device-removed", G_CALLBACK(&on_device_removed),
                         glib.get());
        fp_context_enumerate(glib->context);  // iterates this thread's context until done
        glib->enumerating = false;
        std::vector<Found> found = std::move(glib->initial);
        std::lock_guard lock(handover->mutex);
        if (handover->abandoned) {
            for (auto& f : found) glib->added(std::move(f));
            return;
        }
        handover->found = std::move(found);
        handover->finished = true;
        handover->done.notify_all();
    });
    std::unique_lock lock(handover->mutex);
    if (!handover->done.wait_for(lock, std::chrono::milliseconds(config_.enumerate_timeout_ms),
                                 [&] { return handover->finished; })) {
        handover->abandoned = true;
        log::warning("libfprint: enumerating readers took over ", config_.enumerate_timeout_ms,
                     " ms; readers found later appear as they come");
        return;
    }
    for (const auto& found : handover->found) add(found);
}

void FprintDriver::add(const Found& found) {
    auto device =
        std::make_shared<FprintDevice>(loop_, thread_, found.reader, found.info, found.traits);
    devices_[found.key] = device;
    log::info("libfprint: ", found.info.name, " (", found.traits.libfprint_driver,
              found.info.usb_id.empty() ? "" : ", USB " + found.info.usb_id, ")",
              found.traits.not_capable_reason.empty() ? "" : ": no image capture, not offered");
    if (monitor_) monitor_->device_added(device);
}

void FprintDriver::remove(std::uintptr_t key) {
    auto it = devices_.find(key);
    if (it == devices_.end()) return;
    std::shared_ptr<FprintDevice> device = it->second;
    devices_.erase(it);
    device->disconnect();  // first the capture fails, then the object goes
    if (monitor_) monitor_->device_removed(*device);
}

}  // namespace rekam::drivers::fprint
