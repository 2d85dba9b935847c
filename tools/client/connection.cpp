#include "tools/client/connection.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dbus/connect.h"
#include "dbus/names.h"

namespace rekam::client {

Connection::Connection(const std::string& address) {
    try {
        bus_ = bus::connect(address);
    } catch (const std::runtime_error& e) {
        throw CallError("org.freedesktop.DBus.Error.NoServer", e.what());
    }
    const char* name = nullptr;
    if (sd_bus_get_unique_name(bus_.get(), &name) >= 0 && name) unique_name_ = name;
}

bus::MessagePtr Connection::call(const std::string& path, const char* interface, const char* method,
                                 const Append& append, std::uint64_t timeout_usec) {
    sd_bus_message* m = nullptr;
    int r = sd_bus_message_new_method_call(bus_.get(), &m, bus::kBusName, path.c_str(), interface,
                                           method);
    if (r < 0) throw CallError(bus::error::kInternal, std::string("cannot build ") + method);
    bus::MessagePtr request(m);
    if (append) append(m);
    sd_bus_error error{};  // SD_BUS_ERROR_NULL is a C99 compound literal: clang warns in C++
    sd_bus_message* reply = nullptr;
    r = sd_bus_call(bus_.get(), m, timeout_usec, &error, &reply);
    if (r < 0) {
        std::string name = error.name ? error.name : "org.freedesktop.DBus.Error.Failed";
        std::string message = error.message ? error.message : std::strerror(-r);
        sd_bus_error_free(&error);
        throw CallError(std::move(name), message);
    }
    return bus::MessagePtr(reply);
}

bus::Arguments Connection::properties(const std::string& path, const char* interface) {
    auto reply = call(path, "org.freedesktop.DBus.Properties", "GetAll",
                      [interface](sd_bus_message* m) { sd_bus_message_append(m, "s", interface); });
    return bus::read_arguments(reply.get(), path);
}

bool Connection::name_has_owner(const std::string& name) {
    sd_bus_error error{};  // SD_BUS_ERROR_NULL is a C99 compound literal: clang warns in C++
    sd_bus_message* reply = nullptr;
    const int r = sd_bus_call_method(bus_.get(), "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                     "org.freedesktop.DBus", "NameHasOwner", &error, &reply, "s",
                                     name.c_str());
    sd_bus_error_free(&error);
    if (r < 0) return false;
    bus::MessagePtr owned(reply);
    int has = 0;
    return sd_bus_message_read(reply, "b", &has) >= 0 && has;
}

void Connection::pump(std::uint64_t timeout_usec) {
    // Dispatch what is queued already (sd_bus_call may have read signals ahead of its reply);
    // only when nothing was, wait for more.
    bool dispatched = false;
    int r;
    while ((r = sd_bus_process(bus_.get(), nullptr)) > 0) dispatched = true;
    if (r < 0)
        throw CallError("org.freedesktop.DBus.Error.Disconnected", "lost the bus connection");
    if (dispatched) return;
    sd_bus_wait(bus_.get(), timeout_usec);
    while ((r = sd_bus_process(bus_.get(), nullptr)) > 0) {
    }
}

std::vector<std::string> read_paths(sd_bus_message* reply) {
    std::vector<std::string> out;
    bus::check(sd_bus_message_enter_container(reply, 'a', "o"), "read ao");
    const char* p = nullptr;
    while (sd_bus_message_read_basic(reply, 'o', &p) > 0) out.emplace_back(p);
    bus::check(sd_bus_message_exit_container(reply), "read ao");
    return out;
}

std::vector<std::uint8_t> read_fd_bytes(sd_bus_message* reply, const char* what) {
    int fd = -1;
    bus::check(sd_bus_message_read_basic(reply, 'h', &fd), what);
    std::vector<std::uint8_t> bytes;
    std::uint8_t buffer[65536];
    // pread from 0: the fd is shared with the message, whose offset another reader may move.
    for (off_t at = 0;;) {
        const ssize_t n = pread(fd, buffer, sizeof buffer, at);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw CallError(bus::error::kInternal,
                            std::string("reading ") + what + ": " + std::strerror(errno));
        if (n == 0) break;
        bytes.insert(bytes.end(), buffer, buffer + n);
        at += n;
    }
    return bytes;
}

}  // namespace rekam::client
