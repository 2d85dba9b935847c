#include "daemon/authorizer.h"

#include <utility>

#include "common/log.h"
#include "dbus/errors.h"
#include "dbus/message.h"

namespace rekam {
namespace {

// CheckAuthorizationFlags.AllowUserInteraction: only when the caller said it can answer a
// password prompt (sd_bus_set_allow_interactive_authorization / busctl -i).
constexpr std::uint32_t kAllowUserInteraction = 1;

// Send the reply of a held call: then(m)'s own reply, or its exception as an error reply.
void run_and_reply(sd_bus_message* m, const Authorizer::Handler& then) {
    sd_bus_error error = SD_BUS_ERROR_NULL;
    const int r = bus::dispatch(m, &error, then);
    if (sd_bus_error_is_set(&error))
        sd_bus_reply_method_error(m, &error);
    else if (r < 0)
        sd_bus_reply_method_errno(m, r, nullptr);
    sd_bus_error_free(&error);
}

void refuse(sd_bus_message* m, const std::string& message) {
    sd_bus_reply_method_errorf(m, bus::error::kNotAuthorized, "%s", message.c_str());
}

}  // namespace

struct Authorizer::Check {
    Authorizer* self = nullptr;
    bus::MessagePtr call;  // the held method call
    std::string action;
    std::string sender;
    std::weak_ptr<void> owner;
    Handler then;
    bus::SlotPtr slot;  // the pending CheckAuthorization; unref cancels it
};

Authorizer::Authorizer(sd_bus* bus, bool enabled, std::uint64_t timeout_usec)
    : bus_(bus), enabled_(enabled), timeout_usec_(timeout_usec) {
    if (!enabled_)
        log::warning(
            "polkit is off ([Security] Polkit=no): every caller the bus policy lets in "
            "may enroll, read samples and inject faults");
}

Authorizer::~Authorizer() = default;

int Authorizer::authorize(sd_bus_message* m, const char* action, const Lifetime& owner,
                          Handler then) {
    if (!enabled_) return then(m);
    auto check = std::make_unique<Check>();
    check->self = this;
    check->call.reset(sd_bus_message_ref(m));
    check->action = action;
    check->sender = bus::sender_of(m);
    check->owner = owner;
    check->then = std::move(then);
    if (check->sender.empty())
        throw bus::Error(bus::error::kNotAuthorized,
                         "a call without a sender (direct connection) cannot be authorized");

    sd_bus_message* request = nullptr;
    bus::check(sd_bus_message_new_method_call(bus_, &request, "org.freedesktop.PolicyKit1",
                                              "/org/freedesktop/PolicyKit1/Authority",
                                              "org.freedesktop.PolicyKit1.Authority",
                                              "CheckAuthorization"),
               "new CheckAuthorization");
    bus::MessagePtr owned(request);
    const std::uint32_t flags =
        sd_bus_message_get_allow_interactive_authorization(m) > 0 ? kAllowUserInteraction : 0;
    bus::check(sd_bus_message_append(request, "(sa{sv})sa{ss}us", "system-bus-name", 1, "name", "s",
                                     check->sender.c_str(), action, 0, flags, ""),
               "append CheckAuthorization");
    sd_bus_slot* slot = nullptr;
    bus::check(
        sd_bus_call_async(bus_, &slot, request, &Authorizer::on_reply, check.get(), timeout_usec_),
        "call CheckAuthorization");
    check->slot.reset(slot);
    const Check* key = check.get();
    pending_.emplace(key, std::move(check));
    return 1;  // the reply comes later, from finish()
}

int Authorizer::on_reply(sd_bus_message* reply, void* userdata, sd_bus_error*) {
    auto* check = static_cast<Check*>(userdata);
    Authorizer* self = check->self;
    auto node = self->pending_.extract(check);
    if (node.empty()) return 0;
    self->finish(*node.mapped(), reply);
    return 0;  // node (and with it the slot and the held call) goes here
}

void Authorizer::finish(Check& check, sd_bus_message* reply) {
    sd_bus_message* m = check.call.get();
    const std::string who = check.sender + " (" + check.action + ")";
    if (const sd_bus_error* e = sd_bus_message_get_error(reply)) {
        // No polkitd, or no reply within the timeout: "no answer". Anything else is polkit
        // refusing the question itself (e.g. rekamd not the actions' owner).
        const bool no_answer =
            sd_bus_error_has_names(e, SD_BUS_ERROR_NO_REPLY, SD_BUS_ERROR_TIMEOUT,
                                   SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER);
        const std::string detail = e->message ? e->message : e->name;
        log::warning(no_answer ? "polkit gave no answer for " : "polkit failed to check ", who,
                     ": ", e->name, ": ", detail);
        refuse(m, "cannot check authorization for " + check.action +
                      (no_answer ? ": polkit did not answer (" : ": polkit failed (") + detail +
                      ")");
        return;
    }
    int authorized = 0, challenge = 0;
    const int r = sd_bus_message_enter_container(reply, 'r', "bba{ss}") < 0
                      ? -1
                      : sd_bus_message_read(reply, "bb", &authorized, &challenge);
    if (r < 0) {
        log::warning("polkit answered ", who, " with an unexpected reply");
        refuse(m, "cannot check authorization for " + check.action + ": bad reply from polkit");
        return;
    }
    if (!authorized) {
        log::notice("refused ", who, challenge ? ": authentication required" : ": not allowed");
        refuse(m, "not authorized for " + check.action +
                      (challenge ? ": authentication required (call with interactive "
                                   "authorization, or be in the rekam-operators group)"
                                 : ""));
        return;
    }
    if (check.owner.expired()) {
        sd_bus_reply_method_errorf(m, bus::error::kCancelled,
                                   "the object went away while %s was being authorized",
                                   check.action.c_str());
        return;
    }
    log::debug("polkit allowed ", who);
    run_and_reply(m, check.then);
}

}  // namespace rekam
