// The root object /id/rekam/Rekam1: id.rekam.Rekam1.Manager (devices, sessions, the
// registration book), id.rekam.Rekam1.Diagnostics (fault injection) and the ObjectManager.
#pragma once

#include <systemd/sd-bus.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "daemon/authorizer.h"
#include "daemon/session.h"
#include "dbus/message.h"

namespace rekam {

namespace drivers::sim {
class SimDriver;
}

class Manager {
  public:
    // `sim` may be null when the simulated kit is not enabled.
    Manager(SessionContext& context, drivers::sim::SimDriver* sim, std::function<void()> on_change);
    ~Manager();

    std::size_t session_count() const { return sessions_.size(); }
    const Config& config() const { return ctx_.config; }
    // Close every session (shutdown): captures cancelled, sessions recorded as abandoned.
    void close_all(const std::string& reason);

    int get_devices(sd_bus_message* m);
    int open_session(sd_bus_message* m);
    int get_sessions(sd_bus_message* m);
    int read_registration_book(sd_bus_message* m);
    int open_package(sd_bus_message* m);
    int acknowledge_package(sd_bus_message* m);
    int self_test(sd_bus_message* m);
    int inject_fault(sd_bus_message* m);
    // Run `method` once polkit allows `action` for the caller (see Authorizer).
    int authorized(sd_bus_message* m, const char* action, int (Manager::*method)(sd_bus_message*));

  private:
    void refuse(const bus::Arguments* args, const std::string& sender, const bus::Error& error);

    SessionContext& ctx_;
    drivers::sim::SimDriver* sim_;
    std::function<void()> on_change_;
    std::map<std::string, std::unique_ptr<Session>> sessions_;
    unsigned next_session_ = 1;
    bus::SlotPtr manager_slot_;
    bus::SlotPtr diagnostics_slot_;
    bus::SlotPtr object_manager_slot_;
    Authorizer::Lifetime lifetime_ = Authorizer::make_lifetime();
};

}  // namespace rekam
