#include "drivers/evdev/pen_tablet.h"

#include <fcntl.h>
#include <libevdev/libevdev.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace rekam::drivers::evdev {
namespace {

bio::signature::AxisRange range(libevdev* dev, unsigned code) {
    const input_absinfo* a = libevdev_get_abs_info(dev, code);
    return a ? bio::signature::AxisRange{a->minimum, a->maximum} : bio::signature::AxisRange{};
}

double resolution(libevdev* dev, unsigned code) {
    const input_absinfo* a = libevdev_get_abs_info(dev, code);
    return a ? a->resolution : 0;
}

}  // namespace

void PenTablet::Free::operator()(libevdev* d) const { libevdev_free(d); }

PenTablet PenTablet::open(const std::string& node) {
    UniqueFd fd(::open(node.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd) throw std::runtime_error("cannot open " + node + ": " + std::strerror(errno));
    libevdev* dev = nullptr;
    if (const int rc = libevdev_new_from_fd(fd.get(), &dev); rc < 0)
        throw std::runtime_error(node + " is not an input device: " + std::strerror(-rc));
    PenTablet tablet(node, std::move(fd), dev);
    const auto refuse = [&](const std::string& why) {
        throw std::runtime_error(node + " (" + tablet.name() + ") " + why);
    };
    if (!libevdev_has_event_code(dev, EV_KEY, BTN_TOOL_PEN) ||
        !libevdev_has_event_code(dev, EV_ABS, ABS_X) ||
        !libevdev_has_event_code(dev, EV_ABS, ABS_Y))
        refuse("is not a pen: it lacks BTN_TOOL_PEN, ABS_X or ABS_Y");
    const bio::signature::PenDevice& d = tablet.device_;
    if (!d.has_pressure())
        refuse("reports no pen pressure (ABS_PRESSURE): it cannot record a signature");
    if (d.x_units_per_mm <= 0 || d.y_units_per_mm <= 0)
        refuse("reports no resolution for ABS_X/ABS_Y: a signature's size would be unknown");
    const double width_mm = d.width_mm(), height_mm = d.height_mm();
    if (width_mm < 20 || height_mm < 20 || width_mm > 1000 || height_mm > 1000)
        refuse("describes an area of " + std::to_string(std::lround(width_mm)) + " x " +
               std::to_string(std::lround(height_mm)) + " mm: not a signature pad's");
    return tablet;
}

PenTablet::PenTablet(std::string node, UniqueFd fd, libevdev* dev)
    : node_(std::move(node)), fd_(std::move(fd)), dev_(dev) {
    device_.x = range(dev, ABS_X);
    device_.y = range(dev, ABS_Y);
    if (libevdev_has_event_code(dev, EV_ABS, ABS_PRESSURE))
        device_.pressure = range(dev, ABS_PRESSURE);
    device_.x_units_per_mm = resolution(dev, ABS_X);
    device_.y_units_per_mm = resolution(dev, ABS_Y);
}

PenTablet::PenTablet(PenTablet&&) noexcept = default;
PenTablet& PenTablet::operator=(PenTablet&&) noexcept = default;
PenTablet::~PenTablet() = default;

std::string PenTablet::name() const {
    const char* n = libevdev_get_name(dev_.get());
    return n ? n : "";
}

std::string PenTablet::usb_id() const {
    if (libevdev_get_id_bustype(dev_.get()) != BUS_USB) return {};
    char id[10];
    std::snprintf(id, sizeof id, "%04x:%04x", libevdev_get_id_vendor(dev_.get()) & 0xffff,
                  libevdev_get_id_product(dev_.get()) & 0xffff);
    return id;
}

bool PenTablet::direct() const { return libevdev_has_property(dev_.get(), INPUT_PROP_DIRECT) == 1; }

bool PenTablet::grab(bool on) {
    const int rc = libevdev_grab(dev_.get(), on ? LIBEVDEV_GRAB : LIBEVDEV_UNGRAB);
    if (rc < 0) errno = -rc;
    return rc == 0;
}

PenTablet::Read PenTablet::read(std::vector<bio::signature::PenSample>& out) {
    unsigned flags = LIBEVDEV_READ_FLAG_NORMAL;
    for (int n = 0;; ++n) {
        // A sync in progress is finished first: its events are the device's state.
        if (n >= kMaxEventsPerRead && flags == LIBEVDEV_READ_FLAG_NORMAL) return Read::More;
        input_event ev{};
        const int rc = libevdev_next_event(dev_.get(), flags, &ev);
        if (rc == -EAGAIN) {
            if (flags == LIBEVDEV_READ_FLAG_NORMAL) return Read::Drained;
            flags = LIBEVDEV_READ_FLAG_NORMAL;  // the sync is over; back to the stream
            continue;
        }
        if (rc < 0) {  // ENODEV when unplugged; anything else is as final
            error_ = -rc;
            return Read::Gone;
        }
        // SYN_DROPPED: libevdev hands the device's state over as sync events next.
        if (rc == LIBEVDEV_READ_STATUS_SYNC) flags = LIBEVDEV_READ_FLAG_SYNC;
        if (auto sample = decoder_.feed(ev)) out.push_back(*sample);
    }
}

}  // namespace rekam::drivers::evdev
