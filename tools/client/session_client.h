// A session seen from the client: start captures and follow them to their end.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "tools/client/connection.h"

namespace rekam::client {

struct CaptureResult {
    std::string position;
    std::string outcome;  // accepted, best-attempt, failed, cancelled
    bus::Dict result;
    std::uint32_t score() const;
    std::string error() const;
    std::string message() const;
};

struct Progress {
    std::string position;
    std::string code;
    bus::Dict data;
};

// GetDetails: what only the session's owner sees.
struct SessionDetails {
    bus::Arguments application;
    std::map<std::string, bus::Arguments> samples;
    std::map<std::string, bus::Arguments> exceptions;
};

class SessionClient {
  public:
    SessionClient(Connection& connection, std::string path);
    ~SessionClient();
    SessionClient(const SessionClient&) = delete;
    SessionClient& operator=(const SessionClient&) = delete;

    const std::string& path() const { return path_; }

    void capture(const std::string& position, const Append& options = {});
    // Pump the bus until CaptureFinished for `position` arrives or `timeout_usec` passes
    // (then nullopt). `on_progress` sees every CaptureProgress meanwhile.
    std::optional<CaptureResult> wait_finished(
        const std::string& position, std::uint64_t timeout_usec,
        const std::function<void(const Progress&)>& on_progress = {});
    // capture() + wait_finished().
    CaptureResult capture_and_wait(const std::string& position, const Append& options = {},
                                   std::uint64_t timeout_usec = 120'000'000);
    void cancel();
    // The signature pad: the signature being written is done / starts over.
    void confirm_signature();
    void clear_signature();
    void mark_exception(const std::string& position, const std::string& reason,
                        const std::string& note = {});
    std::vector<std::string> missing();
    std::pair<std::string, std::string> finalize();  // path, sha256
    // The sample's PNG bytes and its info.
    std::pair<bus::Arguments, std::vector<std::uint8_t>> sample(const std::string& position);
    SessionDetails details();
    void close();

  private:
    Connection& connection_;
    std::string path_;
    bus::SlotPtr match_;
    std::vector<Progress> progress_;
    std::vector<CaptureResult> finished_;
};

// Append helpers for calls with an a{sv} argument.
Append dict_arg(bus::Dict dict);

}  // namespace rekam::client
