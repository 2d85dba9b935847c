#include "daemon/manager.h"

#include <ctime>
#include <optional>

#include "common/log.h"
#include "daemon/registration_book.h"
#include "dbus/names.h"
#include "drivers/sim/sim_driver.h"

#ifndef REKAM_VERSION
#define REKAM_VERSION "0.0.0"
#endif

namespace rekam {
namespace {

// A fault's words (status, condition, error, finger) are short names.
constexpr std::size_t kMaxFaultWord = 64;

// Limits so one misbehaving client cannot exhaust the daemon.
constexpr std::size_t kMaxSessions = 64;
constexpr std::size_t kMaxSessionsPerClient = 4;

// ReadRegistrationBook pages: the default and the most entries in one reply. The book's lines
// are bounded (kMaxBookLineBytes), so a full page stays far below the bus's 32 MiB.
constexpr std::uint32_t kBookPage = 100;
constexpr std::uint32_t kMaxBookPage = 1000;

template <int (Manager::*Method)(sd_bus_message*)>
int trampoline(sd_bus_message* m, void* userdata, sd_bus_error* ret_error) {
    return bus::dispatch(m, ret_error, [userdata](sd_bus_message* msg) {
        return (static_cast<Manager*>(userdata)->*Method)(msg);
    });
}

// The same, for a privileged method: polkit first (asynchronously), then the method.
template <int (Manager::*Method)(sd_bus_message*), const char* const& Action>
int guarded(sd_bus_message* m, void* userdata, sd_bus_error* ret_error) {
    return bus::dispatch(m, ret_error, [userdata](sd_bus_message* msg) {
        return static_cast<Manager*>(userdata)->authorized(msg, Action, Method);
    });
}

// (Named here: the template's comma would split the vtable macros' arguments.)
constexpr auto kOpenSession = guarded<&Manager::open_session, action::kEnroll>;
constexpr auto kReadBook = guarded<&Manager::read_registration_book, action::kReadBook>;
constexpr auto kInjectFault = guarded<&Manager::inject_fault, action::kDiagnostics>;
constexpr auto kSelfTest = guarded<&Manager::self_test, action::kManageDevices>;
constexpr auto kOpenPackage = guarded<&Manager::open_package, action::kSendPackages>;
constexpr auto kAcknowledge = guarded<&Manager::acknowledge_package, action::kSendPackages>;

// AcknowledgePackage's receipt: Adminduk's receipt number, booked as given.
constexpr std::size_t kMaxReceiptBytes = 256;

int get_version(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply, void*,
                sd_bus_error*) {
    return sd_bus_message_append_basic(reply, 's', REKAM_VERSION);
}
int get_station_id(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply,
                   void* userdata, sd_bus_error*) {
    return sd_bus_message_append_basic(
        reply, 's', static_cast<Manager*>(userdata)->config().station_id.c_str());
}
int get_spool(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply, void* userdata,
              sd_bus_error*) {
    const auto spool = static_cast<Manager*>(userdata)->config().effective_spool().string();
    return sd_bus_message_append_basic(reply, 's', spool.c_str());
}
int get_documents(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply,
                  void* userdata, sd_bus_error* ret_error) {
    try {
        bus::append_strings(reply, static_cast<Manager*>(userdata)->config().documents);
        return 1;
    } catch (const std::exception& e) {
        return bus::set_error(ret_error, bus::error::kInternal, e.what());
    }
}

const sd_bus_vtable kManagerVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD_WITH_ARGS("GetDevices", SD_BUS_NO_ARGS, SD_BUS_RESULT("ao", devices),
                            trampoline<&Manager::get_devices>, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("OpenSession", SD_BUS_ARGS("a{sv}", application),
                            SD_BUS_RESULT("o", session), kOpenSession, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("GetSessions", SD_BUS_NO_ARGS, SD_BUS_RESULT("ao", sessions),
                            trampoline<&Manager::get_sessions>, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("ReadRegistrationBook", SD_BUS_ARGS("a{sv}", options),
                            SD_BUS_RESULT("aa{sv}", entries, "t", next), kReadBook,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("SelfTest", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", result), kSelfTest,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("OpenPackage", SD_BUS_ARGS("s", transaction_id, "a{sv}", options),
                            SD_BUS_RESULT("h", package, "s", sha256), kOpenPackage,
                            SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD_WITH_ARGS("AcknowledgePackage",
                            SD_BUS_ARGS("s", transaction_id, "a{sv}", options), SD_BUS_NO_RESULT,
                            kAcknowledge, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_SIGNAL_WITH_ARGS("DeviceAdded", SD_BUS_ARGS("o", device), 0),
    SD_BUS_SIGNAL_WITH_ARGS("DeviceRemoved", SD_BUS_ARGS("o", device), 0),
    SD_BUS_PROPERTY("Version", "s", get_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("StationId", "s", get_station_id, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("SpoolDirectory", "s", get_spool, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("RequiredDocuments", "as", get_documents, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_VTABLE_END,
};

const sd_bus_vtable kDiagnosticsVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD_WITH_ARGS("InjectFault", SD_BUS_ARGS("s", device, "a{sv}", fault),
                            SD_BUS_NO_RESULT, kInjectFault, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_VTABLE_END,
};

// The transaction id argument of OpenPackage and AcknowledgePackage: the package's name.
std::string read_transaction_id(sd_bus_message* m) {
    std::string id = bus::read_string(m, "transaction_id");
    if (!is_transaction_id(id))
        bus::invalid_argument("transaction_id " + bus::quote_prefix(id) +
                              " is not a transaction id (a lower-case UUID, as Finalize's "
                              "package is named)");
    return id;
}

int reply_paths(sd_bus_message* m, const std::vector<std::string>& paths) {
    sd_bus_message* reply = nullptr;
    bus::check(sd_bus_message_new_method_return(m, &reply), "new reply");
    bus::MessagePtr owned(reply);
    bus::check(sd_bus_message_open_container(reply, 'a', "o"), "open ao");
    for (const auto& p : paths)
        bus::check(sd_bus_message_append_basic(reply, 'o', p.c_str()), "append o");
    bus::check(sd_bus_message_close_container(reply), "close ao");
    return sd_bus_send(nullptr, reply, nullptr);
}

drivers::sim::SimFault parse_fault(const bus::Arguments& a) {
    a.reject_unknown({"status", "condition", "delay-ms", "fail-captures", "error",
                      "unplug-after-frames", "present-finger", "unplug", "replug"});
    drivers::sim::SimFault f;
    if (a.has("status")) {
        f.status = drivers::sim::parse_status(a.get_string("status", kMaxFaultWord));
        if (!f.status)
            bus::invalid_argument("fault: \"status\" must be ready, busy, not-ready or error");
    }
    if (a.has("condition")) {
        const std::string c = a.get_string("condition", kMaxFaultWord);
        if (!drivers::sim::is_known_condition(c))
            bus::invalid_argument("fault: unknown condition " + bus::quote_prefix(c) +
                                  " (one of: " + drivers::sim::known_conditions() + ")");
        f.condition = c;
    }
    if (a.has("delay-ms")) f.delay_ms = a.get_u32("delay-ms");
    if (a.has("fail-captures")) f.fail_captures = a.get_u32("fail-captures");
    if (a.has("error")) {
        f.error = drivers::sim::parse_error_code(a.get_string("error", kMaxFaultWord));
        if (!f.error)
            bus::invalid_argument(
                "fault: \"error\" must be io, timeout, disconnected or not-ready");
    }
    if (a.has("unplug-after-frames")) f.unplug_after_frames = a.get_u32("unplug-after-frames");
    if (a.has("present-finger")) {
        const std::string finger = a.get_string("present-finger", kMaxFaultWord);
        const Position* p = find_position(finger);
        if (!p || !is_finger(*p))
            bus::invalid_argument("fault: \"present-finger\" must be a finger position, got " +
                                  bus::quote_prefix(finger));
        f.present_finger = p->iso_code;
    }
    if (a.has("unplug")) f.unplug = a.get_bool("unplug");
    if (a.has("replug")) f.replug = a.get_bool("replug");
    return f;
}

}  // namespace

Manager::Manager(SessionContext& context, drivers::sim::SimDriver* sim,
                 std::function<void()> on_change)
    : ctx_(context), sim_(sim), on_change_(std::move(on_change)) {
    sd_bus_slot* slot = nullptr;
    bus::check(sd_bus_add_object_manager(ctx_.bus, &slot, bus::kRootPath), "add object manager");
    object_manager_slot_.reset(slot);
    bus::check(sd_bus_add_object_vtable(ctx_.bus, &slot, bus::kRootPath, bus::kManagerInterface,
                                        kManagerVtable, this),
               "export manager");
    manager_slot_.reset(slot);
    bus::check(sd_bus_add_object_vtable(ctx_.bus, &slot, bus::kRootPath, bus::kDiagnosticsInterface,
                                        kDiagnosticsVtable, this),
               "export diagnostics");
    diagnostics_slot_.reset(slot);
}

Manager::~Manager() = default;

int Manager::authorized(sd_bus_message* m, const char* action,
                        int (Manager::*method)(sd_bus_message*)) {
    return ctx_.authorizer.authorize(m, action, lifetime_, [this, method](sd_bus_message* held) {
        return (this->*method)(held);
    });
}

int Manager::get_devices(sd_bus_message* m) { return reply_paths(m, ctx_.devices.paths()); }

int Manager::get_sessions(sd_bus_message* m) {
    std::vector<std::string> paths;
    for (const auto& [path, _] : sessions_) paths.push_back(path);
    return reply_paths(m, paths);
}

void Manager::refuse(const bus::Arguments* args, const std::string& sender,
                     const bus::Error& error) {
    BookEntry entry;
    entry.outcome = "refused";
    entry.reason = error.what();
    // An oversized field is booked as its prefix (the reason names the limit); a field of the
    // wrong type is left out (the reason says so).
    const auto field = [&](const char* key, std::size_t max) -> std::string {
        try {
            return args && args->has(key) ? book_field(args->get_string(key), max) : "";
        } catch (const bus::Error&) {
            return "";
        }
    };
    entry.nik = field("nik", kMaxIdBytes);
    entry.operator_id = field("operator", kMaxNameBytes);
    entry.name = field("name", kMaxNameBytes);
    log::info("request from ", sender, " refused: ", error.what());
    try {
        ctx_.book.append(std::move(entry));
    } catch (const std::exception& e) {
        log::error("cannot write the registration book: ", e.what());
    }
}

int Manager::open_session(sd_bus_message* m) {
    const std::string sender = bus::sender_of(m);
    // Every refused request is booked, also one whose dictionary cannot even be read.
    std::optional<bus::Arguments> args;
    Application application;
    try {
        args = bus::read_arguments(m, "application");
        application = check_application(*args, ctx_.config.documents, today_utc());
    } catch (const bus::Error& e) {
        refuse(args ? &*args : nullptr, sender, e);
        throw;
    }
    std::size_t mine = 0;
    for (const auto& [_, s] : sessions_) mine += s->owner() == sender;
    if (mine >= kMaxSessionsPerClient || sessions_.size() >= kMaxSessions) {
        const bus::Error busy(bus::error::kDeviceBusy,
                              "too many open sessions; close or finalize one first (at most " +
                                  std::to_string(kMaxSessionsPerClient) + " per client, " +
                                  std::to_string(kMaxSessions) + " in all)");
        refuse(&*args, sender, busy);
        throw busy;
    }

    auto session = std::make_unique<Session>(ctx_, next_session_++, sender, std::move(application),
                                             [this](Session& s) {
                                                 sessions_.erase(s.path());
                                                 on_change_();
                                             });
    const std::string path = session->path();
    log::info(path, ": opened by ", sender, " (operator ", session->application().operator_id, ")");
    sessions_.emplace(path, std::move(session));
    on_change_();
    return sd_bus_reply_method_return(m, "o", path.c_str());
}

int Manager::read_registration_book(sd_bus_message* m) {
    const bus::Arguments options = bus::read_arguments(m, "options");
    options.reject_unknown({"offset", "limit", "from-end"});
    const std::uint32_t limit = options.has("limit") ? options.get_u32("limit") : kBookPage;
    if (limit < 1 || limit > kMaxBookPage)
        bus::invalid_argument("options: \"limit\" must be between 1 and " +
                              std::to_string(kMaxBookPage) + ", got " + std::to_string(limit));
    const std::uint64_t offset = options.has("offset") ? options.get_u32("offset") : 0;
    const bool from_end = options.has("from-end") && options.get_bool("from-end");
    const std::uint64_t size = ctx_.book.size();
    const std::uint64_t first = !from_end ? offset : offset >= size ? 0 : size - offset;
    // A page, never the book: a year of a busy office would pass the bus's message limit.
    const auto entries = ctx_.book.read(first, limit);
    const std::uint64_t after = first + entries.size();
    const std::uint64_t next = after < ctx_.book.size() ? after : 0;

    sd_bus_message* reply = nullptr;
    bus::check(sd_bus_message_new_method_return(m, &reply), "new reply");
    bus::MessagePtr owned(reply);
    bus::check(sd_bus_message_open_container(reply, 'a', "a{sv}"), "open aa{sv}");
    for (const BookEntry& e : entries) {
        bus::Dict entry;
        for (const auto& [key, member] : kBookFields) entry.emplace_back(key, bus::str(e.*member));
        bus::append_dict(reply, entry);
    }
    bus::check(sd_bus_message_close_container(reply), "close aa{sv}");
    bus::check(sd_bus_message_append_basic(reply, 't', &next), "append next");
    return sd_bus_send(nullptr, reply, nullptr);
}

// The station's own readiness, for the technician: the key and its certificate, whether packages
// are sealed, what the spool holds. "passed" is false only when no package can be signed.
int Manager::self_test(sd_bus_message* m) {
    const pkg::StationSigner& signer = ctx_.writer.signer();
    const std::time_t now = std::time(nullptr);
    const bool self_signed = ctx_.config.key_file.empty();
    const auto readiness = ctx_.writer.readiness(now, self_signed);
    std::vector<std::string> recipients;
    if (const auto& r = ctx_.writer.recipients())
        for (const auto& d : r->described()) recipients.push_back(d.subject);
    bus::Dict result{
        {"passed", bus::boolean(readiness.can_sign)},
        {"station-key", bus::str(self_signed ? "self-signed key in the state directory"
                                             : ctx_.config.key_file.string())},
        {"certificate", bus::str(signer.subject())},
        {"certificate-expires", bus::str(signer.not_after())},
        {"certificate-days-left", bus::i64(signer.seconds_until_expiry(now) / 86400)},
        {"packages",
         bus::str(recipients.empty()
                      ? "signed"
                      : "sealed to " + std::to_string(recipients.size()) + " recipient(s)")},
        {"recipients", bus::strv(recipients)},
        {"spooled", bus::u32(static_cast<std::uint32_t>(ctx_.book.spooled().size()))},
        {"warnings", bus::strv(readiness.warnings)},
    };
    sd_bus_message* reply = nullptr;
    bus::check(sd_bus_message_new_method_return(m, &reply), "new reply");
    bus::MessagePtr owned(reply);
    bus::append_dict(reply, result);
    return sd_bus_send(nullptr, reply, nullptr);
}

int Manager::open_package(sd_bus_message* m) {
    const std::string transaction_id = read_transaction_id(m);
    bus::read_arguments(m, "options").reject_unknown({});
    try {
        auto [fd, sha256] = ctx_.spool.open(transaction_id);
        const int raw = fd.get();
        log::info("package of transaction ", transaction_id, " handed to ", bus::sender_of(m));
        return sd_bus_reply_method_return(m, "hs", raw, sha256.c_str());
    } catch (const SpoolRefusal& e) {
        throw bus::Error(bus::error::kUnknownTransaction, e.what());
    }
}

int Manager::acknowledge_package(sd_bus_message* m) {
    Acknowledgement ack;
    ack.transaction_id = read_transaction_id(m);
    const bus::Arguments options = bus::read_arguments(m, "options");
    options.reject_unknown({"receipt", "package-sha256"});
    if (options.has("receipt")) {
        ack.receipt = options.get_string("receipt", kMaxReceiptBytes);
        for (const char c : ack.receipt)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                bus::invalid_argument("options: \"receipt\" holds a control character");
    }
    if (options.has("package-sha256")) {
        ack.package_sha256 = options.get_string("package-sha256", 64);
        if (ack.package_sha256.size() != 64 ||
            ack.package_sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
            bus::invalid_argument("options: \"package-sha256\" must be 64 lower-case hex digits");
    }
    ack.by = bus::sender_of(m);
    uid_t uid = 0;
    sd_bus_creds* creds = nullptr;
    if (sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID, &creds) >= 0) {
        if (sd_bus_creds_get_euid(creds, &uid) >= 0) ack.by += " (uid " + std::to_string(uid) + ")";
        sd_bus_creds_unref(creds);
    }
    try {
        ctx_.spool.acknowledge(ack);
    } catch (const SpoolRefusal& e) {
        if (e.reason == SpoolRefusal::Reason::OtherBytes) bus::invalid_argument(e.what());
        throw bus::Error(bus::error::kUnknownTransaction, e.what());
    }
    return sd_bus_reply_method_return(m, "");
}

int Manager::inject_fault(sd_bus_message* m) {
    const std::string target = bus::read_string(m, "device");
    const drivers::sim::SimFault fault = parse_fault(bus::read_arguments(m, "fault"));
    if (!sim_)
        throw bus::Error(bus::error::kDeviceNotFound,
                         "fault injection needs the simulated kit, which is not enabled here");
    drivers::DeviceKind kind;
    if (auto named = drivers::parse_device_kind(target))
        kind = *named;
    else {
        auto* entry = ctx_.devices.find(target);
        if (!entry)
            throw bus::Error(bus::error::kDeviceNotFound, "no device " + bus::quote_prefix(target));
        if (entry->device->info().driver != "sim")
            bus::invalid_argument(target +
                                  " is a real device; faults go only to the simulated kit");
        kind = entry->device->info().kind;
    }
    try {
        sim_->inject(kind, fault);
    } catch (const std::invalid_argument& e) {
        bus::invalid_argument(e.what());
    }
    log::notice("fault injected into the simulated ", drivers::to_string(kind), " device by ",
                bus::sender_of(m));
    on_change_();
    return sd_bus_reply_method_return(m, "");
}

void Manager::close_all(const std::string& reason) {
    for (auto& [_, session] : sessions_) session->close(reason);
}

}  // namespace rekam
