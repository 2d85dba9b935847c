// The live preview seen from a client: open it on a device, then read frames from the fd.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/unique_fd.h"
#include "dbus/preview_frame.h"
#include "tools/client/connection.h"

namespace rekam::client {

struct PreviewFrame {
    bus::preview::FrameHeader header;
    std::vector<std::string> feedback;
    std::vector<std::uint8_t> payload;
};

// Device.OpenPreview on `device_path`; the fd is the client's own (a duplicate).
UniqueFd open_preview(Connection& connection, const std::string& device_path);

class PreviewReader {
  public:
    explicit PreviewReader(UniqueFd fd) : fd_(std::move(fd)) {}
    int fd() const { return fd_.get(); }
    // The next frame, or nullopt when the preview ended (EOF). Waits at most `timeout_usec`
    // for each piece (0: no limit). Throws std::runtime_error on a timeout or a stream that is
    // not the preview format.
    std::optional<PreviewFrame> next(std::uint64_t timeout_usec = 0);

  private:
    // False on EOF before the first byte; throws on EOF in the middle.
    bool read_exactly(std::uint8_t* out, std::size_t size, std::uint64_t timeout_usec);
    UniqueFd fd_;
};

}  // namespace rekam::client
