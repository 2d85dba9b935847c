// rekamd as one object: bus connection, drivers, devices, sessions and the notify protocol,
// all on one sd-event loop.
#pragma once

#include <memory>
#include <string>

#include "common/event_loop.h"
#include "daemon/config.h"
#include "dbus/message.h"

namespace rekam {

struct DaemonOptions {
    Config config;
    std::string bus_address;  // empty: the system bus (honours DBUS_SYSTEM_BUS_ADDRESS)
};

class Daemon {
  public:
    explicit Daemon(DaemonOptions options);
    ~Daemon();
    // Runs until SIGTERM/SIGINT or the bus goes away; returns the process exit code.
    int run();

  private:
    struct Parts;
    void update_status();
    void expire_packages();

    DaemonOptions options_;
    EventLoop loop_;
    bus::BusPtr bus_;
    bus::SlotPtr disconnect_slot_;
    std::unique_ptr<Parts> parts_;
    EventSource sigterm_, sigint_;
    EventSource expiry_timer_;  // [Spool] MaxAgeDays=
};

}  // namespace rekam
