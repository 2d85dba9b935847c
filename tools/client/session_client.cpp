#include "tools/client/session_client.h"

#include <chrono>

#include "dbus/names.h"

namespace rekam::client {
namespace {

template <typename T>
std::optional<T> find(const bus::Dict& d, const std::string& key) {
    for (const auto& [k, v] : d)
        if (k == key)
            if (auto* x = std::get_if<T>(&v.v)) return *x;
    return std::nullopt;
}

}  // namespace

std::uint32_t CaptureResult::score() const {
    return find<std::uint32_t>(result, "score").value_or(0);
}
std::string CaptureResult::error() const { return find<std::string>(result, "error").value_or(""); }
std::string CaptureResult::message() const {
    return find<std::string>(result, "message").value_or("");
}

Append dict_arg(bus::Dict dict) {
    return [dict = std::move(dict)](sd_bus_message* m) { bus::append_dict(m, dict); };
}

SessionClient::SessionClient(Connection& connection, std::string path)
    : connection_(connection), path_(std::move(path)) {
    sd_bus_slot* slot = nullptr;
    bus::check(
        sd_bus_match_signal(
            connection_.get(), &slot, bus::kBusName, path_.c_str(), bus::kSessionInterface, nullptr,
            [](sd_bus_message* m, void* userdata, sd_bus_error*) -> int {
                auto* self = static_cast<SessionClient*>(userdata);
                try {
                    const std::string member = sd_bus_message_get_member(m);
                    const std::string position = bus::read_string(m, "position");
                    const std::string code = bus::read_string(m, "code");
                    bus::Arguments data = bus::read_arguments(m, "data");
                    if (member == "CaptureProgress")
                        self->progress_.push_back(Progress{position, code, data.entries()});
                    else if (member == "CaptureFinished")
                        self->finished_.push_back(CaptureResult{position, code, data.entries()});
                } catch (const std::exception&) {
                    // a malformed signal is not ours to handle
                }
                return 0;
            },
            this),
        "subscribe to session signals");
    match_.reset(slot);
}

SessionClient::~SessionClient() = default;

void SessionClient::capture(const std::string& position, const Append& options) {
    connection_.call(path_, bus::kSessionInterface, "Capture", [&](sd_bus_message* m) {
        sd_bus_message_append(m, "s", position.c_str());
        if (options)
            options(m);
        else
            bus::append_dict(m, {});
    });
}

std::optional<CaptureResult> SessionClient::wait_finished(
    const std::string& position, std::uint64_t timeout_usec,
    const std::function<void(const Progress&)>& on_progress) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::microseconds(timeout_usec);
    for (;;) {
        for (auto& p : progress_)
            if (on_progress) on_progress(p);
        progress_.clear();
        for (auto it = finished_.begin(); it != finished_.end(); ++it) {
            if (it->position != position) continue;
            CaptureResult r = std::move(*it);
            finished_.erase(it);
            return r;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return std::nullopt;
        connection_.pump(static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(deadline - now).count()));
    }
}

CaptureResult SessionClient::capture_and_wait(const std::string& position, const Append& options,
                                              std::uint64_t timeout_usec) {
    capture(position, options);
    auto r = wait_finished(position, timeout_usec);
    if (!r) throw CallError(bus::error::kTimeout, "no CaptureFinished for " + position);
    return *r;
}

void SessionClient::cancel() { connection_.call(path_, bus::kSessionInterface, "CancelCapture"); }

void SessionClient::confirm_signature() {
    connection_.call(path_, bus::kSessionInterface, "ConfirmSignature");
}

void SessionClient::clear_signature() {
    connection_.call(path_, bus::kSessionInterface, "ClearSignature");
}

void SessionClient::mark_exception(const std::string& position, const std::string& reason,
                                   const std::string& note) {
    connection_.call(path_, bus::kSessionInterface, "MarkException", [&](sd_bus_message* m) {
        sd_bus_message_append(m, "ss", position.c_str(), reason.c_str());
        bus::Dict details;
        if (!note.empty()) details.emplace_back("note", bus::str(note));
        bus::append_dict(m, details);
    });
}

std::vector<std::string> SessionClient::missing() {
    auto reply =
        connection_.call(path_, "org.freedesktop.DBus.Properties", "Get", [](sd_bus_message* m) {
            sd_bus_message_append(m, "ss", bus::kSessionInterface, "Missing");
        });
    char** strv = nullptr;
    bus::check(sd_bus_message_enter_container(reply.get(), 'v', "as"), "read Missing");
    bus::check(sd_bus_message_read_strv(reply.get(), &strv), "read Missing");
    std::vector<std::string> out;
    for (char** p = strv; p && *p; ++p) {
        out.emplace_back(*p);
        free(*p);
    }
    free(strv);
    return out;
}

std::pair<std::string, std::string> SessionClient::finalize() {
    auto reply = connection_.call(path_, bus::kSessionInterface, "Finalize",
                                  [](sd_bus_message* m) { bus::append_dict(m, {}); });
    const char* path = nullptr;
    const char* sha = nullptr;
    bus::check(sd_bus_message_read(reply.get(), "ss", &path, &sha), "read Finalize reply");
    return {path, sha};
}

std::pair<bus::Arguments, std::vector<std::uint8_t>> SessionClient::sample(
    const std::string& position) {
    auto reply = connection_.call(
        path_, bus::kSessionInterface, "GetSample",
        [&](sd_bus_message* m) { sd_bus_message_append(m, "s", position.c_str()); });
    bus::Arguments info = bus::read_arguments(reply.get(), "info");
    return {std::move(info), read_fd_bytes(reply.get(), "the sample's image")};
}

SessionDetails SessionClient::details() {
    auto reply = connection_.call(path_, bus::kSessionInterface, "GetDetails");
    SessionDetails d{bus::read_arguments(reply.get(), "application"), {}, {}};
    for (auto* positions : {&d.samples, &d.exceptions}) {
        bus::check(sd_bus_message_enter_container(reply.get(), 'a', "{sa{sv}}"), "read details");
        while (sd_bus_message_enter_container(reply.get(), 'e', "sa{sv}") > 0) {
            const char* position = nullptr;
            bus::check(sd_bus_message_read_basic(reply.get(), 's', &position), "read position");
            positions->emplace(position, bus::read_arguments(reply.get(), position));
            bus::check(sd_bus_message_exit_container(reply.get()), "read details");
        }
        bus::check(sd_bus_message_exit_container(reply.get()), "read details");
    }
    return d;
}

void SessionClient::close() { connection_.call(path_, bus::kSessionInterface, "Close"); }

}  // namespace rekam::client
