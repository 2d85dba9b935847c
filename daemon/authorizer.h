// polkit for the privileged calls: each one is held while org.freedesktop.PolicyKit1 is asked,
// asynchronously, whether its caller (the bus name) may do the action, so the sd-event loop
// never blocks on polkit. No answer within the timeout, polkit absent or an error: refused.
#pragma once

#include <systemd/sd-bus.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace rekam {

// The actions of packaging/polkit/id.rekam.policy.
namespace action {
inline constexpr const char* kEnroll = "id.rekam.enroll";
inline constexpr const char* kReadSamples = "id.rekam.read-samples";
inline constexpr const char* kReadBook = "id.rekam.read-registration-book";
inline constexpr const char* kManageDevices = "id.rekam.manage-devices";
inline constexpr const char* kDiagnostics = "id.rekam.diagnostics";
inline constexpr const char* kSendPackages = "id.rekam.send-packages";
}  // namespace action

class Authorizer {
  public:
    // What an sd-bus method handler does once the call is authorized.
    using Handler = std::function<int(sd_bus_message*)>;
    // Held by every object whose methods wait for polkit: a check that finishes after its
    // object is gone answers the caller with an error instead of calling into freed memory.
    using Lifetime = std::shared_ptr<void>;
    static Lifetime make_lifetime() { return std::make_shared<char>(0); }

    // `enabled` false ([Security] Polkit=no, private-bus tests and the demo): every call is
    // allowed at once.
    Authorizer(sd_bus* bus, bool enabled, std::uint64_t timeout_usec);
    ~Authorizer();
    Authorizer(const Authorizer&) = delete;
    Authorizer& operator=(const Authorizer&) = delete;

    // Returns what a method handler returns. Disabled: then(m). Enabled: keeps a reference
    // to `m`, asks polkit and returns 1; later runs then(m) (its bus::Error becomes the
    // error reply) or replies id.rekam.Rekam1.Error.NotAuthorized.
    int authorize(sd_bus_message* m, const char* action, const Lifetime& owner, Handler then);

    bool enabled() const { return enabled_; }

  private:
    struct Check;
    static int on_reply(sd_bus_message* reply, void* userdata, sd_bus_error* ret_error);
    void finish(Check& check, sd_bus_message* reply);

    sd_bus* bus_;
    bool enabled_;
    std::uint64_t timeout_usec_;
    std::map<const Check*, std::unique_ptr<Check>> pending_;
};

}  // namespace rekam
