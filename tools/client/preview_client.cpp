#include "tools/client/preview_client.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "dbus/names.h"

namespace rekam::client {

UniqueFd open_preview(Connection& connection, const std::string& device_path) {
    auto reply = connection.call(device_path, bus::kDeviceInterface, "OpenPreview",
                                 [](sd_bus_message* m) { bus::append_dict(m, bus::Dict{}); });
    int fd = -1;
    bus::check(sd_bus_message_read_basic(reply.get(), 'h', &fd), "read preview fd");
    // The message owns its fd: keep a duplicate of our own.
    UniqueFd own(fcntl(fd, F_DUPFD_CLOEXEC, 3));
    if (!own) throw std::system_error(errno, std::generic_category(), "dup preview fd");
    return own;
}

bool PreviewReader::read_exactly(std::uint8_t* out, std::size_t size, std::uint64_t timeout_usec) {
    std::size_t got = 0;
    while (got < size) {
        pollfd pfd{fd_.get(), POLLIN, 0};
        const int timeout_ms = timeout_usec ? static_cast<int>((timeout_usec + 999) / 1000) : -1;
        const int ready = poll(&pfd, 1, timeout_ms);
        if (ready < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "poll preview fd");
        }
        if (ready == 0) throw std::runtime_error("no preview data within the timeout");
        const ssize_t n = read(fd_.get(), out + got, size - got);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            throw std::system_error(errno, std::generic_category(), "read preview fd");
        }
        if (n == 0) {
            if (got == 0) return false;
            throw std::runtime_error("the preview ended in the middle of a frame");
        }
        got += static_cast<std::size_t>(n);
    }
    return true;
}

std::optional<PreviewFrame> PreviewReader::next(std::uint64_t timeout_usec) {
    std::uint8_t head[bus::preview::kHeaderSize];
    if (!read_exactly(head, sizeof head, timeout_usec)) return std::nullopt;
    auto header = bus::preview::decode(head);
    if (!header) throw std::runtime_error("the preview stream is not in the rekam preview format");
    PreviewFrame frame;
    frame.header = *header;
    std::vector<std::uint8_t> bytes(header->feedback_size);
    if (!bytes.empty() && !read_exactly(bytes.data(), bytes.size(), timeout_usec))
        throw std::runtime_error("the preview ended in the middle of a frame");
    frame.feedback = bus::preview::split_feedback(std::string(bytes.begin(), bytes.end()));
    frame.payload.resize(header->payload_size);
    if (!frame.payload.empty() &&
        !read_exactly(frame.payload.data(), frame.payload.size(), timeout_usec))
        throw std::runtime_error("the preview ended in the middle of a frame");
    return frame;
}

}  // namespace rekam::client
