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
    // The usbfs node names the device by bus and address; sd-device maps it to its sysfs entry.
    char node[32];
    std::snprintf(node, sizeof node, "/dev/bus/usb/%03d/%03d", id.bus, id.address);
    sd_device* raw = nullptr;
    if (sd_device_new_from_devname(&raw, node) < 0) return;
    std::unique_ptr<sd_device, DeviceUnref> d(raw);
    id.serial = sysattr(d.get(), "serial");
    id.vendor = property(d.get(), "ID_VENDOR_FROM_DATABASE");
    if (id.vendor.empty()) id.vendor = sysattr(d.get(), "manufacturer");
    id.model = property(d.get(), "ID_MODEL_FROM_DATABASE");
    if (id.model.empty()) id.model = sysattr(d.get(), "product");
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
