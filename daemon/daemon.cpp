#include "daemon/daemon.h"

#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "biometrics/face/detector.h"
#include "biometrics/package/cms.h"
#include "common/log.h"
#include "daemon/device_registry.h"
#include "daemon/driver_factory.h"
#include "daemon/enrollment_writer.h"
#include "daemon/manager.h"
#include "daemon/registration_book.h"
#include "daemon/session.h"
#include "dbus/connect.h"
#include "dbus/names.h"
#include "drivers/sim/sim_driver.h"

namespace rekam {
namespace {

void ensure_directory(const std::filesystem::path& dir, mode_t mode) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
    chmod(dir.c_str(), mode);
}

// The station key signs every package. Without a configured key the station makes itself a
// self-signed one, loudly: such packages verify, but no central system will trust them.
pkg::StationSigner load_signer(const Config& config) {
    if (!config.key_file.empty() || !config.certificate_file.empty()) {
        if (config.key_file.empty() || config.certificate_file.empty())
            throw std::runtime_error("KeyFile= and CertificateFile= must be set together");
        std::optional<std::filesystem::path> chain;
        if (!config.chain_file.empty()) chain = config.chain_file;
        return pkg::StationSigner::from_files(config.key_file, config.certificate_file, chain);
    }
    const auto key = config.state_directory / "station-key.pem";
    const auto cert = config.state_directory / "station-cert.pem";
    if (!std::filesystem::exists(key) || !std::filesystem::exists(cert)) {
        pkg::generate_self_signed(key, cert, "rekam station " + config.station_id);
        log::warning(
            "no station key configured: created a self-signed one in ", key.string(),
            "; packages will verify only against ", cert.string(),
            ". Configure KeyFile= and CertificateFile= issued by Dukcapil for production.");
    }
    return pkg::StationSigner::from_files(key, cert);
}

// At start, what Manager.SelfTest reports: a station that cannot sign is an error (Finalize
// refuses with NotReady until the certificate is renewed, but the rest serves on), the rest
// warnings.
void report_readiness(const EnrollmentWriter& writer, const Config& config) {
    const auto readiness = writer.readiness(std::time(nullptr), config.key_file.empty());
    for (const auto& warning : readiness.warnings)
        if (readiness.can_sign)
            log::warning(warning);
        else
            log::error(warning);
}

// [Package] RecipientCertificate=: a file that is missing or holds no usable certificate stops
// rekamd, rather than writing packages in the clear that were meant to be sealed.
std::optional<pkg::SealRecipients> load_recipients(const Config& config) {
    if (config.recipient_certificates.empty()) return std::nullopt;  // report_readiness says so
    pkg::SealRecipients recipients;
    for (const auto& file : config.recipient_certificates) {
        const std::string origin = "[Package] RecipientCertificate=" + file.string();
        try {
            recipients.add_pem(pkg::read_text_file(file), origin);
        } catch (const pkg::CryptoError& e) {
            // read_text_file() names the file; add_pem() names it through `origin`.
            const std::string what = e.what();
            throw std::runtime_error(what.starts_with(origin) ? what : origin + ": " + what);
        }
    }
    for (const auto& r : recipients.described())
        log::info("packages are sealed to ", r.subject, " (", r.key_management,
                  ", certificate SHA-256 ", r.certificate_sha256, ")");
    return recipients;
}

drivers::sim::SimConfig sim_config(const Config& config) {
    drivers::sim::SimConfig sim;
    sim.frame_interval_ms = config.sim_frame_interval_ms;
    for (const auto& [kind, state] : config.sim_devices) {
        if (!drivers::sim::is_known_condition(state.condition))
            throw ConfigError("[Simulator] " + kind + "Condition=" + state.condition +
                              " is unknown (one of: " + drivers::sim::known_conditions() + ")");
        if (auto k = drivers::parse_device_kind(kind)) sim.initial[*k] = state;
    }
    return sim;
}

// What the last run left unfinished, before anyone is served: a package booked as enrolled but
// still under its temporary name gets its final name; any other temporary goes; every request
// the book has open is booked "interrupted". The book and the spool agree again.
void recover_after_stop(RegistrationBook& book, const std::filesystem::path& spool) {
    const SpoolRecovery spooled =
        recover_spool(spool, [&](const std::string& name) -> std::optional<std::string> {
            if (auto entry = book.enrolled(name)) return entry->package_sha256;
            return std::nullopt;
        });
    for (const auto& name : spooled.completed)
        log::warning("the package ", name,
                     " was booked as enrolled when rekamd stopped; gave it its final name");
    for (const auto& name : spooled.removed)
        log::warning("removed the unfinished package ", name,
                     " a stop left in the spool (it was never booked)");
    for (const BookEntry& open : book.unfinished()) {
        BookEntry entry;
        entry.transaction_id = open.transaction_id;
        entry.operator_id = open.operator_id;
        entry.nik = open.nik;
        entry.name = open.name;
        entry.outcome = "interrupted";
        entry.reason = "rekamd stopped while the session was open (crash, kill or power loss)";
        try {
            book.append(std::move(entry));
            log::warning("transaction ", open.transaction_id, " (operator ", open.operator_id,
                         ", opened ", open.time,
                         ") was open when rekamd stopped; booked as interrupted");
        } catch (const std::exception& e) {
            // Found open again at the next start: nothing is lost by serving on.
            log::error("cannot book transaction ", open.transaction_id,
                       " as interrupted: ", e.what());
        }
    }
}

}  // namespace

struct Daemon::Parts {
    Authorizer authorizer;  // first: it outlives everything whose calls it holds
    DeviceRegistry devices;
    RegistrationBook book;
    EnrollmentWriter writer;
    PackageSpool spool;
    SessionContext context;
    std::unique_ptr<drivers::sim::SimDriver> sim;
    std::vector<std::unique_ptr<drivers::Driver>> hardware;
    std::unique_ptr<Manager> manager;

    Parts(EventLoop& loop, sd_bus* bus, const Config& config)
        : authorizer(bus, config.polkit, std::uint64_t{config.polkit_timeout_ms} * 1000),
          devices(loop, bus, authorizer, config),
          book(config.state_directory / "registration-book.jsonl"),
          writer(config.station_id, config.effective_spool(), load_signer(config), config.card,
                 load_recipients(config)),
          spool(config.effective_spool(), book, config.spool_max_age_days),
          context{loop, bus, config, devices, writer, book, authorizer, spool} {}
    // Previews stream from devices the drivers own: they stop before the drivers go.
    ~Parts() {
        for (const auto& entry : devices.entries())
            if (entry->preview) entry->preview->close_all();
    }
};

Daemon::Daemon(DaemonOptions options) : options_(std::move(options)) {
    const Config& config = options_.config;
    ensure_directory(config.state_directory, 0700);
    // rekamd's alone: a front end reads a package through Manager.OpenPackage.
    ensure_directory(config.effective_spool(), 0700);

    bus_ = bus::connect(options_.bus_address);
    bus::check(sd_bus_attach_event(bus_.get(), loop_.get(), SD_EVENT_PRIORITY_NORMAL),
               "attach bus");
    // Losing the bus is a failure systemd must see (Restart=on-failure), not a clean stop.
    sd_bus_slot* slot = nullptr;
    bus::check(sd_bus_match_signal(
                   bus_.get(), &slot, "org.freedesktop.DBus.Local", nullptr,
                   "org.freedesktop.DBus.Local", "Disconnected",
                   [](sd_bus_message*, void* userdata, sd_bus_error*) -> int {
                       log::error("lost the connection to the bus; exiting");
                       static_cast<EventLoop*>(userdata)->exit(EXIT_FAILURE);
                       return 0;
                   },
                   &loop_),
               "watch for disconnection");
    disconnect_slot_.reset(slot);

    parts_ = std::make_unique<Parts>(loop_, bus_.get(), config);
    report_readiness(parts_->writer, config);
    parts_->book.enable_checkpoints(config.book_checkpoint_every,
                                    [this](std::span<const std::uint8_t> statement) {
                                        return parts_->writer.signer().sign_detached(statement);
                                    });
    recover_after_stop(parts_->book, config.effective_spool());
    for (const auto& name : parts_->spool.finish_releases())
        log::warning("removed the package ", name,
                     " whose acknowledgement or expiry was booked when rekamd stopped");
    expire_packages();
    for (const auto& name : config.drivers) {
        if (name == "sim")
            parts_->sim = std::make_unique<drivers::sim::SimDriver>(loop_, sim_config(config));
        else
            parts_->hardware.push_back(make_hardware_driver(name, loop_, config));
    }
    parts_->manager =
        std::make_unique<Manager>(parts_->context, parts_->sim.get(), [this] { update_status(); });

    // Export everything before taking the name, so the first caller sees a complete daemon.
    if (parts_->sim) parts_->sim->start(parts_->devices);
    for (auto& driver : parts_->hardware) driver->start(parts_->devices);
    const int r = sd_bus_request_name(bus_.get(), bus::kBusName, 0);
    if (r < 0)
        throw std::runtime_error(std::string("cannot own ") + bus::kBusName + ": " +
                                 std::strerror(-r) +
                                 " (another rekamd running, or the bus policy forbids it)");

    // A preview viewer that closes its pipe is an EPIPE to handle, not a reason to die (systemd
    // ignores SIGPIPE for services already; a daemon started by hand must too).
    std::signal(SIGPIPE, SIG_IGN);
    sigterm_ = loop_.add_signal(SIGTERM, [this] { loop_.exit(0); });
    sigint_ = loop_.add_signal(SIGINT, [this] { loop_.exit(0); });
    // sd-event pings the watchdog at half of WatchdogSec= by itself when systemd asks for it.
    sd_event_set_watchdog(loop_.get(), 1);
}

Daemon::~Daemon() = default;

// [Spool] MaxAgeDays=: checked at start and every hour after; a day's limit needs no finer step.
void Daemon::expire_packages() {
    if (parts_->spool.max_age_days() == 0) return;
    parts_->spool.expire(std::chrono::system_clock::now());
    expiry_timer_ = loop_.add_timer(std::uint64_t{3600} * 1000000, [this] { expire_packages(); });
}

void Daemon::update_status() {
    if (!parts_ || !parts_->manager) return;
    const std::string status =
        "STATUS=Serving: " + std::to_string(parts_->devices.entries().size()) + " device(s), " +
        std::to_string(parts_->manager->session_count()) + " session(s)";
    sd_notify(0, status.c_str());
}

int Daemon::run() {
    log::info("rekamd ", REKAM_VERSION, " serving ", bus::kBusName, " as station ",
              options_.config.station_id, "; spool ", options_.config.effective_spool().string());
    sd_notify(0, "READY=1");
    update_status();
    // The face detector's weights take a few hundred ms to decode: done beside the loop now
    // rather than in the first face capture's first frame. Joined when run() returns.
    const std::jthread prepare_face([] { bio::face::FaceDetector::prepare(); });
    const int code = loop_.run();
    sd_notify(0, "STOPPING=1\nSTATUS=Stopping");
    log::info("stopping: closing ", parts_->manager->session_count(), " session(s)");
    parts_->manager->close_all("rekamd stopped");
    parts_->devices.end_test_captures();
    // Let the deferred closes run and flush the last signals out.
    while (sd_event_run(loop_.get(), 0) > 0) {
    }
    // Every session is booked by now: the stop's checkpoint and the seal close the book.
    parts_->book.seal();
    sd_bus_flush(bus_.get());
    return code;
}

}  // namespace rekam
