// Who a libfprint reader is on the USB bus: VID:PID, serial, speed, vendor and model names.
//
// VID:PID, bus speed and the bus position come from libusb (libusb_get_device_descriptor and
// libusb_get_device_speed read cached descriptors, no device I/O). The serial string and the
// vendor/model names come from sysfs and the udev database through sd-device (found by the
// usbfs node /dev/bus/usb/BBB/DDD):
// the kernel cached the serial at enumeration, whereas reading it through libusb means opening
// the device and a control transfer behind libfprint's back (it holds the interface during a
// capture, and a recorded trace replays strictly in order, so an extra transfer breaks it).
#pragma once

#include <string>

typedef struct _FpDevice FpDevice;

namespace rekam::drivers::fprint {

struct UsbIdentity {
    std::string usb_id;  // "vvvv:pppp", empty when the reader is not on USB
    std::string usb_speed;
    std::string serial;
    std::string vendor;
    std::string model;
    int bus = -1;
    int address = -1;
};

// Empty fields where the reader is not a USB device (virtual, SPI) or sysfs lacks them.
UsbIdentity usb_identity(FpDevice* device);

std::string usb_speed_name(int libusb_speed);

}  // namespace rekam::drivers::fprint
