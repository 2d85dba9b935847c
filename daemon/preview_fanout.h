// Fans live preview frames out to viewers, one pipe each, without ever waiting for one.
//
// A viewer is sent a frame only once it has read the previous one completely; otherwise the
// frame is dropped for that viewer and counted in its next header. So a slow or stalled viewer
// costs neither the camera nor the other viewers anything, and a viewer that keeps up reads
// each frame less than one frame period after it was sent. A frame larger than the pipe is
// finished from the loop as the viewer reads (EPOLLOUT). A closed read end removes the viewer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/unique_fd.h"
#include "dbus/preview_frame.h"
#include "drivers/device.h"

namespace rekam {

// The quality measured most recently, sent with every frame.
struct LiveScore {
    int score = bus::preview::kNoScore;
    std::uint64_t timestamp_usec = 0;  // capture time of the frame it was measured on
    std::string feedback;              // codes joined by ','
};

class PreviewFanout {
  public:
    static constexpr std::size_t kMaxViewers = 4;
    // Pipes are grown to this (the kernel's default limit for unprivileged processes), so a
    // compressed 1080p frame goes out in one write.
    static constexpr int kPipeSize = 1 << 20;

    explicit PreviewFanout(EventLoop& loop);
    ~PreviewFanout();
    PreviewFanout(const PreviewFanout&) = delete;
    PreviewFanout& operator=(const PreviewFanout&) = delete;

    // A new viewer belonging to the D-Bus client `owner`; returns the read end of its pipe.
    // Throws std::system_error.
    UniqueFd add_viewer(std::string owner);
    // Sends `frame` to every viewer, or only to the viewers of `only_owner` when it is not
    // empty (a capture shows its citizen to the client capturing, nobody else).
    void publish(const drivers::RawFrame& frame, const LiveScore& live,
                 const std::string& only_owner = {});
    // Ends every viewer: they read EOF.
    void close_all();

    std::size_t viewers() const { return viewers_.size(); }
    std::uint64_t delivered() const { return delivered_; }  // frames written completely
    std::uint64_t dropped() const { return dropped_; }      // frames skipped for a slow viewer
    // Runs when the last viewer has gone (the owner can stop streaming).
    void set_empty_listener(std::function<void()> listener) { on_empty_ = std::move(listener); }

  private:
    struct Viewer;
    void send(Viewer& viewer, const drivers::RawFrame& frame, const LiveScore& live);
    // Writes what is pending; false when the viewer is gone.
    bool flush(Viewer& viewer);
    void on_io(Viewer& viewer, std::uint32_t revents);
    void remove(Viewer& viewer);

    EventLoop& loop_;
    std::vector<std::unique_ptr<Viewer>> viewers_;
    std::uint64_t delivered_ = 0, dropped_ = 0;
    std::function<void()> on_empty_;
};

}  // namespace rekam
