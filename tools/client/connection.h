// The client side of the rekam D-Bus API over sd-bus, shared by rekamctl, the integration
// tests and the benchmarks.
#pragma once

#include <systemd/sd-bus.h>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dbus/message.h"

namespace rekam::client {

// A D-Bus error reply: `name` is e.g. id.rekam.Rekam1.Error.SessionIncomplete.
class CallError : public std::runtime_error {
  public:
    CallError(std::string name, const std::string& message)
        : std::runtime_error(message), name_(std::move(name)) {}
    const std::string& name() const { return name_; }

  private:
    std::string name_;
};

using Append = std::function<void(sd_bus_message*)>;

class Connection {
  public:
    // Empty address: the system bus (DBUS_SYSTEM_BUS_ADDRESS honoured).
    explicit Connection(const std::string& address);

    sd_bus* get() const { return bus_.get(); }
    const std::string& unique_name() const { return unique_name_; }

    bus::MessagePtr call(const std::string& path, const char* interface, const char* method,
                         const Append& append = {}, std::uint64_t timeout_usec = 0);
    bus::Arguments properties(const std::string& path, const char* interface);
    // org.freedesktop.DBus.NameHasOwner: is `name` on the bus?
    bool name_has_owner(const std::string& name);
    // Wait up to `timeout_usec` for bus traffic and dispatch it (signal callbacks run here).
    void pump(std::uint64_t timeout_usec);

  private:
    bus::BusPtr bus_;
    std::string unique_name_;
};

std::vector<std::string> read_paths(sd_bus_message* reply);
// An "h" at the reply's read position (a sealed memfd of an image): all its bytes.
std::vector<std::uint8_t> read_fd_bytes(sd_bus_message* reply, const char* what);

}  // namespace rekam::client
