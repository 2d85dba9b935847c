#include "drivers/fprint/usb_identity.h"

#include <fprint.h>
#include <libusb.h>
#include <systemd/sd-device.h>

#include <cstdio>
#include <memory>

namespace rekam::drivers::fprint {
namespace {

// GUsb keeps the libusb_device behind its GUsbDevice; libfprint exposes the GUsbDevice as
// "fpi-usb-device". Reading both through GObject properties spares us the GUsb headers.
libusb_device* libusb_device_of(FpDevice* device) {
    GObjectClass* cls = G_OBJECT_GET_CLASS(device);
    if (!g_object_class_find_property(cls, "fpi-usb-device")) return nullptr;
    GObject* usb = nullptr;
    g_object_get(device, "fpi-usb-device", &usb, nullptr);
    if (!usb) return nullptr;
    std::unique_ptr<GObject, decltype(&g_object_unref)> owner(usb, g_object_unref);
    if (!g_object_class_find_property(G_OBJECT_GET_CLASS(usb), "libusb-device")) return nullptr;
    gpointer raw = nullptr;
    g_object_get(usb, "libusb-device", &raw, nullptr);
    return static_cast<libusb_device*>(raw);  // lives as long as the GUsbDevice, i.e. the reader
}

struct DeviceUnref {
    void operator()(sd_device* d) const { sd_device_unref(d); }
};
struct EnumeratorUnref {
    void operator()(sd_device_enumerator* e) const { sd_device_enumerator_unref(e); }
};

std::string sysattr(sd_device* device, const char* name) {
    const char* value = nullptr;
    if (sd_device_get_sysattr_value(device, name, &value) < 0 || !value) return {};
    return value;
}

std::string property(sd_device* device, const char* name) {
    const char* value = nullptr;
    if (sd_device_get_property_value(device, name, &value) < 0 || !value) return {};
    return value;
}

void fill_from_sysfs(UsbIdentity& id) {
    sd_device_enumerator* raw = nullptr;
    if (sd_device_enumerator_new(&raw) < 0) return;
    std::unique_ptr<sd_device_enumerator, EnumeratorUnref> e(raw);
    const std::string bus = std::to_string(id.bus), address = std::to_string(id.address);
    if (sd_device_enumerator_add_match_subsystem(e.get(), "usb", true) < 0 ||
        sd_device_enumerator_add_match_sysattr(e.get(), "busnum", bus.c_str(), true) < 0 ||
        sd_device_enumerator_add_match_sysattr(e.get(), "devnum", address.c_str(), true) < 0)
        return;
    for (sd_device* d = sd_device_enumerator_get_device_first(e.get()); d;
         d = sd_device_enumerator_get_device_next(e.get())) {
        const char* devtype = nullptr;
        if (sd_device_get_devtype(d, &devtype) < 0 || std::string(devtype) != "usb_device")
            continue;
        id.serial = sysattr(d, "serial");
        id.vendor = property(d, "ID_VENDOR_FROM_DATABASE");
        if (id.vendor.empty()) id.vendor = sysattr(d, "manufacturer");
        id.model = property(d, "ID_MODEL_FROM_DATABASE");
        if (id.model.empty()) id.model = sysattr(d, "product");
        return;
    }
}

}  // namespace

std::string usb_speed_name(int libusb_speed) {
    switch (libusb_speed) {
        case LIBUSB_SPEED_LOW:
            return "low";
        case LIBUSB_SPEED_FULL:
            return "full";
        case LIBUSB_SPEED_HIGH:
            return "high";
        case LIBUSB_SPEED_SUPER:
            return "super";
        case LIBUSB_SPEED_SUPER_PLUS:
            return "super-plus";
        default:
            return "unknown";
    }
}

UsbIdentity usb_identity(FpDevice* device) {
    UsbIdentity id;
    libusb_device* usb = libusb_device_of(device);
    if (!usb) return id;
    libusb_device_descriptor descriptor{};
    if (libusb_get_device_descriptor(usb, &descriptor) == 0) {
        char text[10];
        std::snprintf(text, sizeof text, "%04x:%04x", descriptor.idVendor, descriptor.idProduct);
        id.usb_id = text;
    }
    id.usb_speed = usb_speed_name(libusb_get_device_speed(usb));
    id.bus = libusb_get_bus_number(usb);
    id.address = libusb_get_device_address(usb);
    fill_from_sysfs(id);
    return id;
}

}  // namespace rekam::drivers::fprint
