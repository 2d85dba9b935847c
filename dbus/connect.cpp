#include "dbus/connect.h"

#include <cstring>
#include <stdexcept>

namespace rekam::bus {

BusPtr connect(const std::string& address) {
    sd_bus* bus = nullptr;
    int r;
    if (address.empty()) {
        r = sd_bus_open_system(&bus);
    } else {
        r = sd_bus_new(&bus);
        if (r >= 0) r = sd_bus_set_address(bus, address.c_str());
        if (r >= 0) r = sd_bus_set_bus_client(bus, 1);
        if (r >= 0) r = sd_bus_negotiate_fds(bus, 1);
        if (r >= 0) r = sd_bus_start(bus);
    }
    BusPtr owned(bus);
    if (r < 0)
        throw std::runtime_error("cannot connect to " +
                                 (address.empty() ? std::string("the system bus") : address) +
                                 ": " + std::strerror(-r));
    return owned;
}

}  // namespace rekam::bus
