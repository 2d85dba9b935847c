// Opening a bus connection the same way on both sides of the API.
#pragma once

#include <string>

#include "dbus/message.h"

namespace rekam::bus {

// Empty address: the system bus (sd-bus honours DBUS_SYSTEM_BUS_ADDRESS). Otherwise a bus at
// `address` (a private test bus), as a bus client with fd passing. Throws std::runtime_error
// naming the bus.
BusPtr connect(const std::string& address);

}  // namespace rekam::bus
